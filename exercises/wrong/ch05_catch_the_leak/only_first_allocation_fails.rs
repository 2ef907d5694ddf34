// family: half-the-paths
// wrong because: it injects a failure only at allocation #0 (A), never at #1 (B), so a function that leaks A only when B's allocation fails is judged clean (true).
// Written by a tester who had not read the check.
// expect: leaks_nothing(leaks_a_when_scratch_fails) returned true, but that function leaks A when its second allocation fails, and only then

use course::TwoBufError;
use course::lab::{check_leaks, with_failure_at};
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

fn clean(alloc_two: AllocTwo, n: usize) -> bool {
    let (_, report) = check_leaks(|| {
        if let Ok((a, b)) = alloc_two(n) {
            a.free();
            b.free();
        }
    });
    report.is_clean()
}

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    if !clean(alloc_two, 5) || !clean(alloc_two, LIMIT + 1) {
        return false;
    }
    // the first allocation failing is the failure path
    let ((), report) = check_leaks(|| {
        let (result, _) = with_failure_at(0, || alloc_two(5));
        if let Ok((a, b)) = result {
            a.free();
            b.free();
        }
    });
    report.is_clean()
}
