// family: other: wrong error contents
// wrong because: the refusal reports the limit as n (copy-paste): alloc_pair(11) returns TooLarge { requested: 11, limit: 11 } instead of limit: 10; every buffer is freed.
// Written by a tester who had not read the check.
// expect: alloc_pair(11): returned (Err(TooLarge { requested: 11, limit: 11 }), nothing leaked), expected (Err(TooLarge { requested: 11, limit: 10 }), nothing leaked)

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    if n > LIMIT {
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: n,
        });
    }
    let a = guard(RawBuffer::alloc(n)?, |a| a.free());
    let mut b = RawBuffer::alloc(n)?;
    let mut a = ScopeGuard::into_inner(a);
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
