// family: wrong-elsewhere
// wrong because: it treats an empty reservation as a failure ("the allocator gave nothing"), so try_squares_in(0, alloc) returns Err(OutOfMemory) instead of Ok([]).
// Written by a tester who had not read the check.
// expect: try_squares_in(0, &arena): returned Err(OutOfMemory), expected Ok([] (the last 0), capacity 0, 0 blocks from the global allocator)

use allocator_api2::alloc::Allocator;
use allocator_api2::vec::Vec as VecIn;
use course::TwoBufError;

pub fn try_squares_in<A: Allocator>(n: usize, alloc: A) -> Result<VecIn<u64, A>, TwoBufError> {
    let mut squares = VecIn::new_in(alloc);
    squares.try_reserve_exact(n)?;
    if squares.capacity() == 0 {
        return Err(TwoBufError::OutOfMemory);
    }
    squares.extend((0..n as u64).map(|i| i * i));
    Ok(squares)
}
