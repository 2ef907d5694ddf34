// A wrong answer to ch05_catch_the_leak: success and refusal are watched,
// but no allocation is made to fail.
// ANCHOR: expect
// expect: leaks_nothing(leaks_when_a_fails) returned true, but that function leaks a block when its first allocation fails, and only then
// ANCHOR_END: expect

use course::TwoBufError;
use course::lab::check_leaks;
use course::raw_buffer::RawBuffer;
use course::staged::LIMIT;

pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    [5, LIMIT + 1].into_iter().all(|n| {
        let ((), report) = check_leaks(|| {
            if let Ok((a, b)) = alloc_two(n) {
                a.free();
                b.free();
            }
        });
        report.is_clean()
    })
}
