//! Chapter 8: staged acquisition of OS resources and memory. Read a file,
//! upper-case it, and replace a target file with the result atomically:
//! readers of the target see the old contents or the new ones, never half
//! a file, and a failure (or Ctrl-C) before the rename leaves the target as
//! it was and removes the temporary file.
//!
//! Beside it: what the new file keeps of the old one, or why the save
//! refuses ([`course::replaced`]), the temporary names
//! ([`course::temp_name`]), and signals turned into errors
//! ([`course::stop_signals`]).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use scopeguard::{ScopeGuard, guard};
use tempfile::NamedTempFile;

use course::cli::escaped;
use course::lab::trace;
use course::replaced::{Existing, Refusal, Unwritable};
use course::stop_signals::{self as signals, Interrupted};
use course::temp_name::{self, directory_of, temp_path_for};

// ANCHOR: error
/// Everything that can go wrong while saving, with the path it concerns.
#[derive(Debug)]
pub enum SaveError {
    /// The input could not be opened or read.
    Read { path: PathBuf, source: io::Error },
    /// The input is not a regular file (a pipe, a device such as
    /// `/dev/zero`, or `-`): the save reads all of it into memory, and
    /// such an input may never end.
    InputNotAFile { path: PathBuf },
    /// No memory for the input's contents.
    OutOfMemory,
    /// The target may not be replaced: a special file, a file the caller
    /// cannot write, or one whose owner or ACLs the new file cannot keep.
    Refused { target: PathBuf, why: Refusal },
    /// No temporary file could be created beside the target.
    CreateTemp { dir: PathBuf, source: io::Error },
    /// Writing or syncing the temporary file failed (a full disk, say).
    Write { path: PathBuf, source: io::Error },
    /// A signal (Ctrl-C, say) stopped the save before the rename.
    Interrupted(Interrupted),
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
                write!(f, "cannot read {}: {source}", escaped(path))
            }
            SaveError::InputNotAFile { path } if path.as_os_str() == "-" => f.write_str(
                "cannot read -: standard input is not supported, give a file (a file named - is ./-)",
            ),
            SaveError::InputNotAFile { path } => write!(
                f,
                "cannot read {}: not a regular file (pipes and devices are refused)",
                escaped(path)
            ),
            SaveError::OutOfMemory => f.write_str("out of memory"),
            SaveError::Refused { target, why } => {
                write!(f, "refusing to replace {}: {why}", escaped(target))
            }
            SaveError::CreateTemp { dir, source } => write!(
                f,
                "cannot create a temporary file in {}: {source}",
                escaped(dir)
            ),
            SaveError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", escaped(path))
            }
            SaveError::Interrupted(stop) => write!(
                f,
                "{stop}: the target is as it was, the temporary file removed"
            ),
            SaveError::Replace { target, source } => {
                write!(f, "cannot replace {}: {source}", escaped(target))
            }
            SaveError::SyncDirectory { dir, source } => write!(
                f,
                "replaced the target, but cannot sync {} to make that last: {source}",
                escaped(dir)
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
            SaveError::Refused { why, .. } => Some(why),
            SaveError::Interrupted(stop) => Some(stop),
            SaveError::InputNotAFile { .. } | SaveError::OutOfMemory => None,
        }
    }
}

impl From<std::collections::TryReserveError> for SaveError {
    fn from(_: std::collections::TryReserveError) -> Self {
        SaveError::OutOfMemory
    }
}

impl From<Interrupted> for SaveError {
    fn from(stop: Interrupted) -> Self {
        SaveError::Interrupted(stop)
    }
}

impl course::lab::OutOfMemory for SaveError {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, SaveError::OutOfMemory)
    }
}

/// Reads all of `path` into memory, upper-cased (ASCII letters only: `ß`
/// and `ü` stay as they are, and no byte changes its length). Refuses
/// anything but a regular file. Allocates only through `try_reserve`, so
/// a refused allocation is `OutOfMemory`, not an abort.
pub fn read_upper(path: &Path) -> Result<Vec<u8>, SaveError> {
    let not_a_file = || SaveError::InputNotAFile {
        path: path.to_path_buf(),
    };
    if path.as_os_str() == "-" {
        return Err(not_a_file());
    }
    let read_error = |source| SaveError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?; // closed by `Drop`
    let meta = file.metadata().map_err(read_error)?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    let mut contents = Vec::new();
    contents.try_reserve_exact(usize::try_from(meta.len()).map_err(|_| SaveError::OutOfMemory)?)?;
    read_to_end_fallibly(&mut file, &mut contents).map_err(|source| {
        if source.kind() == io::ErrorKind::OutOfMemory {
            SaveError::OutOfMemory
        } else {
            read_error(source)
        }
    })?;
    contents.make_ascii_uppercase();
    Ok(contents)
}

/// Appends all that `reader` gives to `contents`, growing it only with
/// `try_reserve`: a refused allocation is an error of kind `OutOfMemory`.
/// A read interrupted by a signal before it read anything is tried again.
///
/// Not `Read::read_to_end`: when a file is longer than its size says
/// (those of /proc are "0 bytes" long) or grows meanwhile, it appends the
/// bytes past the reserved capacity with an infallible allocation, which
/// aborts when refused (seen under the lab).
pub fn read_to_end_fallibly(reader: &mut impl Read, contents: &mut Vec<u8>) -> io::Result<()> {
    let mut chunk = [0u8; 8192];
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        contents
            .try_reserve(read)
            .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
        contents.extend_from_slice(&chunk[..read]); // reserved: no allocation
    }
}

/// `map_err(refused(target))`: the save may not replace `target`. A
/// refusal because memory ran out while the old file's attributes were
/// read (see `Existing::pass_on`) is `OutOfMemory`, like every refused
/// allocation of the save.
pub fn refused(target: &Path) -> impl FnOnce(Refusal) -> SaveError + '_ {
    |why| match why {
        Refusal::CannotKeep { source, .. } if source.kind() == io::ErrorKind::OutOfMemory => {
            SaveError::OutOfMemory
        }
        why => SaveError::Refused {
            target: target.to_path_buf(),
            why,
        },
    }
}

/// How many random names `create_temp` tries before it gives up: with
/// 62^10 names, a taken one is someone else's file, not bad luck.
const ATTEMPTS: u32 = 10;

/// Creates the temporary file beside `target` under a free random name,
/// with `create` (given the path and the mode to create it with).
pub fn create_temp(
    target: &Path,
    mode: u32,
    mut create: impl FnMut(&Path, u32) -> io::Result<File>,
) -> Result<(PathBuf, File), SaveError> {
    let mut attempt = 1;
    loop {
        let path = temp_path_for(target)?;
        match create(&path, mode) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < ATTEMPTS => {
                attempt += 1;
            }
            Err(source) => {
                let dir = directory_of(target).to_path_buf();
                return Err(SaveError::CreateTemp { dir, source });
            }
        }
    }
}

/// Creates a new file for writing with `mode` (minus the umask); fails if
/// the name is taken, and never follows a symbolic link planted there.
pub fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
}

/// Creates a new file at `path` as [`create_new`] does, but returns
/// `/dev/full` opened for writing in its place: every write fails with
/// ENOSPC, as on a full disk, and the file at `path` exists, so that its
/// removal can be seen. Pass it to [`save_upper_via`] to watch a save fail
/// after its temporary file exists (the tests and `ch08_save_trace` do).
pub fn create_on_full_disk(path: &Path, mode: u32) -> io::Result<File> {
    drop(create_new(path, mode)?);
    OpenOptions::new().write(true).open("/dev/full")
}

/// How much `write_contents` writes between two looks at the signals.
const CHUNK: usize = 1 << 20;

/// Writes all of `contents` to `file`, a mebibyte at a time, and stops
/// with [`SaveError::Interrupted`] as soon as a signal asks to.
pub fn write_contents(
    file: &mut impl Write,
    contents: &[u8],
    path: &Path,
) -> Result<(), SaveError> {
    for chunk in contents.chunks(CHUNK) {
        signals::check()?;
        file.write_all(chunk).map_err(|source| SaveError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
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

// ANCHOR: save_with_guard
/// Saves an upper-cased copy of `input` as `target`, atomically, with an
/// explicit errdefer for the temporary file.
pub fn save_upper(input: &Path, target: &Path, unwritable: Unwritable) -> Result<(), SaveError> {
    save_upper_via(input, target, unwritable, create_new)
}

/// `save_upper`, with the temporary file created by `create`: tests pass
/// one that opens a full disk.
pub fn save_upper_via(
    input: &Path,
    target: &Path,
    unwritable: Unwritable,
    create: impl FnMut(&Path, u32) -> io::Result<File>,
) -> Result<(), SaveError> {
    // ---- acquire the input's contents (the file is closed again) ----
    let contents = read_upper(input)?;
    // ---- look at what the save replaces; refuse what it must not ----
    let existing = Existing::inspect(target, unwritable).map_err(refused(target))?;
    signals::check()?; // Ctrl-C so far: nothing to clean up

    // ---- acquire a temporary file beside the target, no wider than it ----
    let (temp_path, mut temp) = create_temp(target, existing.creation_mode(), create)?;
    trace::note("create  temporary file");
    // errdefer: from here on, any failure removes the temporary file.
    let temp_path = guard(temp_path, |path| {
        trace::note("errdefer fires: remove the temporary file");
        if fs::remove_file(&path).is_ok() {
            trace::note("remove  temporary file");
        } // else best effort: we are failing anyway
    });
    trace::note("errdefer armed");

    // ---- write it, give it what the old file had, put it on the disk ----
    write_contents(&mut temp, &contents, &temp_path)?; // checks for signals
    existing.pass_on(target, &temp).map_err(refused(target))?; // owner, mode, ACLs
    temp.sync_all().map_err(|source| SaveError::Write {
        path: temp_path.to_path_buf(),
        source,
    })?;
    trace::note("temporary file written and synced");
    drop(temp); // closes the descriptor
    signals::check()?; // the last moment a signal can stop the save

    // ---- replace the target: one rename, within one file system ----
    fs::rename(&*temp_path, target).map_err(|source| SaveError::Replace {
        target: target.to_path_buf(),
        source,
    })?;
    trace::note(format_args!(
        "rename  temporary file -> {}",
        escaped(target)
    ));
    // Success: the temporary file is the target now; defuse the errdefer.
    let path = ScopeGuard::into_inner(temp_path);
    trace::note("errdefer defused");
    drop(path); // the temporary file's old name, no longer needed
    sync_directory(directory_of(target))
}
// ANCHOR_END: save_with_guard

/// `tempfile`'s builder for the temporary names [`temp_path_for`] makes,
/// given their `prefix` ([`temp_name::dotted_prefix`]); the file is created
/// with `mode` (minus the umask).
pub fn temp_builder(prefix: &std::ffi::OsStr, mode: u32) -> tempfile::Builder<'_, 'static> {
    use std::os::unix::fs::PermissionsExt;
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(prefix)
        .rand_bytes(temp_name::RANDOM_CHARS)
        .suffix(temp_name::SUFFIX)
        .permissions(fs::Permissions::from_mode(mode));
    builder
}

// ANCHOR: save_with_tempfile
/// The same with `tempfile`: `NamedTempFile` removes its file when dropped,
/// unless `persist` has renamed it over the target.
pub fn save_upper_tempfile(
    input: &Path,
    target: &Path,
    unwritable: Unwritable,
) -> Result<(), SaveError> {
    save_upper_tempfile_via(input, target, unwritable, |dir, mode| {
        let prefix = temp_name::dotted_prefix(target);
        temp_builder(&prefix, mode).tempfile_in(dir)
    })
}

/// `save_upper_tempfile`, with the temporary file created by `create`
/// in the target's directory, with the mode it is given.
pub fn save_upper_tempfile_via(
    input: &Path,
    target: &Path,
    unwritable: Unwritable,
    create: impl FnOnce(&Path, u32) -> io::Result<NamedTempFile>,
) -> Result<(), SaveError> {
    let contents = read_upper(input)?;
    let existing = Existing::inspect(target, unwritable).map_err(refused(target))?;
    signals::check()?;

    let dir = directory_of(target);
    let mode = existing.creation_mode();
    let mut temp = create(dir, mode).map_err(|source| SaveError::CreateTemp {
        dir: dir.to_path_buf(),
        source,
    })?;
    // Every `?` below drops `temp`, which removes the file.
    let path = temp.path().to_path_buf();
    write_contents(&mut temp, &contents, &path)?;
    existing
        .pass_on(target, temp.as_file())
        .map_err(refused(target))?;
    temp.as_file()
        .sync_all()
        .map_err(|source| SaveError::Write { path, source })?;
    signals::check()?;
    temp.persist(target).map_err(|error| SaveError::Replace {
        target: target.to_path_buf(),
        source: error.error, // `error.file` is dropped here: removed too
    })?;
    sync_directory(dir)
}
// ANCHOR_END: save_with_tempfile
