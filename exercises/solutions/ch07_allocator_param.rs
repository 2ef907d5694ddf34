// Exercise ch07_allocator_param: a solution.

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc); // allocates nothing yet
    squares.try_reserve_exact(n)?; // asks `alloc`; refused: Err(OutOfMemory)
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
