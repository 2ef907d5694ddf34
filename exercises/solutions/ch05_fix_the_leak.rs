// Exercise ch05_fix_the_leak: a solution.

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free()); // freed if anything below fails
    let b = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    if n > LIMIT {
        // Both guards fire: B, then A.
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((ScopeGuard::into_inner(a), ScopeGuard::into_inner(b)))
}
