// family: wrong-elsewhere
// wrong because: has a fast path for contents up to 4 KiB without the cleanup guard, so save_atomically(notes.txt, "new\n") on a full disk leaves .notes.txt.tmp behind.
// Written by a tester who had not read the check.
// expect: saving "new\n", when write #1 to .notes.txt.tmp failed (a full disk), the temporary file `.notes.txt.tmp` was left behind
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
    if contents.len() <= 4096 {
        // small: one write, one sync, one rename
        let mut file = disk.create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        return disk.rename(&temp, target);
    }
    let mut file = disk.create(&temp)?;
    let guard = scopeguard::guard(&temp, |p| { let _ = disk.remove_file(p); });
    for chunk in contents.chunks(4096) {
        file.write_all(chunk)?;
    }
    file.sync_all()?;
    drop(file);
    disk.rename(&temp, target)?;
    scopeguard::ScopeGuard::into_inner(guard);
    Ok(())
}
