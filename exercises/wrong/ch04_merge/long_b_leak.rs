// family: half-the-paths
// wrong because: when B has more than 64 elements, B is not freed on the success path (it leaks).
// Written by a tester who had not read the check.
// expect: merge(A = 257 values (0, 1, ...), B = 300 values (0, -1, ...)): returned ..., -294, -295, -296, -297, -298, -299]), 1200 bytes leaked in 1 blocks), expected
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let la = a.as_slice().len();
    let lb = b.as_slice().len();
    let mut merged = match RawBuffer::alloc(la + lb) {
        Ok(m) => m,
        Err(e) => { a.free(); b.free(); return Err(e); }
    };
    let (left, right) = merged.as_mut_slice().split_at_mut(la);
    left.copy_from_slice(a.as_slice());
    right.copy_from_slice(b.as_slice());
    a.free();
    if lb <= 64 { b.free(); } else { std::mem::forget(b); }
    Ok(merged)
}
