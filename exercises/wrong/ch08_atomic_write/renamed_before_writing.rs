// A wrong answer to ch08_atomic_write: the rename comes first, so a
// failed write leaves the target empty: the old contents are lost.
// expect: after the disk filled, notes.txt holds "" instead of its old contents "old\n"

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
    fs::rename(&temp_path, target)?;
    temp.write_all(contents)?;
    temp.sync_all()
}
