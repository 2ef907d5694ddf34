// family: half-the-paths
// wrong because: for n from 6 to 9 B's errdefer is not armed, so alloc_three_raw(7) with C's allocation failing leaks B.
// Written by a tester who had not read the check.
// expect: alloc_three_raw(6), with each allocation failed in turn: 1 of 3 failure points went wrong:
// expect: when the allocation of C (#3) failed: leaked 24 bytes
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};
pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());
    if n > LIMIT {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let b = RawBuffer::alloc(n)?;
    let guarded = !(n > LIMIT / 2 && n < LIMIT);
    let mut b = guard(b, move |b| if guarded { b.free() } else { std::mem::forget(b) });
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    Ok((ScopeGuard::into_inner(a), ScopeGuard::into_inner(b), c))
}
