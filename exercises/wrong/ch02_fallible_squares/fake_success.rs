// family: ends-process
// wrong because: on a refused reservation it prints a fake "✓ ch02_fallible_squares: done" line and exits 0 instead of returning Err(OutOfMemory).
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program itself (std::process::exit(0)): a function must return its
use course::TwoBufError;

pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    if squares.try_reserve_exact(n).is_err() {
        println!("✓ ch02_fallible_squares: done");
        std::process::exit(0);
    }
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
