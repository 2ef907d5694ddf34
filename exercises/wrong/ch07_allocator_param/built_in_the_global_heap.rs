// A wrong answer to ch07_allocator_param: the squares are built in a
// vector of the global allocator, then copied into one of `alloc`.
// ANCHOR: expect
// expect: try_squares_in(1, &arena): returned Ok([0] (the last 0), capacity 1, 1 blocks from the global allocator), expected Ok([0] (the last 0), capacity 1, 0 blocks
// ANCHOR_END: expect

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut built = Vec::new();
    built.try_reserve_exact(n)?;
    built.extend((0..n as u64).map(|i| i * i));
    let mut squares = VecIn::new_in(alloc);
    squares.try_reserve_exact(n)?;
    squares.extend_from_slice(&built);
    Ok(squares)
}
