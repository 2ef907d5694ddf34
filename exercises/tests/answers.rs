//! Every check program gives the answer it was built with the verdict that
//! answer deserves. build.rs decides which file each check compiles:
//!
//! - `cargo test -p course-exercises`: the starters (exercises/NAME.rs),
//!   each of which must fail its check, untouched;
//! - `COURSE_EXERCISE_ANSWERS=solutions cargo test -p course-exercises`:
//!   the solutions, each of which must pass (cargo-mutants runs this to
//!   see whether a changed solution is caught: .ci/mutants);
//! - `COURSE_EXERCISE_ANSWER="NAME=wrong/NAME/WHAT.rs ..." cargo test -p
//!   course-exercises`: each known-wrong answer named, which must be rejected
//!   with every message its `// expect:` lines name (.ci/exercises).

use std::path::Path;
use std::time::Duration;
use std::{env, fs, thread};

use course_exercises::EXERCISES;
use course_exercises::run::{TIME_LIMIT_VAR, run_check_program, time_limit};

/// What a check must say about an answer.
enum Deserves {
    /// A pass: a reference solution.
    Pass,
    /// A rejection, its report holding each of these messages: a starter
    /// (no message named) or a known-wrong answer (one or more).
    Rejection(Vec<String>),
}

/// What the answer `file` (relative to exercises/) to `name` deserves.
fn deserves(name: &str, file: &str) -> Result<Deserves, String> {
    if file == format!("{name}.rs") {
        return Ok(Deserves::Rejection(Vec::new()));
    }
    if file == format!("solutions/{name}.rs") {
        return Ok(Deserves::Pass);
    }
    if file.starts_with(&format!("wrong/{name}/")) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = fs::read_to_string(&path)
            .map_err(|error| format!("cannot read exercises/{file}: {error}"))?;
        let expected: Vec<String> = text
            .lines()
            .filter_map(|line| line.strip_prefix("// expect: "))
            .map(str::to_string)
            .collect();
        if expected.is_empty() {
            return Err(format!(
                "exercises/{file}: a wrong answer names the messages its check \
                 must give, on `// expect: MESSAGE` lines; it has none"
            ));
        }
        return Ok(Deserves::Rejection(expected));
    }
    Err(format!(
        "exercises/{file}: not a starter, a solution or a known-wrong answer \
         (wrong/{name}/...) of {name}, so this test cannot say what its check \
         should answer"
    ))
}

/// What is wrong with the verdict the check of `name` gave `file`, if anything.
fn judge(name: &str, file: &str) -> Option<String> {
    let deserves = match deserves(name, file) {
        Ok(deserves) => deserves,
        Err(problem) => return Some(problem),
    };
    // The check program, built beside this test by cargo, run as
    // `cargo exercise` runs it. Fourteen of them run at once here, so
    // they get more time than a reader's one (unless told otherwise).
    let runner = Path::new(env!("CARGO_BIN_EXE_exercise"));
    let program = runner.with_file_name(format!("{name}{}", env::consts::EXE_SUFFIX));
    let limit = match env::var_os(TIME_LIMIT_VAR) {
        Some(_) => time_limit(),
        None => Duration::from_secs(30),
    };
    let outcome = run_check_program(&program, name, limit);
    let said = &outcome.report;
    match deserves {
        Deserves::Pass if outcome.passed => None,
        Deserves::Pass => Some(format!(
            "exercises/{file} must pass the check of {name}; it did not:\n{said}"
        )),
        Deserves::Rejection(_) if outcome.passed => Some(format!(
            "exercises/{file} must be rejected by the check of {name}; it passed:\n{said}"
        )),
        Deserves::Rejection(expected) => {
            let missing: Vec<&String> = expected
                .iter()
                .filter(|message| !said.contains(message.as_str()))
                .collect();
            if !missing.is_empty() {
                return Some(format!(
                    "exercises/{file} was rejected by the check of {name}, but \
                     without the message(s) {missing:?} its `// expect:` lines \
                     name; the check said:\n{said}"
                ));
            }
            shown_report_differs(file, said)
        }
    }
}

/// A wrong answer whose report the book shows has it beside it, whole:
/// `wrong/NAME/WHAT.report`. What differs from the report now, if anything
/// (`COURSE_EXERCISE_BLESS=1` writes the report seen instead).
fn shown_report_differs(file: &str, said: &str) -> Option<String> {
    let shown = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(file)
        .with_extension("report");
    let Ok(expected) = fs::read_to_string(&shown) else {
        return None; // the book shows no report of this answer
    };
    if env::var_os("COURSE_EXERCISE_BLESS").is_some() {
        fs::write(&shown, said).expect("the report can be written");
        return None;
    }
    let report = format!(
        "exercises/{}",
        Path::new(file).with_extension("report").display()
    );
    let line = expected
        .lines()
        .zip(said.lines())
        .position(|(expected, seen)| expected != seen)
        .unwrap_or(expected.lines().count().min(said.lines().count()));
    (expected != said).then(|| {
        format!(
            "{report}:{}: the book shows this report of the check (refresh it, if the \
             change is meant, with COURSE_EXERCISE_BLESS=1); expected {:?}, seen {:?}; \
             the check said:\n{said}",
            line + 1,
            expected.lines().nth(line).unwrap_or("(the end)"),
            said.lines().nth(line).unwrap_or("(the end)"),
        )
    })
}

#[test]
fn every_check_gives_its_answer_the_verdict_it_deserves() {
    let answers: Vec<(&str, &str)> = env!("ANSWERS")
        .split(' ')
        .map(|pair| pair.split_once('=').expect("build.rs writes NAME=FILE"))
        .collect();
    let names: Vec<&str> = answers.iter().map(|(name, _)| *name).collect();
    let mut listed: Vec<&str> = EXERCISES.iter().map(|exercise| exercise.name).collect();
    listed.sort();
    assert_eq!(
        names, listed,
        "exercises/checks/ and EXERCISES (exercises/src/lib.rs) name different exercises"
    );

    // The checks run at once: each is its own process.
    let problems: Vec<String> = thread::scope(|scope| {
        let running: Vec<_> = answers
            .iter()
            .map(|&(name, file)| scope.spawn(move || judge(name, file)))
            .collect();
        running
            .into_iter()
            .filter_map(|check| check.join().expect("a check's thread panicked"))
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} of {} checks gave the wrong verdict:\n\n{}",
        problems.len(),
        answers.len(),
        problems.join("\n\n")
    );
}
