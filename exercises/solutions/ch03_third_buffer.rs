// Exercise ch03_third_buffer: a solution.

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

    let c = RawBuffer::alloc(n)?; // on failure, B's guard, then A's, free them
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
