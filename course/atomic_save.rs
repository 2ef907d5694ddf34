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
    /// The target was replaced, but the directory could not be synced, so
    /// the replacement may not survive a crash.
    SyncDirectory { dir: PathBuf, source: io::Error },
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
            SaveError::SyncDirectory { dir, source } => write!(
                f,
                "replaced the target, but cannot sync {} to make that last: {source}",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SaveError::Read { source, .. }
            | SaveError::CreateTemp { source, .. }
            | SaveError::Write { source, .. }
            | SaveError::Replace { source, .. }
            | SaveError::SyncDirectory { source, .. } => Some(source),
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

/// `DIR/.NAME.tmp-PID-ATTEMPT`, beside the target, built without an
/// infallible allocation. The process id keeps two programs apart; the
/// attempt number lets a caller step past a name that is taken (by another
/// thread, or left over from a killed run whose process id was reused).
pub fn temp_path_for(target: &Path, attempt: u32) -> Result<PathBuf, SaveError> {
    let name = target.file_name().unwrap_or(OsStr::new("output"));
    let mut suffix = [0u8; 40];
    let suffix_len = {
        let mut rest = &mut suffix[..];
        write!(rest, ".tmp-{}-{attempt}", std::process::id()).expect("40 bytes hold two u32s");
        40 - rest.len()
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

/// How many names `save_upper` tries before it gives up.
const ATTEMPTS: u32 = 100;

/// Fails if `target` exists and is neither a regular file nor a directory.
/// Renaming over `/dev/full` or a symbolic link would replace the device
/// or the link itself; a directory is left to `rename`, which refuses it.
/// Returns the permissions of an existing target, which the new file must
/// keep: the rename replaces the file, mode included.
/// (Checked before the rename, so a target swapped in between is not seen;
/// this guards against mistakes, not against an attacker.)
pub fn check_target(target: &Path) -> Result<Option<fs::Permissions>, SaveError> {
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_file() => Ok(Some(meta.permissions())),
        Ok(meta) if meta.is_dir() => Ok(None),
        Ok(_) => Err(SaveError::NotAFile {
            target: target.to_path_buf(),
        }),
        // Missing: it will be created. Any other error (no permission to
        // look, a path through a file) is reported by the steps that follow.
        Err(_) => Ok(None),
    }
}

/// Makes a rename in `dir` survive a crash: the directory entry is data
/// too, and it reaches the disk only when the directory is synced.
pub fn sync_directory(dir: &Path) -> Result<(), SaveError> {
    File::open(dir)
        .and_then(|dir| dir.sync_all())
        .map_err(|source| SaveError::SyncDirectory {
            dir: dir.to_path_buf(),
            source,
        })
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
    mut create: impl FnMut(&Path) -> io::Result<File>,
) -> Result<(), SaveError> {
    // ---- acquire the input's contents (the file is closed again) ----
    let contents = read_upper(input)?;
    let permissions = check_target(target)?;

    // ---- acquire a temporary file beside the target, under a free name ----
    let dir = directory_of(target);
    let mut attempt = 0;
    let (temp_path, mut temp) = loop {
        let path = temp_path_for(target, attempt)?;
        match create(&path) {
            Ok(file) => break (path, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt + 1 < ATTEMPTS => {
                attempt += 1;
            }
            Err(source) => {
                let dir = dir.to_path_buf();
                return Err(SaveError::CreateTemp { dir, source });
            }
        }
    };
    // errdefer: from here on, any failure removes the temporary file.
    let temp_path = guard(temp_path, |path| {
        let _ = fs::remove_file(path); // best effort: we are failing anyway
    });

    // ---- write it, keep the target's mode, and put it on the disk ----
    let write_error = |source| SaveError::Write {
        path: temp_path.to_path_buf(),
        source,
    };
    temp.write_all(&contents).map_err(write_error)?;
    if let Some(permissions) = permissions {
        temp.set_permissions(permissions).map_err(write_error)?;
    }
    temp.sync_all().map_err(write_error)?;
    drop(temp); // closes the descriptor

    // ---- replace the target: one rename, within one file system ----
    fs::rename(&*temp_path, target).map_err(|source| SaveError::Replace {
        target: target.to_path_buf(),
        source,
    })?;
    // Success: the temporary file is the target now; defuse the errdefer.
    ScopeGuard::into_inner(temp_path);
    sync_directory(dir)
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
    let permissions = check_target(target)?;

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
    if let Some(permissions) = permissions {
        if let Err(source) = temp.as_file().set_permissions(permissions) {
            return Err(write_error(&temp, source));
        }
    }
    if let Err(source) = temp.as_file().sync_all() {
        return Err(write_error(&temp, source));
    }
    temp.persist(target).map_err(|error| SaveError::Replace {
        target: target.to_path_buf(),
        source: error.error, // `error.file` is dropped here: removed too
    })?;
    sync_directory(dir)
}
// ANCHOR_END: save_with_tempfile
