// Exercise ch03_third_buffer (chapter 3). Check it: cargo exercise ch03_third_buffer
//
// `alloc_two_raw` (course/errdefer.rs) acquires A, then B, each with an
// errdefer (a scopeguard), and refuses more than LIMIT elements right after
// acquiring A. Write `alloc_three_raw`: the same, with a third buffer C
// acquired after B and filled with 3 * i. Whatever step fails, everything
// acquired before it is freed, once; on success the caller gets A, B and C
// and frees them. As chapter 3 says of the last of several acquisitions,
// C needs no errdefer: nothing after it can fail.
//
// You will need:
//     use course::TwoBufError;
//     use course::raw_buffer::RawBuffer;
//     use course::staged::LIMIT;
//     use scopeguard::{ScopeGuard, guard};

pub fn alloc_three_raw(
    n: usize,
) -> Result<(course::raw_buffer::RawBuffer, course::raw_buffer::RawBuffer, course::raw_buffer::RawBuffer), course::TwoBufError>
{
    todo!("alloc_three_raw({n}): start from alloc_two_raw in course/errdefer.rs")
}
