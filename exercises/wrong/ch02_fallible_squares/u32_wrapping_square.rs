// family: wrong-elsewhere
// wrong because: squares are computed in u32 with wrapping_mul, so from i = 65536 on (squares(65537)) the last value is 0 instead of 4294967296.
// Written by a tester who had not read the check.
// expect: squares(65537): returned ...24, 4294574089, 4294705156, 4294836225, 0])), expected ...24, 4294574089, 4294705156, 4294836225, 4294967296])) (they first differ
use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    squares.try_reserve_exact(n)?;
    for i in 0..n {
        let i = i as u32;
        squares.push(i.wrapping_mul(i) as u64);
    }
    Ok(squares)
}
