// A wrong answer to ch02_fallible_squares: one element too few reserved,
// so the last `push` grows the vector with an infallible allocation, which
// aborts the process when it fails.
// ANCHOR: expect
// expect: squares(1), with each allocation failed in turn: 1 of 1 failure points went wrong:
// expect: when the allocation of the vector (#1) failed: the process ended without a verdict (signal: 6 (SIGABRT)); an infallible allocation (vec!, Box::new, push,
// ANCHOR_END: expect

use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    squares.try_reserve_exact(n.saturating_sub(1))?;
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
