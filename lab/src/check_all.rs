//! `check_all_allocation_failures`: fail each allocation of a function in
//! turn, and demand an out-of-memory error and no leak every time.
//!
//! Why child processes: Rust's infallible allocation paths (`vec!`,
//! `Box::new`, `push`, `format!`) abort the process when an allocation
//! fails, and no stable API can stop that. So every failure point runs in a
//! fresh copy of the current program (the same test, or the same binary with
//! the same arguments), and an abort there becomes a clear test failure
//! here, naming the allocation that reached an infallible path.

use std::cell::Cell;
use std::collections::TryReserveError;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::process::{Command, Stdio};

use super::failure::{self, ANNOUNCE_ENV, CHILD_ENV, CHILD_REPORT};
use super::{LeakReport, check_leaks, count_allocations, with_failure_at};

/// An error that can tell whether it means "out of memory", as
/// [`check_all_allocation_failures`] demands of every run it fails. The lab
/// implements it for `TryReserveError` and `std::io::Error`; implement it
/// for your own error type:
///
/// ```
#[doc = include_str!("../doc-examples/out_of_memory.rs")]
/// ```
pub trait OutOfMemory {
    /// True if this error reports a failed allocation.
    ///
    /// # Example
    ///
    /// ```
    #[doc = include_str!("../doc-examples/out_of_memory_is_out_of_memory.rs")]
    /// ```
    fn is_out_of_memory(&self) -> bool;
}

impl OutOfMemory for TryReserveError {
    fn is_out_of_memory(&self) -> bool {
        true
    }
}

impl OutOfMemory for std::io::Error {
    fn is_out_of_memory(&self) -> bool {
        self.kind() == std::io::ErrorKind::OutOfMemory
    }
}

/// What [`check_all_allocation_failures`] found.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/failure_check.rs")]
/// ```
#[derive(Debug)]
pub struct FailureCheck<E> {
    /// How many allocations the function attempts, each of which was made
    /// to fail once.
    pub failure_points: u64,
    /// What the function returned when no allocation failed. A success
    /// value is dropped inside the check (what `f` returns must be freed for
    /// the check to pass); an error is kept for you to inspect, so it must
    /// not own heap memory.
    pub result: Result<(), E>,
}

thread_local! {
    /// How many checks this thread has started: a child process is told
    /// which one to run, since a test may contain several.
    static CHECKS_STARTED: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` once with no failure, then once for each allocation it
/// attempts with that allocation failing, and panics unless every such run
/// returns an out-of-memory error and leaks nothing (a run that panics is
/// reported with its panic's message). The run without a
/// failure must leak nothing either; its result is returned for the caller
/// to check.
///
/// Each failing run happens in a child process that re-runs the current
/// test (or program) up to this call, so `f` must behave the same way every
/// time it runs. One more child runs `f` without a failure, only to count
/// its allocations there: the failure points are those the children make,
/// which may be more or fewer than this process made (a path under the
/// child's own `TMPDIR`, below, is longer, and a longer path can take one
/// more reallocation to build). `failure_points` is the children's count.
///
/// A child process ends without running destructors: it exits once it has
/// reported, or aborts when an infallible allocation gets the failure. So
/// each child gets a temporary directory of its own, as `TMPDIR`, which is
/// removed when the child ends: what the test creates in the temporary
/// directory before the check (a `tempfile::TempDir`, say) goes with it.
/// What the test creates anywhere else stays, once per child.
///
/// # Example
///
/// With the lab installed (see [`LabAllocator`](crate::LabAllocator)):
///
/// ```
#[doc = include_str!("../doc-examples/check_all_allocation_failures.rs")]
/// ```
#[track_caller]
pub fn check_all_allocation_failures<T, E>(mut f: impl FnMut() -> Result<T, E>) -> FailureCheck<E>
where
    E: OutOfMemory + fmt::Debug,
{
    let check = CHECKS_STARTED.with(|n| n.replace(n.get() + 1));
    if let Some((target, run)) = child_target() {
        // As early as the lab can: before this check's function runs.
        child_nonce();
        if target == check {
            run_in_child(run, &mut f);
        }
        // An earlier check of the same test: get past it, answering as the
        // parent did, so that the test's own assertions still hold.
        let (result, count) = count_allocations(|| f().map(drop));
        return FailureCheck {
            failure_points: count.attempts,
            result,
        };
    }

    assert!(std::thread::current().name().is_some(), "{UNNAMED_THREAD}");
    // The children's own count (below) numbers the failure points.
    let (result, report) = check_leaks(|| f().map(drop));
    if !report.is_clean() {
        panic!("the run without any failure is not clean:\n{report}");
    }
    let thread = std::thread::current();
    let test = thread.name();
    let failure_points = count_in_child(test, check).unwrap_or_else(|problem| panic!("{problem}"));
    let problems: Vec<String> = in_parallel(failure_points, |index| {
        fail_in_child(test, check, index).err()
    })
    .into_iter()
    .flatten()
    .collect();
    if !problems.is_empty() {
        panic!(
            "{} of {} failure points went wrong:\n{}",
            problems.len(),
            failure_points,
            problems.join("\n")
        );
    }
    FailureCheck {
        failure_points,
        result,
    }
}

/// What a child process does at its check.
#[derive(Clone, Copy)]
enum ChildRun {
    /// Run `f` without a failure, and report how many allocations it
    /// attempted.
    Count,
    /// Run `f` with this allocation failing, and report the verdict.
    FailAt(u64),
}

/// How `CHILD_ENV` names a `ChildRun::Count`.
const COUNT_RUN: &str = "count";

/// In a child: which check to run, and what to do there. The variable
/// names the parent's process id too, and counts only in a direct child of
/// that process: a value inherited from a shell or a script does not turn
/// an ordinary run into a child that reports nothing.
fn child_target() -> Option<(u32, ChildRun)> {
    let value = std::env::var(CHILD_ENV).ok()?;
    let mut fields = value.split(':');
    let (Some(check), Some(run), Some(parent), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    let check = check.parse::<u32>().ok()?;
    let run = match run {
        COUNT_RUN => ChildRun::Count,
        index => ChildRun::FailAt(index.parse().ok()?),
    };
    let parent = parent.parse::<u64>().ok()?;
    #[cfg(unix)]
    if u64::from(std::os::unix::process::parent_id()) != parent {
        return None;
    }
    #[cfg(not(unix))]
    let _ = parent;
    Some((check, run))
}

/// In a child: run `f` as the parent asked, report on stderr, and exit.
fn run_in_child<T, E: OutOfMemory + fmt::Debug>(
    run: ChildRun,
    f: impl FnOnce() -> Result<T, E>,
) -> ! {
    let index = match run {
        ChildRun::Count => {
            // As the parent counted: inside a leak check.
            let ((_, count), _) = check_leaks(|| count_allocations(|| f().map(drop)));
            let _ = writeln!(
                std::io::stderr(),
                "{CHILD_REPORT} {} {ATTEMPTS} {}",
                child_nonce(),
                count.attempts
            );
            std::process::exit(0)
        }
        ChildRun::FailAt(index) => index,
    };
    if std::env::var_os(ANNOUNCE_ENV).is_some() {
        failure::announce_failures();
    }
    // Judge the result inside the check, so that what it owns is freed
    // before the check ends; what the judgement says is written on the
    // stack, so that the check does not count it as the function's leak.
    let ((wrong_result, count), report) = check_leaks(|| {
        // A panic is a verdict too: without this, it would end the child
        // without one, which the parent takes for an abort.
        let (result, count) = with_failure_at(index, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        });
        let wrong_result = match result {
            Err(payload) => WrongResult::Panicked(payload),
            Ok(Ok(_)) => WrongResult::OkDespiteFailure,
            Ok(Err(error)) if !error.is_out_of_memory() => {
                let mut text = StackText::new();
                let _ = write!(text, "{error:?}");
                WrongResult::NotOutOfMemory(text)
            }
            Ok(Err(_)) => WrongResult::None,
        };
        (wrong_result, count)
    });
    let mut stderr = std::io::stderr();
    let verdict = if !count.injected {
        "no failure: the function attempted fewer allocations than in the first run".to_string()
    } else {
        let mut problems: Vec<String> = Vec::new();
        match &wrong_result {
            // After a panic the standard library keeps what it allocated
            // for its first panic (the hook's state), and the payload was
            // allocated in the check: the panic alone is the verdict.
            WrongResult::Panicked(payload) => {
                problems.push(format!("panicked: {}", panic_text(&**payload)));
            }
            WrongResult::OkDespiteFailure => {
                problems.push("returned Ok although the allocation failed".to_string());
            }
            WrongResult::NotOutOfMemory(text) => problems.push(format!(
                "returned {}, which is not out of memory",
                text.as_str()
            )),
            WrongResult::None => {}
        }
        if !matches!(wrong_result, WrongResult::Panicked(_)) {
            problems.extend(report_problems(&report, &mut stderr));
        }
        if problems.is_empty() {
            "ok".to_string()
        } else {
            problems.join("; ")
        }
    };
    let _ = writeln!(stderr, "{CHILD_REPORT} {} {verdict}", child_nonce());
    std::process::exit(0)
}

/// What was wrong with a child's result, judged inside its leak check.
// The text is on the stack on purpose: boxed, it would be a block the leak
// check counts.
#[allow(clippy::large_enum_variant)]
enum WrongResult {
    None,
    Panicked(Box<dyn std::any::Any + Send>),
    OkDespiteFailure,
    NotOutOfMemory(StackText),
}

/// Text written into a buffer on the stack, cut (with `...`) where it
/// would not fit: formatting it allocates nothing.
struct StackText {
    bytes: [u8; 400],
    len: usize,
    cut: bool,
}

impl StackText {
    fn new() -> StackText {
        StackText {
            bytes: [0; 400],
            len: 0,
            cut: false,
        }
    }

    fn as_str(&self) -> String {
        let text = std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default();
        if self.cut {
            format!("{text}...")
        } else {
            text.to_string()
        }
    }
}

impl fmt::Write for StackText {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let room = self.bytes.len() - self.len;
        let mut take = text.len().min(room);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.len..self.len + take].copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
        self.cut |= take < text.len();
        Ok(())
    }
}

/// The verdict of a child that counted: `attempts N`.
const ATTEMPTS: &str = "attempts";

/// In the parent: run the current test (or program) again up to check
/// `check`, and return how many allocations `f` attempts there: the
/// failure points, since every failing run happens in such a child.
fn count_in_child(test: Option<&str>, check: u32) -> Result<u64, String> {
    let output = run_child(test, check, ChildRun::Count, false)?;
    let stderr = &output.stderr;
    let seen = output
        .reports()
        .find_map(|line| line.strip_prefix(ATTEMPTS))
        .and_then(|count| count.trim().parse::<u64>().ok());
    seen.ok_or_else(|| {
        format!(
            "the child process that counts the function's allocations ended without \
             a count ({}): the test must run the same way every time, up to this \
             check\n{}",
            output.status,
            indent(stderr)
        )
    })
}

/// In the parent: run the current test (or program) again with allocation
/// `index` of check `check` failing, and say what went wrong, if anything.
fn fail_in_child(test: Option<&str>, check: u32, index: u64) -> Result<(), String> {
    let output = run_child(test, check, ChildRun::FailAt(index), false)?;
    let stderr = &output.stderr;
    let verdict = output.reports().last();
    match verdict {
        Some("ok") => Ok(()),
        Some(problem) => Err(format!(
            "  allocation #{}: {problem}\n{}",
            index + 1,
            indent(stderr)
        )),
        None if output.status.success() => Err(format!(
            "  allocation #{}: the process ended without a verdict ({}): the function \
             ended the process itself (std::process::exit?) instead of returning an error\n{}",
            index + 1,
            output.status,
            indent(stderr)
        )),
        None => {
            // Most likely an abort. Run it once more, now asking the child
            // to say where the failed allocation was made (looking up
            // symbols is slow, so only now).
            let again = run_child(test, check, ChildRun::FailAt(index), true)?;
            Err(format!(
                "  allocation #{}: the process ended without a verdict ({}); an \
                 infallible allocation (vec!, Box::new, push, format!) got the failure and \
                 aborted: allocate with try_reserve instead\n{}",
                index + 1,
                output.status,
                indent(&again.stderr)
            ))
        }
    }
}

/// Why a check cannot run on a thread without a name.
const UNNAMED_THREAD: &str = "check_all_allocation_failures runs on a thread without a name, \
     so its child process cannot find it again: call it from the test itself (or a \
     program's main thread), not from a thread the test spawned";

/// Runs the child process for `run` of check `check`, with a temporary
/// directory of its own (`TMPDIR`), removed when it ends: the child never
/// runs the destructors of what the test made there (see
/// [`check_all_allocation_failures`]).
/// `f(index)` for every index below `count`, on as many threads as the
/// machine has processors: each call waits for a child process, and the
/// children of one check are independent (each has its own `TMPDIR`).
/// The results are in the order of the indices.
fn in_parallel<R: Send>(count: u64, f: impl Fn(u64) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let next = std::sync::atomic::AtomicU64::new(0);
    let mut results: Vec<(u64, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if index >= count {
                            return done;
                        }
                        done.push((index, f(index)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Runs the test named `test` (a program's main thread: `main`) again as a
/// child process, for check `check`.
fn run_child(
    test: Option<&str>,
    check: u32,
    run: ChildRun,
    announce: bool,
) -> Result<ChildOutput, String> {
    let what = match run {
        ChildRun::Count => "counting".to_string(),
        ChildRun::FailAt(index) => format!("allocation #{}", index + 1),
    };
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut command = Command::new(exe);
    match test {
        // A program's main thread: run the program again, as it was run.
        Some("main") => {
            command.args(std::env::args_os().skip(1));
        }
        // The test harness names each test's thread after the test.
        Some(test) => {
            command.args([test, "--exact", "--nocapture", "--test-threads=1", "-q"]);
        }
        // Nothing tells the child which code to run again: rerunning the
        // whole program would let some other check answer for this one.
        None => return Err(UNNAMED_THREAD.to_string()),
    }
    if announce {
        command.env(ANNOUNCE_ENV, "1");
    }
    let run = match run {
        ChildRun::Count => COUNT_RUN.to_string(),
        ChildRun::FailAt(index) => index.to_string(),
    };
    // Named like the directories `tempfile` makes, so that a search for
    // those finds this one too, should removing it fail.
    let tmpdir = tempfile::Builder::new()
        .prefix(".tmp-course-lab-child-")
        .tempdir()
        .map_err(|e| format!("{what}: cannot make a temporary directory: {e}"))?;
    let mut child = command
        .env(CHILD_ENV, format!("{check}:{run}:{}", std::process::id()))
        .env("TMPDIR", tmpdir.path())
        // The lab names the failed allocation's site itself; a backtrace
        // from the standard library would only add noise, and time.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: cannot start a child process: {e}"))?;
    // The child's reports carry this, which the code it runs cannot know:
    // a line that code prints to look like a report is not one.
    let nonce = new_nonce();
    if let Some(mut stdin) = child.stdin.take() {
        // A child that ended already reports nothing: its status says why.
        let _ = writeln!(stdin, "{nonce}");
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{what}: cannot wait for a child process: {e}"))?;
    tmpdir
        .close()
        .map_err(|e| format!("{what}: cannot remove the child's temporary directory: {e}"))?;
    Ok(ChildOutput {
        status: output.status,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        nonce,
    })
}

/// What a child process said, and how it ended.
struct ChildOutput {
    status: std::process::ExitStatus,
    stderr: String,
    /// What starts each of its reports, after `CHILD_REPORT`.
    nonce: String,
}

impl ChildOutput {
    /// The child's reports, in order: the lines of its stderr that carry
    /// the nonce, without it.
    fn reports(&self) -> impl Iterator<Item = &str> {
        let prefix = format!("{CHILD_REPORT} {} ", self.nonce);
        self.stderr
            .lines()
            .filter_map(move |line| line.strip_prefix(prefix.as_str()))
            .map(str::trim)
    }
}

/// A number the code a child runs cannot guess: from the standard
/// library's random hashing keys, the time and the process id.
fn new_nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |time| time.as_nanos()),
    );
    format!("{:016x}", hasher.finish())
}

/// In a child: the nonce its parent wrote on its standard input, read at
/// its first check.
fn child_nonce() -> &'static str {
    static NONCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NONCE.get_or_init(|| {
        let mut nonce = String::new();
        let _ = std::io::stdin().read_line(&mut nonce);
        nonce.trim().to_string()
    })
}

/// Whether this process is one of the child processes that
/// [`check_all_allocation_failures`] starts. Such a child finds a secret
/// on its standard input, which it reads at its first check: a program
/// that reads its own standard input should leave it alone then.
///
/// # Example
///
/// ```
#[doc = include_str!("../doc-examples/is_failure_check_child.rs")]
/// ```
pub fn is_failure_check_child() -> bool {
    child_target().is_some()
}

fn indent(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("      | {line}\n"))
        .collect()
}

/// The message of a panic (a `&str` or a `String` payload).
fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a payload that is not text)")
}

/// What a child's leak report says is wrong, each in a few words; the
/// whole report goes to `stderr` for the parent to show.
fn report_problems(report: &LeakReport, stderr: &mut impl std::io::Write) -> Vec<String> {
    let mut problems = Vec::new();
    if !report.is_clean() {
        let _ = writeln!(stderr, "{report}");
    }
    if !report.leaks.is_empty() {
        problems.push(format!("leaked {} bytes", report.leaked_bytes()));
    }
    if !report.double_frees.is_empty() {
        problems.push(format!("freed {} blocks twice", report.double_frees.len()));
    }
    if report.freed_elsewhere > 0 {
        problems.push(format!(
            "{} blocks went to another thread, which the lab does not watch",
            report.freed_elsewhere
        ));
    }
    problems
}
