// family: other: judges the success path by a byte count
// wrong because: on success it expects exactly 40 leaked bytes (the two returned buffers of 5 integers) instead of freeing them, so a function returning an empty B and leaking a 20-byte scratch block is called clean.
// Written by a tester who had not read the check.
// expect: leaks_nothing(b_twice_as_long) returned false, but it frees everything on every path (its B is twice as long as A)
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::lab::{check_leaks, count_allocations, with_failure_at};
use course::staged::LIMIT;
pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;
fn clean(r: Result<(RawBuffer, RawBuffer), TwoBufError>) { if let Ok((a, b)) = r { a.free(); b.free(); } }
pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    let (res, report) = check_leaks(|| alloc_two(5));
    clean(res);
    if report.leaked_bytes() != 40 { return false; }
    if !check_leaks(|| clean(alloc_two(LIMIT + 1))).1.is_clean() { return false; }
    let (res, count) = count_allocations(|| alloc_two(5));
    clean(res);
    for i in 0..count.attempts {
        if !check_leaks(|| clean(with_failure_at(i, || alloc_two(5)).0)).1.is_clean() { return false; }
    }
    true
}
