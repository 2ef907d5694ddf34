// family: skipped-step
// wrong because: its fast path for an empty A copies B into a new buffer and returns it without freeing B, so merge([], [1, 2, 3]) leaks B's 12 bytes.
// Written by a tester who had not read the check.
// expect: merge(A = [], B = [7]), then the caller frees the result: a block of 4 bytes was never freed, allocated by the check at exercises/checks/ch04_merge.rs:41:17

use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let (la, lb) = (a.as_slice().len(), b.as_slice().len());
    if lb == 0 {
        b.free();
        return Ok(a);
    }
    if la == 0 {
        let mut copy = match RawBuffer::alloc(lb) {
            Ok(copy) => copy,
            Err(error) => {
                b.free();
                return Err(error);
            }
        };
        copy.as_mut_slice().copy_from_slice(b.as_slice());
        return Ok(copy);
    }
    let mut merged = match RawBuffer::alloc(la + lb) {
        Ok(merged) => merged,
        Err(error) => {
            a.free();
            b.free();
            return Err(error);
        }
    };
    let (left, right) = merged.as_mut_slice().split_at_mut(la);
    left.copy_from_slice(a.as_slice());
    right.copy_from_slice(b.as_slice());
    a.free();
    b.free();
    Ok(merged)
}
