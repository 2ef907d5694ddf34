//! The lengths the checks of chapters 3 and 5 ask for, of functions that
//! acquire `RawBuffer`s and refuse more than `LIMIT` elements.

use std::alloc::Layout;

use course::staged::LIMIT;

/// One length for each path: none, one, a few, at the limit and around
/// it, far above it, and one that cannot be had.
pub const ON_EVERY_PATH: [usize; 9] = [
    0,
    1,
    5,
    LIMIT - 1,
    LIMIT,
    LIMIT + 1,
    LIMIT + 2,
    1000,
    usize::MAX,
];

/// Every length up to 40, and three whose bytes cannot be had.
pub fn up_to_40_and_three_impossible() -> Vec<usize> {
    let mut lengths: Vec<usize> = (0..=40).collect();
    lengths.extend([usize::MAX / 4, usize::MAX / 4 + 1, usize::MAX]);
    lengths
}

/// Whether `n` `i32`s are more bytes than any allocation may have: the
/// first `RawBuffer::alloc` is then `OutOfMemory`, before any limit is
/// looked at.
pub fn cannot_be_had(n: usize) -> bool {
    Layout::array::<i32>(n).is_err()
}
