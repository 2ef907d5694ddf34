// family: other: destroys a file
// wrong because: before creating its temporary file it deletes any file already named .notes.txt.tmp beside the target (with std::fs, unseen by the disk): a user's file of that name is lost.
// Written by a tester who had not read the check.
// expect: save_atomically(notes.txt, "new\n") beside files named like temporary ones: `.notes.txt.tmp`, which the save did not create, was removed or changed: a cleanup
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
    let _ = std::fs::remove_file(&tmp);
    let mut file = disk.create(&tmp)?;
    let guard = scopeguard::guard((), |()| {
        let _ = disk.remove_file(&tmp);
    });
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    disk.rename(&tmp, target)?;
    scopeguard::ScopeGuard::into_inner(guard);
    Ok(())
}
