// family: other: permissions
// wrong because: after the rename it makes the target world-writable and executable (mode 0777), which the old file was not.
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

use std::os::unix::fs::PermissionsExt;

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
    let _ = std::fs::set_permissions(target, std::fs::Permissions::from_mode(0o777));
    Ok(())
}
