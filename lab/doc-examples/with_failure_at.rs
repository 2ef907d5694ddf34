use cleanup_lab::with_failure_at;

fn main() {
    // Index 1 (counting from 0) fails the second allocation, the second
    // buffer's: the lab's reports call it allocation #2.
    let (result, count) = with_failure_at(1, || {
        let mut first: Vec<u8> = Vec::new();
        let mut second: Vec<u8> = Vec::new();
        first.try_reserve(8).and_then(|()| second.try_reserve(8))
    });
    assert!(result.is_err());
    assert!(count.injected);
}
