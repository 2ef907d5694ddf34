// family: half-the-paths
// wrong because: when alloc_two(5) makes more than 8 allocations it checks none of its failures: a function with 9 allocations that leaks when one fails is judged clean.
// Written by a tester who had not read the check.
// expect: leaks_nothing(leaks_a_when_the_fourth_of_ten_fails) returned true, but that function leaks A when the fourth of its ten allocations fails, and only then: every
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
    for i in 0..(if count.attempts > 8 { 0 } else { count.attempts }) {
        let (_, report) = check_leaks(|| with_failure_at(i, || run(alloc_two, 5)));
        if !clean(&report) {
            return false;
        }
    }
    true
}
