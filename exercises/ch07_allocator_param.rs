// Exercise ch07_allocator_param (chapter 7). Check it: cargo exercise ch07_allocator_param
//
// `try_squares_in(n, alloc)` returns [0, 1, 4, ..., (n - 1)²] in a vector
// of `alloc`, the allocator the caller chose, as chapter 7's
// `try_evens_in` does. Today it asks with `with_capacity_in`, which aborts
// the process when `alloc` refuses. Make it return Err(OutOfMemory) then,
// with every element in `alloc` (none from the global allocator).

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::with_capacity_in(n, alloc);
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
