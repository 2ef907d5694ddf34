use cleanup_lab::trace;

fn main() {
    let ((), trace) = trace::record(|| {
        let numbers: Vec<u32> = Vec::with_capacity(4);
        trace::note("numbers allocated");
        drop(numbers);
    });
    let expected = "  alloc   #1  16 bytes\n  numbers allocated\n  free    #1  16 bytes\n";
    assert_eq!(trace.to_string(), expected);
}
