//! `cargo exercise`: check your answers to the course's exercises.
//!
//! - `cargo exercise NAME`: checks exercises/NAME.rs and says what is wrong;
//! - `cargo exercise`: your progress over all of them, and what is next;
//! - `cargo exercise hint NAME`: a hint;
//! - `cargo exercise watch`: checks the first unsolved exercise again each
//!   time you save a file of exercises/, then moves on to the next.
//!
//! Each check is a program of exercises/checks/, built and run by cargo.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, SystemTime};

use course_exercises::run::{run_check_program, time_limit};
use course_exercises::{EXERCISES, Exercise, exercise};

const USAGE: &str = "usage: cargo exercise [NAME | hint NAME | watch]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args[..] {
        [] | ["list"] => progress(),
        ["watch"] => watch(),
        ["hint", name] => match exercise(name) {
            Some(exercise) => {
                println!("{}: {}", exercise.name, exercise.hint);
                ExitCode::SUCCESS
            }
            None => unknown(name),
        },
        ["-h" | "--help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        [name] => match exercise(name) {
            Some(exercise) => {
                println!("{}: {}", exercise.name, exercise.task);
                if run_check(exercise, false).passed {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            None => unknown(name),
        },
        _ => {
            eprintln!("error: {USAGE}");
            ExitCode::from(2)
        }
    }
}

fn unknown(name: &str) -> ExitCode {
    let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
    eprintln!(
        "error: no exercise {name:?}; the exercises: {}",
        names.join(", ")
    );
    ExitCode::from(2)
}

/// What a check said.
struct Verdict {
    passed: bool,
    /// Its report.
    output: String,
}

/// Builds and runs the check of `exercise`, and prints its report unless
/// `quiet` (then the report is kept for the caller).
fn run_check(exercise: &Exercise, quiet: bool) -> Verdict {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--quiet", "--package", "course-exercises", "--bin"])
        .arg(exercise.name)
        .current_dir(root());
    // Quiet, the compiler's errors are kept: the summary says where to see them.
    let built = if quiet {
        build
            .stdin(Stdio::null())
            .output()
            .map(|output| output.status)
    } else {
        build.status()
    };
    match built {
        Ok(status) if status.success() => {}
        Ok(_) => {
            return Verdict {
                passed: false,
                output: format!(
                    "✗ {}: does not compile yet (`cargo exercise {}` shows the errors)\n",
                    exercise.name, exercise.name
                ),
            };
        }
        Err(error) => {
            return Verdict {
                passed: false,
                output: format!("cannot run cargo: {error}\n"),
            };
        }
    }
    // The check programs are built beside this runner.
    let program = std::env::current_exe()
        .unwrap_or_default()
        .with_file_name(format!("{}{}", exercise.name, std::env::consts::EXE_SUFFIX));
    let outcome = run_check_program(&program, exercise.name, time_limit());
    if !quiet {
        print!("{}", outcome.report);
    }
    Verdict {
        passed: outcome.passed,
        output: outcome.report,
    }
}

/// The repository's root, where cargo finds the workspace.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Checks every exercise; prints one line each, the count, and what next.
fn progress() -> ExitCode {
    let mut done = 0;
    let mut next = None;
    for exercise in EXERCISES {
        let verdict = run_check(exercise, true);
        if verdict.passed {
            done += 1;
            println!("✓ {}", exercise.name);
        } else {
            println!("✗ {}", exercise.name);
            next.get_or_insert((exercise, verdict.output));
        }
    }
    println!("{done} of {} exercises done", EXERCISES.len());
    match next {
        None => ExitCode::SUCCESS,
        Some((exercise, output)) => {
            println!(
                "\nNext: {} (exercises/{}.rs): {}\n",
                exercise.name, exercise.name, exercise.task
            );
            print!("{output}");
            ExitCode::FAILURE
        }
    }
}

/// Checks the first unsolved exercise, then again after every save of a
/// file under exercises/, moving on as each passes. Ends with Ctrl-C, or
/// when every exercise is done.
fn watch() -> ExitCode {
    let dir = root().join("exercises");
    let mut index = 0;
    loop {
        let Some(exercise) = EXERCISES.get(index) else {
            println!("Every exercise is done.");
            return ExitCode::SUCCESS;
        };
        println!("\n== {}: {}", exercise.name, exercise.task);
        if run_check(exercise, false).passed {
            index += 1;
            continue;
        }
        println!("(watching exercises/ for your next save; Ctrl-C to stop)");
        let seen = newest_change(&dir);
        while newest_change(&dir) == seen {
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

/// The latest modification time of a file under `dir`.
fn newest_change(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                newest = newest.max(Some(modified));
            }
        }
    }
    newest
}
