use cleanup_lab::with_failure_at;

fn main() {
    let (_, count) = with_failure_at(5, || vec![0u8; 4]);
    assert_eq!(count.attempts, 1);
    assert!(!count.injected); // there was no allocation #5 to fail
}
