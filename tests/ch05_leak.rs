//! Chapter 5's claims: the forgetful function leaks exactly A on each path
//! that fails after allocating A, and nothing otherwise; the lab and
//! valgrind both see it, and print what the chapter shows.

mod support;

use std::process::Command;

use course::lab::{check_all_allocation_failures, check_leaks};
use support::{example_binary, panic_message, run_merged, Shown};

// ANCHOR: reader_test
use course::forgetful::alloc_two_forgetful;
use course::lab::assert_no_leaks;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

#[test]
#[ignore = "fails on purpose: chapter 5 shows its output"]
fn alloc_two_leaks_nothing_when_it_fails() {
    let result = assert_no_leaks(|| alloc_two_forgetful(20));
    assert!(result.is_err());
}
// ANCHOR_END: reader_test

// ANCHOR: fixed_test
#[test]
fn alloc_two_raw_leaks_nothing_when_it_fails() {
    use course::errdefer::alloc_two_raw;

    let result = assert_no_leaks(|| alloc_two_raw(20));
    assert!(result.is_err());
}
// ANCHOR_END: fixed_test

#[test]
fn on_success_nothing_leaks_because_the_caller_frees_both() {
    assert_no_leaks(|| {
        let (a, b) = alloc_two_forgetful(5).unwrap();
        assert_eq!(
            (a.as_slice(), b.as_slice()),
            (&[0, 1, 2, 3, 4][..], &[0, 2, 4, 6, 8][..])
        );
        b.free();
        a.free();
    });
}

#[test]
fn too_large_leaks_exactly_a_allocated_in_alloc_two_forgetful() {
    let (result, report) = check_leaks(|| alloc_two_forgetful(20));
    assert!(result.is_err());
    assert_eq!(report.leaks.len(), 1, "{report}");
    let leak = &report.leaks[0];
    assert_eq!((leak.size, leak.align), (80, 4));
    let stack = leak.stack();
    assert!(
        stack[0].starts_with("course::raw_buffer::RawBuffer::alloc (course/raw_buffer.rs:")
            && stack[1].starts_with("course::forgetful::alloc_two_forgetful (course/forgetful.rs:"),
        "{report}"
    );
}

#[test]
fn failing_b_leaks_a_too_and_failure_injection_finds_it() {
    let message = panic_message(|| {
        check_all_allocation_failures(|| {
            alloc_two_forgetful(5).map(|(a, b)| {
                b.free();
                a.free();
            })
        });
    });
    assert!(
        message.contains("1 of 2 failure points went wrong"),
        "{message}"
    );
    assert!(
        message.contains("allocation #1: leaked 20 bytes"),
        "{message}"
    );
}

/// The test above, run as `cargo test` runs it (cargo's own lines aside),
/// fails with the lab's report that the chapter shows.
#[test]
fn the_readers_test_fails_as_the_book_shows() {
    let shown = Shown::load("ch05_leak-test");
    let mut test = Command::new(std::env::current_exe().unwrap());
    test.args(shown.args_after_dashes())
        .env_remove("RUST_BACKTRACE")
        .current_dir(support::root());
    let (output, status) = run_merged(test);
    assert!(!status.success(), "the reader's test must fail:\n{output}");
    shown.assert_matches(&output);
}

/// valgrind on the example finds A's 80 bytes, "definitely lost", and the
/// chapter shows its whole report.
#[test]
fn valgrind_finds_what_the_book_shows() {
    let shown = Shown::load("ch05_leak-valgrind");
    let (program, args) = shown.command.split_first().unwrap();
    assert_eq!(program, "valgrind");
    // Run it from the directory where the shown relative path is the
    // example that `cargo test` just built, so valgrind prints the same path.
    let relative = args.last().unwrap();
    let binary = example_binary("ch05_leak");
    let directory = binary
        .to_str()
        .and_then(|path| path.strip_suffix(relative.as_str()))
        .unwrap_or_else(|| {
            panic!(
                "the chapter runs {relative}, but cargo built {}: run the tests \
                 with the default target directory and profile",
                binary.display()
            )
        });
    assert_valgrind_installed();
    let mut valgrind = Command::new(program);
    valgrind.args(args).current_dir(directory);
    let (output, status) = run_merged(valgrind);
    assert!(status.success(), "{output}");
    assert!(
        output.contains("definitely lost: 80 bytes in 1 blocks"),
        "{output}"
    );
    shown.assert_matches(&output);
}

/// The chapter says the 544 "still reachable" bytes are the standard
/// library's: a run that stops at once, on a usage error, has them too.
#[test]
fn the_still_reachable_block_is_there_even_when_the_program_does_nothing() {
    assert_valgrind_installed();
    let mut valgrind = Command::new("valgrind");
    valgrind
        .args(["--leak-check=full"])
        .arg(example_binary("ch05_leak"))
        .arg("abc"); // not a count: a usage error
    let (output, status) = run_merged(valgrind);
    assert_eq!(status.code(), Some(2), "{output}");
    assert!(
        output.contains("definitely lost: 0 bytes in 0 blocks"),
        "{output}"
    );
    assert!(
        output.contains("still reachable: 544 bytes in 1 blocks"),
        "{output}"
    );
}

fn assert_valgrind_installed() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        panic!("valgrind is not installed; chapter 5 runs it (Debian: apt-get install valgrind)");
    }
}
