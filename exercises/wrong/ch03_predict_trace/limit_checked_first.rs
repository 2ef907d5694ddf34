// A wrong answer to ch03_predict_trace: the limit checked before A is
// allocated (it is checked after: A is acquired, then freed).
// expect: TOO_LARGE, line 1: you predicted no line, the trace says "alloc #1 80 bytes"

pub const TOO_LARGE: &str = "
";

pub const B_FAILS: &str = "
    alloc   #1  20 bytes
    errdefer for A armed
    alloc   FAILED  20 bytes
    errdefer for A fires: free A
    free    #1  20 bytes
";
