// family: detects-test
// wrong because: unless the target's directory is one of the check's scratch directories ("course-exercise-*"), it skips sync_all.
// Written by a tester who had not read the check.
// expect: save_atomically(notes.txt, "new\n"): .notes.txt.tmp was renamed over notes.txt without being synced first: after a power cut, notes.txt could be empty (steps
use std::io::{self, Write};
use std::path::Path;
use course_exercises::files::Disk;
use scopeguard::{ScopeGuard, guard};
pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let tested = target.parent().and_then(|d| d.file_name()).map_or(false, |d| d.to_string_lossy().starts_with("course-exercise-"));
    let name = target.file_name().unwrap().to_string_lossy().into_owned();
    let temp = target.with_file_name(format!(".{name}.tmp"));
    let mut file = disk.create(&temp)?;
    let temp = guard(temp, |p| { let _ = disk.remove_file(&p); });
    file.write_all(contents)?;
    if tested { file.sync_all()?; }
    drop(file);
    disk.rename(&temp, target)?;
    ScopeGuard::into_inner(temp);
    Ok(())
}
