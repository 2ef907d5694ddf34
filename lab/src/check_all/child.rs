//! The child process's side of `check_all_allocation_failures`: find the
//! check the parent asked for, run it, report under the parent's nonce,
//! and exit.

use std::io::Write as _;

use super::subject::{Subject, WrongResult};
use super::{
    ANNOUNCE_ENV, CHECK_ENV, CHILD_ENV, CheckId, NOTHING_AFTER_ENV, SITES_ENV, THREAD_ENV,
};
use crate::failure::{self, CHILD_REPORT};
use crate::{LeakReport, hooks};

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
        die_with_the_parent();
        hooks::quietly(|| {
            let mut nonce = String::new();
            let _ = std::io::stdin().read_line(&mut nonce);
            nonce.trim().to_string()
        })
    })
}

/// In a child, on Linux: from now on, the child dies when its parent does
/// (a test killed while it waits leaves no child running); if the parent
/// is already gone, now.
fn die_with_the_parent() {
    #[cfg(target_os = "linux")]
    {
        let _ =
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
        // `target` checks that the parent it names is still this process's
        // parent: if it died before the line above, it is not.
        if target().is_none() {
            std::process::exit(1);
        }
    }
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
    // Quietly: reading the variables allocates, and this may be called
    // inside the function under a check.
    hooks::quietly(|| target().is_some())
}

/// In a child: run `subject` as the parent asked, report on stderr, and
/// exit.
pub(super) fn run(run: ChildRun, subject: &mut impl Subject) -> ! {
    // The buffer of stdout, which the standard library makes at the first
    // print and keeps: made here, unobserved, it is not a failure point of
    // a program whose first print is in the function (a test's harness has
    // printed before it).
    hooks::quietly(|| drop(std::io::stdout()));
    let index = match run {
        ChildRun::Count => {
            let (attempts, places) = subject.count(std::env::var_os(SITES_ENV).is_some());
            let mut stderr = std::io::stderr();
            for place in places {
                let _ = writeln!(stderr, "{CHILD_REPORT} {} {SITE} {place}", nonce());
            }
            let _ = writeln!(stderr, "{CHILD_REPORT} {} {ATTEMPTS} {attempts}", nonce());
            std::process::exit(0)
        }
        ChildRun::FailAt(index) => index,
    };
    if std::env::var_os(ANNOUNCE_ENV).is_some() {
        failure::announce_failures();
    }
    let failing = subject.failing(index);
    let mut stderr = std::io::stderr();
    let verdict = if !failing.injected {
        "no failure: the function attempted fewer allocations than in the first run".to_string()
    } else {
        let mut problems: Vec<String> = Vec::new();
        match &failing.wrong {
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
        if !matches!(failing.wrong, WrongResult::Panicked(_)) {
            problems.extend(report_problems(&failing.report, &mut stderr));
        }
        if failing.after_failure > 0 && std::env::var_os(NOTHING_AFTER_ENV).is_some() {
            problems.push(format!(
                "allocated {} more {} after the failed allocation, first at {}: nothing \
                 may be allocated after it (nothing_after_the_failure)",
                failing.after_failure,
                if failing.after_failure == 1 {
                    "time"
                } else {
                    "times"
                },
                failing.first_after.as_deref().unwrap_or_default()
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
