//! Staged acquisition of two raw buffers, with an explicit errdefer for
//! each (chapter 3): what `Drop` does for `Vec`, written out by hand.

use course::TwoBufError;
use course::lab::trace;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

// ANCHOR: alloc_two_raw
/// `alloc_two` for raw buffers: on success the caller must `free` both.
pub fn alloc_two_raw(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    // ---- acquire A, then arm its errdefer ----
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| {
        trace::note("errdefer for A fires: free A");
        a.free();
    });
    trace::note("errdefer for A armed");

    if n > LIMIT {
        // Returning drops the guard, and the guard frees A.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    // ---- acquire B, then arm its errdefer ----
    let b = RawBuffer::alloc(n)?; // on failure, A's guard frees A
    let mut b = guard(b, |b| {
        trace::note("errdefer for B fires: free B");
        b.free();
    });
    trace::note("errdefer for B armed");

    // The guards deref to the buffers they hold.
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);

    // ---- success: defuse both guards and hand the buffers over ----
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    trace::note("both errdefers defused");
    Ok((a, b))
}
// ANCHOR_END: alloc_two_raw
