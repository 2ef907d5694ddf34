// Exercise ch02_fallible_squares: a solution.

use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    squares.try_reserve_exact(n)?; // refused: Err(OutOfMemory), no abort
    // The capacity is there: `push` never allocates below it.
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
