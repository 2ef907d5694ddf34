//! The parent's side of `check_all_allocation_failures`: run the test
//! again in child processes, one per failure point, each under a time
//! limit, and gather their verdicts.

use std::io::{Read, Write as _};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::child::{self, ATTEMPTS, ChildRun, SITE};
use super::{ANNOUNCE_ENV, CheckId, NOTHING_AFTER_ENV, ONLY_ENV, SITES_ENV, TIME_LIMIT_ENV};
use crate::failure::CHILD_REPORT;

/// Why a check cannot run on a thread without a name.
pub(super) const UNNAMED_THREAD: &str = "check_all_allocation_failures runs on a thread \
     without a name, so its child process cannot find it again: call it from the test \
     itself (or a program's main thread), not from a thread the test spawned";

/// How long a child may run when `CLEANUP_LAB_TIME_LIMIT` does not say.
const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

/// Panics unless a child process can find the check `id` again. A thread
/// named `main` is taken for the program's main thread, and the child
/// runs the whole program again with the same arguments: a thread that a
/// test spawned and named `main` would make the child run every test of
/// the binary, which is not what the parent ran.
#[track_caller]
pub(super) fn assert_found_again(id: &CheckId) {
    if id.thread == "main" && !is_main_thread() {
        panic!(
            "check_all_allocation_failures runs on a thread named \"main\" that is not the \
             program's main thread, so its child process cannot find it again: call it from \
             the test itself, or name the thread otherwise"
        );
    }
}

/// Whether this is the process's main thread; true where the lab cannot
/// tell (off Linux).
fn is_main_thread() -> bool {
    #[cfg(target_os = "linux")]
    if let Ok(link) = std::fs::read_link("/proc/thread-self") {
        // `PID/task/TID`: the main thread's id is the process's.
        let link = link.to_string_lossy().into_owned();
        let mut parts = link.split('/');
        let (pid, tid) = (parts.next(), parts.nth(1));
        return pid.is_some() && pid == tid;
    }
    true
}

/// The time limit of each child process.
fn time_limit() -> Result<Duration, String> {
    let Some(value) = std::env::var_os(TIME_LIMIT_ENV) else {
        return Ok(DEFAULT_TIME_LIMIT);
    };
    let seconds = value
        .to_str()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite());
    match seconds {
        // Shorter than a child can start.
        Some(seconds) if seconds >= 0.001 => {
            // Longer than any run: no limit in practice (a year).
            Ok(Duration::try_from_secs_f64(seconds)
                .unwrap_or(Duration::MAX)
                .min(Duration::from_secs(365 * 24 * 3600)))
        }
        _ => Err(format!(
            "{TIME_LIMIT_ENV}={}: not a number of seconds, 0.001 or more (unset, the \
             limit is {} s)",
            value.to_string_lossy(),
            DEFAULT_TIME_LIMIT.as_secs()
        )),
    }
}

/// What the parent asks of every child of one check.
pub(super) struct Plan {
    pub(super) nothing_after: bool,
    pub(super) at_most: Option<u64>,
}

/// What a check tried.
pub(super) struct Tried {
    pub(super) failure_points: u64,
    pub(super) tried: u64,
    pub(super) never_failed: Vec<String>,
}

/// Counts the failure points of check `id` in a child, then fails each of
/// those to try (all, or those `CLEANUP_LAB_ONLY` or `plan.at_most`
/// chose) in a child of its own.
pub(super) fn run_all(id: &CheckId, plan: &Plan) -> Result<Tried, String> {
    let only = only_points(id)?;
    let (failure_points, places) = count(id, plan, only.is_some() || plan.at_most.is_some())?;
    let (indices, why) = match (only, plan.at_most) {
        (Some(only), _) => {
            if let Some(beyond) = only.iter().find(|&&index| index >= failure_points) {
                return Err(format!(
                    "{ONLY_ENV} names failure point {}, but the function attempts {}",
                    beyond + 1,
                    plural(failure_points, "allocation")
                ));
            }
            (only, ONLY_ENV)
        }
        (None, Some(at_most)) if at_most < failure_points => (
            spread(failure_points, at_most),
            "AllocationFailures::at_most",
        ),
        _ => ((0..failure_points).collect(), ""),
    };
    fail_each(id, plan, &indices, failure_points)?;
    let tried = indices.len() as u64;
    let mut never_failed: Vec<String> = Vec::new();
    if tried < failure_points {
        let failed: Vec<&String> = indices
            .iter()
            .filter_map(|&index| places.get(usize::try_from(index).ok()?))
            .collect();
        for place in &places {
            if !failed.contains(&place) && !never_failed.contains(place) {
                never_failed.push(place.clone());
            }
        }
        eprintln!(
            "cleanup-lab: tried {tried} of {failure_points} failure points ({why}); places \
             never made to fail: {}",
            if never_failed.is_empty() {
                "none".to_string()
            } else {
                never_failed.join(", ")
            }
        );
    }
    Ok(Tried {
        failure_points,
        tried,
        never_failed,
    })
}

/// The failure points `CLEANUP_LAB_ONLY` names for check `id`, as
/// indices from 0: `3` or `3,7` names them for every check, `3@FILE:LINE`
/// for the check called at that line only (the other checks of the test
/// run all their points).
fn only_points(id: &CheckId) -> Result<Option<Vec<u64>>, String> {
    let Some(value) = std::env::var_os(ONLY_ENV) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    let (numbers, place) = match text.split_once('@') {
        Some((numbers, place)) => (numbers, Some(place.trim())),
        None => (&*text, None),
    };
    if place.is_some_and(|place| place != format!("{}:{}", id.file, id.line)) {
        return Ok(None);
    }
    let mut points = Vec::new();
    for number in numbers.split(',') {
        match number.trim().parse::<u64>() {
            Ok(number) if number > 0 => points.push(number - 1),
            _ => {
                return Err(format!(
                    "{ONLY_ENV}={text}: not a list of failure points (numbers from 1, \
                     separated by commas, and @FILE:LINE for one check)"
                ));
            }
        }
    }
    points.sort_unstable();
    points.dedup();
    Ok(Some(points))
}

/// `count` indices below `points`, evenly spread, the first and the last
/// among them.
fn spread(points: u64, count: u64) -> Vec<u64> {
    if count <= 1 {
        return vec![0];
    }
    let mut indices: Vec<u64> = (0..count)
        .map(|i| (u128::from(i) * u128::from(points - 1) / u128::from(count - 1)) as u64)
        .collect();
    indices.dedup();
    indices
}

/// Runs the test (or program) again up to check `id`, and returns how
/// many allocations `f` attempts there: the failure points, since every
/// failing run happens in such a child; with `places`, the place of each.
fn count(id: &CheckId, plan: &Plan, places: bool) -> Result<(u64, Vec<String>), String> {
    let extra = places.then_some((SITES_ENV, "1"));
    let output = run_child(id, ChildRun::Count, plan, extra)?;
    if output.timed_out {
        return Err(format!(
            "the child process that counts the function's allocations did not end within \
             {} ({TIME_LIMIT_ENV}): the test or the function hangs when run again\n{}",
            output.limit_text(),
            indent(&output.shown_stderr())
        ));
    }
    let sites: Vec<String> = output
        .reports()
        .filter_map(|line| line.strip_prefix(SITE))
        .map(|place| place.trim().to_string())
        .collect();
    let seen = output
        .reports()
        .find_map(|line| line.strip_prefix(ATTEMPTS))
        .and_then(|count| count.trim().parse::<u64>().ok());
    if seen.is_none() && output.stderr.contains(&format!("{CHILD_REPORT}  ")) {
        return Err(format!(
            "the child process that counts the function's allocations found no secret on \
             its standard input, where the lab puts one: the test (or program) read its \
             standard input before the check; in a failure check's child, leave it alone \
             (see is_failure_check_child)\n{}",
            indent(&output.shown_stderr())
        ));
    }
    if seen.is_none() && output.no_test {
        return Err(format!(
            "check_all_allocation_failures runs on a thread named \"{}\", and no test of this \
             binary has that name, so its child process cannot find it again: call it from \
             the test's own thread, not from a thread the test spawned",
            id.thread
        ));
    }
    seen.map(|count| (count, sites)).ok_or_else(|| {
        format!(
            "the child process that counts the function's allocations ended without \
             a count ({}): the test must run the same way every time, up to this \
             check, and on the test's own thread (it ran the test named \"{}\")\n{}",
            output.status_text(),
            id.thread,
            indent(&output.shown_stderr())
        )
    })
}

/// Runs the test again once per failure point, each with that allocation
/// failing; the problems found, if any, as the panic message of the check.
/// A child that hangs stops the check: the points not yet tried are
/// counted, not tried.
fn fail_each(
    id: &CheckId,
    plan: &Plan,
    indices: &[u64],
    failure_points: u64,
) -> Result<(), String> {
    let stop = AtomicBool::new(false);
    let outcomes = in_parallel(indices, &stop, |index| {
        let outcome = fail_in_child(id, plan, index);
        if let Err(Problem { hung: true, .. }) = outcome {
            stop.store(true, Ordering::SeqCst);
        }
        outcome
    });
    let not_tried = outcomes.iter().filter(|outcome| outcome.is_none()).count();
    let first_wrong = indices
        .iter()
        .zip(&outcomes)
        .find(|(_, outcome)| matches!(outcome, Some(Err(_))))
        .map(|(&index, _)| index);
    let problems: Vec<String> = outcomes
        .into_iter()
        .flatten()
        .filter_map(Result::err)
        .map(|problem| problem.text)
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "{} of {} failure points went wrong:\n{}",
        problems.len(),
        if indices.len() as u64 == failure_points {
            failure_points.to_string()
        } else {
            format!("{} tried ({failure_points} in all)", indices.len())
        },
        problems.join("\n")
    );
    if not_tried > 0 {
        message.push_str(&format!(
            "\n{not_tried} other failure points were not tried, since a child process hung"
        ));
    }
    if let Some(first) = first_wrong {
        let again = if id.thread == "main" {
            "and run the program again as before".to_string()
        } else {
            format!("cargo test {} -- --exact --include-ignored", id.thread)
        };
        message.push_str(&format!(
            "\nto try one of them again alone: {ONLY_ENV}={}@{}:{} {again}",
            first + 1,
            id.file,
            id.line
        ));
    }
    Err(message)
}

/// What went wrong at one failure point.
struct Problem {
    text: String,
    /// The child ran past the time limit.
    hung: bool,
}

impl From<String> for Problem {
    fn from(text: String) -> Problem {
        Problem { text, hung: false }
    }
}

/// Runs the test again with allocation `index` of check `id` failing, and
/// says what went wrong, if anything.
fn fail_in_child(id: &CheckId, plan: &Plan, index: u64) -> Result<(), Problem> {
    let output = run_child(id, ChildRun::FailAt(index), plan, None)?;
    let stderr = &output.shown_stderr();
    if output.timed_out {
        return Err(Problem {
            text: format!(
                "  allocation #{}: the process did not end within {} ({TIME_LIMIT_ENV}): \
                 the function hangs once this allocation fails\n{}",
                index + 1,
                output.limit_text(),
                indent(stderr)
            ),
            hung: true,
        });
    }
    let verdict = output.reports().last();
    match verdict {
        Some("ok") => Ok(()),
        Some(problem) => {
            Err(format!("  allocation #{}: {problem}\n{}", index + 1, indent(stderr)).into())
        }
        None => {
            let status = output.status_text();
            let exited = output.status.and_then(|status| status.code());
            if let Some(code) = exited {
                return Err(format!(
                    "  allocation #{}: the process ended without a verdict ({status}): the \
                     function ended the process itself (std::process::exit({code})?) instead of \
                     returning an error\n{}",
                    index + 1,
                    indent(stderr)
                )
                .into());
            }
            // Killed by a signal. Run it once more, now asking the child to
            // say where the failed allocation was made (looking up symbols
            // is slow, so only now).
            let again = run_child(id, ChildRun::FailAt(index), plan, Some((ANNOUNCE_ENV, "1")))?;
            let why = if again.stderr.contains("memory allocation of") {
                "an infallible allocation (vec!, Box::new, push, format!) got the failure and \
                 aborted: allocate with try_reserve instead"
            } else {
                "the function crashed or aborted once this allocation failed (a null pointer \
                 used, std::process::abort?)"
            };
            Err(format!(
                "  allocation #{}: the process ended without a verdict ({status}); {why}\n{}",
                index + 1,
                indent(&again.shown_stderr())
            )
            .into())
        }
    }
}

/// `f(index)` for every index of `indices`, on as many threads as the
/// machine has processors: each call waits for a child process, and the
/// children of one check are independent (each has its own `TMPDIR`).
/// Once `stop` is set, no new index is started. The results are in the
/// order of `indices`, `None` for those not started.
fn in_parallel<R: Send>(
    indices: &[u64],
    stop: &AtomicBool,
    f: impl Fn(u64) -> R + Sync,
) -> Vec<Option<R>> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let next = AtomicUsize::new(0);
    let done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&index) = indices.get(at) else {
                            return done;
                        };
                        if stop.load(Ordering::SeqCst) {
                            return done;
                        }
                        done.push((at, f(index)));
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
    let mut results: Vec<Option<R>> = indices.iter().map(|_| None).collect();
    for (at, result) in done {
        results[at] = Some(result);
    }
    results
}

/// Runs the test of check `id` (a program's main thread: the program,
/// with its arguments) again as a child process, to `run` that check, with
/// a temporary directory of its own (`TMPDIR`), removed when it ends: the
/// child never runs the destructors of what the test made there (see
/// [`check_all_allocation_failures`](crate::check_all_allocation_failures)).
fn run_child(
    id: &CheckId,
    run: ChildRun,
    plan: &Plan,
    extra: Option<(&str, &str)>,
) -> Result<ChildOutput, String> {
    let what = match run {
        ChildRun::Count => "counting".to_string(),
        ChildRun::FailAt(index) => format!("allocation #{}", index + 1),
    };
    let limit = time_limit()?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut command = Command::new(exe);
    start_as_the_process_started(&mut command);
    if id.thread == "main" {
        // A program's main thread: run the program again, as it was run.
        command.args(std::env::args_os().skip(1));
    } else {
        // The test harness names each test's thread after the test. This
        // test alone, whether it is ignored or not (the parent may run
        // with `--ignored`), with its output on the pipes.
        command.args([
            id.thread.as_str(),
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ]);
    }
    if let Some((name, value)) = extra {
        command.env(name, value);
    }
    if plan.nothing_after {
        command.env(NOTHING_AFTER_ENV, "1");
    }
    // A child must not read the parent's choice of points as its own.
    command.env_remove(ONLY_ENV);
    command.envs(child::variables(id, run));
    // Named like the directories `tempfile` makes, so that a search for
    // those finds this one too, should removing it fail.
    let tmpdir = tempfile::Builder::new()
        .prefix(".tmp-cleanup-lab-child-")
        .tempdir()
        .map_err(|e| format!("{what}: cannot make a temporary directory: {e}"))?;
    let mut child = command
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
    let waited = wait_bounded(child, limit)
        .map_err(|e| format!("{what}: cannot wait for a child process: {e}"))?;
    tmpdir
        .close()
        .map_err(|e| format!("{what}: cannot remove the child's temporary directory: {e}"))?;
    Ok(ChildOutput {
        status: waited.status,
        timed_out: waited.status.is_none(),
        limit,
        stderr: String::from_utf8_lossy(&waited.stderr).into_owned(),
        no_test: waited.no_test,
        nonce,
    })
}

/// Gives the child the environment this process started with, on Linux
/// (`/proc/self/environ`): a test that sets a variable before its check
/// runs the same way in the child as it did here.
fn start_as_the_process_started(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        if let Ok(environ) = std::fs::read("/proc/self/environ") {
            command.env_clear();
            for entry in environ.split(|&byte| byte == 0).filter(|e| !e.is_empty()) {
                let entry = std::ffi::OsStr::from_bytes(entry);
                if let Some(at) = entry.as_bytes().iter().position(|&byte| byte == b'=') {
                    let (name, value) = entry.as_bytes().split_at(at);
                    command.env(
                        std::ffi::OsStr::from_bytes(name),
                        std::ffi::OsStr::from_bytes(&value[1..]),
                    );
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// Waits for `child` to end and for its output, `limit` at most; past it,
/// kills the child. Returns how it ended (see [`Waited`]).
fn wait_bounded(mut child: Child, limit: Duration) -> std::io::Result<Waited> {
    // A limit too far to add to now is no limit.
    let deadline = Instant::now()
        .checked_add(limit)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(365 * 24 * 3600));
    // Each pipe is read on a thread of its own, so that a child that fills
    // one pipe while the parent reads the other does not block.
    let (sender, receiver) = mpsc::channel::<Pipe>();
    let mut open_pipes = 0;
    if let Some(mut pipe) = child.stderr.take() {
        let sender = sender.clone();
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            let _ = sender.send(Pipe::Stderr(text));
        });
        open_pipes += 1;
    }
    if let Some(mut pipe) = child.stdout.take() {
        let sender = sender.clone();
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            // The test harness's line when no test has the name asked for.
            let no_test = String::from_utf8_lossy(&text).contains("running 0 tests");
            let _ = sender.send(Pipe::Stdout { no_test });
        });
        open_pipes += 1;
    }
    drop(sender);
    let mut waited = Waited::default();
    let wait = |timeout: Duration, waited: &mut Waited| match receiver.recv_timeout(timeout) {
        Ok(Pipe::Stderr(text)) => {
            waited.stderr = text;
            true
        }
        Ok(Pipe::Stdout { no_test }) => {
            waited.no_test = no_test;
            true
        }
        Err(_) => false,
    };
    while open_pipes > 0 {
        if !wait(
            deadline.saturating_duration_since(Instant::now()),
            &mut waited,
        ) {
            break;
        }
        open_pipes -= 1;
    }
    if open_pipes == 0 {
        // Both pipes closed: the child has ended, or is about to.
        let mut pause = Duration::from_millis(1);
        loop {
            if let Some(status) = child.try_wait()? {
                waited.status = Some(status);
                return Ok(waited);
            }
            if Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    child.wait()?;
    // What it wrote before it was stopped, if its pipe closed with it.
    while open_pipes > 0 && wait(Duration::from_millis(200), &mut waited) {
        open_pipes -= 1;
    }
    Ok(waited)
}

/// What one of a child's pipes brought.
enum Pipe {
    Stderr(Vec<u8>),
    Stdout { no_test: bool },
}

/// How a child ended, as `wait_bounded` saw it.
#[derive(Default)]
struct Waited {
    /// `None` if it was stopped at the time limit.
    status: Option<ExitStatus>,
    stderr: Vec<u8>,
    /// Whether the test harness found no test of the name it was given.
    no_test: bool,
}

/// What a child process said, and how it ended.
struct ChildOutput {
    /// `None` if it was stopped at the time limit.
    status: Option<ExitStatus>,
    timed_out: bool,
    limit: Duration,
    stderr: String,
    /// Whether the test harness found no test of the name it was given.
    no_test: bool,
    /// What starts each of its reports, after `CHILD_REPORT`.
    nonce: String,
}

impl ChildOutput {
    /// Its stderr as a message shows it: the reports without the nonce,
    /// which the messages of a check must not give away.
    fn shown_stderr(&self) -> String {
        self.stderr.replace(
            &format!("{CHILD_REPORT} {} ", self.nonce),
            &format!("{CHILD_REPORT} "),
        )
    }

    /// The child's reports, in order: the lines of its stderr that carry
    /// the nonce, without it.
    fn reports(&self) -> impl Iterator<Item = &str> {
        let prefix = format!("{CHILD_REPORT} {} ", self.nonce);
        self.stderr
            .lines()
            .filter_map(move |line| line.strip_prefix(prefix.as_str()))
            .map(str::trim)
    }

    fn status_text(&self) -> String {
        self.status.map_or_else(
            || "stopped at the time limit".to_string(),
            |status| status.to_string(),
        )
    }

    fn limit_text(&self) -> String {
        format!("{} s", self.limit.as_secs_f64())
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

/// `1 allocation`, `2 allocations`.
fn plural(count: u64, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

fn indent(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("      | {line}\n"))
        .collect()
}
