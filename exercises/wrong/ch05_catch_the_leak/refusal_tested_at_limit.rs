// family: half-the-paths
// wrong because: it "tests the refusal" with n = LIMIT, which is accepted, so the refusal path is never run: a function that leaks only when refusing n > LIMIT is judged clean.
// Written by a tester who had not read the check.
// expect: leaks_nothing(leaks_a_when_refused) returned true, but that function leaks A when more than LIMIT elements are asked for, and only then

use course::TwoBufError;
use course::lab::{check_leaks, with_failure_at};
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

fn run(alloc_two: AllocTwo, n: usize, fail_at: Option<u64>) -> bool {
    let ((), report) = check_leaks(|| {
        let result = match fail_at {
            Some(index) => with_failure_at(index, || alloc_two(n)).0,
            None => alloc_two(n),
        };
        if let Ok((a, b)) = result {
            a.free();
            b.free();
        }
    });
    report.is_clean()
}

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    run(alloc_two, 5, None)
        && run(alloc_two, LIMIT, None)
        && run(alloc_two, 5, Some(0))
        && run(alloc_two, 5, Some(1))
}
