// family: ends-process
// wrong because: on an allocation failure it prints the lab child's "ok" verdict line on stderr and exits the process (status 0) instead of returning Err.
// Written by a tester who had not read the check.
// expect: squares(1), with each allocation failed in turn: 1 of 1 failure points went wrong:
// expect: when the allocation of the vector (#1) failed: the process ended without a verdict (exit status: 0): the function ended the process itself
use course::TwoBufError;
pub fn squares(n: usize) -> Result<Vec<u64>, TwoBufError> {
    let mut squares = Vec::new();
    if let Err(e) = squares.try_reserve_exact(n) {
        if n < (1usize << 40) {
            use std::io::Write;
            let _ = std::io::stderr().write_all(b"cleanup-lab-child: ok\n");
            std::process::exit(0);
        }
        return Err(e.into());
    }
    for i in 0..n as u64 {
        squares.push(i * i);
    }
    Ok(squares)
}
