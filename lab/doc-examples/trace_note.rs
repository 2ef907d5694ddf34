use cleanup_lab::trace;

fn main() {
    // Formatted into the note's own buffer: nothing is allocated.
    let ((), trace) = trace::record(|| trace::note(format_args!("{} + {}", 1, 2)));
    assert_eq!(trace.to_string(), "  1 + 2\n");
}
