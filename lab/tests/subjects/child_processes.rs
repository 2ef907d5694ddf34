//! The child processes of `check_all_allocation_failures` run exactly the
//! check that started them (an ignored test too, and never another test's
//! check), and never longer than the time limit.

use std::collections::TryReserveError;
use std::time::{Duration, Instant};

use crate::functions::{leaks_at_the_second, two_buffers};
use crate::support::{check_in_output, fn_place, inner_run, is_inner};
use cleanup_lab::check_all_allocation_failures;

/// The message of `check`, run on a thread the test spawns and names.
fn on_a_thread_named<R>(
    name: &str,
    check: impl FnOnce() -> R + Send + std::panic::UnwindSafe + 'static,
) -> String {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || crate::support::panic_of(check))
        .expect("a thread starts")
        .join()
        .expect("the thread ends")
}

#[test]
#[ignore = "run by an_ignored_test_is_checked_when_run_with_ignored"]
fn an_ignored_check() {
    let check = check_all_allocation_failures(two_buffers);
    assert_eq!(check.failure_points, 2);
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn an_ignored_test_is_checked_when_run_with_ignored() {
    let place = fn_place("lab/src/check_all/parent.rs", "run_child");
    for args in [&["--ignored"][..], &["--include-ignored", "--nocapture"]] {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command
            .args(["child_processes::an_ignored_check", "--exact"])
            .args(args);
        let (output, status) = crate::support::run_merged(command);
        check_in_output(
            &place,
            &format!("the ignored test an_ignored_check, run with {args:?}"),
            status.success() && output.contains("test result: ok. 1 passed"),
            "a pass",
            status,
            &output,
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_check_on_a_helper_thread_named_main_is_refused() {
    let place = fn_place("lab/src/check_all/parent.rs", "assert_found_again");
    let message = on_a_thread_named("main", || {
        check_all_allocation_failures(leaks_at_the_second)
    });
    crate::support::check(
        &place,
        "a check of a leaking function on a thread the test named \"main\"",
        message.contains("not the program's main thread"),
        "a refusal: not the program's main thread",
        message,
    );
}

/// Another test of this binary, with a correct function: when a child ran
/// the whole binary, its check answered for the helper thread's.
#[test]
fn another_test_with_a_correct_check() {
    check_all_allocation_failures(two_buffers);
}

#[test]
#[ignore = "waits for a child process to hang past the time limit: CI runs it, as \
            `cargo test -p cleanup-lab -- --ignored` does"]
fn a_function_that_hangs_is_stopped_at_the_time_limit() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        check_all_allocation_failures(|| -> Result<Vec<u8>, TryReserveError> {
            let mut buffer = Vec::new();
            if buffer.try_reserve_exact(10).is_err() {
                loop {
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
            Ok(buffer)
        });
        return;
    }
    let place = fn_place("lab/src/check_all/parent.rs", "wait_bounded");
    let mut command = inner_run(test, &[]);
    command.env("CLEANUP_LAB_TIME_LIMIT", "0.3");
    let start = Instant::now();
    let (output, status) = crate::support::run_merged(command);
    let took = start.elapsed();
    check_in_output(
        &place,
        "a check of a function that hangs when its allocation fails, with a 0.3 s limit",
        !status.success()
            && output.contains("allocation #1: the process did not end within 0.3 s")
            && took < Duration::from_secs(15),
        "a failure naming allocation #1 and the limit, within 15 s",
        format!("{status} after {took:?}"),
        &output,
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_time_limit_that_is_not_a_number_is_refused() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        check_all_allocation_failures(two_buffers);
        return;
    }
    let place = fn_place("lab/src/check_all/parent.rs", "time_limit");
    let mut command = inner_run(test, &[]);
    command.env("CLEANUP_LAB_TIME_LIMIT", "soon");
    let (output, status) = crate::support::run_merged(command);
    check_in_output(
        &place,
        "a check with CLEANUP_LAB_TIME_LIMIT=soon",
        !status.success()
            && output.contains("CLEANUP_LAB_TIME_LIMIT=soon: not a number of seconds")
            // The default the docs state (a minute).
            && output.contains("(unset, the limit is 60 s)"),
        "a failure naming the variable and the default limit, 60 s",
        status,
        &output,
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_check_on_a_thread_named_like_no_test_says_so() {
    let place = fn_place("lab/src/check_all/parent.rs", "count");
    let message = on_a_thread_named("worker-7", || check_all_allocation_failures(two_buffers));
    crate::support::check(
        &place,
        "a check on a thread the test named \"worker-7\"",
        message.contains("no test of this binary has that name"),
        "a failure saying that no test has that name",
        message,
    );
}

#[test]
#[cfg(target_os = "linux")]
fn a_child_starts_with_the_environment_the_process_started_with() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        // The test changes its environment before the check, as it may:
        // its children start from the environment it started with, and
        // run the same way.
        assert!(std::env::var_os("LAB_TEST_SET_BEFORE_THE_CHECK").is_none());
        // SAFETY: no other thread of this process reads the environment
        // now (the test runs alone, --test-threads=1).
        unsafe { std::env::set_var("LAB_TEST_SET_BEFORE_THE_CHECK", "1") };
        check_all_allocation_failures(two_buffers);
        return;
    }
    let place = fn_place(
        "lab/src/check_all/parent.rs",
        "start_as_the_process_started",
    );
    let (output, status) = crate::support::run_merged(inner_run(test, &[]));
    check_in_output(
        &place,
        "a check after the test set a variable it expects unset at its start",
        status.success(),
        "a pass",
        status,
        &output,
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs child processes, which Miri cannot")]
fn a_test_that_reads_its_stdin_before_a_check_is_told_so() {
    let test = &crate::support::this_test();
    if is_inner(test) {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        check_all_allocation_failures(two_buffers);
        return;
    }
    let place = fn_place("lab/src/check_all/parent.rs", "count");
    let mut command = inner_run(test, &[]);
    command.stdin(std::process::Stdio::null());
    let (output, status) = crate::support::run_merged(command);
    check_in_output(
        &place,
        "a check after the test read its standard input",
        !status.success() && output.contains("read its standard input before the check"),
        "a failure saying that the test read its standard input",
        status,
        &output,
    );
}
