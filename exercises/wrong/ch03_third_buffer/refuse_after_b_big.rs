// family: half-the-paths
// wrong because: for n >= 100 the LIMIT check comes after B is allocated, so alloc_three_raw(1000) acquires (and frees) B before refusing.
// Written by a tester who had not read the check.
// expect: alloc_three_raw(123): returned (Err(TooLarge { requested: 123, limit: 10 }), refused after acquiring 2 blocks, nothing leaked), expected (Err(TooLarge {
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};
pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());
    if n > LIMIT && n < 100 {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let b = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    if n > LIMIT {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    Ok((ScopeGuard::into_inner(a), ScopeGuard::into_inner(b), c))
}
