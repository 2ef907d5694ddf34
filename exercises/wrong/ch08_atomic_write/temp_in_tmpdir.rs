// family: skipped-step
// wrong because: creates the temporary file in std::env::temp_dir() (/tmp/notes.txt.tmp) instead of beside the target, so the rename may cross file systems.
// Written by a tester who had not read the check.
// expect: outside the target's directory; the temporary file belongs beside the target (a rename is atomic only within one directory), and the disk refused it
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use course_exercises::files::Disk;

fn temp_path(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap().to_string_lossy();
    dir.join(format!(".{name}.tmp"))
}

pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let _ = temp_path;
    let temp = std::env::temp_dir().join(format!("{}.tmp", target.file_name().unwrap().to_string_lossy()));
    let mut file = disk.create(&temp)?;
    let guard = scopeguard::guard(&temp, |p| { let _ = disk.remove_file(p); });
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    disk.rename(&temp, target)?;
    scopeguard::ScopeGuard::into_inner(guard);
    Ok(())
}
