use cleanup_lab::assert_no_leaks;

fn main() {
    // Returns what the closure returned; had it leaked, this would panic.
    let longest = assert_no_leaks(|| {
        let mut words: Vec<&str> = "clean up what you acquired".split(' ').collect();
        words.sort_by_key(|word| word.len());
        words.last().copied()
    });
    assert_eq!(longest, Some("acquired"));
}
