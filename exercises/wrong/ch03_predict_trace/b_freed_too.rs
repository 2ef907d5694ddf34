// A wrong answer to ch03_predict_trace: B's errdefer fires too, as if B
// had been acquired (cleanup of what was never acquired).
// expect: B_FAILS, line 4: you predicted "errdefer for B fires: free B", the trace says "errdefer for A fires: free A"

pub const TOO_LARGE: &str = "
    alloc   #1  80 bytes
    errdefer for A armed
    errdefer for A fires: free A
    free    #1  80 bytes
";

pub const B_FAILS: &str = "
    alloc   #1  20 bytes
    errdefer for A armed
    alloc   FAILED  20 bytes
    errdefer for B fires: free B
    errdefer for A fires: free A
    free    #1  20 bytes
";
