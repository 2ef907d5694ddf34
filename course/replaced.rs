//! Chapter 8: what a save replaces, and what the new file must keep of it.
//!
//! Renaming a new file over the target replaces the whole file, not only
//! its contents: the owner, the mode, the ACLs and the other extended
//! attributes are the new file's, and other hard links keep the old file.
//! An editor's save keeps what its user would not expect to change, so
//! this one does too, or refuses:
//!
//! | what the old file had | what the save does |
//! |---|---|
//! | contents | replaced: that is the point |
//! | inode number | a new one: programs that hold the old file open (`tail -f`) keep reading the old one |
//! | other hard links | refused, unless forced: the other names would keep the old contents |
//! | owner and group | kept; if this process may not give them, refused |
//! | mode | kept |
//! | ACLs, extended attributes | copied; if one cannot be, refused, naming it |
//! | write permission | a target its caller cannot write in place is refused, unless forced |
//!
//! Everything is read from one descriptor of the target, opened when the
//! save looks at it ([`Existing::inspect`]), and the save checks just
//! before its rename that the file there is still that one
//! ([`Existing::is_still_at`]): a file swapped in meanwhile is refused.
//!
//! A new target is created as `touch` would create it: mode 0666 minus
//! the umask, owned by whoever saves it.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use rustix::fs::{AtFlags, FileType, Gid, Mode, OFlags, Stat, Uid, XattrFlags};
use rustix::io::Errno;

use crate::short_name::ShortName;
use crate::system_calls::{Call, Calls};

/// What to do with an existing target that the save would not otherwise
/// replace: one its caller cannot write in place (`echo x > target` would
/// fail), or one with other hard links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritable {
    /// Refuse, leaving it as it is (the default of the tool).
    Refuse,
    /// Replace it anyway (`--force`): the directory's permissions decide.
    Replace,
}

/// What is at the target's name before the save.
#[derive(Debug)]
pub enum Existing {
    /// Nothing: the new file is created as `touch` would create it.
    Nothing,
    /// A regular file, whose owner, mode and attributes the new file gets.
    File(Inspected),
}

/// What the save keeps of the file it replaces, read from one descriptor.
#[derive(Debug)]
pub struct Inspected {
    /// Which file it is: its device and inode numbers.
    identity: (u64, u64),
    uid: u32,
    gid: u32,
    /// Permission bits, set-user-ID, set-group-ID and sticky.
    mode: u32,
    attributes: Attributes,
}

/// The ACL that grants access beyond the mode's bits, stored as an
/// extended attribute on Linux.
const ACCESS_ACL: &[u8] = b"system.posix_acl_access";

/// Why a save refuses to replace its target (which it leaves as it is).
#[derive(Debug)]
pub enum Refusal {
    /// A directory, a device, a pipe, a socket or a symbolic link: renaming
    /// over it would replace that special file, not write into it.
    NotAFile,
    /// The target could not be looked at (no permission to search its
    /// directory, say).
    CannotLook(io::Error),
    /// A file its caller could not write in place.
    Unwritable(io::Error),
    /// A file its caller can neither read nor write, even with `--force`:
    /// its attributes cannot be read, so they could not be kept.
    Unreadable(io::Error),
    /// A file with other names (hard links), which would keep the old
    /// contents.
    HardLinked { links: u64 },
    /// The new file cannot keep something of the old one: saving would
    /// hand the file to someone else, or lose or widen access rules.
    CannotKeep { what: Kept, source: io::Error },
    /// Another file took the target's name during the save (or a file
    /// appeared where there was none): the save does not replace what it
    /// did not look at.
    Changed,
}

impl fmt::Display for Refusal {
    /// Why, after "refusing to replace TARGET: ".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotAFile => f.write_str("not a regular file"),
            Refusal::CannotLook(source) => write!(f, "cannot look at it: {source}"),
            Refusal::Unwritable(source) => write!(
                f,
                "it cannot be written in place ({source}); --force replaces it anyway"
            ),
            Refusal::Unreadable(source) => write!(
                f,
                "it can be neither read nor written ({source}), so its attributes could not be kept"
            ),
            Refusal::HardLinked { links } => write!(
                f,
                "it has {links} names (hard links), and the others would keep the old \
                 contents; --force replaces this one anyway"
            ),
            Refusal::CannotKeep { what, source } => {
                f.write_str("the new file cannot ")?;
                match what {
                    Kept::Owner { uid, gid } => {
                        write!(f, "keep its owner (user {uid}, group {gid})")?
                    }
                    Kept::Mode(mode) => write!(f, "keep its mode {mode:04o}")?,
                    Kept::Attributes => {
                        f.write_str("keep its extended attributes, which could not be listed")?
                    }
                    Kept::Attribute(name) => {
                        write!(f, "keep its extended attribute {name}, which would be lost")?
                    }
                    Kept::NoAcl => f.write_str(
                        "drop the ACL it inherited from the directory, which would widen access",
                    )?,
                }
                write!(f, ": {source}")
            }
            Refusal::Changed => f.write_str(
                "another file took its name during the save; nothing was saved, try again",
            ),
        }
    }
}

impl std::error::Error for Refusal {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Refusal::CannotLook(source)
            | Refusal::Unwritable(source)
            | Refusal::Unreadable(source)
            | Refusal::CannotKeep { source, .. } => Some(source),
            Refusal::NotAFile | Refusal::HardLinked { .. } | Refusal::Changed => None,
        }
    }
}

/// What a new file may not keep of the old one.
#[derive(Debug)]
pub enum Kept {
    /// Its owner and group (numeric ids).
    Owner { uid: u32, gid: u32 },
    /// Its mode, such as 0640.
    Mode(u32),
    /// Its extended attributes: their list could not be read.
    Attributes,
    /// One of its extended attributes, such as an ACL.
    Attribute(ShortName),
    /// Having no ACL: the new file inherited one from the directory's
    /// default ACL, which would give access the old file did not.
    NoAcl,
}

/// How the target is opened to be looked at: never following a symbolic
/// link, never waiting (a FIFO swapped in would block an open for
/// writing until someone reads it), never becoming a terminal.
fn looking(access: OFlags) -> OFlags {
    access | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC
}

impl Existing {
    /// Looks at `name` in the directory `dir`, refusing what a rename must
    /// not replace: a special file (a rename over `/dev/full` or a symbolic
    /// link would replace the device or the link itself), and, unless
    /// `unwritable` says otherwise, a file its caller cannot write or one
    /// with other names. Reads owner, mode and extended attributes from one
    /// descriptor of the file, allocating only with `try_reserve`.
    pub fn inspect(
        calls: &impl Calls,
        dir: BorrowedFd<'_>,
        name: &ShortName,
        unwritable: Unwritable,
    ) -> Result<Existing, Refusal> {
        let name = name.as_c_str();
        let seen = match calls.make(Call::Statat, || {
            rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        }) {
            Ok(seen) => seen,
            Err(e) if e.raw_os_error() == Some(Errno::NOENT.raw_os_error()) => {
                return Ok(Existing::Nothing);
            }
            Err(e) => return Err(Refusal::CannotLook(e)),
        };
        // A special file is refused before it is opened: opening a device
        // can do something (rewind a tape).
        if FileType::from_raw_mode(seen.st_mode) != FileType::RegularFile {
            return Err(Refusal::NotAFile);
        }
        let open = |access| {
            calls.make(Call::Open, || {
                rustix::fs::openat(dir, name, looking(access), Mode::empty())
            })
        };
        let file = match unwritable {
            // Opening for writing (without truncating) asks the kernel the
            // very question `echo x > target` would: mode, ACLs, a
            // read-only file system, an immutable file.
            Unwritable::Refuse => {
                open(OFlags::WRONLY).map_err(|e| changed_or(e, Refusal::Unwritable))?
            }
            // One that may be written but not read still has attributes
            // to keep.
            Unwritable::Replace => open(OFlags::RDONLY)
                .or_else(|e| match is_one_of(&e, &[Errno::ACCESS]) {
                    true => open(OFlags::WRONLY),
                    false => Err(e),
                })
                .map_err(|e| changed_or(e, Refusal::Unreadable))?,
        };
        let stat = calls
            .make(Call::Fstat, || rustix::fs::fstat(&file))
            .map_err(Refusal::CannotLook)?;
        if identity(&stat) != identity(&seen)
            || FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile
        {
            return Err(Refusal::Changed);
        }
        if unwritable == Unwritable::Refuse && stat.st_nlink > 1 {
            return Err(Refusal::HardLinked {
                links: stat.st_nlink,
            });
        }
        let attributes = Attributes::read(calls, file.as_fd())?;
        Ok(Existing::File(Inspected {
            identity: identity(&stat),
            uid: stat.st_uid,
            gid: stat.st_gid,
            mode: stat.st_mode & 0o7777,
            attributes,
        }))
    }

    /// The mode to create the temporary file with (the umask still applies):
    /// 0600 while it stands in for an existing file, whose own mode it gets
    /// before the rename ([`Existing::pass_on`]), so that it is never more
    /// accessible than the target; 0666 for a new file, as `touch` does.
    pub fn creation_mode(&self) -> u32 {
        match self {
            Existing::File(_) => 0o600,
            Existing::Nothing => 0o666,
        }
    }

    /// Gives `temp`, the written temporary file, the old file's owner and
    /// group, mode and extended attributes, in that order: a change of
    /// owner clears set-user-ID bits, and a write clears them and file
    /// capabilities, so the contents come first and the mode after the
    /// owner. Nothing to do for a new target.
    pub fn pass_on(&self, calls: &impl Calls, temp: BorrowedFd<'_>) -> Result<(), Refusal> {
        let Existing::File(old) = self else {
            return Ok(());
        };
        let refuse = |what, source| Refusal::CannotKeep { what, source };
        let (uid, gid) = (old.uid, old.gid);
        let new = calls
            .make(Call::Fstat, || rustix::fs::fstat(temp))
            .map_err(|source| refuse(Kept::Owner { uid, gid }, source))?;
        if (new.st_uid, new.st_gid) != (uid, gid) {
            let (owner, group) = (Uid::from_raw(uid), Gid::from_raw(gid));
            calls
                .make(Call::Fchown, || {
                    rustix::fs::fchown(temp, Some(owner), Some(group))
                })
                .map_err(|source| refuse(Kept::Owner { uid, gid }, source))?;
        }
        let mode = old.mode;
        calls
            .make(Call::Fchmod, || {
                rustix::fs::fchmod(temp, Mode::from_raw_mode(mode))
            })
            .map_err(|source| refuse(Kept::Mode(mode), source))?;
        // The kernel clears the set-group-ID bit, without an error, when the
        // caller is not in the file's group: look at what the mode became.
        let given = calls
            .make(Call::Fstat, || rustix::fs::fstat(temp))
            .map_err(|source| refuse(Kept::Mode(mode), source))?;
        if given.st_mode & 0o7777 != mode {
            return Err(refuse(Kept::Mode(mode), Errno::PERM.into()));
        }
        old.attributes.write_to(calls, temp)
    }

    /// Whether `identity` (device and inode numbers) is the file inspected.
    pub fn is_identity(&self, identity: (u64, u64)) -> bool {
        matches!(self, Existing::File(old) if old.identity == identity)
    }

    /// Checks that `name` in `dir` is still the file inspected (or still
    /// nothing): called just before the rename, so that a file another
    /// user put there meanwhile is refused instead of replaced.
    pub fn is_still_at(
        &self,
        calls: &impl Calls,
        dir: BorrowedFd<'_>,
        name: &ShortName,
    ) -> Result<(), Refusal> {
        let now = calls.make(Call::Statat, || {
            rustix::fs::statat(dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)
        });
        match (self, now) {
            (Existing::File(old), Ok(now)) if identity(&now) == old.identity => Ok(()),
            (Existing::Nothing, Err(e))
                if e.raw_os_error() == Some(Errno::NOENT.raw_os_error()) =>
            {
                Ok(())
            }
            (_, Err(e)) if e.raw_os_error() != Some(Errno::NOENT.raw_os_error()) => {
                Err(Refusal::CannotLook(e))
            }
            _ => Err(Refusal::Changed),
        }
    }
}

/// A file's device and inode numbers: which file it is.
fn identity(stat: &Stat) -> (u64, u64) {
    (stat.st_dev, stat.st_ino)
}

/// An open that failed because the regular file seen a moment ago went
/// away, or became a symbolic link (ELOOP) or a FIFO without a reader
/// (ENXIO), is a change; anything else is `refusal`.
fn changed_or(error: io::Error, refusal: fn(io::Error) -> Refusal) -> Refusal {
    let gone = [Errno::NOENT, Errno::LOOP, Errno::NXIO].map(Errno::raw_os_error);
    match error.raw_os_error() {
        Some(code) if gone.contains(&code) => Refusal::Changed,
        _ => refusal(error),
    }
}

/// A file's extended attributes (ACLs among them): their names, one after
/// another, each ended by a NUL byte, and the value of each.
#[derive(Debug, Default)]
struct Attributes {
    names: Vec<u8>,
    values: Vec<Vec<u8>>,
}

impl Attributes {
    /// Reads every attribute of `file`. Allocates only through
    /// `try_reserve`: a refused allocation is a refusal whose source is of
    /// kind `OutOfMemory` (which the save reports as out of memory).
    fn read(calls: &impl Calls, file: BorrowedFd<'_>) -> Result<Attributes, Refusal> {
        let cannot = |what, source| Refusal::CannotKeep { what, source };
        let names = read_value(
            || calls.make(Call::Flistxattr, || rustix::fs::flistxattr_query(file)),
            |buf| calls.make(Call::Flistxattr, || rustix::fs::flistxattr(file, buf)),
        )
        .map_err(|e| cannot(Kept::Attributes, e))?;
        let mut values = Vec::new();
        for name in names.split_inclusive(|&b| b == 0) {
            let name = attribute_name(name).map_err(|e| cannot(Kept::Attributes, e))?;
            let value = read_value(
                || {
                    calls.make(Call::Fgetxattr, || {
                        rustix::fs::fgetxattr_query(file, name.as_c_str())
                    })
                },
                |buf| {
                    calls.make(Call::Fgetxattr, || {
                        rustix::fs::fgetxattr(file, name.as_c_str(), buf)
                    })
                },
            )
            .map_err(|e| cannot(Kept::Attribute(name), e))?;
            values
                .try_reserve(1)
                .map_err(|_| cannot(Kept::Attribute(name), io::ErrorKind::OutOfMemory.into()))?;
            values.push(value);
        }
        Ok(Attributes { names, values })
    }

    /// Sets every attribute on `temp`, and removes an ACL that `temp`
    /// inherited from its directory if the old file had none.
    fn write_to(&self, calls: &impl Calls, temp: BorrowedFd<'_>) -> Result<(), Refusal> {
        let mut has_acl = false;
        for (name, value) in self.names.split_inclusive(|&b| b == 0).zip(&self.values) {
            let name = attribute_name(name).map_err(|source| Refusal::CannotKeep {
                what: Kept::Attributes,
                source,
            })?;
            has_acl |= name.as_bytes() == ACCESS_ACL;
            calls
                .make(Call::Fsetxattr, || {
                    rustix::fs::fsetxattr(temp, name.as_c_str(), value, XattrFlags::empty())
                })
                .or_else(|e| already_there(calls, temp, &name, value, e))
                .map_err(|source| Refusal::CannotKeep {
                    what: Kept::Attribute(name),
                    source,
                })?;
        }
        if !has_acl {
            let acl = ShortName::new(ACCESS_ACL).expect("a short name without NUL");
            let no_acl = |source| Refusal::CannotKeep {
                what: Kept::NoAcl,
                source,
            };
            let inherited = calls.make(Call::Fgetxattr, || {
                rustix::fs::fgetxattr_query(temp, acl.as_c_str())
            });
            match inherited {
                Ok(_) => calls
                    .make(Call::Fremovexattr, || {
                        rustix::fs::fremovexattr(temp, acl.as_c_str())
                    })
                    .map_err(no_acl)?,
                // None, or none possible: nothing to remove.
                Err(e) if is_one_of(&e, &[Errno::NODATA, Errno::NOTSUP]) => {}
                // Not knowing is not having none.
                Err(e) => return Err(no_acl(e)),
            }
        }
        Ok(())
    }
}

/// A failed `fsetxattr` is no failure if `temp` has that very value already
/// (a security label the system gave both files, which this process may
/// not set): then nothing is lost.
fn already_there(
    calls: &impl Calls,
    temp: BorrowedFd<'_>,
    name: &ShortName,
    value: &[u8],
    error: io::Error,
) -> io::Result<()> {
    let there = read_value(
        || {
            calls.make(Call::Fgetxattr, || {
                rustix::fs::fgetxattr_query(temp, name.as_c_str())
            })
        },
        |buf| {
            calls.make(Call::Fgetxattr, || {
                rustix::fs::fgetxattr(temp, name.as_c_str(), buf)
            })
        },
    );
    match there {
        Ok(there) if there == value => Ok(()),
        _ => Err(error),
    }
}

/// Whether `error` is one of `errors`.
fn is_one_of(error: &io::Error, errors: &[Errno]) -> bool {
    errors
        .iter()
        .any(|e| error.raw_os_error() == Some(e.raw_os_error()))
}

/// One name of a list of attributes, with its NUL byte.
fn attribute_name(with_nul: &[u8]) -> io::Result<ShortName> {
    let bytes = with_nul
        .strip_suffix(b"\0")
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a malformed list of names"))?;
    ShortName::new(bytes)
}

/// Reads an attribute's value (or the list of names) with `read`, into a
/// buffer of the size `query` announces, allocated with `try_reserve`.
/// A file system without extended attributes has none: an empty list.
fn read_value(
    query: impl Fn() -> io::Result<usize>,
    mut read: impl FnMut(&mut [u8]) -> io::Result<usize>,
) -> io::Result<Vec<u8>> {
    let unsupported = Some(Errno::NOTSUP.raw_os_error());
    let mut value = Vec::new();
    // The value may grow between asking its size and reading it (ERANGE):
    // ask again, a few times.
    for _ in 0..4 {
        let size = match query() {
            Ok(0) => return Ok(value), // nothing to read, nothing to allocate
            Ok(size) => size,
            Err(e) if e.raw_os_error() == unsupported => return Ok(value),
            Err(e) => return Err(e),
        };
        value.clear();
        value
            .try_reserve_exact(size)
            .map_err(|_| io::ErrorKind::OutOfMemory)?;
        value.resize(size, 0); // within the capacity: no allocation
        match read(&mut value) {
            Ok(len) => {
                value.truncate(len);
                return Ok(value);
            }
            Err(e) if e.raw_os_error() == Some(Errno::RANGE.raw_os_error()) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Errno::RANGE.into())
}
