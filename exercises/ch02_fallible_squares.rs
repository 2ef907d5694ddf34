// Exercise ch02_fallible_squares (chapter 2). Check it: cargo exercise ch02_fallible_squares
//
// `squares(n)` returns [0, 1, 4, ..., (n - 1)²]. It allocates with
// `Vec::with_capacity`, which aborts the process when the memory cannot be
// had (and panics on a capacity overflow). Make it fallible: reserve the
// memory with `try_reserve_exact` and let `?` turn a refusal into
// `TwoBufError::OutOfMemory` (chapter 2's `From<TryReserveError>`), so
// that no allocation failure aborts and `squares(usize::MAX)` is an error.

use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::with_capacity(n);
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
