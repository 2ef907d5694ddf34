// family: skipped-step
// wrong because: contents of fewer than 4 bytes are not synced before the rename (a crash can leave an empty target).
// Written by a tester who had not read the check.
// expect: save_atomically(notes.txt, 1 byte): .notes.txt.tmp was renamed over notes.txt without being synced first: after a power cut, notes.txt could be empty (steps
use std::io::{self, Write};
use std::path::Path;
use course_exercises::files::Disk;
use scopeguard::{ScopeGuard, guard};
fn temp_for(target: &Path) -> std::path::PathBuf {
    let name = target.file_name().unwrap().to_string_lossy().into_owned();
    target.with_file_name(format!(".{name}.tmp"))
}
pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = temp_for(target);
    let mut file = disk.create(&temp)?;
    let temp = guard(temp, |p| { let _ = disk.remove_file(&p); });
    file.write_all(contents)?;
    if contents.len() >= 4 || contents.is_empty() { file.sync_all()?; }
    drop(file);
    disk.rename(&temp, target)?;
    ScopeGuard::into_inner(temp);
    Ok(())
}
