use cleanup_lab::check_leaks;

fn main() {
    let ((), report) = check_leaks(|| {
        let kept = vec![0u64; 4];
        std::mem::forget(kept); // never freed
    });
    assert_eq!(report.leaked_bytes(), 32);
}
