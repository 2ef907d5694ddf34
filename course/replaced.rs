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
//! A new target is created as `touch` would create it: mode 0666 minus
//! the umask, owned by whoever saves it.

use std::ffi::{CStr, OsStr, OsString};
use std::fmt;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::cli::escaped;

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

/// What is at the target's path before the save.
#[derive(Debug)]
pub enum Existing {
    /// Nothing: the new file is created as `touch` would create it.
    Nothing,
    /// A directory: left to `rename`, which refuses to replace it.
    Directory,
    /// A regular file, whose owner, mode and attributes the new file gets.
    File(Metadata),
}

/// The ACL that grants access beyond the mode's bits, stored as an
/// extended attribute on Linux.
const ACCESS_ACL: &str = "system.posix_acl_access";

/// Why a save refuses to replace its target (which it leaves as it is).
#[derive(Debug)]
pub enum Refusal {
    /// A device, a pipe, a socket or a symbolic link: renaming over it
    /// would replace that special file, not write into it.
    NotAFile,
    /// A file its caller could not write in place.
    Unwritable(io::Error),
    /// A file with other names (hard links), which would keep the old
    /// contents.
    HardLinked { links: u64 },
    /// The new file cannot keep something of the old one: saving would
    /// hand the file to someone else, or lose or widen access rules.
    CannotKeep { what: Kept, source: io::Error },
}

impl fmt::Display for Refusal {
    /// Why, after "refusing to replace TARGET: ".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotAFile => f.write_str("not a regular file"),
            Refusal::Unwritable(source) => write!(
                f,
                "it cannot be written in place ({source}); --force replaces it anyway"
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
                    Kept::Attribute(name) => write!(
                        f,
                        "keep its extended attribute {}, which would be lost",
                        escaped(Path::new(name))
                    )?,
                    Kept::NoAcl => f.write_str(
                        "drop the ACL it inherited from the directory, which would widen access",
                    )?,
                }
                write!(f, ": {source}")
            }
        }
    }
}

impl std::error::Error for Refusal {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Refusal::Unwritable(source) | Refusal::CannotKeep { source, .. } => Some(source),
            Refusal::NotAFile | Refusal::HardLinked { .. } => None,
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
    /// One of its extended attributes, such as an ACL.
    Attribute(OsString),
    /// Having no ACL: the new file inherited one from the directory's
    /// default ACL, which would give access the old file did not.
    NoAcl,
}

impl Existing {
    /// Looks at `target`, refusing what a rename must not replace: a special
    /// file (a rename over `/dev/full` or a symbolic link would replace the
    /// device or the link itself), and, unless `unwritable` says
    /// otherwise, a file its caller cannot write or one with other names.
    /// (Checked before the rename, so a target swapped in between is not
    /// seen: this guards against mistakes, not against an attacker who
    /// can write to the directory.)
    pub fn inspect(target: &Path, unwritable: Unwritable) -> Result<Existing, Refusal> {
        let meta = match fs::symlink_metadata(target) {
            Ok(meta) => meta,
            // Missing: it will be created. Any other error (no permission
            // to look, a path through a file) is reported by the steps
            // that follow.
            Err(_) => return Ok(Existing::Nothing),
        };
        if meta.is_dir() {
            return Ok(Existing::Directory);
        }
        if !meta.is_file() {
            return Err(Refusal::NotAFile);
        }
        if unwritable == Unwritable::Refuse {
            // Opening for writing (without truncating) asks the kernel the
            // very question `echo x > target` would: mode, ACLs, a
            // read-only file system, an immutable file.
            if let Err(source) = OpenOptions::new().write(true).open(target) {
                return Err(Refusal::Unwritable(source));
            }
            if meta.nlink() > 1 {
                return Err(Refusal::HardLinked {
                    links: meta.nlink(),
                });
            }
        }
        Ok(Existing::File(meta))
    }

    /// The mode to create the temporary file with (the umask still applies):
    /// 0600 while it stands in for an existing file, whose own mode it gets
    /// before the rename ([`Existing::pass_on`]), so that it is never more
    /// accessible than the target; 0666 for a new file, as `touch` does.
    pub fn creation_mode(&self) -> u32 {
        match self {
            Existing::File(_) => 0o600,
            Existing::Nothing | Existing::Directory => 0o666,
        }
    }

    /// Gives `temp`, the written temporary file that replaces `target`, the
    /// old file's owner and group, mode and extended attributes, in that
    /// order: a change of owner clears set-user-ID bits, and a write clears
    /// them and file capabilities, so the contents come first and the mode
    /// after the owner. Nothing to do for a new target.
    pub fn pass_on(&self, target: &Path, temp: &File) -> Result<(), Refusal> {
        let Existing::File(old) = self else {
            return Ok(());
        };
        let refuse = |what, source| Refusal::CannotKeep { what, source };
        let (uid, gid) = (old.uid(), old.gid());
        let new = temp
            .metadata()
            .map_err(|source| refuse(Kept::Owner { uid, gid }, source))?;
        if (new.uid(), new.gid()) != (uid, gid) {
            std::os::unix::fs::fchown(temp, Some(uid), Some(gid))
                .map_err(|source| refuse(Kept::Owner { uid, gid }, source))?;
        }
        let mode = old.mode() & 0o7777;
        temp.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|source| refuse(Kept::Mode(mode), source))?;
        copy_attributes(target, temp).map_err(|(what, source)| refuse(what, source))
    }
}

/// Copies every extended attribute of `target` to `temp`, and removes an
/// ACL that `temp` inherited but `target` does not have. Allocates only
/// through `try_reserve` (see [`read_attribute`]).
fn copy_attributes(target: &Path, temp: &File) -> Result<(), (Kept, io::Error)> {
    let everything = || Kept::Attribute(OsString::from("(the list of them)"));
    let names = read_attribute(
        || rustix::fs::llistxattr_query(target),
        |buf| rustix::fs::llistxattr(target, buf),
    )
    .map_err(|e| (everything(), e))?;
    let mut has_acl = false;
    // The list is the names one after another, each ended by a NUL byte.
    for name in names.split_inclusive(|&b| b == 0) {
        let name = CStr::from_bytes_with_nul(name).map_err(|_| (everything(), invalid()))?;
        let kept = || Kept::Attribute(OsStr::from_bytes(name.to_bytes()).to_os_string());
        let value = match read_attribute(
            || rustix::fs::lgetxattr_query(target, name),
            |buf| rustix::fs::lgetxattr(target, name, buf),
        ) {
            Ok(value) => value,
            // Removed between the listing and now: it is not there.
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NODATA.raw_os_error()) => {
                continue;
            }
            Err(e) => return Err((kept(), e)),
        };
        has_acl |= name.to_bytes() == ACCESS_ACL.as_bytes();
        let already = read_attribute(
            || rustix::fs::fgetxattr_query(temp, name),
            |buf| rustix::fs::fgetxattr(temp, name, buf),
        );
        if already.is_ok_and(|there| there == value) {
            continue; // a security label the system gave both, say
        }
        rustix::fs::fsetxattr(temp, name, &value, rustix::fs::XattrFlags::empty())
            .map_err(|e| (kept(), e.into()))?;
    }
    if !has_acl && rustix::fs::fgetxattr_query(temp, ACCESS_ACL).is_ok() {
        rustix::fs::fremovexattr(temp, ACCESS_ACL).map_err(|e| (Kept::NoAcl, e.into()))?;
    }
    Ok(())
}

/// Reads an attribute's value (or the list of names) with `read`, into a
/// buffer of the size `query` announces, allocated with `try_reserve`.
/// A file system without extended attributes has none: an empty list.
fn read_attribute(
    query: impl Fn() -> rustix::io::Result<usize>,
    mut read: impl FnMut(&mut [u8]) -> rustix::io::Result<usize>,
) -> io::Result<Vec<u8>> {
    let mut value = Vec::new();
    // The value may grow between asking its size and reading it (ERANGE):
    // ask again, a few times.
    for _ in 0..4 {
        let size = match query() {
            Ok(0) => return Ok(value), // nothing to read, nothing to allocate
            Ok(size) => size,
            Err(rustix::io::Errno::NOTSUP) => return Ok(value),
            Err(e) => return Err(e.into()),
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
            Err(rustix::io::Errno::RANGE) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(rustix::io::Errno::RANGE.into())
}

fn invalid() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a malformed list of names")
}
