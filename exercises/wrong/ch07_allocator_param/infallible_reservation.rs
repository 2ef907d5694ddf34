// A wrong answer to ch07_allocator_param: `reserve_exact` instead of
// `try_reserve_exact`: when `alloc` refuses, the process aborts.
// expect: try_squares_in(1, Global), with each allocation failed in turn: 1 of 1 failure points went wrong:
// expect: when the allocation of the vector (#1) failed: the process ended without a verdict (signal: 6 (SIGABRT)); an infallible allocation (vec!, Box::new, push,

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    squares.reserve_exact(n);
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
