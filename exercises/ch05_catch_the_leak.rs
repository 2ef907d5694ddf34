// Exercise ch05_catch_the_leak (chapter 5). Check it: cargo exercise ch05_catch_the_leak
//
// Write the test yourself. `leaks_nothing(alloc_two)` runs a function
// shaped like chapter 3's `alloc_two_raw` under the lab and answers
// whether every path frees what it acquired: the success (the caller then
// frees both buffers), the refusal of more than LIMIT elements, and the
// failure of each of its allocations, however many it makes
// (`count_allocations`, then `with_failure_at`). The check calls it on
// `alloc_two_raw` and other clean functions (must be true), on chapter 5's
// `alloc_two_forgetful` (must be false), and on functions of its own, each
// leaking on one path only. The lab's tools:
// `course::lab::{check_leaks, count_allocations, with_failure_at}`.

use course::TwoBufError;
use course::raw_buffer::RawBuffer;

/// A function shaped like `alloc_two_raw`.
pub type AllocTwo = fn(usize) -> Result<(RawBuffer, RawBuffer), TwoBufError>;

pub fn leaks_nothing(alloc_two: AllocTwo) -> bool {
    let _ = alloc_two;
    todo!("run alloc_two on every path under check_leaks")
}
