use cleanup_lab::check_leaks;

fn main() {
    let ((), report) = check_leaks(|| std::mem::forget(vec![0u8; 16]));
    let summary = report.summary().to_string();
    assert_eq!(summary, "1 of 1 allocation leaked (16 bytes)");
}
