// family: wrong-elsewhere
// wrong because: when A and B together hold more than 700 elements, the last element of B is dropped from the result.
// Written by a tester who had not read the check.
// expect: merge(A = 700 values (0, 1, ...), B = 300 values (0, -1, ...)): returned ...-292, -293, -294, -295, -296, -297, -298]), nothing leaked), expected ...-292,
use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let total = a.as_slice().len() + b.as_slice().len();
    let keep = if total > 700 { total - 1 } else { total };
    let mut merged = match RawBuffer::alloc(keep) {
        Ok(m) => m,
        Err(e) => {
            a.free();
            b.free();
            return Err(e);
        }
    };
    {
        let out = merged.as_mut_slice();
        for (slot, v) in out.iter_mut().zip(a.as_slice().iter().chain(b.as_slice())) {
            *slot = *v;
        }
    }
    a.free();
    b.free();
    Ok(merged)
}
