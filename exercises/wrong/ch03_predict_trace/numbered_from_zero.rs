// family: other: wrong numbering
// wrong because: allocations are numbered from 0 (#0) instead of from 1 in both traces.
// Written by a tester who had not read the check.
// expect: TOO_LARGE, line 1: you predicted "alloc #0 80 bytes", the trace says "alloc #1 80 bytes"

/// `alloc_two_raw(20)`: more than LIMIT (10) elements.
pub const TOO_LARGE: &str = "
    alloc   #0  80 bytes
    errdefer for A armed
    errdefer for A fires: free A
    free    #0  80 bytes
";

/// `alloc_two_raw(5)` when the allocation of B fails (the second
/// allocation it attempts).
pub const B_FAILS: &str = "
    alloc   #0  20 bytes
    errdefer for A armed
    alloc   FAILED  20 bytes
    errdefer for A fires: free A
    free    #0  20 bytes
";
