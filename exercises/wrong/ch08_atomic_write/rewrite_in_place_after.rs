// family: other: bypasses the disk
// wrong because: after the atomic save it writes the contents again straight into the target with std::fs::write (truncate then write: a reader can see an empty or partial target).
// Written by a tester who had not read the check.
// expect: save_atomically(notes.txt, "new\n"): notes.txt was changed after the rename put it in place (written, truncated, replaced or its permissions changed, around
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use course_exercises::files::Disk;

fn temp_for(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.join(format!(".{name}.tmp"))
}

pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = temp_for(target);
    let mut file = disk.create(&tmp)?;
    let guard = scopeguard::guard((), |()| {
        let _ = disk.remove_file(&tmp);
    });
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    disk.rename(&tmp, target)?;
    scopeguard::ScopeGuard::into_inner(guard);
    std::fs::write(target, contents)
}
