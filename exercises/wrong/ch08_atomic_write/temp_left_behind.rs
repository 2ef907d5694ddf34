// The temporary file is not removed when a step after its creation fails:
// no errdefer.
// ANCHOR: expect
// expect: saving "new\n", when write #1 to notes.tmp failed (a full disk), the temporary file `notes.tmp` was left behind
// ANCHOR_END: expect

use std::io::{self, Write};
use std::path::Path;

use course_exercises::files::Disk;

pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let temp_path = target.with_extension("tmp");
    let mut temp = disk.create(&temp_path)?;
    temp.write_all(contents)?;
    temp.sync_all()?;
    drop(temp);
    disk.rename(&temp_path, target)
}
