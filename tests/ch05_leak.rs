//! Chapter 5's claims: the forgetful function leaks exactly A on each path
//! that fails after allocating A, and nothing otherwise; the lab and
//! valgrind both see it, and print what the chapter shows.

use crate::support;

use std::process::Command;

use course::lab::{check_all_allocation_failures, check_leaks};
use support::{Shown, check, check_in_output, fail, fn_place};

// ANCHOR: reader_test
use course::forgetful::alloc_two_forgetful;
use course::lab::assert_no_leaks;

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
        support::check_eq(
            &forgetful(),
            "the buffers alloc_two_forgetful(5) returns",
            (&[0, 1, 2, 3, 4][..], &[0, 2, 4, 6, 8][..]),
            (a.as_slice(), b.as_slice()),
        );
        b.free();
        a.free();
        // LIMIT itself is accepted: the limit is "more than LIMIT" (a
        // mutant that refused it, `>=`, went unseen by every test before).
        let accepted = alloc_two_forgetful(course::staged::LIMIT).map(|(a, b)| {
            a.free();
            b.free();
        });
        support::check_eq(
            &forgetful(),
            "alloc_two_forgetful(LIMIT), the largest count it accepts",
            Ok(()),
            accepted,
        );
    });
}

#[test]
fn too_large_leaks_exactly_a_allocated_in_alloc_two_forgetful() {
    let place = forgetful();
    let (result, report) = check_leaks(|| alloc_two_forgetful(20));
    check(
        &place,
        "alloc_two_forgetful(20) fails",
        result.is_err(),
        "Err",
        "Ok",
    );
    let what = "what alloc_two_forgetful(20) leaks: A alone, 80 bytes (align 4)";
    let leaks: Vec<(usize, usize)> = report.leaks.iter().map(|l| (l.size, l.align)).collect();
    if leaks != [(80, 4)] {
        fail(
            &place,
            what,
            "[(80, 4)] (size, align)",
            format!("{leaks:?}\n{report}"),
        );
    }
    let stack = report.leaks[0].stack();
    let expected_frames = [
        "course::raw_buffer::RawBuffer::alloc (course/raw_buffer.rs:",
        "course::forgetful::alloc_two_forgetful (course/forgetful.rs:",
    ];
    check(
        &place,
        "where the lab says A was allocated (innermost frames first)",
        stack.len() >= 2
            && stack[0].starts_with(expected_frames[0])
            && stack[1].starts_with(expected_frames[1]),
        expected_frames
            .map(|frame| format!("{frame}..."))
            .join("\n"),
        stack.join("\n"),
    );
}

#[test]
fn failing_b_leaks_a_too_and_failure_injection_finds_it() {
    let message = support::panic_message(|| {
        check_all_allocation_failures(|| {
            alloc_two_forgetful(5).map(|(a, b)| {
                b.free();
                a.free();
            })
        });
    });
    for expected in [
        "1 of 2 failure points went wrong",
        "allocation #2: leaked 20 bytes",
    ] {
        check(
            &forgetful(),
            "the lab's report when each allocation of alloc_two_forgetful(5) fails in turn",
            message.contains(expected),
            format!("a report containing {expected:?}"),
            &message,
        );
    }
}

/// The reader's test above, run as `cargo test` runs it (cargo's own lines
/// aside) but in a controlled environment (`support::run_controlled`),
/// fails with the lab's report that the chapter shows.
#[test]
fn the_readers_test_fails_as_the_book_shows() {
    if !support::shown_outputs_here(
        "chapter 5: the failing test's output (tests/shown/ch05_leak-test.console)",
    ) {
        return;
    }
    let shown = Shown::load("ch05_leak-test");
    let mut test = Command::new(std::env::current_exe().unwrap());
    test.args(shown.test_program_args())
        .current_dir(support::root());
    let (output, status) = support::run_controlled(test, &[], &[]);
    let code = format!(
        "the reader's test {} on {}",
        fn_place(
            "tests/ch05_leak.rs",
            "alloc_two_leaks_nothing_when_it_fails"
        ),
        forgetful()
    );
    check_in_output(
        &code,
        "the reader's test must fail: alloc_two_forgetful leaks A",
        !status.success(),
        "a failing test",
        status,
        &output,
    );
    shown.assert_matches(&output, &code);
}

/// What a reader's environment changes in the output the chapter shows,
/// as the chapter says: `RUST_BACKTRACE=1` replaces the note that suggests
/// it with a backtrace; the other common settings change nothing.
#[test]
fn what_the_readers_environment_changes() {
    if !support::shown_outputs_here(
        "chapter 5: what the reader's environment changes in the failing test's output",
    ) {
        return;
    }
    let shown = Shown::load("ch05_leak-test");
    let run = |vars: &[(&str, &str)]| {
        let mut test = Command::new(std::env::current_exe().unwrap());
        test.args(shown.test_program_args())
            .current_dir(support::root());
        support::run_controlled(test, &[], vars).0
    };
    let code = format!("the reader's test on {}", forgetful());

    let others: Vec<(&str, &str)> = support::READER_ENV
        .into_iter()
        .filter(|(name, _)| *name != "RUST_BACKTRACE")
        .collect();
    shown.assert_matches(&run(&others), &code);

    let note = "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
    let (before, after) = shown
        .output
        .split_once(note)
        .expect("the shown output has the note");
    let (before, after) = (support::mask_varying(before), support::mask_varying(after));
    let with_backtrace = support::mask_varying(&run(&[("RUST_BACKTRACE", "1")]));
    let replaced = with_backtrace
        .strip_prefix(before.as_str())
        .and_then(|rest| rest.strip_prefix("stack backtrace:\n"))
        .is_some_and(|rest| rest.ends_with(after.as_str()) && !rest.contains("note: run with"));
    check_in_output(
        &code,
        "with RUST_BACKTRACE=1, the chapter says a backtrace replaces the note, and nothing else changes",
        replaced,
        format!("the shown output with {note:?} replaced by \"stack backtrace:\" and its frames"),
        "something else",
        &with_backtrace,
    );
}

/// valgrind on the example finds A's 80 bytes, "definitely lost", and the
/// chapter shows its whole report.
#[test]
fn valgrind_finds_what_the_book_shows() {
    if !valgrind_available(
        "chapter 5: valgrind's report of the leak (tests/shown/ch05_leak-valgrind.console)",
    ) {
        return;
    }
    let shown = Shown::load("ch05_leak-valgrind");
    let (program, args) = shown.command.split_first().unwrap();
    assert_eq!(
        program,
        "valgrind",
        "{}: the command must run valgrind",
        shown.file()
    );
    // Run it from the directory where the shown relative path is the
    // example that `cargo test` just built, so valgrind prints the same path.
    let relative = args.last().unwrap();
    let binary = support::example_binary("ch05_leak");
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
    let mut valgrind = Command::new(program);
    valgrind.args(args).current_dir(directory);
    let (output, status) =
        support::run_remembered(support::controlled(valgrind, &[], &[]), &[&binary]);
    let code = format!("examples/ch05_leak.rs, which calls {}", forgetful());
    check_in_output(
        &code,
        "valgrind's exit status (a leak is not an error without --error-exitcode)",
        status.success(),
        "success",
        status,
        &output,
    );
    let lost = output
        .lines()
        .find(|line| line.contains("definitely lost:"));
    let expected = "definitely lost: 80 bytes in 1 blocks";
    check_in_output(
        &code,
        "valgrind must find A's 80 bytes definitely lost",
        lost.is_some_and(|line| line.contains(expected)),
        format!("{expected:?}"),
        support::shown_line(lost),
        &output,
    );
    shown.assert_matches(&output, &code);
}

/// The chapter says the 544 "still reachable" bytes are the standard
/// library's: a run that stops at once, on a usage error, has them too.
#[test]
fn the_still_reachable_block_is_there_even_when_the_program_does_nothing() {
    if !valgrind_available(
        "chapter 5: the 544 bytes valgrind finds still reachable are the standard library's",
    ) {
        return;
    }
    let binary = support::example_binary("ch05_leak");
    let mut valgrind = Command::new("valgrind");
    // Only the leak summary matters here: no list of blocks, no inlined
    // frames, no tracking of uninitialised values (0.75 s -> 0.43 s here).
    valgrind
        .args([
            "--leak-check=summary",
            "--read-inline-info=no",
            "--undef-value-errors=no",
        ])
        .arg(&binary)
        .arg("abc"); // not a count: a usage error
    let (output, status) =
        support::run_remembered(support::controlled(valgrind, &[], &[]), &[&binary]);
    let code = "examples/ch05_leak.rs abc (a usage error: it allocates nothing itself)";
    check_in_output(
        code,
        "its exit status under valgrind",
        status.code() == Some(2),
        "exit status: 2",
        status,
        &output,
    );
    for expected in [
        "definitely lost: 0 bytes in 0 blocks",
        "still reachable: 544 bytes in 1 blocks",
    ] {
        let kind = &expected[..expected.find(':').unwrap() + 1];
        let seen = output.lines().find(|line| line.contains(kind));
        check_in_output(
            code,
            "valgrind's leak summary",
            seen.is_some_and(|line| line.contains(expected)),
            format!("{expected:?}"),
            support::shown_line(seen),
            &output,
        );
    }
}

/// Whether valgrind can run here; if not, says that `what` was not checked.
fn valgrind_available(what: &str) -> bool {
    let found = support::not_checked::on_path("valgrind");
    if !found {
        support::not_checked::not_checked(
            what,
            "valgrind not found on PATH (Debian, Ubuntu: apt-get install valgrind)",
        );
    }
    found
}

/// Where the reader edits the function this chapter's checks are about.
fn forgetful() -> String {
    fn_place("course/forgetful.rs", "alloc_two_forgetful")
}
