//! Chapter 8: staged acquisition of OS resources and memory. Read a file,
//! upper-case it, and replace a target file with the result atomically:
//! readers of the target see the old contents or the new ones, never half
//! a file, and a failure leaves the target as it was.

use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use scopeguard::{guard, ScopeGuard};
use tempfile::NamedTempFile;

// ANCHOR: error
/// Everything that can go wrong while saving, with the path it concerns.
#[derive(Debug)]
pub enum SaveError {
    /// The input could not be opened or read.
    Read { path: PathBuf, source: io::Error },
    /// No memory for the input's contents.
    OutOfMemory,
    /// The target exists but is a device, a pipe, a socket or a symbolic
    /// link: renaming over it would replace that special file, not write
    /// into it.
    NotAFile { target: PathBuf },
    /// No temporary file could be created beside the target.
    CreateTemp { dir: PathBuf, source: io::Error },
    /// Writing or syncing the temporary file failed (a full disk, say).
    Write { path: PathBuf, source: io::Error },
    /// The temporary file could not be renamed over the target.
    Replace { target: PathBuf, source: io::Error },
}
// ANCHOR_END: error

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            SaveError::OutOfMemory => f.write_str("out of memory"),
            SaveError::NotAFile { target } => write!(
                f,
                "refusing to replace {}: not a regular file",
                target.display()
            ),
            SaveError::CreateTemp { dir, source } => write!(
                f,
                "cannot create a temporary file in {}: {source}",
                dir.display()
            ),
            SaveError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            SaveError::Replace { target, source } => {
                write!(f, "cannot replace {}: {source}", target.display())
            }
        }
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SaveError::Read { source, .. }
            | SaveError::CreateTemp { source, .. }
            | SaveError::Write { source, .. }
            | SaveError::Replace { source, .. } => Some(source),
            SaveError::OutOfMemory | SaveError::NotAFile { .. } => None,
        }
    }
}

impl From<std::collections::TryReserveError> for SaveError {
    fn from(_: std::collections::TryReserveError) -> Self {
        SaveError::OutOfMemory
    }
}

impl course::lab::OutOfMemory for SaveError {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, SaveError::OutOfMemory)
    }
}

/// Reads all of `path` into memory, upper-cased. Allocates only through
/// `try_reserve`, so a refused allocation is `OutOfMemory`, not an abort.
pub fn read_upper(path: &Path) -> Result<Vec<u8>, SaveError> {
    let read_error = |source| SaveError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?; // closed by `Drop`
    let len = file.metadata().map_err(read_error)?.len();
    let mut contents = Vec::new();
    contents.try_reserve_exact(usize::try_from(len).map_err(|_| SaveError::OutOfMemory)?)?;
    // `read_to_end` grows the buffer with `try_reserve` if the file grew,
    // and reports a refused allocation as `ErrorKind::OutOfMemory`.
    file.read_to_end(&mut contents).map_err(|source| {
        if source.kind() == io::ErrorKind::OutOfMemory {
            SaveError::OutOfMemory
        } else {
            read_error(source)
        }
    })?;
    contents.make_ascii_uppercase();
    Ok(contents)
}

/// The directory the target lives in: the temporary file goes there, so
/// that renaming it over the target stays within one file system.
pub fn directory_of(target: &Path) -> &Path {
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `DIR/.NAME.tmp-PID`, beside the target, built without an infallible
/// allocation.
pub fn temp_path_for(target: &Path) -> Result<PathBuf, SaveError> {
    let name = target.file_name().unwrap_or(OsStr::new("output"));
    let mut suffix = [0u8; 32];
    let suffix_len = {
        let mut rest = &mut suffix[..];
        write!(rest, ".tmp-{}", std::process::id()).expect("32 bytes hold any pid");
        32 - rest.len()
    };
    let dir = directory_of(target);
    let mut path = PathBuf::new();
    path.try_reserve_exact(dir.as_os_str().len() + name.len() + suffix_len + 3)?;
    path.push(dir);
    let mut file_name = std::ffi::OsString::new();
    file_name.try_reserve_exact(name.len() + suffix_len + 1)?;
    file_name.push(".");
    file_name.push(name);
    file_name.push(OsStr::from_bytes(&suffix[..suffix_len]));
    path.push(&file_name);
    Ok(path)
}

/// Fails if `target` exists and is neither a regular file nor a directory.
/// Renaming over `/dev/full` or a symbolic link would replace the device
/// or the link itself; a directory is left to `rename`, which refuses it.
/// (Checked before the rename, so a target swapped in between is not seen;
/// this guards against mistakes, not against an attacker.)
pub fn check_target(target: &Path) -> Result<(), SaveError> {
    match fs::symlink_metadata(target) {
        Ok(meta) if !(meta.is_file() || meta.is_dir()) => Err(SaveError::NotAFile {
            target: target.to_path_buf(),
        }),
        _ => Ok(()), // missing (it will be created), a file, or a directory
    }
}

/// Creates a new file for writing; fails if it exists.
pub fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

// ANCHOR: save_with_guard
/// Saves an upper-cased copy of `input` as `target`, atomically, with an
/// explicit errdefer for the temporary file.
pub fn save_upper(input: &Path, target: &Path) -> Result<(), SaveError> {
    save_upper_via(input, target, create_new)
}

/// `save_upper`, with the temporary file created by `create`: tests pass
/// a `create` that opens a full disk.
pub fn save_upper_via(
    input: &Path,
    target: &Path,
    create: impl FnOnce(&Path) -> io::Result<File>,
) -> Result<(), SaveError> {
    // ---- acquire the input's contents (the file is closed again) ----
    let contents = read_upper(input)?;
    check_target(target)?;

    // ---- acquire a temporary file beside the target ----
    let temp_path = temp_path_for(target)?;
    let mut temp = create(&temp_path).map_err(|source| SaveError::CreateTemp {
        dir: directory_of(target).to_path_buf(),
        source,
    })?;
    // errdefer: from here on, any failure removes the temporary file.
    let temp_path = guard(temp_path, |path| {
        let _ = fs::remove_file(path); // best effort: we are failing anyway
    });

    // ---- write it, and make sure it is on the disk before the rename ----
    let write_error = |source| SaveError::Write {
        path: temp_path.to_path_buf(),
        source,
    };
    temp.write_all(&contents).map_err(write_error)?;
    temp.sync_all().map_err(write_error)?;
    drop(temp); // closes the descriptor

    // ---- replace the target: atomic, on the same file system ----
    fs::rename(&*temp_path, target).map_err(|source| SaveError::Replace {
        target: target.to_path_buf(),
        source,
    })?;
    // Success: the temporary file is the target now; defuse the errdefer.
    ScopeGuard::into_inner(temp_path);
    Ok(())
}
// ANCHOR_END: save_with_guard

// ANCHOR: save_with_tempfile
/// The same with `tempfile`: `NamedTempFile` removes its file when dropped,
/// unless `persist` has renamed it over the target.
pub fn save_upper_tempfile(input: &Path, target: &Path) -> Result<(), SaveError> {
    save_upper_tempfile_via(input, target, |dir| NamedTempFile::new_in(dir))
}

/// `save_upper_tempfile`, with the temporary file created by `create`
/// in the target's directory.
pub fn save_upper_tempfile_via(
    input: &Path,
    target: &Path,
    create: impl FnOnce(&Path) -> io::Result<NamedTempFile>,
) -> Result<(), SaveError> {
    let contents = read_upper(input)?;
    check_target(target)?;

    let dir = directory_of(target);
    let mut temp = create(dir).map_err(|source| SaveError::CreateTemp {
        dir: dir.to_path_buf(),
        source,
    })?;
    let write_error = |temp: &NamedTempFile, source| SaveError::Write {
        path: temp.path().to_path_buf(),
        source,
    };
    if let Err(source) = temp.write_all(&contents) {
        return Err(write_error(&temp, source)); // dropping `temp` removes it
    }
    if let Err(source) = temp.as_file().sync_all() {
        return Err(write_error(&temp, source));
    }
    temp.persist(target).map_err(|error| SaveError::Replace {
        target: target.to_path_buf(),
        source: error.error, // `error.file` is dropped here: removed too
    })?;
    Ok(())
}
// ANCHOR_END: save_with_tempfile
