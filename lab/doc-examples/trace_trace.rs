use cleanup_lab::trace;

fn main() {
    let ((), trace) = trace::record(|| drop(vec![0u8; 3]));
    let text = trace.to_string();
    assert_eq!(text, "  alloc   #1  3 bytes\n  free    #1  3 bytes\n");
}
