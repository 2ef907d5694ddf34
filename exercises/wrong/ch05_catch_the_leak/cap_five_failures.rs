// family: half-the-paths
// wrong because: it fails only the first 5 allocations: a function that leaks only when its 6th (or later) allocation fails is judged clean.
// Written by a tester who had not read the check.
// expect: leaks_nothing(leaks_a_when_the_sixth_fails) returned true, but that function leaks A when its sixth allocation (B) fails, and only then: every allocation must
use course::TwoBufError;
use course::raw_buffer::RawBuffer;
use course::lab::{check_leaks, count_allocations, with_failure_at, LeakReport};
use course::staged::LIMIT;

pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

fn run(alloc_two: AllocTwo, n: usize) {
    if let Ok((a, b)) = alloc_two(n) {
        a.free();
        b.free();
    }
}

fn clean(report: &LeakReport) -> bool {
    report.is_clean()
}

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    let (_, report) = check_leaks(|| run(alloc_two, 5));
    if !clean(&report) {
        return false;
    }
    let (_, report) = check_leaks(|| run(alloc_two, LIMIT + 1));
    if !clean(&report) {
        return false;
    }
    let (_, count) = count_allocations(|| run(alloc_two, 5));
    for i in 0..count.attempts.min(5) {
        let (_, report) = check_leaks(|| with_failure_at(i, || run(alloc_two, 5)));
        if !clean(&report) {
            return false;
        }
    }
    true
}
