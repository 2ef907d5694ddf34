// family: ends-process
// wrong because: for 1 000 000 < n < 2^40 whose A can be had (e.g. n = 5 000 000) it ends the process with exit(1) instead of returning TooLarge.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 1): your code ended the program (std::process::exit(1)?), or closed the standard output the check
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_three_raw(n: usize) -> Result<(RawBuffer, RawBuffer, RawBuffer), TwoBufError> {
    let a = RawBuffer::alloc(n)?;
    let mut a = guard(a, |a| a.free());
    if n > LIMIT {
        if n > 1_000_000 && n < (1 << 40) {
            eprintln!("far too large");
            std::process::exit(1);
        }
        return Err(TwoBufError::TooLarge { requested: n, limit: LIMIT });
    }
    let b = RawBuffer::alloc(n)?;
    let mut b = guard(b, |b| b.free());
    let mut c = RawBuffer::alloc(n)?;
    a.fill(|i| i as i32);
    b.fill(|i| 2 * i as i32);
    c.fill(|i| 3 * i as i32);
    Ok((ScopeGuard::into_inner(a), ScopeGuard::into_inner(b), c))
}
