// family: half-the-paths
// wrong because: for n from 2 to 4 and 6 to 9, A is not guarded, so alloc_pair(7) with B's allocation failing leaks A.
// Written by a tester who had not read the check.
// expect: alloc_pair(2), with each allocation failed in turn: 1 of 2 failure points went wrong:
// expect: when the allocation of B (#2) failed: leaked 8 bytes
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};
pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let guarded = n <= 1 || n == 5 || n >= LIMIT;
    let a = guard(RawBuffer::alloc(n)?, move |a| if guarded { a.free() } else { std::mem::forget(a) });
    let b = guard(RawBuffer::alloc(n)?, |b| b.free());
    if n > LIMIT {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut a = ScopeGuard::into_inner(a);
    let mut b = ScopeGuard::into_inner(b);
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
