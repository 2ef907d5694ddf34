use cleanup_lab::trace::{self, Event};

fn main() {
    let ((), trace) = trace::record(|| drop(Box::new(7u64)));
    let alloc = Event::Alloc { id: 1, size: 8 };
    let free = Event::Free {
        id: Some(1),
        size: 8,
    };
    assert_eq!(trace.events(), [alloc, free]);
}
