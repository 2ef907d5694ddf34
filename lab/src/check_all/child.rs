//! The child process's side of `check_all_allocation_failures`: find the
//! check the parent asked for, run it, report under the parent's nonce,
//! and exit.

use std::fmt::{self, Write as _};
use std::io::Write as _;

use super::{
    ANNOUNCE_ENV, CHECK_ENV, CHILD_ENV, CheckId, NOTHING_AFTER_ENV, OutOfMemory, SITES_ENV,
    THREAD_ENV,
};
use crate::failure::{self, CHILD_REPORT};
use crate::{LeakReport, check_leaks, count_allocations, hooks, with_failure_at};

/// What a child process does at its check.
#[derive(Clone, Copy)]
pub(super) enum ChildRun {
    /// Run `f` without a failure, and report how many allocations it
    /// attempted.
    Count,
    /// Run `f` with this allocation failing, and report the verdict.
    FailAt(u64),
}

/// How `CHILD_ENV` names a `ChildRun::Count`.
pub(super) const COUNT_RUN: &str = "count";
/// The verdict of a child that counted: `attempts N`.
pub(super) const ATTEMPTS: &str = "attempts";
/// The place of one allocation a child counted: `site PLACE`, in order.
pub(super) const SITE: &str = "site";

/// What the parent asked of this child.
pub(super) struct Target {
    pub(super) check: CheckId,
    pub(super) run: ChildRun,
}

/// In a child: which check to run, and what to do there. The variable
/// names the parent's process id too, and counts only in a direct child of
/// that process: a value inherited from a shell or a script does not turn
/// an ordinary run into a child that reports nothing.
pub(super) fn target() -> Option<Target> {
    let value = std::env::var(CHILD_ENV).ok()?;
    let (run, parent) = value.split_once(':')?;
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
    let check = std::env::var(CHECK_ENV).ok()?;
    let mut fields = check.splitn(4, ':');
    let (Some(ordinal), Some(line), Some(column), Some(file)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    let check = CheckId {
        thread: std::env::var(THREAD_ENV).ok()?,
        ordinal: ordinal.parse().ok()?,
        line: line.parse().ok()?,
        column: column.parse().ok()?,
        file: file.to_string(),
    };
    Some(Target { check, run })
}

/// How the parent names `check` and `run` to a child, in `CHILD_ENV`,
/// `CHECK_ENV` and `THREAD_ENV`.
pub(super) fn variables(check: &CheckId, run: ChildRun) -> [(&'static str, String); 3] {
    let run = match run {
        ChildRun::Count => COUNT_RUN.to_string(),
        ChildRun::FailAt(index) => index.to_string(),
    };
    let CheckId {
        thread,
        ordinal,
        line,
        column,
        file,
    } = check;
    [
        (CHILD_ENV, format!("{run}:{}", std::process::id())),
        (CHECK_ENV, format!("{ordinal}:{line}:{column}:{file}")),
        (THREAD_ENV, thread.clone()),
    ]
}

/// In a child: the nonce its parent wrote on its standard input, read at
/// its first check.
pub(super) fn nonce() -> &'static str {
    static NONCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NONCE.get_or_init(|| {
        hooks::quietly(|| {
            let mut nonce = String::new();
            let _ = std::io::stdin().read_line(&mut nonce);
            nonce.trim().to_string()
        })
    })
}

/// Whether this process is one of the child processes that
/// [`check_all_allocation_failures`](crate::check_all_allocation_failures)
/// starts. Such a child finds a secret on its standard input, which it
/// reads at its first check: a program that reads its own standard input
/// should leave it alone then.
///
/// # Example
///
/// ```
#[doc = include_str!("../../doc-examples/is_failure_check_child.rs")]
/// ```
pub fn is_failure_check_child() -> bool {
    target().is_some()
}

/// In a child: run `f` as the parent asked, report on stderr, and exit.
pub(super) fn run<T, E: OutOfMemory + fmt::Debug>(
    run: ChildRun,
    f: impl FnOnce() -> Result<T, E>,
) -> ! {
    let index = match run {
        ChildRun::Count => {
            // As the parent counted: inside a leak check.
            let count = || check_leaks(|| count_allocations(|| f().map(drop)));
            let (((_, count), _), places) = if std::env::var_os(SITES_ENV).is_some() {
                failure::with_sites(count)
            } else {
                (count(), Vec::new())
            };
            let mut stderr = std::io::stderr();
            for place in places {
                let _ = writeln!(stderr, "{CHILD_REPORT} {} {SITE} {place}", nonce());
            }
            let _ = writeln!(
                stderr,
                "{CHILD_REPORT} {} {ATTEMPTS} {}",
                nonce(),
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
        if count.after_failure > 0 && std::env::var_os(NOTHING_AFTER_ENV).is_some() {
            problems.push(format!(
                "allocated {} more times after the failed allocation, first at {}: nothing \
                 may be allocated after it (nothing_after_the_failure)",
                count.after_failure,
                failure::first_after_failure().unwrap_or_default()
            ));
        }
        if problems.is_empty() {
            "ok".to_string()
        } else {
            problems.join("; ")
        }
    };
    let _ = writeln!(stderr, "{CHILD_REPORT} {} {verdict}", nonce());
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
