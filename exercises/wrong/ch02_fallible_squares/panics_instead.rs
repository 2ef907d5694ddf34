// A wrong answer to ch02_fallible_squares: the refusal becomes a panic
// (`expect`) instead of an error the caller can handle.
// expect: PLACEHOLDER

use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    squares.try_reserve_exact(n).expect("out of memory");
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
