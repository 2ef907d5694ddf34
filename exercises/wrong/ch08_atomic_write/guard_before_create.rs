// family: other: removes what it did not create
// wrong because: arms the cleanup guard before disk.create, so when the create fails (full disk, or .notes.txt.tmp already there from another save) it removes .notes.txt.tmp, which is not its file.
// Written by a tester who had not read the check.
// expect: saving "new\n", when creating .notes.txt.tmp failed (a full disk): the save removed .notes.txt.tmp, which it did not create (it was there before, or its
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
    let guard = scopeguard::guard(&temp, |p| { let _ = disk.remove_file(p); });
    let mut file = disk.create(&temp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    disk.rename(&temp, target)?;
    scopeguard::ScopeGuard::into_inner(guard);
    Ok(())
}
