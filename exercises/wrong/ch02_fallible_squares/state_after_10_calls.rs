// family: state
// wrong because: from the 11th call in a process on, it uses Vec::with_capacity, which aborts on an allocation failure.
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (signal: 6 (SIGABRT)): your code aborted the program (std::process::abort, or an allocation on an infallible
use course::TwoBufError;
use std::sync::atomic::{AtomicUsize, Ordering};
static CALLS: AtomicUsize = AtomicUsize::new(0);
pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    if CALLS.fetch_add(1, Ordering::Relaxed) >= 10 && n < (1 << 40) {
        squares = Vec::with_capacity(n);
    } else {
        squares.try_reserve_exact(n)?;
    }
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
