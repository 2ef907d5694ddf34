// Exercise ch05_fix_the_leak (chapter 5). Check it: cargo exercise ch05_fix_the_leak
//
// `alloc_pair(n)` returns A = [0, 1, ..., n - 1] and B = [n, ..., 2n - 1],
// and refuses more than LIMIT elements. It leaks: run the check, read
// which block the lab says was never freed, where it was allocated and on
// which path, and fix the function (with guards, as chapter 5 does, or by
// hand) so that every path frees what it acquired, exactly once.

use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub fn alloc_pair(n: usize) -> Result<(RawBuffer, RawBuffer), TwoBufError> {
    let mut a = RawBuffer::alloc(n)?;
    let mut b = RawBuffer::alloc(n)?;
    if n > LIMIT {
        a.free();
        return Err(TwoBufError::TooLarge {
            requested: n,
            limit: LIMIT,
        });
    }
    a.fill(|i| i as i32);
    b.fill(|i| (n + i) as i32);
    Ok((a, b))
}
