//! Staged acquisition from an arena (chapter 6): no cleanup code at all,
//! because nothing is freed one buffer at a time.

use bumpalo::Bump;

// ANCHOR: alloc_two_in_arena
use course::TwoBufError;
use course::staged::LIMIT;

/// `alloc_two` with both buffers in `arena`. They live as long as the
/// arena's memory does: until it is reset or dropped.
pub fn alloc_two_in_arena(arena: &Bump, n: usize) -> Result<(&mut [i32], &mut [i32]), TwoBufError> {
    // ---- acquire A (fallibly: a full arena is an error, not an abort) ----
    let a = arena.try_alloc_slice_fill_with(n, |i| i as i32)?;

    if n > LIMIT {
        // No errdefer: A stays in the arena until the arena is reset.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    // ---- acquire B ----
    let b = arena.try_alloc_slice_fill_with(n, |i| 2 * i as i32)?;
    Ok((a, b))
}
// ANCHOR_END: alloc_two_in_arena

// ANCHOR: bytes_in_use
/// Bytes handed out by `arena` since it was created or last reset,
/// alignment padding included, for an arena that has a single chunk
/// (create it with enough capacity, as the course's programs do).
pub fn bytes_in_use(arena: &Bump) -> usize {
    arena.allocated_bytes() - arena.chunk_capacity()
}
// ANCHOR_END: bytes_in_use
