use cleanup_lab::trace;

fn main() {
    let (buffer, trace) = trace::record(|| vec![1u8, 2, 3]);
    assert_eq!(buffer.len(), 3);
    // The lab saw the vector's allocation; its release comes after the trace.
    assert_eq!(trace.to_string(), "  alloc   #1  3 bytes\n");
}
