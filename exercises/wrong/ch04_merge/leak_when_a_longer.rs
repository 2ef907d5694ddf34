// family: half-the-paths
// wrong because: when the allocation of the merged buffer fails and A is longer than B (e.g. A = [1, 2, 3], B = [4]), A is not freed (leaks).
// Written by a tester who had not read the check.
// expect: merge(A = [0], B = []), when its allocation #2 failed: a block of 4 bytes was never freed, allocated by the check at exercises/checks/ch04_merge.rs:35:17 (in
use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let mut merged = match RawBuffer::alloc(a.as_slice().len() + b.as_slice().len()) {
        Ok(m) => m,
        Err(e) => {
            if a.as_slice().len() > b.as_slice().len() {
                std::mem::forget(a);
            } else {
                a.free();
            }
            b.free();
            return Err(e);
        }
    };
    let (left, right) = merged.as_mut_slice().split_at_mut(a.as_slice().len());
    left.copy_from_slice(a.as_slice());
    right.copy_from_slice(b.as_slice());
    a.free();
    b.free();
    Ok(merged)
}
