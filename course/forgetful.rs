//! Chapter 5's bug: `alloc_two_raw` with its errdefers forgotten. The
//! course keeps it to show how a leak is seen and caught; don't copy it.

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

// ANCHOR: alloc_two_forgetful
/// `alloc_two_raw` without its guards. It compiles without a warning and
/// works when it succeeds, but it leaks A whenever it fails after
/// allocating A.
pub fn alloc_two_forgetful(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let mut a = RawBuffer::alloc(n)?;
    // (no errdefer for A)

    if n > LIMIT {
        // A is a plain struct with no `Drop`: returning forgets it.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    let mut b = RawBuffer::alloc(n)?; // if this fails, A leaks too

    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    Ok((a, b))
}
// ANCHOR_END: alloc_two_forgetful
