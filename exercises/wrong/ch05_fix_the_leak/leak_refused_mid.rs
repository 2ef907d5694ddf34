// family: half-the-paths
// wrong because: for 13 <= n <= 999 (e.g. alloc_pair(50)) the refusal leaks B (its guard is defused before returning TooLarge).
// Written by a tester who had not read the check.
// expect: alloc_pair(13): returned (Err(TooLarge { requested: 13, limit: 10 }), 52 bytes leaked in 1 blocks), expected (Err(TooLarge { requested: 13, limit: 10 }),
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let a = guard(RawBuffer::alloc(n)?, |a| a.free());
    let b = guard(RawBuffer::alloc(n)?, |b| b.free());
    if n > LIMIT {
        if (13..=999).contains(&n) {
            std::mem::forget(ScopeGuard::into_inner(b));
        }
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut a = ScopeGuard::into_inner(a);
    let mut b = ScopeGuard::into_inner(b);
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
