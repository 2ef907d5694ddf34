// family: half-the-paths
// wrong because: for n above 100 000 (refused, but allocatable) the refusal path forgets B: alloc_pair(200_000) leaks 800 KB.
// Written by a tester who had not read the check.
// expect: alloc_pair(1000000), then the caller frees what it got: a block of 4000000 bytes was never freed, allocated at
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};
pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let a = guard(RawBuffer::alloc(n)?, |a| a.free());
    let b = RawBuffer::alloc(n)?;
    if n > LIMIT {
        if n <= 100_000 { b.free(); } else { std::mem::forget(b); }
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut a = ScopeGuard::into_inner(a);
    let mut b = b;
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
