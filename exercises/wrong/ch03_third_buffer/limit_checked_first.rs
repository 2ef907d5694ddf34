// family: other: wrong step order
// wrong because: it refuses n > LIMIT before acquiring anything, so alloc_three_raw(20) makes no allocation at all (the task says A is acquired, then the limit is checked).
// Written by a tester who had not read the check.
// expect: alloc_three_raw(11): returned (Err(TooLarge { requested: 11, limit: 10 }), refused after acquiring 0 blocks, nothing leaked), expected (Err(TooLarge {

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    if n > LIMIT {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());
    let b = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    Ok((a, b, c))
}
