//! What a failing block says: its place in `src/`, the files it includes,
//! and the program's own error with its lines translated from skeptic's
//! temporary `test.rs` (gone by the time anyone reads it) to the files the
//! reader edits.
//!
//! skeptic prints the program's output and then panics with only the
//! command that failed, and that output cannot be taken back from the test
//! harness. So the failure is made again, in a controlled environment:
//! skeptic's message names the command, and running it once more (the
//! compiled program, kept in skeptic's cache, or `rustc` on the same code)
//! gives its error to quote.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Block;
use crate::support;

/// The message of a failing block: where it is, then why it failed.
pub fn report(block: &Block, skeptic_says: &str, code: &str) -> String {
    let mut text = format!("{}: this block failed", block.place);
    if !block.includes.is_empty() {
        write!(text, " (it includes {})", block.includes.join(", ")).unwrap();
    }
    text.push_str(":\n");
    match again(skeptic_says, code) {
        Some(Again::Failed(output)) => text.push_str(&translate(&output, block)),
        Some(Again::Passed) => text.push_str(
            "it passes when run again in a clean environment, so it depends on \
             your environment or on chance; its output under skeptic is above\n",
        ),
        None => {
            let first = skeptic_says.lines().next().unwrap_or("");
            write!(
                text,
                "(its output under skeptic is above)\nskeptic: {first}\n"
            )
            .unwrap();
        }
    }
    text
}

enum Again {
    /// It failed again, and printed this.
    Failed(String),
    Passed,
}

/// Runs the failed command again, if skeptic's message names one this can
/// repeat: the compiled block (`cd DIR && "PROGRAM"`) or `rustc` on `test.rs`.
fn again(skeptic_says: &str, code: &str) -> Option<Again> {
    let scratch = tempfile::Builder::new()
        .prefix("course-block")
        .tempdir()
        .ok()?;
    let (again, keep) = repeat(skeptic_says, scratch.path(), code)?;
    let (output, status) = support::run_controlled(again, keep, &[]);
    Some(if status.success() {
        Again::Passed
    } else {
        // A panic message starts with an empty line.
        Again::Failed(format!(
            "{}({status})\n",
            ensure_newline(output.trim_start())
        ))
    })
}

/// The command skeptic says failed, to run in `scratch`, and the variables
/// of this environment it needs.
fn repeat(
    skeptic_says: &str,
    scratch: &Path,
    code: &str,
) -> Option<(Command, &'static [&'static str])> {
    let words = words(skeptic_says.strip_prefix("Command failed:\n")?)?;
    let command = match words.as_slice() {
        [cd, _, and, command @ ..] if cd == "cd" && and == "&&" => command,
        command => command,
    };
    let (program, args) = command.split_first()?;
    let mut again = Command::new(program);
    again.current_dir(scratch);
    match args.first().filter(|arg| arg.ends_with("/test.rs")) {
        // rustc: the same arguments, with skeptic's deleted directory
        // replaced by a fresh one holding the same code; one line per error.
        Some(test_rs) => {
            let old_dir = Path::new(test_rs).parent()?.to_str()?;
            let new_dir = scratch.to_str()?;
            std::fs::write(scratch.join("test.rs"), code).ok()?;
            again.args(args.iter().map(|arg| arg.replace(old_dir, new_dir)));
            again.args(["--error-format=short", "--color=never"]);
            // rustup needs these to run the pinned compiler, and book-rustc
            // (the compiler skeptic runs) the real one and the edition.
            Some((
                again,
                &[
                    "HOME",
                    "RUSTUP_HOME",
                    "RUSTUP_TOOLCHAIN",
                    "CARGO_HOME",
                    "COURSE_REAL_RUSTC",
                    "COURSE_BOOK_EDITION",
                ],
            ))
        }
        // The compiled block, if skeptic's cache still has it.
        None => {
            if !PathBuf::from(program).is_file() {
                return None;
            }
            again.args(args);
            Some((again, &[]))
        }
    }
}

fn ensure_newline(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// The words of a command as `Command`'s `Debug` prints them: quoted with
/// Rust's escapes, or bare (`cd`, `&&`). `None` if one cannot be read.
fn words(debug: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut chars = debug.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => word.push(match chars.next()? {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        c @ ('\\' | '"' | '\'') => c,
                        _ => return None, // \u{..}, \x..: not a path this reads
                    }),
                    c => word.push(c),
                }
            }
            words.push(word);
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                word.push(c);
            }
            words.push(word);
        }
    }
    Some(words)
}

/// Replaces every `.../test.rs:LINE` with the place of that line.
pub fn translate(output: &str, block: &Block) -> String {
    const FILE: &str = "/test.rs:";
    let mut out = String::with_capacity(output.len());
    let mut rest = output;
    while let Some(at) = rest.find(FILE) {
        let path_start = rest[..at]
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == '\'' || c == '"')
            .map_or(0, |i| i + 1);
        let after = &rest[at + FILE.len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let place = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|line| block.lines.get(line.checked_sub(1)?));
        match place {
            Some(place) => {
                out.push_str(&rest[..path_start]);
                out.push_str(place);
            }
            None => out.push_str(&rest[..at + FILE.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

thread_local! {
    /// Set while a test makes a block fail on purpose.
    static EXPECTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// skeptic reports a failing block by panicking, and the panic hook would
/// print that panic (the whole `rustc` command line) before the report
/// that replaces it. Hide those panics, and the panics of a block that
/// fails on purpose (with `RUST_BACKTRACE=1`, printing one costs half a
/// second); every other panic prints as usual.
pub fn quiet_skeptic_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_skeptic = info.location().is_some_and(|location| {
                let file = location.file();
                file.contains("skeptic-") && file.ends_with("rt.rs")
            });
            if !in_skeptic && !EXPECTED.get() {
                default(info);
            }
        }));
    });
}

/// The message of the panic `f` must raise, which is not printed.
pub fn expected_panic(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    quiet_skeptic_panics();
    EXPECTED.set(true);
    let result = std::panic::catch_unwind(f);
    EXPECTED.set(false);
    let payload = result.expect_err("expected a panic");
    support::panic_payload_text(&*payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: Block = Block {
        place: "src/demo.md:10",
        includes: &["examples/demo.rs:3-4"],
        lines: &["src/demo.md:10", "src/demo.md:10", "examples/demo.rs:3"],
    };

    #[test]
    fn paths_of_test_rs_become_places_and_the_rest_stays() {
        let output = "thread 'main' (7) panicked at /tmp/rust-skepticX/test.rs:3:5:\n\
                      /tmp/y/test.rs:2:1: error: (test.rs:3) stays\n\
                      /tmp/y/test.rs:99:1: error: beyond the program\n";
        let expected = "thread 'main' (7) panicked at examples/demo.rs:3:5:\n\
                        src/demo.md:10:1: error: (test.rs:3) stays\n\
                        /tmp/y/test.rs:99:1: error: beyond the program\n";
        assert_eq!(translate(output, &BLOCK), expected);
    }

    #[test]
    fn commands_are_read_back_from_their_debug_form() {
        let debug = r#"cd "/tmp/rust-skepticA" && "/t/.skeptic-bin/0f" "a \"b\"\\""#;
        let expected = [
            "cd",
            "/tmp/rust-skepticA",
            "&&",
            "/t/.skeptic-bin/0f",
            "a \"b\"\\",
        ];
        assert_eq!(
            words(debug).as_deref(),
            Some(&expected.map(String::from)[..])
        );
        assert_eq!(words(r#""\u{1f600}""#), None);
    }

    #[test]
    fn rustc_is_run_again_on_the_same_code_in_a_fresh_directory() {
        let scratch = tempfile::tempdir().unwrap();
        let new = scratch.path().to_str().unwrap();
        let says = "Command failed:\n\"rustc\" \"/tmp/rust-skepticA/test.rs\" \"--edition=2024\" \
                    \"-o\" \"/tmp/rust-skepticA/out.exe\"";
        let (command, keep) = repeat(says, scratch.path(), "fn main() {}").unwrap();
        let args: Vec<String> = command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        let expected = [
            format!("{new}/test.rs"),
            "--edition=2024".into(),
            "-o".into(),
            format!("{new}/out.exe"),
            "--error-format=short".into(),
            "--color=never".into(),
        ];
        assert_eq!(
            (command.get_program().to_str(), &args[..]),
            (Some("rustc"), &expected[..])
        );
        assert!(keep.contains(&"RUSTUP_TOOLCHAIN") && keep.contains(&"COURSE_REAL_RUSTC"));
        let code = std::fs::read_to_string(scratch.path().join("test.rs")).unwrap();
        assert_eq!(code, "fn main() {}");
    }

    #[test]
    fn a_failure_that_cannot_be_repeated_still_names_the_block() {
        let text = report(&BLOCK, "Could not create a temp dir: full", "");
        assert_eq!(
            text,
            "src/demo.md:10: this block failed (it includes examples/demo.rs:3-4):\n\
             (its output under skeptic is above)\n\
             skeptic: Could not create a temp dir: full\n"
        );
    }
}
