// A wrong answer to ch05_catch_the_leak: only the success path is
// watched, where every function here frees everything.
// expect: leaks_nothing(alloc_two_forgetful) returned true, but alloc_two_forgetful leaks A when n > LIMIT and when the allocation of B fails

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
