// Exercise ch08_atomic_write (chapter 8). Check it: cargo exercise ch08_atomic_write
//
// Write `save_atomically`: replace `target` with `contents` so that a
// reader of `target` sees the old file or the whole new one, never a part.
// Go through `disk`, which the check hands you: it has the calls of
// std::fs that a save needs (`disk.create(path)`, like File::create_new;
// `disk.rename(from, to)`; `disk.remove_file(path)`), and the file it
// creates has `write_all`, `sync_all` and the rest of `Write`. The check
// sees each step, and makes each one fail in turn (a full disk, a failing
// sync, a failing rename).
//
// Create a temporary file beside the target, write the contents, sync,
// and rename it over the target. On any failure, remove the temporary
// file (your errdefer) and return the error: the directory must hold
// exactly what it held before.

use std::io;
use std::path::Path;

use course_exercises::files::Disk;

pub fn save_atomically(disk: &Disk, target: &Path, contents: &[u8]) -> io::Result<()> {
    let _ = (disk, target, contents);
    todo!("write a temporary file beside the target, then rename it")
}
