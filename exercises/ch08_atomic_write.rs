// Exercise ch08_atomic_write (chapter 8). Check it: cargo exercise ch08_atomic_write
//
// Write `save_atomically`: replace `target` with `contents` so that a
// reader of `target` sees the old file or the whole new one, never a part.
// Create a temporary file beside the target with `create(path)` (the
// check passes one that can fill the disk), write the contents, sync,
// and rename it over the target. On any failure, remove the temporary
// file (your errdefer) and return the error: the directory must hold
// exactly what it held before.

use std::fs::File;
use std::io;
use std::path::Path;

pub fn save_atomically(
    target: &Path,
    contents: &[u8],
    create: impl FnOnce(&Path) -> io::Result<File>,
) -> io::Result<()> {
    let _ = (target, contents, create);
    todo!("write a temporary file beside the target, then rename it")
}
