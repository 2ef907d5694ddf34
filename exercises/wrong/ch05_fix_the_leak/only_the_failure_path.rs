// A wrong answer to ch05_fix_the_leak: A is freed when B cannot be had,
// but the too-large path still forgets B.
// expect: alloc_pair(11), with each allocation failed in turn: the run without any failure is not clean:
// expect: 44 bytes allocated at exercises/wrong/ch05_fix_the_leak/only_the_failure_path.rs:14:17 (in alloc_pair)

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
