//! Grading an answer: checks that report what went wrong in the exercise's
//! words (which block, allocated where, when which allocation failed), and
//! the verdict. A panic of the answer's code, a leak, a block freed twice,
//! an abort under failure injection: each becomes a line of the verdict,
//! never a test harness's panic.

use std::cell::Cell;
use std::fmt::Debug;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use course::lab::{Allocation, OutOfMemory, check_all_allocation_failures, check_leaks};

use crate::report::Report;
use crate::run::{END_FAIL, END_PASS};

/// Runs `checks` on the answer to the exercise `name` and prints the
/// verdict: `✓ NAME: done` and status 0, or every problem found and
/// status 1. Run by `cargo exercise`, each line of the report carries the
/// nonce the runner gave the program (see `run.rs`), which the answer
/// cannot know: the runner believes only those lines.
pub fn grade(name: &str, checks: impl FnOnce(&mut Grader)) -> ExitCode {
    assert!(
        crate::exercise(name).is_some(),
        "{name} is not in EXERCISES (exercises/src/lib.rs)"
    );
    // Before any of the answer's code runs.
    let mut grader = Grader {
        problems: Vec::new(),
        passed: Vec::new(),
        report: Report::from_runner(),
    };
    remember_panics();
    checks(&mut grader);
    let report = &grader.report;
    if grader.passed.is_empty() && grader.problems.is_empty() {
        // A check program that checked nothing must not pass anything.
        grader
            .problems
            .push("no check ran (exercises/checks/ is broken: tell the course)".to_string());
    }
    if grader.problems.is_empty() {
        report.line(&format!("✓ {name}: done"));
        for passed in &grader.passed {
            report.line(&format!("  ✓ {passed}"));
        }
        report.line(END_PASS);
        ExitCode::SUCCESS
    } else {
        report.line(&format!("✗ {name}: not yet (you edit exercises/{name}.rs)"));
        for problem in &grader.problems {
            for (i, line) in problem.lines().enumerate() {
                let mark = if i == 0 { "  ✗ " } else { "    " };
                report.line(&format!("{mark}{line}"));
            }
        }
        report.line(&format!("  A hint: cargo exercise hint {name}"));
        report.line(END_FAIL);
        ExitCode::FAILURE
    }
}

/// The checks of one answer, and what they found.
pub struct Grader {
    pub(crate) problems: Vec<String>,
    pub(crate) passed: Vec<String>,
    pub(crate) report: Report,
}

impl Grader {
    /// Records `what` as checked if `ok` (unless it is empty: a part of a
    /// check said once at its end), or else `problem()`; returns `ok`.
    pub fn check(&mut self, ok: bool, what: &str, problem: impl FnOnce() -> String) -> bool {
        if ok {
            if !what.is_empty() {
                self.passed.push(what.to_string());
            }
        } else {
            self.problems.push(problem());
        }
        ok
    }

    /// Records `what` as checked: a check made of parts, said once.
    pub fn pass(&mut self, what: impl Into<String>) {
        self.passed.push(what.into());
    }

    /// A problem if the process has more threads than `before`: the
    /// answer's code left one running.
    fn no_thread_left(&mut self, what: &str, before: Option<usize>) {
        if let Some(problem) = thread_left(before) {
            self.problems.push(format!("{what}: {problem}"));
        }
    }

    /// Runs `check` on each item in turn and stops at the first that finds
    /// a problem (the next ones would most often say it again); returns
    /// whether none did.
    pub fn each<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut check: impl FnMut(&mut Grader, I),
    ) -> bool {
        let problems = self.problems.len();
        for item in items {
            check(self, item);
            if self.problems.len() > problems {
                return false;
            }
        }
        true
    }

    /// As [`Grader::each`], and when every item passes, says so in one
    /// line, `summary`, instead of a line per item.
    pub fn each_in_one_line<I>(
        &mut self,
        summary: &str,
        items: impl IntoIterator<Item = I>,
        check: impl FnMut(&mut Grader, I),
    ) -> bool {
        let passed = self.passed.len();
        let ok = self.each(items, check);
        if ok {
            self.passed.truncate(passed);
            self.passed.push(summary.to_string());
        }
        ok
    }

    /// Calls the answer's code; a panic becomes a problem (`None`), and
    /// so does a thread it leaves running.
    pub fn call<R>(&mut self, what: &str, f: impl FnOnce() -> R) -> Option<R> {
        self.report.running(what);
        let threads = threads_now();
        let result = checking(|| panic::catch_unwind(AssertUnwindSafe(f)));
        self.no_thread_left(what, threads);
        match result {
            Ok(result) => Some(result),
            Err(_) => {
                self.problems
                    .push(format!("{what} panicked: {}", last_panic()));
                None
            }
        }
    }

    /// Calls the answer's code under the lab's leak check: every block it
    /// leaks or frees twice is a problem, named by its size and where the
    /// answer allocated it.
    pub fn without_leaks<R>(&mut self, what: &str, f: impl FnOnce() -> R) -> Option<R> {
        self.report.running(what);
        let threads = threads_now();
        let (result, report) =
            checking(|| check_leaks(|| panic::catch_unwind(AssertUnwindSafe(f))));
        self.no_thread_left(what, threads);
        let Ok(result) = result else {
            self.problems
                .push(format!("{what} panicked: {}", last_panic()));
            return None;
        };
        for leak in &report.leaks {
            self.problems.push(format!(
                "{what}: a block of {} bytes was never freed, allocated {}",
                leak.size,
                site(leak)
            ));
        }
        for twice in &report.double_frees {
            self.problems.push(format!(
                "{what}: a block of {} bytes was freed twice, allocated {}; \
                 the lab stopped the second free, the system allocator would not",
                twice.size,
                site(twice)
            ));
        }
        if report.freed_elsewhere > 0 {
            self.problems.push(format!(
                "{what}: {} blocks went to another thread, which the lab does not \
                 watch (what it does there goes unchecked)",
                report.freed_elsewhere
            ));
        }
        if report.is_clean() {
            self.passed
                .push(format!("{what}: nothing leaked, nothing freed twice"));
        }
        Some(result)
    }

    /// Fails each allocation of `f` in turn, each run in a process of its
    /// own (the lab's `check_all_allocation_failures`): every run must
    /// return an out-of-memory error and leak nothing, and an abort comes
    /// back as a problem. `blocks` names the allocations the exercise
    /// makes, in order ("A", "B"), for the report.
    pub fn every_allocation_failure<T: Debug, E: OutOfMemory + Debug>(
        &mut self,
        what: &str,
        blocks: &[&str],
        mut f: impl FnMut() -> Result<T, E>,
    ) {
        // An `Ok` is shown as it is (the lab would only say "Ok"), written
        // on the stack: in the lab's child, a block kept past the run
        // would count as the answer's leak.
        // The text stays on the stack on purpose (see above).
        #[allow(clippy::result_large_err)]
        let f = move || match f() {
            Ok(value) => {
                let mut text = ShortText::default();
                let _ = write!(text, "Ok({value:?})");
                Err::<(), _>(Answered::Ok(text))
            }
            Err(error) => Err(Answered::Err(error)),
        };
        self.report
            .running(&format!("{what}, with each allocation failed in turn"));
        // The panic hook keeps nothing meanwhile: in the lab's child
        // processes, a message kept past the check would count as leaked.
        // The lab reports a panic of the answer itself; its own panic (the
        // report) is read from the payload.
        RECORD_PANICS.store(false, Ordering::Relaxed);
        let checked = panic::catch_unwind(AssertUnwindSafe(|| check_all_allocation_failures(f)));
        RECORD_PANICS.store(true, Ordering::Relaxed);
        match checked {
            Ok(check) => {
                self.passed.push(match check.failure_points {
                    0 => format!("{what}: allocates nothing, leaks nothing"),
                    1 => {
                        format!("{what}: its one allocation failed: out of memory, nothing leaked")
                    }
                    n => format!(
                        "{what}: each of its {n} allocations failed in turn: out of memory, \
                         nothing leaked"
                    ),
                });
            }
            Err(payload) => {
                let report = payload_text(&*payload);
                self.problems.push(format!(
                    "{what}, with each allocation failed in turn: {}",
                    name_failure_points(report, blocks)
                ));
            }
        }
    }
}

/// What an answer returned to `every_allocation_failure`: its error, or
/// an `Ok` it should not have returned, shown.
// On the stack on purpose: boxed, the text would be a block the lab's
// child counts as the answer's leak.
#[allow(clippy::large_enum_variant)]
enum Answered<E> {
    Err(E),
    Ok(ShortText),
}

impl<E: OutOfMemory> OutOfMemory for Answered<E> {
    fn is_out_of_memory(&self) -> bool {
        matches!(self, Answered::Err(error) if error.is_out_of_memory())
    }
}

impl<E: Debug> Debug for Answered<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answered::Err(error) => write!(f, "Err({error:?})"),
            Answered::Ok(text) => f.write_str(text.as_str()),
        }
    }
}

/// At most 200 bytes of text, kept on the stack (cut with `...`).
pub(crate) struct ShortText {
    bytes: [u8; 200],
    len: usize,
}

impl Default for ShortText {
    fn default() -> Self {
        ShortText {
            bytes: [0; 200],
            len: 0,
        }
    }
}

impl ShortText {
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for ShortText {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        // Room is kept for the `...` that marks a cut.
        let room = self.bytes.len() - 3 - self.len.min(self.bytes.len() - 3);
        let mut take = text.len().min(room);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.len..self.len + take].copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
        if take < text.len() && self.len + 3 <= self.bytes.len() {
            self.bytes[self.len..self.len + 3].copy_from_slice(b"...");
            self.len += 3;
        }
        Ok(())
    }
}

/// The lab's report of failure points, in the exercise's words: each
/// `allocation #N:` named after the block the exercise allocates there,
/// and of each block it reports, only where it was allocated (see
/// [`place`]).
fn name_failure_points(report: &str, blocks: &[&str]) -> String {
    let mut lines = Vec::new();
    // The block being read: its size, and the frames seen so far.
    let mut block: Option<(String, Vec<String>)> = None;
    let finish_block = |block: &mut Option<(String, Vec<String>)>, lines: &mut Vec<String>| {
        if let Some((size, frames)) = block.take() {
            lines.push(format!("  {size} allocated {}", place(&frames)));
        }
    };
    for line in report.lines() {
        let text = line.trim_start().trim_start_matches('|').trim();
        if let Some(rest) = text.strip_prefix("leaked ")
            && let Some((size, _)) = rest.split_once(" (align")
        {
            // `leaked 20 bytes (align 4), allocated at:`, then its frames.
            finish_block(&mut block, &mut lines);
            block = Some((size.to_string(), Vec::new()));
            continue;
        }
        if let Some((_, frames)) = &mut block
            && text.ends_with(')')
            && text.contains(" (")
        {
            frames.push(text.to_string());
            continue;
        }
        finish_block(&mut block, &mut lines);
        if let Some(rest) = text.strip_prefix("allocation #") {
            let (index, problem) = rest.split_once(": ").unwrap_or((rest, ""));
            // Numbered from 1, as the blocks of a trace are.
            let name = index
                .parse::<usize>()
                .ok()
                .and_then(|number| blocks.get(number.checked_sub(1)?));
            lines.push(match name {
                Some(name) => format!("when the allocation of {name} (#{index}) failed: {problem}"),
                None => format!(
                    "when allocation #{index} failed (one more than the exercise needs): {problem}"
                ),
            });
        } else if text.starts_with("memory allocation of") {
            lines.push(format!("  the program said: {text}"));
        } else if text.ends_with(" failure points went wrong:")
            || text.starts_with("the run without any failure")
        {
            lines.push(text.to_string());
        }
    }
    finish_block(&mut block, &mut lines);
    if lines.is_empty() {
        // Not a report of failure points: the answer panicked, say.
        return report.lines().next().unwrap_or_default().to_string();
    }
    if lines.len() == 1 {
        // Only a heading ("... is not clean:"): what follows it in the
        // lab's words is not a block this function names, so it is shown
        // as the lab said it.
        lines.extend(
            report
                .lines()
                .skip(1)
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .take(6)
                .map(|line| format!("  {line}")),
        );
    }
    lines.join("\n")
}

/// Where a block was allocated, from its frames (`function (file:line:col)`,
/// innermost first): `at FILE:LINE:COL (in function)` for the innermost
/// frame in the answer; failing that, `by the check at ...` for one in the
/// check program (which makes the blocks it hands to the answer); failing
/// that, the innermost frame.
fn place(frames: &[String]) -> String {
    let parse = |frame: &String| -> Option<(String, String)> {
        let (function, place) = frame.rsplit_once(" (")?;
        let place = place.strip_suffix(')')?.to_string();
        let function = function.rsplit("::").next().unwrap_or(function);
        Some((place, function.to_string()))
    };
    let parsed: Vec<(String, String)> = frames.iter().filter_map(parse).collect();
    if let Some((place, function)) = parsed.iter().find(|(place, _)| in_answer(place)) {
        format!("at {place} (in {function})")
    } else if let Some((place, function)) = parsed
        .iter()
        .find(|(place, _)| place.starts_with("exercises/checks/"))
    {
        // The check made it and handed it over: the answer's to free.
        format!(
            "by the check at {place} (in {function}) and handed to your function, \
             which did not free it"
        )
    } else {
        frames.first().map_or_else(
            || "at an unknown place".to_string(),
            |frame| format!("in {frame}"),
        )
    }
}

/// Whether `file` (relative to the root) is the answer's: a file of
/// exercises/ other than the checks and the grader.
fn in_answer(file: &str) -> bool {
    file.starts_with("exercises/")
        && !file.starts_with("exercises/checks/")
        && !file.starts_with("exercises/src/")
}

/// Where the answer allocated a block (see [`place`]).
pub(crate) fn site(allocation: &Allocation) -> String {
    place(&allocation.stack())
}

/// The last panic's message and place, as the hook below saw it.
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Whether the hook keeps what it sees (see `every_allocation_failure`).
static RECORD_PANICS: AtomicBool = AtomicBool::new(true);

thread_local! {
    /// How many checks are running the answer's code on this thread: a
    /// panic there is caught and reported by the check, one elsewhere ends
    /// the program and must be said on stderr.
    static IN_CHECK: Cell<u32> = const { Cell::new(0) };
}

/// How many threads this process has (on Linux; elsewhere, unknown).
pub(crate) fn threads_now() -> Option<usize> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
}

/// What is wrong if the process has more threads now than `before`.
pub(crate) fn thread_left(before: Option<usize>) -> Option<String> {
    let (before, now) = (before?, threads_now()?);
    (now > before).then(|| {
        format!(
            "it left {} thread(s) running after it returned: a function must finish \
             its work before it returns",
            now - before
        )
    })
}

/// Runs `f`, which calls the answer's code and catches its panics.
pub(crate) fn checking<R>(f: impl FnOnce() -> R) -> R {
    IN_CHECK.with(|depth| depth.set(depth.get() + 1));
    let _done = scopeguard::guard((), |()| IN_CHECK.with(|depth| depth.set(depth.get() - 1)));
    f()
}

/// Keeps each panic's message and place for [`last_panic`], printing
/// nothing: the verdict reports it.
fn remember_panics() {
    panic::set_hook(Box::new(|info| {
        if !RECORD_PANICS.load(Ordering::Relaxed) {
            return;
        }
        let message = payload_text(info.payload());
        // The place, if it is in the answer (not in the lab or a check).
        let place = info
            .location()
            .map(|at| {
                (
                    from_root(at.file()).trim_start_matches("./").to_string(),
                    at.line(),
                )
            })
            .filter(|(file, _)| in_answer(file))
            .map(|(file, line)| format!(" (at {file}:{line})"))
            .unwrap_or_default();
        if IN_CHECK.with(Cell::get) == 0 {
            // Nothing will catch it: the program ends, and the runner shows
            // this line.
            eprintln!("your code panicked outside the checks: {message}{place}");
        }
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = format!("{message}{place}");
    }));
}

/// `file` relative to the repository's root, where the reader works.
fn from_root(file: &str) -> &str {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    std::path::Path::new(file)
        .strip_prefix(root)
        .ok()
        .and_then(|relative| relative.to_str())
        .unwrap_or(file)
}

/// The message of a panic (a `&str` or a `String` payload).
fn payload_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or_default()
}

pub(crate) fn last_panic() -> String {
    LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).clone()
}
