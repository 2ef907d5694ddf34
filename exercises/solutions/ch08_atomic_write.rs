// Exercise ch08_atomic_write: a solution.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use scopeguard::{ScopeGuard, guard};

pub fn save_atomically(
    target: &Path,
    contents: &[u8],
    create: impl FnOnce(&Path) -> io::Result<File>,
) -> io::Result<()> {
    let temp_path = target.with_extension("tmp");
    let mut temp = create(&temp_path)?;
    // errdefer: from here on, a failure removes the temporary file.
    let temp_path = guard(temp_path, |path| {
        let _ = fs::remove_file(path);
    });
    temp.write_all(contents)?;
    temp.sync_all()?;
    drop(temp);
    fs::rename(&*temp_path, target)?;
    // It is the target now: defuse.
    ScopeGuard::into_inner(temp_path);
    Ok(())
}
