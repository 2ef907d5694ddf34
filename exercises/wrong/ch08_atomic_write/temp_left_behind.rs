// A wrong answer to ch08_atomic_write: no errdefer, so a failed write
// leaves the temporary file behind.
// ANCHOR: expect
// expect: the temporary file `notes.tmp` was left behind after the disk filled
// ANCHOR_END: expect

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

pub fn save_atomically(
    target: &Path,
    contents: &[u8],
    create: impl FnOnce(&Path) -> io::Result<File>,
) -> io::Result<()> {
    let temp_path = target.with_extension("tmp");
    let mut temp = create(&temp_path)?;
    temp.write_all(contents)?;
    temp.sync_all()?;
    drop(temp);
    fs::rename(&temp_path, target)
}
