// family: other: wrong step order
// wrong because: the LIMIT check comes after B is acquired, so alloc_three_raw(20) allocates B (80 bytes) before refusing; the task says the refusal comes right after A.
// Written by a tester who had not read the check.
// expect: alloc_three_raw(11): returned (Err(TooLarge { requested: 11, limit: 10 }), refused after acquiring 2 blocks, nothing leaked), expected (Err(TooLarge {

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());
    let b = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    if n > LIMIT {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    Ok((a, b, c))
}
