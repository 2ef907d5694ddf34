// family: skipped-step
// wrong because: never calls sync_all, so on save_atomically(notes.txt, "new\n") the rename publishes data that may still be only in the page cache (no Sync step before Rename).
// Written by a tester who had not read the check.
// expect: save_atomically(notes.txt, "new\n"): .notes.txt.tmp was renamed over notes.txt without being synced first: after a power cut, notes.txt could be empty (steps
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use course_exercises::files::Disk;

fn temp_path(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap().to_string_lossy();
    dir.join(format!(".{name}.tmp"))
}

pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = temp_path(target);
    let mut file = disk.create(&temp)?;
    let guard = scopeguard::guard(&temp, |p| { let _ = disk.remove_file(p); });
    file.write_all(contents)?;
    drop(file);
    disk.rename(&temp, target)?;
    scopeguard::ScopeGuard::into_inner(guard);
    Ok(())
}
