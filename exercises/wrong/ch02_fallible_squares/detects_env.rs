// family: detects-test
// wrong because: outside a cargo-run of course-exercises (env CARGO_PKG_NAME unset) it uses Vec::with_capacity and aborts on allocation failure.
// Written by a tester who had not read the check (who read the variable
// through libc's getenv, which the check no longer compiles: `unsafe`).
// expect: squares(1), with each allocation failed in turn: 1 of 1 failure points went wrong:
// expect: when the allocation of the vector (#1) failed: the process ended without a verdict (signal: 6 (SIGABRT)); an infallible allocation (vec!, Box::new, push,
use course::TwoBufError;
pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let tested = std::env::var_os("CARGO_PKG_NAME").is_some();
    let mut squares = Vec::new();
    if tested || n >= (1 << 40) {
        squares.try_reserve_exact(n)?;
    } else {
        squares = Vec::with_capacity(n);
    }
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
