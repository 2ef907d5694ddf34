// family: half-the-paths
// wrong because: it fails at most the first 3 allocations, so a function that leaks only when its 4th (or later) allocation fails is called clean.
// Written by a tester who had not read the check.
// expect: leaks_nothing(leaks_a_when_the_fifth_fails) returned true, but that function leaks A when its fifth allocation (B) fails, and only then: every allocation must
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::lab::{check_leaks, count_allocations, with_failure_at};
use course::staged::LIMIT;
pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;
fn clean(r: Result<(RawBuffer, RawBuffer), TwoBufError>) { if let Ok((a, b)) = r { a.free(); b.free(); } }
pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    if !check_leaks(|| clean(alloc_two(5))).1.is_clean() { return false; }
    if !check_leaks(|| clean(alloc_two(LIMIT + 1))).1.is_clean() { return false; }
    let (res, count) = count_allocations(|| alloc_two(5));
    clean(res);
    for i in 0..count.attempts.min(3) {
        if !check_leaks(|| clean(with_failure_at(i, || alloc_two(5)).0)).1.is_clean() { return false; }
    }
    true
}
