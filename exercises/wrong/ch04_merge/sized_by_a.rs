// family: wrong-elsewhere
// wrong because: the merged buffer is sized 2 * len(A) and filled with zip, so with len(A) = 2, len(B) = 3 B's last element is lost (and with len(A) > len(B) there are trailing zeros).
// Written by a tester who had not read the check.
// expect: merge(A = [], B = [-10]): returned (Ok([]), nothing leaked), expected (Ok([-10]), nothing leaked)

use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let half = a.as_slice().len();
    let merged = RawBuffer::alloc(2 * half);
    let mut merged = match merged {
        Ok(merged) => merged,
        Err(error) => {
            a.free();
            b.free();
            return Err(error);
        }
    };
    let (left, right) = merged.as_mut_slice().split_at_mut(half);
    for (dst, src) in left.iter_mut().zip(a.as_slice()) {
        *dst = *src;
    }
    for (dst, src) in right.iter_mut().zip(b.as_slice()) {
        *dst = *src;
    }
    a.free();
    b.free();
    Ok(merged)
}
