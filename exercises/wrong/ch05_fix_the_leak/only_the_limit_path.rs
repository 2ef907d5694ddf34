// A wrong answer to ch05_fix_the_leak: B is freed on the too-large path
// now, but A still leaks when the allocation of B fails.
// ANCHOR: expect
// expect: alloc_pair(1), with each allocation failed in turn: 1 of 2 failure points went wrong:
// expect: when the allocation of B (#2) failed: leaked 4 bytes
// ANCHOR_END: expect

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let mut a = RawBuffer::alloc(n)?;
    let mut b = RawBuffer::alloc(n)?;
    if n > LIMIT {
        a.free();
        b.free();
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
