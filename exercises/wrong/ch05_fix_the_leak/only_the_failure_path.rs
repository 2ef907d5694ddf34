// A wrong answer to ch05_fix_the_leak: A is freed when B cannot be had,
// but the too-large path still forgets B.
// expect: PLACEHOLDER

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let a = guard(a, |a| a.free());
    let mut b = RawBuffer::alloc(n)?;
    let mut a = ScopeGuard::into_inner(a);
    if n > LIMIT {
        a.free();
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
