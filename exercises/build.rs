//! Which file each check program compiles as the answer to its exercise.
//! By default, the reader's: `exercises/NAME.rs`. CI proves the checks
//! themselves with other answers (.ci/exercises):
//!
//! - `COURSE_EXERCISE_ANSWERS=solutions`: every check compiles
//!   `exercises/solutions/NAME.rs`;
//! - `COURSE_EXERCISE_ANSWER="NAME=wrong/NAME/WHAT.rs ..."`: the check of
//!   each `NAME` named compiles that file (a known-wrong answer) instead.
//!
//! Each check program reads its file's path from `env!("ANSWER_NAME")`;
//! the package's test (tests/answers.rs) reads every `NAME=FILE` pair from
//! `env!("ANSWERS")`, separated by spaces.

use std::env;
use std::fs;

fn main() {
    println!("cargo:rerun-if-changed=checks");
    println!("cargo:rerun-if-env-changed=COURSE_EXERCISE_ANSWERS");
    println!("cargo:rerun-if-env-changed=COURSE_EXERCISE_ANSWER");
    let dir = env::var("COURSE_EXERCISE_ANSWERS").unwrap_or_else(|_| ".".into());
    // One or more `NAME=FILE` pairs, separated by spaces: CI judges one
    // wrong answer of each exercise per build.
    let chosen = env::var("COURSE_EXERCISE_ANSWER").unwrap_or_default();
    let chosen: Vec<(&str, &str)> = chosen
        .split_whitespace()
        .map(|spec| {
            spec.split_once('=')
                .expect("COURSE_EXERCISE_ANSWER is NAME=FILE ... (FILE relative to exercises/)")
        })
        .collect();
    let mut answers = Vec::new();
    for entry in fs::read_dir("checks").expect("exercises/checks/ exists") {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        let file = match chosen.iter().find(|(exercise, _)| *exercise == name) {
            Some((_, file)) => file.to_string(),
            None if dir == "." => format!("{name}.rs"),
            None => format!("{dir}/{name}.rs"),
        };
        println!("cargo:rustc-env=ANSWER_{name}={file}");
        answers.push(format!("{name}={file}"));
    }
    answers.sort();
    // rustc-env takes one line: the pairs are joined with a space (no
    // exercise or answer file has one in its name).
    println!("cargo:rustc-env=ANSWERS={}", answers.join(" "));
}
