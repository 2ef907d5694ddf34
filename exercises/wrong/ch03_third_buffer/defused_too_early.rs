// A wrong answer to ch03_third_buffer: A's and B's errdefers are defused
// before C is acquired, so when C's allocation fails, A and B leak.
// expect: alloc_three_raw(1), with each allocation failed in turn: 1 of 3 failure points went wrong:
// expect: when the allocation of C (#3) failed: leaked 8 bytes

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

    let b = RawBuffer::alloc(n)?; // on failure, A's guard frees A
    let mut b = guard(b, |b| b.free());

    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);

    let mut c = RawBuffer::alloc(n)?;
    c.fill(|i| 3 * i as i32);
    Ok((a, b, c))
}
