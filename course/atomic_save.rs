//! Chapter 8: staged acquisition of OS resources and memory. Read a file,
//! upper-case it, and replace a target file with the result atomically:
//! readers of the target see the old contents or the new ones, never half
//! a file, and a failure (or Ctrl-C) before the rename leaves the target as
//! it was and nothing else behind.
//!
//! Every step after the target's directory is opened is made relative to
//! that one descriptor, and every system call goes through the seam of
//! [`course::system_calls`], so that a test can fail each in turn.
//!
//! Beside it: what the new file keeps of the old one, or why the save
//! refuses ([`course::replaced`]), the temporary names
//! ([`course::temp_name`]), and signals turned into errors
//! ([`course::stop_signals`]).

use std::collections::TryReserveError;
use std::ffi::CStr;
use std::fmt;
use std::io::{self, Write};
use std::os::fd::{AsFd, BorrowedFd, IntoRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, RenameFlags};
use rustix::io::Errno;
use scopeguard::{ScopeGuard, guard};

use course::cli::{Stop, escaped};
use course::lab::trace;
use course::replaced::{Existing, Refusal, Unwritable};
use course::short_name::ShortName;
use course::stop_signals::{self as signals, Interrupted};
use course::system_calls::{Call, Calls, Direct};
use course::temp_name::{self, directory_of, temp_name};

// ANCHOR: error
/// Everything that can go wrong while saving, with the path it concerns.
/// The paths are the caller's own (borrowed): making an error allocates
/// nothing.
#[derive(Debug)]
pub enum SaveError<'a> {
    /// The input could not be opened or read.
    Read { path: &'a Path, source: io::Error },
    /// The input is not a regular file (a pipe, a device such as
    /// `/dev/zero`, or `-`): the save reads all of it into memory, and
    /// such an input may never end.
    InputNotAFile { path: &'a Path },
    /// No memory for the input's contents.
    OutOfMemory,
    /// The target may not be replaced: a special file, a file the caller
    /// cannot write, one whose owner or ACLs the new file cannot keep, or
    /// one that changed during the save.
    Refused { target: &'a Path, why: Refusal },
    /// The target's directory could not be opened, or no temporary file
    /// could be created in it.
    CreateTemp { dir: &'a Path, source: io::Error },
    /// Writing or syncing the new contents failed (a full disk, say).
    Write { target: &'a Path, source: io::Error },
    /// A signal (Ctrl-C, say) stopped the save before the rename.
    Interrupted(Interrupted),
    /// The new file could not be put in the target's place.
    Replace { target: &'a Path, source: io::Error },
    /// The target was replaced, but the old file could not be removed: it
    /// is left under the temporary name.
    OldLeft {
        target: &'a Path,
        name: ShortName,
        source: io::Error,
    },
    /// The target was replaced, but closing the new file failed (a network
    /// file system may report a lost write only there).
    Close { target: &'a Path, source: io::Error },
    /// The target was replaced, but the directory could not be synced, so
    /// the replacement may not survive a crash.
    SyncDirectory { dir: &'a Path, source: io::Error },
}
// ANCHOR_END: error

impl fmt::Display for SaveError<'_> {
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
            SaveError::Write { target, source } => write!(
                f,
                "cannot write the new contents of {}: {source}",
                escaped(target)
            ),
            SaveError::Interrupted(stop) => write!(
                f,
                "{stop}: the target is as it was, the temporary file removed"
            ),
            SaveError::Replace { target, source } => {
                write!(f, "cannot replace {}: {source}", escaped(target))
            }
            SaveError::OldLeft {
                target,
                name,
                source,
            } => write!(
                f,
                "replaced {}, but cannot remove the old file, left as {name}: {source}",
                escaped(target)
            ),
            SaveError::Close { target, source } => write!(
                f,
                "replaced {}, but closing it failed, so the new contents may not last: {source}",
                escaped(target)
            ),
            SaveError::SyncDirectory { dir, source } => write!(
                f,
                "replaced the target, but cannot sync {} to make that last: {source}",
                escaped(dir)
            ),
        }
    }
}

impl std::error::Error for SaveError<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SaveError::Read { source, .. }
            | SaveError::CreateTemp { source, .. }
            | SaveError::Write { source, .. }
            | SaveError::Replace { source, .. }
            | SaveError::OldLeft { source, .. }
            | SaveError::Close { source, .. }
            | SaveError::SyncDirectory { source, .. } => Some(source),
            SaveError::Refused { why, .. } => Some(why),
            SaveError::Interrupted(stop) => Some(stop),
            SaveError::InputNotAFile { .. } | SaveError::OutOfMemory => None,
        }
    }
}

impl From<TryReserveError> for SaveError<'_> {
    fn from(_: TryReserveError) -> Self {
        SaveError::OutOfMemory
    }
}

impl From<Interrupted> for SaveError<'_> {
    fn from(stop: Interrupted) -> Self {
        SaveError::Interrupted(stop)
    }
}

// ANCHOR: stop
/// How the tool ends after each error (see `course::cli` for the exit
/// statuses): a signal ends it as the signal would have, after the
/// cleanup; an error after the target was replaced (the old file left, a
/// failed close or directory sync) is status 3; every other error is
/// status 1: nothing was saved.
impl From<SaveError<'_>> for Stop {
    fn from(error: SaveError<'_>) -> Stop {
        match error {
            SaveError::Interrupted(stop) => Stop::Signal {
                signal: stop.signal,
                message: error.to_string(),
            },
            SaveError::OldLeft { .. }
            | SaveError::Close { .. }
            | SaveError::SyncDirectory { .. } => Stop::Incomplete(error.to_string()),
            error => Stop::failed(error),
        }
    }
}
// ANCHOR_END: stop

impl course::lab::OutOfMemory for SaveError<'_> {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, SaveError::OutOfMemory)
    }
}

/// Runs `with` on `path` as a system call takes it, ended by a NUL byte:
/// copied on the stack if it is short, else into a buffer allocated with
/// `try_reserve` (where `rustix` would allocate infallibly). A path holding
/// a NUL byte (no file has one) is EINVAL.
pub fn with_c_path<T>(
    path: &Path,
    with: impl FnOnce(&CStr) -> io::Result<T>,
) -> Result<io::Result<T>, TryReserveError> {
    const ON_THE_STACK: usize = 256;
    let bytes = path.as_os_str().as_bytes();
    let mut stack = [0u8; ON_THE_STACK];
    let mut heap = Vec::new();
    let buffer = if bytes.len() < ON_THE_STACK {
        &mut stack[..=bytes.len()]
    } else {
        heap.try_reserve_exact(bytes.len() + 1)?;
        heap.resize(bytes.len() + 1, 0); // within the capacity: no allocation
        &mut heap[..]
    };
    buffer[..bytes.len()].copy_from_slice(bytes);
    Ok(match CStr::from_bytes_with_nul(buffer) {
        Ok(c_path) => with(c_path),
        Err(_) => Err(Errno::INVAL.into()),
    })
}

/// How the save opens what it reads: never waiting (a FIFO would block an
/// open until someone writes to it, deaf to Ctrl-C), never becoming a
/// terminal; the file type is checked before anything is read.
const NOT_WAITING: OFlags = OFlags::NONBLOCK
    .union(OFlags::NOCTTY)
    .union(OFlags::CLOEXEC);

/// Reads all of `path` into memory, upper-cased (ASCII letters only: `ß`
/// and `ü` stay as they are, and no byte changes its length). Refuses
/// anything but a regular file, before reading it. Allocates only through
/// `try_reserve`, so a refused allocation is `OutOfMemory`, not an abort.
pub fn read_upper<'a>(calls: &impl Calls, path: &'a Path) -> Result<Vec<u8>, SaveError<'a>> {
    let not_a_file = || SaveError::InputNotAFile { path };
    if path.as_os_str() == "-" {
        return Err(not_a_file());
    }
    let read_error = |source| SaveError::Read { path, source };
    let file = with_c_path(path, |c_path| {
        calls.make(Call::Open, || {
            rustix::fs::openat(CWD, c_path, OFlags::RDONLY | NOT_WAITING, Mode::empty())
        })
    })?
    .map_err(read_error)?; // closed by `Drop`
    let stat = calls
        .make(Call::Fstat, || rustix::fs::fstat(&file))
        .map_err(read_error)?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return Err(not_a_file());
    }
    let mut contents = Vec::new();
    contents
        .try_reserve_exact(usize::try_from(stat.st_size).map_err(|_| SaveError::OutOfMemory)?)?;
    // Each piece upper-cased as it is read: one pass over a large file
    // would be a long moment with no look at the signals.
    read_to_end_fallibly(path, &mut contents, |buf| {
        let read = calls.make(Call::Read, || rustix::io::read(&file, &mut *buf))?;
        buf[..read].make_ascii_uppercase();
        Ok(read)
    })?;
    Ok(contents)
}

/// Appends all that `read` gives to `contents` until it gives 0 bytes,
/// growing it only with `try_reserve`, and stops when a signal asks to.
/// A read interrupted by a signal (EINTR) is tried again, after that look.
///
/// Not `Read::read_to_end`: when a file is longer than its size says
/// (those of /proc are "0 bytes" long) or grows meanwhile, it appends the
/// bytes past the reserved capacity with an infallible allocation, which
/// aborts when refused (seen under the lab).
pub fn read_to_end_fallibly<'a>(
    path: &'a Path,
    contents: &mut Vec<u8>,
    mut read: impl FnMut(&mut [u8]) -> io::Result<usize>,
) -> Result<(), SaveError<'a>> {
    let mut chunk = [0u8; 8192];
    loop {
        signals::check()?;
        let read = match read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(source) => return Err(SaveError::Read { path, source }),
        };
        contents.try_reserve(read)?;
        contents.extend_from_slice(&chunk[..read]); // reserved: no allocation
    }
}

/// The target's directory, opened once, and the target's name in it:
/// every later step is made relative to this descriptor, so a directory
/// renamed or swapped for a symbolic link meanwhile (by someone who can
/// write its parent) cannot send a step elsewhere.
#[derive(Debug)]
pub struct Place<'a> {
    /// The target, as the caller named it (for messages).
    pub target: &'a Path,
    /// Its directory, as the caller named it (for messages).
    pub dir_path: &'a Path,
    /// Its directory, opened (`O_PATH`: no permission to read it needed).
    pub dir: OwnedFd,
    /// Its name in the directory.
    pub name: ShortName,
}

impl<'a> Place<'a> {
    /// Opens `target`'s directory. A target that names no file in it
    /// (`dir/..`, `name/`) is refused as not a regular file.
    pub fn open(calls: &impl Calls, target: &'a Path) -> Result<Place<'a>, SaveError<'a>> {
        let refused = |why| SaveError::Refused { target, why };
        let name = match target.file_name() {
            Some(name) if !target.as_os_str().as_bytes().ends_with(b"/") => name,
            _ => return Err(refused(Refusal::NotAFile)),
        };
        let name = ShortName::new(name.as_bytes()).map_err(|e| refused(Refusal::CannotLook(e)))?;
        let dir_path = directory_of(target);
        let dir = with_c_path(dir_path, |c_path| {
            calls.make(Call::Open, || {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::openat(CWD, c_path, flags, Mode::empty())
            })
        })?
        .map_err(|source| SaveError::CreateTemp {
            dir: dir_path,
            source,
        })?;
        Ok(Place {
            target,
            dir_path,
            dir,
            name,
        })
    }
}

/// `map_err(refused(target))`: the save may not replace `target`. A
/// refusal because memory ran out while the old file's attributes were
/// read is `OutOfMemory`, like every refused allocation of the save.
pub fn refused<'a>(target: &'a Path) -> impl FnOnce(Refusal) -> SaveError<'a> {
    move |why| match why {
        Refusal::CannotKeep { source, .. } if source.kind() == io::ErrorKind::OutOfMemory => {
            SaveError::OutOfMemory
        }
        why => SaveError::Refused { target, why },
    }
}

/// The temporary file: its descriptor, and its name in the target's
/// directory once it has one (an unnamed file has none until it is
/// complete).
#[derive(Debug)]
pub struct Temp {
    pub file: OwnedFd,
    pub name: Option<ShortName>,
}

/// How many random names the save tries before it gives up: with 62^10
/// names, a taken one is someone else's file, not bad luck.
const ATTEMPTS: u32 = 10;

/// Creates the temporary file in the target's directory with `mode` (minus
/// the umask): unnamed (`O_TMPFILE`), so that nothing is left behind if
/// the process dies before it is complete; where the file system cannot
/// (EOPNOTSUPP), a named one, `.NAME.RANDOM.tmp`, under a free random name.
pub fn create_temp<'a>(
    calls: &impl Calls,
    place: &Place<'a>,
    mode: u32,
) -> Result<Temp, SaveError<'a>> {
    let create_error = |source| SaveError::CreateTemp {
        dir: place.dir_path,
        source,
    };
    let mode = Mode::from_raw_mode(mode);
    if calls.unnamed_temporary_files() {
        let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
        match calls.make(Call::Open, || {
            rustix::fs::openat(&place.dir, c".", flags, mode)
        }) {
            Ok(file) => return Ok(Temp { file, name: None }),
            Err(e) if !unnamed_files_unsupported(&e) => return Err(create_error(e)),
            Err(_) => {} // a named one, then
        }
    }
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut attempt = 1;
    loop {
        let name = temp_name(&place.name, calls.random_chars());
        let created = calls.make(Call::Open, || {
            rustix::fs::openat(&place.dir, name.as_c_str(), flags, mode)
        });
        match created {
            Ok(file) => {
                let name = Some(name);
                return Ok(Temp { file, name });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < ATTEMPTS => {
                attempt += 1;
            }
            Err(e) => return Err(create_error(e)),
        }
    }
}

/// EOPNOTSUPP, or EISDIR from a kernel older than `O_TMPFILE` (3.11),
/// which takes the flag for `O_DIRECTORY`.
fn unnamed_files_unsupported(error: &io::Error) -> bool {
    let unsupported = [Errno::OPNOTSUPP, Errno::ISDIR].map(Errno::raw_os_error);
    error
        .raw_os_error()
        .is_some_and(|code| unsupported.contains(&code))
}

/// How much `write_contents` writes between two looks at the signals.
const CHUNK: usize = 1 << 20;

/// How many chunks `write_contents` writes between two syncs of the data
/// written: the final `fsync` then has at most 64 MiB left to write, so
/// that it, which no signal interrupts, stays short.
const CHUNKS_PER_SYNC: usize = 64;

/// Writes all of `contents` to `file`, a mebibyte at a time, syncing the
/// data every 64 MiB, and stops with [`SaveError::Interrupted`] as soon as
/// a signal asks to.
pub fn write_contents<'a>(
    calls: &impl Calls,
    file: BorrowedFd<'_>,
    contents: &[u8],
    target: &'a Path,
) -> Result<(), SaveError<'a>> {
    let write_error = |source| SaveError::Write { target, source };
    for (number, chunk) in contents.chunks(CHUNK).enumerate() {
        if number > 0 && number % CHUNKS_PER_SYNC == 0 {
            calls
                .make(Call::Fsync, || rustix::fs::fdatasync(file))
                .map_err(write_error)?;
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            signals::check()?;
            match calls.make(Call::Write, || rustix::io::write(file, rest)) {
                Ok(0) => return Err(write_error(io::ErrorKind::WriteZero.into())),
                Ok(written) => rest = &rest[written..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(write_error(e)),
            }
        }
    }
    Ok(())
}

/// Gives the complete temporary file a name in the target's directory:
/// the target's own when there was none (a file that appeared meanwhile
/// makes this fail: refused), else a random temporary one, which the
/// rename then puts in the target's place. A named temporary file has
/// its name already.
pub fn name_temp<'a>(
    calls: &impl Calls,
    place: &Place<'a>,
    file: BorrowedFd<'_>,
    name: &mut Option<ShortName>,
    existing: &Existing,
) -> Result<(), SaveError<'a>> {
    if name.is_some() {
        return Ok(());
    }
    let mut attempt = 1;
    loop {
        let new_name = match existing {
            Existing::Nothing => place.name,
            Existing::File(_) => temp_name(&place.name, calls.random_chars()),
        };
        let linked = link_unnamed(calls, file, place, &new_name);
        let taken = matches!(&linked, Err(e) if e.kind() == io::ErrorKind::AlreadyExists);
        match (linked, existing) {
            (Ok(()), Existing::Nothing) => {
                trace::note(format_args!(
                    "link    temporary file as {}",
                    escaped(place.target)
                ));
            }
            (Ok(()), Existing::File(_)) => {
                trace::note("link    temporary file under a temporary name")
            }
            (Err(_), Existing::Nothing) if taken => {
                return Err(refused(place.target)(Refusal::Changed));
            }
            (Err(_), Existing::File(_)) if taken && attempt < ATTEMPTS => {
                attempt += 1;
                continue;
            }
            (Err(source), _) => {
                let target = place.target;
                return Err(SaveError::Replace { target, source });
            }
        }
        *name = Some(new_name);
        return Ok(());
    }
}

/// Gives the unnamed `file` the name `name` in the place's directory:
/// through the descriptor itself (`AT_EMPTY_PATH`, which Linux allows to
/// root, and since 6.10 to a file's opener), else through `/proc`. Each
/// attempt is a call of the seam.
pub fn link_unnamed(
    calls: &impl Calls,
    file: BorrowedFd<'_>,
    place: &Place<'_>,
    name: &ShortName,
) -> io::Result<()> {
    let to = name.as_c_str();
    let linked = calls.make(Call::Linkat, || {
        rustix::fs::linkat(file, c"", &place.dir, to, AtFlags::EMPTY_PATH)
    });
    let refused = [Errno::NOENT, Errno::PERM, Errno::INVAL].map(Errno::raw_os_error);
    match linked {
        Err(e) if e.raw_os_error().is_some_and(|code| refused.contains(&code)) => {
            let mut proc_path = ProcPath::default();
            let from = proc_path.of(file);
            calls.make(Call::Linkat, || {
                rustix::fs::linkat(CWD, from, &place.dir, to, AtFlags::SYMLINK_FOLLOW)
            })
        }
        linked => linked,
    }
}

/// `/proc/self/fd/N`, the name through which `linkat` can give an unnamed
/// file a name without `AT_EMPTY_PATH`, on the stack.
#[derive(Default)]
struct ProcPath {
    bytes: [u8; 32],
}

impl ProcPath {
    fn of(&mut self, file: BorrowedFd<'_>) -> &CStr {
        use std::os::fd::AsRawFd;
        let mut cursor = io::Cursor::new(&mut self.bytes[..]);
        write!(cursor, "/proc/self/fd/{}\0", file.as_raw_fd())
            .expect("a descriptor's number fits in 32 bytes");
        let len = usize::try_from(cursor.position()).expect("at most 32");
        CStr::from_bytes_with_nul(&self.bytes[..len]).expect("one NUL, at the end")
    }
}

/// Closes `file`, reporting the error that `Drop` would ignore (a network
/// file system may report a failed write only here).
pub fn close(calls: &impl Calls, file: OwnedFd) -> io::Result<()> {
    calls.make(Call::Close, || {
        let raw = file.into_raw_fd();
        // SAFETY: `raw` was just taken out of its `OwnedFd`, which no longer
        // closes it; it is closed here, once, and never used again.
        unsafe { rustix::io::try_close(raw) }
    })
}

/// Removes the temporary file's name, once the save failed, if the file
/// there is still `file` (another user may have renamed a file of theirs
/// over it): best effort, as the save is failing anyway.
fn remove(calls: &impl Calls, place: &Place<'_>, file: BorrowedFd<'_>, name: &ShortName) {
    trace::note("errdefer fires: remove the temporary file");
    let ours = calls.make(Call::Fstat, || rustix::fs::fstat(file));
    let there = identity_at(calls, place, name);
    if !matches!((ours, there), (Ok(ours), Ok(there)) if identity(&ours) == there) {
        return; // not the save's file: not the save's to remove
    }
    let removed = calls.make(Call::Unlinkat, || {
        rustix::fs::unlinkat(&place.dir, name.as_c_str(), AtFlags::empty())
    });
    if removed.is_ok() {
        trace::note("remove  temporary file");
    }
}

/// Which file `stat` describes: its device and inode numbers.
fn identity(stat: &rustix::fs::Stat) -> (u64, u64) {
    (stat.st_dev, stat.st_ino)
}

/// Which file is at `name` in the place's directory, if any.
fn identity_at(calls: &impl Calls, place: &Place<'_>, name: &ShortName) -> io::Result<(u64, u64)> {
    calls
        .make(Call::Statat, || {
            rustix::fs::statat(&place.dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)
        })
        .map(|stat| identity(&stat))
}

/// Puts the complete `file`, named `from` in the target's directory, in
/// the target's place, and makes sure of what it did: that the target is
/// now this very file, and that the file it displaced is the one the save
/// inspected. Someone who can write the directory can rename any name in
/// it at any moment, `from` too: a file of theirs renamed over the target
/// would be theirs, not the save's. So over an existing target the save
/// *exchanges* the two names (`renameat2` with `RENAME_EXCHANGE`), looks at
/// both, and exchanges them back if either is not what it should be: then
/// it refuses, and the target is what it was. The old file, now under
/// `from`, is removed last. Where there was no target, `from` was linked
/// under the target's name from the start, or is renamed there only if the
/// name is still free (`RENAME_NOREPLACE`); the save then checks that the
/// target is its file.
pub fn put_in_place<'a>(
    calls: &impl Calls,
    place: &Place<'a>,
    file: BorrowedFd<'_>,
    from: &ShortName,
    existing: &Existing,
) -> Result<(), SaveError<'a>> {
    let target = place.target;
    let replace_error = |source| SaveError::Replace { target, source };
    let ours = calls
        .make(Call::Fstat, || rustix::fs::fstat(file))
        .map(|stat| identity(&stat))
        .map_err(replace_error)?;
    let rename = |from: &ShortName, to: &ShortName, flags| {
        calls.make(Call::Renameat, || {
            let (from, to) = (from.as_c_str(), to.as_c_str());
            rustix::fs::renameat_with(&place.dir, from, &place.dir, to, flags)
        })
    };
    // A file system without these flags (EINVAL) gets a plain rename, and
    // only the check after it.
    let unsupported = |e: &io::Error| e.raw_os_error() == Some(Errno::INVAL.raw_os_error());
    let is_ours = || match identity_at(calls, place, &place.name) {
        Ok(now) if now == ours => Ok(()),
        Ok(_) => Err(refused(target)(Refusal::Changed)),
        Err(source) => Err(replace_error(source)),
    };
    let exchanged = match existing {
        Existing::Nothing if *from == place.name => return is_ours(),
        Existing::Nothing => rename(from, &place.name, RenameFlags::NOREPLACE),
        Existing::File(_) => rename(from, &place.name, RenameFlags::EXCHANGE),
    };
    match exchanged {
        Err(e) if unsupported(&e) => {
            rename(from, &place.name, RenameFlags::empty()).map_err(replace_error)?;
            trace::note(format_args!(
                "rename  temporary file -> {}",
                escaped(target)
            ));
            return is_ours();
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(refused(target)(Refusal::Changed));
        }
        Err(e) => return Err(replace_error(e)),
        Ok(()) if matches!(existing, Existing::Nothing) => {
            trace::note(format_args!(
                "rename  temporary file -> {}",
                escaped(target)
            ));
            // Not the save's file, or not known to be: renamed back, so
            // that the target is again what it was (nothing).
            return is_ours().inspect_err(|_| {
                let _ = rename(&place.name, from, RenameFlags::NOREPLACE);
            });
        }
        Ok(()) => {}
    }
    match identity_at(calls, place, &place.name) {
        // The save's file is the target: done. The file it displaced is
        // removed if it is the one inspected; one that another user put
        // there (at the target just before, or over the temporary name
        // since) is theirs: left as it is.
        Ok(now) if now == ours => {
            trace::note(format_args!(
                "rename  temporary file -> {}",
                escaped(target)
            ));
            let left = |source| SaveError::OldLeft {
                target,
                name: *from,
                source,
            };
            let displaced = identity_at(calls, place, from).map_err(left)?;
            if !existing.is_identity(displaced) {
                return Ok(());
            }
            calls
                .make(Call::Unlinkat, || {
                    rustix::fs::unlinkat(&place.dir, from.as_c_str(), AtFlags::empty())
                })
                .map_err(left)
        }
        // Not the save's file (another user renamed theirs over the
        // temporary name, or over the target since): put back what was
        // there, and refuse.
        now => {
            rename(from, &place.name, RenameFlags::EXCHANGE).map_err(replace_error)?;
            now.map_err(replace_error)?;
            Err(refused(target)(Refusal::Changed))
        }
    }
}

/// Makes the new directory entry survive a crash: the entry is data too,
/// and it reaches the disk only when the directory is synced.
pub fn sync_directory<'a>(calls: &impl Calls, place: &Place<'a>) -> Result<(), SaveError<'a>> {
    let sync_error = |source| SaveError::SyncDirectory {
        dir: place.dir_path,
        source,
    };
    // `.` in a directory is that directory: no O_DIRECTORY needed.
    let flags = OFlags::RDONLY | NOT_WAITING;
    let dir = calls
        .make(Call::Open, || {
            rustix::fs::openat(&place.dir, c".", flags, Mode::empty())
        })
        .map_err(sync_error)?;
    calls
        .make(Call::Fsync, || rustix::fs::fsync(&dir))
        .map_err(sync_error)?;
    close(calls, dir).map_err(sync_error)
}

// ANCHOR: save_with_guard
/// Saves an upper-cased copy of `input` as `target`, atomically, with an
/// explicit errdefer for the temporary file's name.
pub fn save_upper<'a>(
    input: &'a Path,
    target: &'a Path,
    unwritable: Unwritable,
) -> Result<(), SaveError<'a>> {
    save_upper_with(&Direct, input, target, unwritable)
}

/// `save_upper`, with its system calls made through `calls`: tests pass
/// one that fails a chosen call.
pub fn save_upper_with<'a>(
    calls: &impl Calls,
    input: &'a Path,
    target: &'a Path,
    unwritable: Unwritable,
) -> Result<(), SaveError<'a>> {
    // ---- acquire the input's contents (the file is closed again) ----
    let contents = read_upper(calls, input)?;
    // ---- open the target's directory once; every step below is in it ----
    let place = Place::open(calls, target)?;
    // ---- look at what the save replaces; refuse what it must not ----
    let existing = Existing::inspect(calls, place.dir.as_fd(), &place.name, unwritable)
        .map_err(refused(target))?;
    signals::check()?; // Ctrl-C so far: nothing to clean up

    // ---- acquire a temporary file, no wider than the target ----
    let Temp { file, name } = create_temp(calls, &place, existing.creation_mode())?;
    trace::note("create  temporary file");
    // errdefer: from here on, any failure removes the temporary file's
    // name, if it has one. An unnamed file needs none: closing its
    // descriptor (the `Drop` of `file`) frees it.
    let mut name = guard(name, |name| match name {
        Some(name) => remove(calls, &place, file.as_fd(), &name),
        None => {
            trace::note("errdefer fires: no name to remove");
            // `file` is closed right after, as the function returns.
            trace::note("close   temporary file (with no name, the kernel frees it)");
        }
    });
    trace::note("errdefer armed");

    // ---- write it, give it what the old file had, put it on the disk ----
    let write_error = |source| SaveError::Write { target, source };
    write_contents(calls, file.as_fd(), &contents, target)?; // checks for signals
    existing
        .pass_on(calls, file.as_fd())
        .map_err(refused(target))?; // owner, mode, ACLs
    calls
        .make(Call::Fsync, || rustix::fs::fsync(&file))
        .map_err(write_error)?;
    trace::note("temporary file written and synced");
    signals::check()?; // the last moment a signal can stop the save

    // ---- a last look, then a name, and the target's place ----
    existing
        .is_still_at(calls, place.dir.as_fd(), &place.name)
        .map_err(refused(target))?;
    name_temp(calls, &place, file.as_fd(), &mut name, &existing)?;
    let from = name.expect("name_temp gave it a name");
    put_in_place(calls, &place, file.as_fd(), &from, &existing)?;
    // Success: the temporary file is the target now; defuse the errdefer.
    ScopeGuard::into_inner(name);
    trace::note("errdefer defused");
    close(calls, file).map_err(|source| SaveError::Close { target, source })?;
    sync_directory(calls, &place)
}
// ANCHOR_END: save_with_guard

/// `tempfile`'s builder for the temporary names [`temp_name`] makes, given
/// their `prefix` ([`temp_name::dotted_prefix`]); the file is created with
/// `mode` (minus the umask).
pub fn temp_builder(prefix: &std::ffi::OsStr, mode: u32) -> tempfile::Builder<'_, 'static> {
    use std::os::unix::fs::PermissionsExt;
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(prefix)
        .rand_bytes(temp_name::RANDOM_CHARS)
        .suffix(temp_name::SUFFIX)
        .permissions(std::fs::Permissions::from_mode(mode));
    builder
}

// ANCHOR: save_with_tempfile
/// The same with `tempfile`: `NamedTempFile` removes its file when dropped,
/// unless `persist` has renamed it over the target.
pub fn save_upper_tempfile<'a>(
    input: &'a Path,
    target: &'a Path,
    unwritable: Unwritable,
) -> Result<(), SaveError<'a>> {
    save_upper_tempfile_with(&Direct, input, target, unwritable)
}

/// `save_upper_tempfile`, with the calls it makes itself through `calls`
/// (those of `tempfile`, which creates, renames and removes the file by
/// its path, do not go through the seam).
pub fn save_upper_tempfile_with<'a>(
    calls: &impl Calls,
    input: &'a Path,
    target: &'a Path,
    unwritable: Unwritable,
) -> Result<(), SaveError<'a>> {
    let contents = read_upper(calls, input)?;
    let place = Place::open(calls, target)?;
    let existing = Existing::inspect(calls, place.dir.as_fd(), &place.name, unwritable)
        .map_err(refused(target))?;
    signals::check()?;

    let (dir, mode) = (place.dir_path, existing.creation_mode());
    let prefix = temp_name::dotted_prefix(target);
    let temp = temp_builder(&prefix, mode)
        .tempfile_in(dir)
        .map_err(|source| SaveError::CreateTemp { dir, source })?;
    // Every `?` below drops `temp`, which removes the file.
    let file = temp.as_file().as_fd();
    write_contents(calls, file, &contents, target)?;
    existing.pass_on(calls, file).map_err(refused(target))?;
    calls
        .make(Call::Fsync, || rustix::fs::fsync(file))
        .map_err(|source| SaveError::Write { target, source })?;
    signals::check()?;
    temp.persist(target).map_err(|error| SaveError::Replace {
        target,
        source: error.error, // `error.file` is dropped here: removed too
    })?;
    sync_directory(calls, &place)
}
// ANCHOR_END: save_with_tempfile
