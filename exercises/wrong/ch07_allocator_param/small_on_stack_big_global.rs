// family: skipped-step
// wrong because: above 16 elements the squares are first built in a std Vec (the global allocator) and then copied into alloc: try_squares_in(100, arena) takes a block from the global heap; small n is built directly.
// Written by a tester who had not read the check.
// expect: try_squares_in(1000, Global), with each allocation failed in turn: 1 of 2 failure points went wrong:
// expect: when allocation #2 failed (one more than the exercise needs): the process ended without a verdict (signal: 6 (SIGABRT)); an infallible allocation (vec!,

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    squares.try_reserve_exact(n)?;
    if n <= 16 {
        squares.extend((0..n as u64).map(|i| i * i));
    } else {
        let computed: Vec<u64> = (0..n as u64).map(|i| i * i).collect();
        squares.extend_from_slice(&computed);
    }
    Ok(squares)
}
