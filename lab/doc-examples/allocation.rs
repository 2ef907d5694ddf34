use cleanup_lab::check_leaks;

fn main() {
    let ((), report) = check_leaks(|| std::mem::forget(vec![0u16; 3]));
    let leak = &report.leaks[0];
    assert_eq!((leak.size, leak.align), (6, 2));
}
