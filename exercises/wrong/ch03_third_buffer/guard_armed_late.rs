// A wrong answer to ch03_third_buffer: B's errdefer is armed only after C
// is acquired, so when C's allocation fails, nothing frees B.
// ANCHOR: expect
// expect: alloc_three_raw(1), with each allocation failed in turn: 1 of 3 failure points went wrong:
// expect: when the allocation of C (#3) failed: leaked 4 bytes
// ANCHOR_END: expect

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());

    if n > LIMIT {
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }

    let b = RawBuffer::alloc(n)?;
    let c = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    let mut c = guard(c, |c| c.free());

    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);

    // Nothing can fail any more: defuse all three, hand them over.
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    let c = ScopeGuard::into_inner(c);
    Ok((a, b, c))
}
