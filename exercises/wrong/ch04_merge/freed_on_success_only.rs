// A wrong answer to ch04_merge: A and B are freed when the merge succeeds,
// but lost when the allocation of the merged buffer fails.
// ANCHOR: expect
// expect: merge(A = [0, 1, 2, 3, 4], B = [10, 11, 12, 13, 14]), with each allocation failed in turn: 1 of 3 failure points went wrong:
// expect: when the allocation of merge's buffer (#3) failed: leaked 40 bytes
// ANCHOR_END: expect

use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let mut merged = RawBuffer::alloc(a.as_slice().len() + b.as_slice().len())?;
    let (left, right) = merged.as_mut_slice().split_at_mut(a.as_slice().len());
    left.copy_from_slice(a.as_slice());
    right.copy_from_slice(b.as_slice());
    a.free();
    b.free();
    Ok(merged)
}
