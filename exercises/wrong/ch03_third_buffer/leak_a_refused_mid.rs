// family: half-the-paths
// wrong because: for 13 <= n <= 99 (e.g. alloc_three_raw(50)) the refusal returns TooLarge without freeing A: A leaks.
// Written by a tester who had not read the check.
// expect: alloc_three_raw(13): returned ...0 }), refused after acquiring 1 blocks, 52 bytes leaked in 1 blocks), expected ...0 }), refused after acquiring 1 blocks,
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    if n > LIMIT {
        if (13..=99).contains(&n) {
            std::mem::forget(a);
        } else {
            a.free();
        }
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut a = guard(a, |a| a.free());
    let b = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    Ok((ScopeGuard::into_inner(a), ScopeGuard::into_inner(b), c))
}
