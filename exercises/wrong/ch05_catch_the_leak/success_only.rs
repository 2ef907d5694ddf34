// A wrong answer to ch05_catch_the_leak: only the success path is
// watched, where every function here frees everything.
// expect: PLACEHOLDER

use course::TwoBufError;
use course::lab::check_leaks;
use course::raw_buffer::RawBuffer;

pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    let ((), report) = check_leaks(|| {
        if let Ok((a, b)) = alloc_two(5) {
            a.free();
            b.free();
        }
    });
    report.is_clean()
}
