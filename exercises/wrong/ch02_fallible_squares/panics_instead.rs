// A wrong answer to ch02_fallible_squares: the refusal becomes a panic
// (`expect`) instead of an error the caller can handle.
// expect: squares(1), with each allocation failed in turn: 1 of 1 failure points went wrong:
// expect: when the allocation of the vector (#1) failed: panicked: out of memory: TryReserveError { kind: AllocError { layout: Layout { size: 8, align: 8 (1 << 3) },

use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    squares.try_reserve_exact(n).expect("out of memory");
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
