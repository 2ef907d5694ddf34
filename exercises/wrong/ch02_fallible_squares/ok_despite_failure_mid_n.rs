// family: swallowed-error
// wrong because: for 6 <= n < 1000 (e.g. n = 7) a refused allocation returns Ok(empty vector) instead of Err(OutOfMemory).
// Written by a tester who had not read the check.
// expect: squares(6), when its allocation #1 failed: returned Ok([]), not an out-of-memory error
use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    if let Err(e) = squares.try_reserve_exact(n) {
        if (6..1000).contains(&n) {
            return Ok(Vec::new());
        }
        return Err(e.into());
    }
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
