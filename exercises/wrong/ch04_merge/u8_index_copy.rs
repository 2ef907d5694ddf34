// family: wrong-elsewhere
// wrong because: elements are copied with a u8 index that wraps, so for A longer than 256 elements the tail of A is never copied (left zero / overwritten).
// Written by a tester who had not read the check.
// expect: merge(A = 257 values (0, 1, ...), B = 300 values (0, -1, ...)): returned (Ok([256, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ..., expected (Ok([0, 1, 2, 3, 4, 5, 6,
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let la = a.as_slice().len();
    let lb = b.as_slice().len();
    let mut merged = match RawBuffer::alloc(la + lb) {
        Ok(m) => m,
        Err(e) => { a.free(); b.free(); return Err(e); }
    };
    {
        let out = merged.as_mut_slice();
        for i in 0..la { out[(i as u8) as usize] = a.as_slice()[i]; }
        for j in 0..lb { out[la + j] = b.as_slice()[j]; }
    }
    a.free(); b.free();
    Ok(merged)
}
