use cleanup_lab::assert_no_leaks;

fn main() {
    let count = assert_no_leaks(|| {
        let words: Vec<&str> = "clean up what you acquired".split(' ').collect();
        words.len() // the vector is freed here, inside the check
    });
    assert_eq!(count, 5);
}
