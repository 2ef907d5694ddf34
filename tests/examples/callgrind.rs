//! The benchmarks' instruction counting (`course/callgrind.rs`) as far as
//! a debug build reaches: the measured child's side (a benchmark told its
//! variant runs that one and prints nothing) and the messages of its
//! errors. The counts themselves need a release build and valgrind: the
//! ignored tests of tests/ch03_guard_cost.rs and tests/ch07_dispatch.rs,
//! which .ci/run runs after building the benchmarks in release.

use std::io;

use course::callgrind::CountError;

use crate::programs::{finish, programs};

#[test]
fn a_benchmark_told_its_variant_runs_only_that_and_prints_nothing() {
    let program = programs()
        .into_iter()
        .find(|program| program.name == "ch03_guard_cost")
        .expect("examples/ch03_guard_cost.rs is a program of the README's table");
    let mut command = program.command(&["100"]);
    command.env("COURSE_CALLGRIND_VARIANT", "with guards, n = 5");
    let output = finish(&mut command);
    let place = "course/callgrind.rs (variant_to_run, per_call)";
    assert!(
        output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
        "{place}: ch03_guard_cost 100, as callgrind's child for the variant \
         \"with guards, n = 5\": expected status 0 and no output (the parent prints \
         the figures), seen {:?} with stdout {:?} and stderr {:?}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

#[test]
fn count_errors_say_what_went_wrong() {
    let cases = [
        (
            CountError::NoValgrind(io::Error::from(io::ErrorKind::NotFound)),
            "cannot run valgrind (entity not found); install it (Debian or Ubuntu: \
             apt-get install valgrind)",
        ),
        (
            CountError::Failed("==1== bad option".into()),
            "valgrind failed:\n==1== bad option",
        ),
        (
            CountError::NothingCounted("*::measured".into()),
            "callgrind counted no instruction inside *::measured",
        ),
        (
            CountError::Output("no total".into()),
            "cannot read callgrind's output: no total",
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(
            error.to_string(),
            expected,
            "course/callgrind.rs (Display for CountError): the message of {error:?}"
        );
    }
}
