// Exercise ch04_merge (chapter 4). Check it: cargo exercise ch04_merge
//
// `merge` receives two raw buffers by value: from the call on, they are
// its to free, on every path. It returns one new buffer holding A's
// elements, then B's. Allocating that buffer can fail: then the result is
// Err(OutOfMemory), and A and B must still be freed, not lost.

use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let mut merged = RawBuffer::alloc(a.as_slice().len() + b.as_slice().len())?;
    let (left, right) = merged.as_mut_slice().split_at_mut(a.as_slice().len());
    left.copy_from_slice(a.as_slice());
    right.copy_from_slice(b.as_slice());
    Ok(merged)
}
