// family: other: over-allocates
// wrong because: try_reserve instead of try_reserve_exact: try_squares_in(1, alloc) asks alloc for 4 elements (32 bytes), and a refusal of the larger block fails requests that fit.
// Written by a tester who had not read the check.
// expect: try_squares_in(1, &arena): returned Ok([0] (the last 0), capacity 4, 0 blocks from the global allocator), expected Ok([0] (the last 0), capacity 1, 0 blocks
use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;
pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    squares.try_reserve(n)?;
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
