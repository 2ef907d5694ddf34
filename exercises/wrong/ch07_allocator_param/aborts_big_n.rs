// family: half-the-paths
// wrong because: for n > 10 000 it uses with_capacity_in, which aborts the process when the allocator refuses, instead of returning Err(OutOfMemory).
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (signal: 6 (SIGABRT)): your code aborted the program (std::process::abort, or an allocation on an infallible
use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    if n > 10_000 && n < (1 << 40) {
        let mut squares = VecIn::with_capacity_in(n, alloc);
        squares.extend((0..n as u64).map(|i| i * i));
        return Ok(squares);
    }
    let mut squares = VecIn::new_in(alloc);
    squares.try_reserve_exact(n)?;
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
