use cleanup_lab::check_leaks;

fn main() {
    let ((), report) = check_leaks(|| drop(Box::new(1)));
    assert!(report.is_clean());
}
