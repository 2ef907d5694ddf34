//! The lengths the checks of chapters 3 and 5 ask for, of functions that
//! acquire `RawBuffer`s and refuse more than `LIMIT` elements.

use std::alloc::Layout;

use course::staged::LIMIT;

/// One length for each path: none, one, a few, at the limit and around
/// it, far above it, and one that cannot be had.
pub const ON_EVERY_PATH: [usize; 11] = [
    0,
    1,
    5,
    LIMIT - 1,
    LIMIT,
    LIMIT + 1,
    LIMIT + 2,
    1000,
    100_000,
    1_000_000,
    usize::MAX,
];

/// The lengths whose every allocation is failed in turn: each up to past
/// the limit, a cleanup may differ with the length.
pub fn failing_each_allocation() -> impl Iterator<Item = usize> {
    0..=LIMIT + 2
}

/// Lengths above the limit, near and far, each refused.
pub const REFUSED: [usize; 5] = [LIMIT + 1, LIMIT + 2, 100, 1000, 100_000];

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
