use cleanup_lab::trace::{self, Event};

fn main() {
    let ((), trace) = trace::record(|| trace::note("hello"));
    let Event::Note(note) = trace.events()[0] else {
        panic!("not a note: {:?}", trace.events());
    };
    assert_eq!(note.as_str(), "hello");
}
