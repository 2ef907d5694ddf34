// family: ends-process
// wrong because: on the refusal path it frees both buffers and then ends the process with status 0 instead of returning Err(TooLarge): alloc_pair(11) never returns.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;
use scopeguard::{ScopeGuard, guard};

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let a = guard(RawBuffer::alloc(n)?, |a| a.free());
    let b = RawBuffer::alloc(n)?;
    if n > LIMIT {
        b.free();
        drop(a);
        eprintln!("alloc_pair: {n} elements requested, the limit is {LIMIT}");
        std::process::exit(0);
    }
    let mut a = ScopeGuard::into_inner(a);
    let mut b = b;
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
