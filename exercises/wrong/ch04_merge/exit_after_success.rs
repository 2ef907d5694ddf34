// family: ends-process
// wrong because: after a successful merge it prints a fake "✓ ch04_merge: done" line and exits 0, so no caller ever receives the merged buffer (merge of any two buffers).
// Written by a tester who had not read the check.
// expect: the program ended before the check could finish (exit status: 0): your code ended the program (std::process::exit(0)?), or closed the standard output the check
use course::TwoBufError;
use course::raw_buffer::RawBuffer;

pub fn merge(a: RawBuffer, b: RawBuffer) -> Result<RawBuffer, TwoBufError> {
    let (la, lb) = (a.as_slice().len(), b.as_slice().len());
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
    println!("✓ ch04_merge: done");
    std::process::exit(0);
}
