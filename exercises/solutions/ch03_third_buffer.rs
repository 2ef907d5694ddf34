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

    // On failure, B's guard, then A's, free them. C needs no guard:
    // nothing after it can fail.
    let mut c = RawBuffer::alloc(n)?;

    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);

    // Nothing can fail any more: defuse both guards, hand all three over.
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    Ok((a, b, c))
}
