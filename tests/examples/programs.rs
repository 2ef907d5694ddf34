//! The example programs as the tests run them: what the README says about
//! each, a quick run that succeeds, child processes in a hostile
//! environment, and what every failure must look like.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::support::{
    READER_ENV, aborted, example_binary, example_names, files_ending, panic_payload_text, root,
    signal_of,
};

/// What a program takes on its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// An optional count (`N`, `CALLS`).
    Count,
    /// `[--force] INPUT OUTPUT`.
    TwoPaths,
}

pub struct Program {
    pub name: String,
    /// How README.md's table of programs says to run it, e.g.
    /// `cargo run --example ch02_error_sets -- N`.
    pub readme: String,
    pub takes: Takes,
}

/// Every example program, with its row of the README's table.
pub fn programs() -> Vec<Program> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    // The table's rows start with the command: "| `cargo run ...` | ...".
    let commands: Vec<&str> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
        .filter(|command| command.starts_with("cargo run "))
        .collect();
    example_names()
        .into_iter()
        .map(|name| {
            let example = format!(" --example {name} ");
            let readme = commands
                .iter()
                .find(|command| command.contains(&example))
                .unwrap_or_else(|| {
                    panic!("examples/{name}.rs has no row in README.md's table of programs")
                })
                .to_string();
            // `N` or `[N]`: the table may leave out the brackets of an
            // optional argument.
            let args = readme.split(" -- ").nth(1).unwrap_or("");
            let args = args.replace(['[', ']'], "");
            let args: Vec<&str> = args.split(' ').collect();
            let takes = match args.as_slice() {
                ["--force", "INPUT", "OUTPUT"] => Takes::TwoPaths,
                [count] if !count.is_empty() && count.bytes().all(|b| b.is_ascii_uppercase()) => {
                    Takes::Count
                }
                _ => panic!("README.md: {name} takes {args:?}, which no test knows"),
            };
            Program {
                name,
                readme,
                takes,
            }
        })
        .collect()
}

/// Runs `check` on every program of `chapter` (`ch03`) at once, one thread each (the checks
/// mostly wait for child processes), and reports every program that
/// failed, not only the first.
pub fn for_each_program(chapter: &str, check: impl Fn(&Program) + Sync) {
    if !crate::support::programs_run_here(chapter) {
        return;
    }
    let prefix = format!("{chapter}_");
    let mut programs = programs();
    programs.retain(|program| program.name.starts_with(&prefix));
    let failures: Vec<String> = thread::scope(|scope| {
        let checks: Vec<_> = programs
            .iter()
            .map(|program| scope.spawn(|| check(program)))
            .collect();
        checks
            .into_iter()
            .zip(&programs)
            .filter_map(|(check, program)| {
                let panic = check.join().err()?;
                Some(format!("{}: {}", program.name, panic_payload_text(&*panic)))
            })
            .collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// A run that succeeds quickly: the first successful case of tests/cmd/,
/// in a copy of its directory if the case has one. The benchmarks
/// (ch03_guard_cost, ch06_bench, ch07_dispatch) take 10 to 20 ms by
/// default in a debug build, so each has a case with a small count,
/// `NAME-COUNT.toml`, which sorts first (0.8 ms each).
pub struct QuickRun {
    pub args: Vec<String>,
    pub dir: Option<tempfile::TempDir>,
}

impl Program {
    /// A command that runs this program with `args`, stdin empty, stdout
    /// and stderr collected, in the hostile environment. [`finish`] runs it.
    pub fn command(&self, args: &[impl AsRef<OsStr>]) -> Command {
        let mut command = Command::new(example_binary(&self.name));
        command.args(args).envs(READER_ENV);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs it with `args`.
    pub fn run(&self, args: &[impl AsRef<OsStr>]) -> Output {
        finish(&mut self.command(args))
    }

    /// See [`QuickRun`]; `command` runs it.
    pub fn quick_run(&self) -> QuickRun {
        for path in files_ending("tests/cmd", ".toml") {
            let case = crate::cases::load(&path).unwrap_or_else(|e| panic!("{e}"));
            if case.bin != self.name || case.code.is_some_and(|code| code != 0) {
                continue;
            }
            let dir = case.sandbox.then(|| {
                let dir = tempfile::tempdir().unwrap();
                if let Some(base) = &case.base {
                    copy_dir(base, dir.path());
                }
                dir
            });
            return QuickRun {
                args: case.args,
                dir,
            };
        }
        panic!("{}: no successful case in tests/cmd/", self.name)
    }

    /// A command for [`Program::quick_run`]: keep `run` until it is done.
    pub fn quick_command(&self, run: &QuickRun) -> Command {
        let mut command = self.command(&run.args);
        if let Some(dir) = &run.dir {
            command.current_dir(dir.path());
        }
        command
    }
}

/// How long a run may take. The quick runs and the refusals take
/// milliseconds: a program still running after this is stuck, or set to
/// work for hours.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Runs `command` to the end, and what it printed; see [`wait`].
pub fn finish(command: &mut Command) -> Output {
    let child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    wait(child, &format!("{command:?}"))
}

/// Waits for `child` and collects what it printed; kills it and fails if
/// it runs longer than [`TIME_LIMIT`], so a test fails instead of hanging.
pub fn wait(child: Child, context: &str) -> Output {
    let pid = child.id().to_string();
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(child.wait_with_output()));
    match result.recv_timeout(TIME_LIMIT) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            // Not reaped yet, so the process id is still the child's.
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("{context}: still running after {TIME_LIMIT:?}, killed");
        }
    }
}

/// Copies the files of `from` into `to`, subdirectories included.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target: PathBuf = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// Fails unless the program ended by itself (not killed by a signal, no
/// panic) with status `code`.
#[track_caller]
pub fn assert_status(context: &str, output: &Output, code: i32) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        signal_of(&output.status),
        None,
        "{context}: killed by a signal (an abort?); stderr: {stderr:?}"
    );
    assert!(
        !aborted(&output.status),
        "{context}: aborted; stderr: {stderr:?}"
    );
    assert!(
        !stderr.contains("panicked"),
        "{context}: it panicked: {stderr:?}"
    );
    assert_eq!(
        output.status.code(),
        Some(code),
        "{context}: wrong exit status; stderr: {stderr:?}"
    );
}

/// Fails unless the program reported a failure as the programs do: status
/// 1 (it failed), 2 (bad usage) or 3 (done, but a step after it failed),
/// and exactly one line on stderr, `error: ...`.
#[track_caller]
pub fn assert_one_error_line(context: &str, output: &Output) {
    let code = output.status.code().filter(|code| [1, 2, 3].contains(code));
    assert_status(context, output, code.unwrap_or(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.lines().count(),
        1,
        "{context}: not one line on stderr: {stderr:?}"
    );
    assert!(
        stderr.starts_with("error: ") && stderr.ends_with('\n'),
        "{context}: {stderr:?}"
    );
}
