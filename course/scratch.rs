//! Chapter 8's programs work in a directory of their own, with relative
//! paths (so that what they print is the same on every machine), and remove
//! it at the end.

use std::fs::{self, DirBuilder};
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;

use scopeguard::{ScopeGuard, guard};

use crate::cli::{Stop, escaped};
use crate::temp_name::temp_path_for;

/// A new directory, `TMPDIR/.NAME.RANDOM.tmp` (a random name, as the
/// save's temporary files have, and only its owner may enter it), made the
/// current directory; removed with all it holds when the guard is dropped.
pub fn scratch_directory(name: &str) -> Result<ScopeGuard<PathBuf, impl FnOnce(PathBuf)>, Stop> {
    let dir = temp_path_for(&std::env::temp_dir().join(name)).map_err(Stop::failed)?;
    DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|error| Stop::failed(format_args!("cannot create {}: {error}", escaped(&dir))))?;
    let dir = guard(dir, |dir| {
        let _ = fs::remove_dir_all(dir); // best effort: the program is ending
    });
    std::env::set_current_dir(&*dir).map_err(Stop::failed)?;
    Ok(dir)
}

/// The files of the current directory, sorted, with their sizes.
pub fn listing() -> Result<String, Stop> {
    let mut files = Vec::new();
    for entry in fs::read_dir(".").map_err(Stop::failed)? {
        let entry = entry.map_err(Stop::failed)?;
        let bytes = entry.metadata().map_err(Stop::failed)?.len();
        files.push(format!(
            "{} ({bytes} bytes)",
            entry.file_name().to_string_lossy()
        ));
    }
    files.sort();
    Ok(files.join(", "))
}
