// A wrong answer to ch02_fallible_squares: one element too few reserved,
// so the last `push` grows the vector with an infallible allocation, which
// aborts the process when it fails.
// ANCHOR: expect
// expect: PLACEHOLDER
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
