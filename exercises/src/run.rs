//! Running a check program and reading its verdict, in a way the answer
//! it compiles cannot forge.
//!
//! The answer runs inside the check program, so whatever the program
//! prints or how it exits could be the answer's doing: a `✓ done` printed
//! by the answer, an `exit(0)` before any check ran. So the runner gives
//! the check a secret (a nonce, on its standard input, which the check
//! reads before any of the answer's code runs) and believes only the
//! report lines that carry it, ending in a verdict line; the program must
//! then also end with status 0. Everything else the program printed is the
//! answer's, shown as such. A program that runs past the time limit is
//! stopped, with the lab's child processes it started.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// Set for a check program run by the runner: its nonce is waiting on
/// standard input.
pub(crate) const NONCE_ON_STDIN: &str = "COURSE_EXERCISE_NONCE_ON_STDIN";

/// The variables a check program gets from the runner's environment.
const KEPT_VARIABLES: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TERM",
    "TMPDIR",
    "SYSTEMROOT",
    "TEMP",
    "TMP",
];

/// What changes the time limit, in seconds.
pub const TIME_LIMIT_VAR: &str = "COURSE_EXERCISE_TIME_LIMIT";

/// How long a check may run, unless `COURSE_EXERCISE_TIME_LIMIT` says
/// otherwise: a correct answer's check takes well under a second.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The time limit: `COURSE_EXERCISE_TIME_LIMIT` seconds, or the default.
pub fn time_limit() -> Duration {
    std::env::var(TIME_LIMIT_VAR)
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
        .map_or(DEFAULT_TIME_LIMIT, Duration::from_secs_f64)
}

/// What a check program said about an answer.
pub struct Outcome {
    /// Whether the check ran to its end and passed the answer.
    pub passed: bool,
    /// The report to show the reader: the check's lines, or why there is
    /// no verdict; then what the answer printed, if anything.
    pub report: String,
}

/// Runs the check program `program` of exercise `name`, at most `limit`.
pub fn run_check_program(program: &Path, name: &str, limit: Duration) -> Outcome {
    let nonce = new_nonce();
    let mut command = Command::new(program);
    // Only the environment a program needs: no variable of cargo's (or of
    // this runner's) tells the answer that it is being checked.
    command.env_clear();
    for (name, value) in std::env::vars_os() {
        if KEPT_VARIABLES.iter().any(|kept| name == *kept) {
            command.env(name, value);
        }
    }
    // A temporary directory of its own, looked at when it ends: a file the
    // answer leaves there (a backup, a draft) is a file left behind.
    let scratch = tempfile::Builder::new().prefix("exercise-").tempdir();
    if let Ok(scratch) = &scratch {
        command.env("TMPDIR", scratch.path());
    }
    command
        .env(NONCE_ON_STDIN, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own, so that the lab's child processes are stopped
    // with it when the time is up.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            return Outcome {
                passed: false,
                report: format!(
                    "✗ {name}: cannot run the check ({}): {error}\n",
                    program.display()
                ),
            };
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The check reads one line; an answer that never lets it get that
        // far finds nothing more there.
        let _ = writeln!(stdin, "{nonce}");
    }
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let ended = wait_at_most(&mut child, limit);
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let mut outcome = judge(name, &nonce, ended, &stdout, &stderr, limit);
    let left: Vec<String> = scratch
        .iter()
        .flat_map(|scratch| {
            std::fs::read_dir(scratch.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if outcome.passed && !left.is_empty() {
        outcome.passed = false;
        outcome.report = format!(
            "✗ {name}: not yet (you edit exercises/{name}.rs)\n  ✗ your code left `{}` in the \
             temporary directory: a function leaves behind nothing it does not hand over\n",
            left.join("`, `")
        );
    }
    outcome
}

/// How the program ended.
enum Ended {
    Exited(ExitStatus),
    TimedOut,
    Interrupted,
    Lost(std::io::Error),
}

/// Waits for `child` at most `limit`; then, or on Ctrl-C, stops it and
/// its group.
fn wait_at_most(child: &mut Child, limit: Duration) -> Ended {
    let interrupted = interrupt_flag();
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ended::Exited(status),
            Ok(None) => {}
            Err(error) => {
                stop_group(child);
                return Ended::Lost(error);
            }
        }
        let interrupt = interrupted.load(Ordering::Relaxed);
        if interrupt || start.elapsed() >= limit {
            stop_group(child);
            let _ = child.wait();
            return if interrupt {
                Ended::Interrupted
            } else {
                Ended::TimedOut
            };
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Set when the reader presses Ctrl-C (or the runner is told to stop):
/// the check's group does not get the terminal's signal, so the runner
/// passes it on.
fn interrupt_flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        for signal in [
            signal_hook::consts::SIGINT,
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
        ] {
            // Failing to register leaves Ctrl-C as it is: it stops the
            // runner, and the time limit no longer applies to the check.
            let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
        }
        flag
    })
}

/// Kills the group `child` leads (on Unix), or `child`.
fn stop_group(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
    #[cfg(not(unix))]
    let _ = child.kill();
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The verdict line that ends a check's report: `NONCE end pass|fail`.
pub(crate) const END_PASS: &str = "end pass";
pub(crate) const END_FAIL: &str = "end fail";
/// The line a check prints before it runs the answer's code:
/// `NONCE running WHAT`.
pub(crate) const RUNNING: &str = "running ";

/// The outcome, from what the program printed and how it ended.
fn judge(
    name: &str,
    nonce: &str,
    ended: Ended,
    stdout: &str,
    stderr: &str,
    limit: Duration,
) -> Outcome {
    let prefix = format!("{nonce} ");
    let mut report = String::new();
    let mut printed = Vec::new();
    let mut verdict = None;
    let mut running = None;
    for line in stdout.lines() {
        match line.strip_prefix(&prefix) {
            Some(END_PASS) => verdict = Some(true),
            Some(END_FAIL) => verdict = Some(false),
            Some(line) if line.starts_with(RUNNING) => running = Some(&line[RUNNING.len()..]),
            Some(line) => {
                report.push_str(line);
                report.push('\n');
            }
            None => printed.push(line),
        }
    }
    let not_yet = format!("✗ {name}: not yet (you edit exercises/{name}.rs)");
    let why_no_verdict = |report: &mut String, why: String| {
        report.clear();
        report.push_str(&format!("{not_yet}\n  ✗ {why}\n"));
        if let Some(running) = running {
            report.push_str(&format!("    It happened while the check ran {running}.\n"));
        }
        // The first lines say what happened (a backtrace may follow).
        let said: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        if !said.is_empty() {
            report.push_str("    The program printed on stderr:\n");
            for line in said.iter().take(4) {
                report.push_str(&format!("    | {line}\n"));
            }
        }
        report.push_str(&format!("  A hint: cargo exercise hint {name}\n"));
    };
    let passed = match (ended, verdict) {
        (Ended::Exited(status), Some(true)) if status.success() => true,
        (Ended::Exited(status), Some(_)) if !status.success() => {
            if verdict == Some(true) {
                // The checks passed, then something of the answer's ended
                // the program badly (a thread of its own, say).
                report = report.replace(&format!("✓ {name}: done"), &not_yet);
                report.push_str(&format!(
                    "  ✗ after the checks, the program ended with {}: {}\n",
                    status,
                    ending(status)
                ));
            }
            false
        }
        (Ended::Exited(_), Some(passed)) => passed,
        (Ended::Exited(status), None) => {
            why_no_verdict(
                &mut report,
                format!(
                    "the program ended before the check could finish ({status}): {}",
                    ending(status)
                ),
            );
            false
        }
        (Ended::TimedOut, _) => {
            why_no_verdict(
                &mut report,
                format!(
                    "the check did not finish within {} s, and was stopped: does your \
                     code loop forever, or wait for something that never comes? \
                     ({TIME_LIMIT_VAR}=SECONDS waits longer)",
                    limit.as_secs_f64()
                ),
            );
            false
        }
        (Ended::Interrupted, _) => {
            why_no_verdict(
                &mut report,
                "stopped (Ctrl-C) before the check finished".into(),
            );
            false
        }
        (Ended::Lost(error), _) => {
            why_no_verdict(&mut report, format!("lost the check program: {error}"));
            false
        }
    };
    let printed: Vec<&str> = printed
        .into_iter()
        .filter(|line| !line.trim().is_empty())
        .collect();
    if !printed.is_empty() {
        report.push_str("  Your code printed (not part of the verdict):\n");
        for line in printed.iter().take(20) {
            report.push_str(&format!("    | {line}\n"));
        }
        if printed.len() > 20 {
            report.push_str(&format!(
                "    | ... and {} lines more\n",
                printed.len() - 20
            ));
        }
    }
    Outcome { passed, report }
}

/// What a status without a verdict means, in a few words.
fn ending(status: ExitStatus) -> String {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return match signal {
            6 => "your code aborted the program (std::process::abort, or an \
                  allocation on an infallible path such as vec!, Box::new or push \
                  that could not get its memory)"
                .to_string(),
            9 => "the program was killed (SIGKILL): by the system, out of memory?".to_string(),
            11 => "the program crashed (SIGSEGV): a bad pointer in unsafe code?".to_string(),
            signal => format!("the program was ended by signal {signal}"),
        };
    }
    match status.code() {
        Some(101) => "a panic outside the checks ended it (see below)".to_string(),
        Some(code) => format!(
            "your code ended the program (std::process::exit({code})?), or closed the \
             standard output the check reports on: a function must return its result, \
             never end the program"
        ),
        None => "it ended without a status".to_string(),
    }
}

/// A number no answer can guess: from the standard library's random
/// hashing keys, the time and the process id.
fn new_nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut text = String::from("course-verdict-");
    for round in 0..2u64 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(round);
        hasher.write_u32(std::process::id());
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |time| time.as_nanos()),
        );
        text.push_str(&format!("{:016x}", hasher.finish()));
    }
    text
}
