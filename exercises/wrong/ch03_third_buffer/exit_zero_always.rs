// family: ends-process
// wrong because: after building the three buffers it prints a fake success line and calls std::process::exit(0), so no caller ever gets the buffers (alloc_three_raw(5) never returns).
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check

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
    let mut b = guard(b, |b| b.free());
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    let a = ScopeGuard::into_inner(a);
    let b = ScopeGuard::into_inner(b);
    if n == 5 {
        println!("✓ ch03_third_buffer: done");
        std::process::exit(0);
    }
    Ok((a, b, c))
}
