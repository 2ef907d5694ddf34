// A wrong answer to ch04_merge: every path frees A, none frees B.
// expect: merge(A = [0, 1, 2, 3, 4], B = [10, 11, 12, 13, 14]), with each allocation failed in turn: the run without any failure is not clean:
// expect: 20 bytes allocated by the check at exercises/checks/ch04_merge.rs:41:17 (in b_made_by_the_check)

use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let merged = RawBuffer::alloc(a.as_slice().len() + b.as_slice().len());
    let mut merged = match merged {
        Ok(merged) => merged,
        Err(error) => {
            a.free();
            return Err(error);
        }
    };
    let (left, right) = merged.as_mut_slice().split_at_mut(a.as_slice().len());
    left.copy_from_slice(a.as_slice());
    right.copy_from_slice(b.as_slice());
    a.free();
    Ok(merged)
}
