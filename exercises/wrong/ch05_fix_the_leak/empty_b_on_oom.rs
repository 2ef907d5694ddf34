// family: swallowed-error
// wrong because: when allocating B fails it falls back to an empty B and returns Ok: alloc_pair(5) with allocation #1 failing returns Ok((A, [])) instead of Err(OutOfMemory).
// Written by a tester who had not read the check.
// expect: alloc_pair(1), with each allocation failed in turn: 1 of 2 failure points went wrong:
// expect: when the allocation of B (#2) failed: returned Ok([[0], []]), which is not out of memory

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    if n > LIMIT {
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    let mut a = RawBuffer::alloc(n)?;
    let mut b = match RawBuffer::alloc(n) {
        Ok(b) => b,
        // degrade gracefully: a zero-length buffer needs no memory
        Err(_) => RawBuffer::alloc(0)?,
    };
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
