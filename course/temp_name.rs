//! Chapter 8: the temporary file's name, `.NAME.RANDOM.tmp`, beside the
//! target.
//!
//! - Hidden (the leading dot) and ending in `.tmp`, so that a reader who
//!   finds one left by a killed save knows what it is and whose it was.
//! - Random: no one can plant files at every name a save might try, as
//!   they could when names were counted from 0.
//! - Short enough: NAME is cut so that the whole name fits in 255 bytes,
//!   the longest file name that Linux and macOS file systems accept, so
//!   any target name that can exist can be saved.

use std::collections::TryReserveError;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::short_name::ShortName;

/// How many random characters a name has: 62^10, about 8 * 10^17 names.
pub const RANDOM_CHARS: usize = 10;

/// What ends every temporary name.
pub const SUFFIX: &str = ".tmp";

pub use crate::short_name::NAME_MAX;

/// The directory the target lives in: the temporary file goes there, so
/// that renaming it over the target stays within one file system.
pub fn directory_of(target: &Path) -> &Path {
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `.NAME.`, where NAME is the target's file name, cut (at a byte) so that
/// the prefix, the random characters and the suffix fit in [`NAME_MAX`].
pub fn temp_prefix(target: &Path) -> &[u8] {
    // Only the bytes; the caller adds the dots. A target without a file
    // name (`dir/..`) is refused later by the rename; "output" stands in.
    let name = target.file_name().unwrap_or(OsStr::new("output"));
    let room = NAME_MAX - 2 - RANDOM_CHARS - SUFFIX.len();
    let bytes = name.as_bytes();
    &bytes[..bytes.len().min(room)]
}

/// `.NAME.RANDOM.tmp` for the target named `target_name`, with `random`
/// (from [`random_chars`]) for RANDOM, on the stack.
pub fn temp_name(target_name: &ShortName, random: [u8; RANDOM_CHARS]) -> ShortName {
    let name = temp_prefix(Path::new(OsStr::from_bytes(target_name.as_bytes())));
    let mut bytes = [0u8; NAME_MAX];
    let mut len = 0;
    for part in [b".", name, b".", &random, SUFFIX.as_bytes()] {
        bytes[len..len + part.len()].copy_from_slice(part);
        len += part.len();
    }
    ShortName::new(&bytes[..len]).expect("temp_prefix leaves room, and a name has no NUL")
}

/// `DIR/.NAME.RANDOM.tmp`, built with fallible allocations only (chapter
/// 8's guard version survives a refused allocation).
pub fn temp_path_for(target: &Path) -> Result<PathBuf, TryReserveError> {
    let name = temp_prefix(target);
    let random = random_chars();
    let mut file_name = OsString::new();
    file_name.try_reserve_exact(name.len() + RANDOM_CHARS + SUFFIX.len() + 2)?;
    file_name.push(".");
    file_name.push(OsStr::from_bytes(name));
    file_name.push(".");
    file_name.push(OsStr::from_bytes(&random));
    file_name.push(SUFFIX);
    let dir = directory_of(target);
    let mut path = PathBuf::new();
    path.try_reserve_exact(dir.as_os_str().len() + file_name.len() + 1)?;
    path.push(dir);
    path.push(&file_name);
    Ok(path)
}

/// `.NAME.`, for `tempfile`'s builder (which allocates as it likes).
pub fn dotted_prefix(target: &Path) -> OsString {
    let name = OsStr::from_bytes(temp_prefix(target));
    let mut prefix = OsString::with_capacity(name.len() + 2);
    prefix.push(".");
    prefix.push(name);
    prefix.push(".");
    prefix
}

/// Ten letters and digits that no one can predict. `RandomState` keys
/// SipHash with a secret the operating system's random source gave this
/// thread, and changes the key for each new one: hashing nothing with it
/// gives 64 unpredictable bits, without allocating (as `fastrand` would
/// when it first asks for the current thread) and without a system call.
pub fn random_chars() -> [u8; RANDOM_CHARS] {
    use std::hash::{BuildHasher, Hasher};
    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bits = std::hash::RandomState::new().build_hasher().finish();
    let mut chars = [0u8; RANDOM_CHARS];
    for char in &mut chars {
        *char = ALPHABET[(bits % 62) as usize]; // 62^10 < 2^64: every char random
        bits /= 62;
    }
    chars
}

/// Whether `name` is a temporary name of a save of `target`: how a reader
/// (or a test) finds what a killed save left behind.
pub fn is_temp_name_of(target: &Path, name: &OsStr) -> bool {
    let name = name.as_bytes();
    let prefix = temp_prefix(target);
    let Some(rest) = name
        .strip_prefix(b".")
        .and_then(|rest| rest.strip_prefix(prefix))
        .and_then(|rest| rest.strip_prefix(b"."))
        .and_then(|rest| rest.strip_suffix(SUFFIX.as_bytes()))
    else {
        return false;
    };
    rest.len() == RANDOM_CHARS && rest.iter().all(u8::is_ascii_alphanumeric)
}
