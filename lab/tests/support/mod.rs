//! The helpers of the course's tests (tests/support/ at the root of the
//! repository) that the lab's tests use: failure messages, expected panics
//! and child processes. The rest of tests/support/ reads the rendered book,
//! which only the verification package's build script makes.
#![allow(dead_code)] // each test binary uses a different part

#[path = "../../../tests/support/basics.rs"]
mod basics;
#[path = "../../../tests/support/checks.rs"]
mod checks;
#[path = "../../../tests/support/not_checked.rs"]
mod not_checked_here;

use std::path::Path;

#[allow(unused_imports)] // as above: each test binary uses a different part
pub use basics::{catch_expected, panic_message, panic_payload_text, run_merged};
#[allow(unused_imports)]
pub use checks::{check, check_eq, check_in_output, fail, fn_place};
#[allow(unused_imports)]
pub use not_checked_here::not_checked;

/// The project's root directory, which the paths of messages start from.
pub fn root() -> &'static Path {
    // The lab is the package in lab/; the repository is one up.
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package.parent().unwrap_or(package)
}

/// Set in a child process of a test binary to the name of the test whose
/// inner part it runs (see [`inner_run`]).
pub const INNER: &str = "LAB_TEST_INNER";

/// True in the child process that runs the inner part of `test`.
pub fn is_inner(test: &str) -> bool {
    std::env::var(INNER).is_ok_and(|name| name == test)
}

/// This binary, running `test` alone in a child process with its inner
/// part on, with `args` after the test's name (`--nocapture`, `--ignored`);
/// the caller adds the environment.
pub fn inner_run(test: &str, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args([test, "--exact", "--include-ignored", "--test-threads=1"])
        .args(args)
        .env(INNER, test)
        // An inner run's panics are expected: printing a backtrace for
        // one (RUST_BACKTRACE=1, as many readers have it) reads the debug
        // information, a tenth of a second each. A test may set it again.
        .env("RUST_BACKTRACE", "0");
    command
}

/// The name of the running test, as the harness names its thread: with
/// its module path, as `--exact` wants it.
pub fn this_test() -> String {
    std::thread::current()
        .name()
        .expect("a test's thread has the test's name")
        .to_string()
}

/// The message `f` panics with, or "a pass" if it returns: for a check
/// that must fail. The panic is expected, so it is not printed.
pub fn panic_of<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> String {
    match catch_expected(f) {
        Ok(_) => "a pass".to_string(),
        Err(payload) => panic_payload_text(&*payload),
    }
}
