// Exercise ch03_predict_trace (chapter 3). Check it: cargo exercise ch03_predict_trace
//
// Predict what the lab's trace shows, line by line, for two runs of
// `alloc_two_raw` (course/errdefer.rs), in the format chapter 3 prints:
// `alloc   #N  SIZE bytes` for an allocation (numbered from 1 in each
// trace), `alloc   FAILED  SIZE bytes` for one that failed,
// `free    #N  SIZE bytes` for a free, and each note the function writes
// (`errdefer for A armed`, ...) as it is. Spaces between words do not
// matter. An i32 takes 4 bytes.

/// `alloc_two_raw(20)`: more than LIMIT (10) elements.
pub const TOO_LARGE: &str = "
    TODO: one event per line
";

/// `alloc_two_raw(5)` when the allocation of B fails (the second
/// allocation it attempts).
pub const B_FAILS: &str = "
    TODO: one event per line
";
