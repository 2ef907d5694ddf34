// Exercise ch08_atomic_write: a solution.

use std::io::{self, Write};
use std::path::Path;

use course_exercises::files::Disk;
use scopeguard::{ScopeGuard, guard};

pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    // Beside the target: a rename within one directory is atomic.
    let temp_path = target.with_extension("tmp");
    let mut temp = disk.create(&temp_path)?;
    // errdefer: from here on, a failure removes the temporary file.
    let temp_path = guard(temp_path, |path| {
        let _ = disk.remove_file(&path);
    });
    temp.write_all(contents)?;
    temp.sync_all()?;
    drop(temp);
    disk.rename(&temp_path, target)?;
    // It is the target now: defuse.
    ScopeGuard::into_inner(temp_path);
    Ok(())
}
