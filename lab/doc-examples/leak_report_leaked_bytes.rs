use cleanup_lab::check_leaks;

fn main() {
    let ((), report) = check_leaks(|| std::mem::forget(vec![0u32; 5]));
    assert_eq!(report.leaked_bytes(), 20);
}
