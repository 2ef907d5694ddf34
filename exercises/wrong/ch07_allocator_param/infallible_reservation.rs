// A wrong answer to ch07_allocator_param: `reserve_exact` instead of
// `try_reserve_exact`: when `alloc` refuses, the process aborts.
// expect: PLACEHOLDER

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    squares.reserve_exact(n);
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
