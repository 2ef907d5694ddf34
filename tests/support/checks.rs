//! Failure messages that say what was checked, where the reader edits the
//! code under test, what was expected and what was seen.

use std::fmt::{Debug, Display};
use std::fs;

use super::root;

/// `FILE:LINE (NAME)` of `fn NAME` in `file` (from the project root): where
/// the reader edits the function a test checks. Fails if the function is
/// not there, so a renamed or moved function cannot leave messages that
/// point nowhere.
pub fn fn_place(file: &str, name: &str) -> String {
    let text = fs::read_to_string(root().join(file))
        .unwrap_or_else(|e| panic!("cannot read {file}, where tests expect `fn {name}`: {e}"));
    let line = text
        .lines()
        .position(|line| {
            line.split_once("fn ").is_some_and(|(before, after)| {
                (before.trim().is_empty() || before.trim().starts_with("pub"))
                    && after.starts_with(name)
                    && after[name.len()..].starts_with(['(', '<'])
            })
        })
        .unwrap_or_else(|| panic!("{file} has no `fn {name}`, which tests check"));
    format!("{file}:{} ({name})", line + 1)
}

/// Fails with: `{place}: {what}`, then what was expected and what was seen.
#[track_caller]
pub fn fail(place: &str, what: &str, expected: impl Display, seen: impl Display) -> ! {
    panic!(
        "{place}: {what}\n{}{}",
        labelled("expected", &expected.to_string()),
        labelled("seen", &seen.to_string())
    )
}

/// Fails unless `ok`, like [`check`], then shows the whole `output` that
/// `seen` was taken from.
#[track_caller]
pub fn check_in_output(
    place: &str,
    what: &str,
    ok: bool,
    expected: impl Display,
    seen: impl Display,
    output: &str,
) {
    if !ok {
        panic!(
            "{place}: {what}\n{}{}--- the whole output\n{output}",
            labelled("expected", &expected.to_string()),
            labelled("seen", &seen.to_string())
        )
    }
}

/// A labelled value: on the label's line if it is one line, else below it.
fn labelled(label: &str, value: &str) -> String {
    let value = value.strip_suffix('\n').unwrap_or(value);
    if value.contains('\n') {
        format!("{label:>8}:\n{value}\n")
    } else {
        format!("{label:>8}: {value}\n")
    }
}

/// Fails unless `seen == expected`, saying what and where (see [`fail`]).
#[track_caller]
pub fn check_eq<T: PartialEq + Debug>(place: &str, what: &str, expected: T, seen: T) {
    if seen != expected {
        fail(place, what, format!("{expected:?}"), format!("{seen:?}"));
    }
}

/// Fails unless `ok`, saying what and where (see [`fail`]). `seen` is
/// formatted only on failure: pass a lab report as it is (formatting one
/// resolves its stacks, which takes a second).
#[track_caller]
pub fn check(place: &str, what: &str, ok: bool, expected: impl Display, seen: impl Display) {
    if !ok {
        fail(place, what, expected, seen);
    }
}

/// Runs `f`, which must not panic; if it does (the lab's checks report
/// what they found by panicking), fails saying what and where, with the
/// panic's message as what was seen.
#[track_caller]
pub fn check_no_panic<R>(
    place: &str,
    what: &str,
    expected: impl Display,
    f: impl FnOnce() -> R + std::panic::UnwindSafe,
) -> R {
    match std::panic::catch_unwind(f) {
        Ok(value) => value,
        Err(payload) => fail(place, what, expected, super::panic_payload_text(&*payload)),
    }
}

/// The first line where `seen` differs from `expected`: its number (from
/// 1) and both lines, `None` where one text has ended.
pub fn first_difference<'a>(
    expected: &'a str,
    seen: &'a str,
) -> Option<(usize, Option<&'a str>, Option<&'a str>)> {
    let mut expected_lines = expected.split('\n');
    let mut seen_lines = seen.split('\n');
    for number in 1.. {
        match (expected_lines.next(), seen_lines.next()) {
            (None, None) => return None,
            (e, s) if e != s => return Some((number, e, s)),
            _ => {}
        }
    }
    unreachable!()
}

/// A line for a message: quoted, or `(end of output)`.
pub fn shown_line(line: Option<&str>) -> String {
    line.map_or_else(|| "(end of output)".to_string(), |line| format!("{line:?}"))
}

/// `FILE:LINE` of the first line of `file` (a chapter, from the project
/// root) that says `phrase`: where the book makes a claim about Rust, the
/// system or a crate, which a test checks. Fails if the chapter no longer
/// says it, so that no message points nowhere.
pub fn chapter_place(file: &str, phrase: &str) -> String {
    let text = fs::read_to_string(root().join(file))
        .unwrap_or_else(|e| panic!("cannot read {file}, where tests expect {phrase:?}: {e}"));
    // As the reader sees it: a link's text without its address.
    let line = text
        .lines()
        .position(|line| without_link_targets(line).contains(phrase))
        .unwrap_or_else(|| panic!("{file} no longer says {phrase:?}, which a test checks"));
    format!("{file}:{}", line + 1)
}

/// The links `[text](target)` of a line of prose, outside inline code: each
/// as (the range of `text` in the line, target).
pub fn links_in(line: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut links = Vec::new();
    let bytes = line.as_bytes();
    let mut in_code = false;
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'[' if !in_code => open = Some(i),
            b']' if !in_code && bytes.get(i + 1) == Some(&b'(') => {
                if let (Some(start), Some(end)) = (open.take(), line[i + 2..].find(')')) {
                    links.push((start + 1..i, line[i + 2..i + 2 + end].to_string()));
                    i += 2 + end;
                }
            }
            _ => {}
        }
        i += 1;
    }
    links
}

/// `line` with each Markdown link `[text](target)` written as its text.
fn without_link_targets(line: &str) -> String {
    let mut out = String::new();
    let mut rest_at = 0;
    for (text, target) in links_in(line) {
        out.push_str(&line[rest_at..text.start - 1]); // up to the `[`
        out.push_str(&line[text.clone()]);
        rest_at = text.end + 2 + target.len() + 1; // past `](target)`
    }
    out.push_str(&line[rest_at..]);
    out
}

/// The message of the panic that `f` must raise. If `f` returns instead,
/// fails like [`fail`]: `{place}: {what}`, expecting `expected`.
#[track_caller]
pub fn panic_of<R>(
    place: &str,
    what: &str,
    expected: &str,
    f: impl FnOnce() -> R + std::panic::UnwindSafe,
) -> String {
    match super::catch_expected(f) {
        Ok(_) => fail(place, what, expected, "it returned, without a panic"),
        Err(payload) => super::panic_payload_text(&*payload),
    }
}
