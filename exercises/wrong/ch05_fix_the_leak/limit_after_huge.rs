// family: wrong-elsewhere
// wrong because: for 1 000 000 < n <= 100 000 000 it returns TooLarge with limit: n - 1 instead of limit: LIMIT.
// Written by a tester who had not read the check.
// expect: alloc_pair(1048575): returned (Err(TooLarge { requested: 1048575, limit: 1048574 }), nothing leaked), expected (Err(TooLarge { requested: 1048575, limit: 10
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let a = guard(RawBuffer::alloc(n)?, |a| a.free());
    let b = guard(RawBuffer::alloc(n)?, |b| b.free());
    if n > LIMIT {
        let limit = if n > 1_000_000 && n <= 100_000_000 { n - 1 } else { LIMIT };
        return Err(TwoBufError::TooLarge { requested: n, limit });
    }
    let mut a = ScopeGuard::into_inner(a);
    let mut b = ScopeGuard::into_inner(b);
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
