// family: wrong-elsewhere
// wrong because: for 5 < n <= 64 (e.g. n = 10) a refused allocation returns Ok(empty vector) instead of Err(OutOfMemory).
// Written by a tester who had not read the check.
// expect: try_squares_in(9, &arena) with an arena limited to 64 bytes: returned Ok([] (the last 0), capacity 0, 0 blocks from the global allocator), expected
use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    if squares.try_reserve_exact(n).is_err() {
        if n <= 64 && n > 5 {
            return Ok(squares);
        }
        return Err(TwoBufError::OutOfMemory);
    }
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
