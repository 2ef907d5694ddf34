//! The test of a fresh project that uses the lab, as the book's appendix
//! and lab/README.md show it: `.ci/lab-outside` copies the part between
//! the anchors into a project made with `cargo new --lib` and runs it
//! there. Here it runs as one of the lab's own tests.

// ANCHOR: test
use cleanup_lab::{LabAllocator, assert_no_leaks};

#[global_allocator]
static ALLOCATOR: LabAllocator = LabAllocator;

/// The code under test: the words of `text`, longest first.
fn longest_first(text: &str) -> Vec<&str> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    words.sort_by_key(|word| std::cmp::Reverse(word.len()));
    words
}

#[test]
fn longest_first_frees_what_it_allocates() {
    let longest = assert_no_leaks(|| longest_first("clean up what you acquired")[0]);
    assert_eq!(longest, "acquired");
}
// ANCHOR_END: test

// The book compiles the part above as a program (skeptic), which needs a
// `main`; a test binary has its own and ignores this one.
fn main() {}
