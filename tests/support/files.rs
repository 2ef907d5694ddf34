//! Files that chapter 8's tests make the way another user would: POSIX
//! ACLs written as the bytes Linux stores, and FIFOs.
#![allow(dead_code)] // each of the two test programs uses a different part

use std::path::Path;

/// The user nobody, the other user of chapter 8's attacks.
pub const NOBODY: u32 = 65534;

/// The tags of a POSIX ACL's entries, and the id of entries that have none.
pub const ACL_USER_OBJ: u16 = 0x01;
pub const ACL_USER: u16 = 0x02;
pub const ACL_GROUP_OBJ: u16 = 0x04;
pub const ACL_MASK: u16 = 0x10;
pub const ACL_OTHER: u16 = 0x20;
pub const NO_ID: u32 = u32::MAX;

/// A POSIX ACL as Linux stores it in `system.posix_acl_*`: version 2, then
/// (tag, permissions, id) entries, sorted by tag.
pub fn acl(entries: &[(u16, u16, u32)]) -> Vec<u8> {
    let mut bytes = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in entries {
        bytes.extend(tag.to_le_bytes());
        bytes.extend(perm.to_le_bytes());
        bytes.extend(id.to_le_bytes());
    }
    bytes
}

/// An ACL that lets the user nobody read and write, for a file of mode 0660.
pub fn nobody_may_write() -> Vec<u8> {
    acl(&[
        (ACL_USER_OBJ, 6, NO_ID),
        (ACL_USER, 6, NOBODY),
        (ACL_GROUP_OBJ, 6, NO_ID),
        (ACL_MASK, 6, NO_ID),
        (ACL_OTHER, 0, NO_ID),
    ])
}

/// An ACL for a file of mode 0640 that the user nobody may read too: the
/// mask (r) is the group bits.
pub fn nobody_may_read() -> Vec<u8> {
    acl(&[
        (ACL_USER_OBJ, 6, NO_ID),
        (ACL_USER, 4, NOBODY),
        (ACL_GROUP_OBJ, 4, NO_ID),
        (ACL_MASK, 4, NO_ID),
        (ACL_OTHER, 0, NO_ID),
    ])
}

/// Makes a FIFO at `path` with permissions `mode`.
pub fn make_fifo(path: &Path, mode: u32) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(mode),
        0,
    )
    .unwrap_or_else(|error| panic!("cannot make the FIFO {}: {error}", path.display()));
}
