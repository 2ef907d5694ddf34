// family: detects-test
// wrong because: B has no errdefer, so when C's allocation fails B leaks; in the lab's counting child it reports "attempts 0" and exits, so no failure is injected.
// Written by a tester who had not read the check.
// expect: alloc_three_raw(0), with each allocation failed in turn: the child process that counts the function's allocations ended without a count (exit status: 0): the
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};
pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    if let Some(v) = std::env::var_os("CLEANUP_LAB_CHILD") {
        if v.to_string_lossy().starts_with("count:") {
            use std::io::Write;
            let _ = std::io::stderr().write_all(b"cleanup-lab-child: attempts 0\n");
            std::process::exit(0);
        }
    }
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());
    if n > LIMIT {
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let mut b = RawBuffer::alloc(n)?;
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    Ok((ScopeGuard::into_inner(a), b, c))
}
