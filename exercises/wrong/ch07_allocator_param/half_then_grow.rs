// family: half-the-paths
// wrong because: for n > 1024 it reserves half first and lets extend grow the rest, an infallible reallocation that aborts when alloc refuses it.
// Written by a tester who had not read the check.
// expect: try_squares_in(5000, Global), with each allocation failed in turn: 1 of 2 failure points went wrong:
// expect: when allocation #2 failed (one more than the exercise needs): the process ended without a verdict (signal: 6 (SIGABRT)); an infallible allocation (vec!,
use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;
pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    if n > 1024 && n < (1 << 40) {
        squares.try_reserve_exact(n / 2)?;
    } else {
        squares.try_reserve_exact(n)?;
    }
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
