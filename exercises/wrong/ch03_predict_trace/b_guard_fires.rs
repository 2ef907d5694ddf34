// family: other: extra lines
// wrong because: B_FAILS predicts B's errdefer firing (and freeing a #2) although B's guard was never created.
// Written by a tester who had not read the check.
// expect: B_FAILS, line 4: you predicted "errdefer for B fires: free B", the trace says "errdefer for A fires: free A"

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
    alloc   FAILED  20 bytes
    errdefer for B fires: free B
    errdefer for A fires: free A
    free    #1  20 bytes
";
