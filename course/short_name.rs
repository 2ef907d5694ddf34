//! Chapter 8: names the kernel limits to 255 bytes (a file's name within
//! its directory, an extended attribute's name), kept on the stack with the
//! NUL byte a system call needs, so that passing one allocates nothing.

use std::ffi::{CStr, OsStr};
use std::fmt;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::cli::escaped;

/// The longest file or attribute name, in bytes, on Linux.
pub const NAME_MAX: usize = 255;

/// A name of at most [`NAME_MAX`] bytes, without NUL bytes.
#[derive(Clone, Copy)]
pub struct ShortName {
    bytes: [u8; NAME_MAX + 1],
    len: usize,
}

impl ShortName {
    /// `bytes` as a name: ENAMETOOLONG if longer than [`NAME_MAX`], EINVAL
    /// if empty or holding a NUL byte (no file can have such a name).
    pub fn new(bytes: &[u8]) -> io::Result<ShortName> {
        if bytes.len() > NAME_MAX {
            return Err(rustix::io::Errno::NAMETOOLONG.into());
        }
        if bytes.is_empty() || bytes.contains(&0) {
            return Err(rustix::io::Errno::INVAL.into());
        }
        let mut name = ShortName {
            bytes: [0; NAME_MAX + 1],
            len: bytes.len(),
        };
        name.bytes[..bytes.len()].copy_from_slice(bytes);
        Ok(name)
    }

    /// The bytes, without the NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The name as a system call takes it.
    pub fn as_c_str(&self) -> &CStr {
        CStr::from_bytes_with_nul(&self.bytes[..=self.len])
            .expect("new() refused NUL bytes, and the one after the name is there")
    }
}

impl fmt::Debug for ShortName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(OsStr::from_bytes(self.as_bytes()), f)
    }
}

impl fmt::Display for ShortName {
    /// Escaped, as paths are in the programs' messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&escaped(Path::new(OsStr::from_bytes(self.as_bytes()))), f)
    }
}

impl PartialEq for ShortName {
    fn eq(&self, other: &ShortName) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ShortName {}
