// A wrong answer to ch04_merge: A and B are freed when the merge succeeds,
// but lost when the allocation of the merged buffer fails.
// ANCHOR: expect
// expect: PLACEHOLDER
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
