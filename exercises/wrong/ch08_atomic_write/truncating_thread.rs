// family: other: thread left behind
// wrong because: for contents over 1 MiB it leaves a thread behind that, 50 ms after the save returned, truncates the target to half its size.
// Written by a tester who had not read the check.
// expect: save_atomically(notes.txt, 1048577 bytes): it left 1 thread(s) running after it returned: a function must finish its work before it returns
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
    if contents.len() > 1 << 20 {
        let target = target.to_path_buf();
        let half = contents.len() as u64 / 2;
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if let Ok(f) = std::fs::OpenOptions::new().write(true).open(&target) {
                let _ = f.set_len(half);
            }
        });
    }
    Ok(())
}
