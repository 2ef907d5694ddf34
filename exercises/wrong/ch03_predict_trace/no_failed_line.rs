// family: skipped-step
// wrong because: B_FAILS leaves out the 'alloc FAILED 20 bytes' line of the refused allocation of B.
// Written by a tester who had not read the check.
// expect: B_FAILS, line 3: you predicted "errdefer for A fires: free A", the trace says "alloc FAILED 20 bytes"

/// `alloc_two_raw(20)`: more than LIMIT (10) elements.
pub const TOO_LARGE: &str = "
    alloc   #1  80 bytes
    errdefer for A armed
    errdefer for A fires: free A
    free    #1  80 bytes
";

/// `alloc_two_raw(5)` when the allocation of B fails (the second
/// allocation it attempts).
pub const B_FAILS: &str = "
    alloc   #1  20 bytes
    errdefer for A armed
    errdefer for A fires: free A
    free    #1  20 bytes
";
