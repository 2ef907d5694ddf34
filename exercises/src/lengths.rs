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

/// Sizes that meet most thresholds an answer might have: every size up
/// to 16, then each power of two up to `max` with its neighbours, and a
/// size drawn between it and the next (the same on every run).
pub fn spread(max: usize) -> Vec<usize> {
    let mut sizes: Vec<usize> = (0..=16).collect();
    // A fixed sequence of pseudo-random numbers (an LCG): no seed to keep.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut power = 32;
    while power <= max {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let between = power + 2 + (state >> 33) as usize % (power - 3);
        sizes.extend([power - 1, power, power + 1, between]);
        power *= 2;
    }
    sizes.retain(|&size| size <= max);
    sizes
}
