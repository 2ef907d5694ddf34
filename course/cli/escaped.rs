//! Paths in one-line messages. A file name may hold a newline, an escape
//! sequence or bytes that are not UTF-8; printed raw, it would split the
//! error line or drive the reader's terminal. [`escaped`] prints such
//! characters as Rust escapes (`\n`, `\u{1b}`, `\xff`) and every other
//! character as it is.

use std::fmt;
use std::path::Path;

/// `path`, printable on one line: control characters and bytes that are
/// not UTF-8 are escaped, as are backslashes (so that an escape in the
/// output always means one). Allocates nothing.
pub fn escaped(path: &Path) -> Escaped<'_> {
    Escaped(path)
}

/// A path that displays escaped; see [`escaped`].
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(&'a Path);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.as_os_str().as_encoded_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                if c.is_control() || c == '\\' {
                    write!(f, "{}", c.escape_debug())?;
                } else {
                    write!(f, "{c}")?;
                }
            }
            for byte in chunk.invalid() {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        Ok(())
    }
}
