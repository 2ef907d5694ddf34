//! Runs the book shows that a case of tests/cmd/ cannot make (under valgrind, a test
//! that fails on purpose), kept in `tests/shown/NAME.console`, and how a
//! test compares them with what the command prints now.

use std::fs;
use std::path::PathBuf;

use super::{first_difference, root, shown_line};

/// A command and its output as the book shows them, kept in
/// `tests/shown/NAME.console`: the first line is `$ command`, the rest is
/// what it printed (stdout and stderr, as a terminal interleaves them).
/// These are the runs a case of tests/cmd/ cannot make: under valgrind, or a test that
/// fails on purpose.
pub struct Shown {
    pub path: PathBuf,
    /// The command's words, without the `$`.
    pub command: Vec<String>,
    pub output: String,
}

impl Shown {
    pub fn load(name: &str) -> Shown {
        let path = root().join("tests/shown").join(format!("{name}.console"));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let (first, output) = text.split_once('\n').unwrap_or((&text, ""));
        let command = first
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("{}: the first line must be `$ command`", path.display()))
            .split_whitespace()
            .map(str::to_string)
            .collect();
        Shown {
            path,
            command,
            output: output.to_string(),
        }
    }

    /// The arguments after `--` in the shown command.
    pub fn args_after_dashes(&self) -> &[String] {
        let dashes = self.command.iter().position(|w| w == "--");
        dashes.map_or(&[], |i| &self.command[i + 1..])
    }

    /// What `cargo test --test NAME ARGS` hands the test program: ARGS,
    /// without the `--` that separates cargo's own options from them.
    pub fn test_program_args(&self) -> Vec<&str> {
        let test = self.command.iter().position(|w| w == "--test");
        let args = test.map_or(&[][..], |i| {
            &self.command[(i + 2).min(self.command.len())..]
        });
        args.iter()
            .map(String::as_str)
            .filter(|w| *w != "--")
            .collect()
    }

    /// `tests/shown/NAME.console`, for messages.
    pub fn file(&self) -> String {
        let relative = self.path.strip_prefix(root()).unwrap_or(&self.path);
        relative.display().to_string()
    }

    /// Fails unless `actual` is the shown output, up to what differs from
    /// run to run ([`mask_varying`]), leading with the first line that
    /// differs; `code` names the code whose output it is, where to look.
    /// With `SHOWN=overwrite` in the environment, records `actual` as the
    /// shown output instead, if it differs.
    #[track_caller]
    pub fn assert_matches(&self, actual: &str, code: &str) {
        let (shown, now) = (mask_varying(&self.output), mask_varying(actual));
        let Some((line, _, _)) = first_difference(&shown, &now) else {
            return;
        };
        if std::env::var_os("SHOWN").is_some_and(|v| v == "overwrite") {
            let command = self.command.join(" ");
            let output = keep_unchanged_lines(&self.output, actual);
            fs::write(&self.path, format!("$ {command}\n{output}")).unwrap();
            return;
        }
        // Masking keeps lines apart, so the raw lines are the ones that differ.
        let expected = self.output.split('\n').nth(line - 1);
        let seen = actual.split('\n').nth(line - 1);
        panic!(
            "{file}:{}: the output of {code} is not what the book shows\n\
             {:>8}: {}\n{:>8}: {}\n\
             If the change is intended, rerun with SHOWN=overwrite and read the diff \
             (README: \"When `cargo test` fails\").\n\
             --- shown ({file})\n{}\n--- now\n{actual}",
            line + 1, // the command is the file's first line
            "expected",
            shown_line(expected),
            "seen",
            shown_line(seen),
            self.output,
            file = self.file(),
        );
    }
}

/// `now`, with each line that differs from the same line of `shown` only
/// by what [`mask_varying`] masks taken from `shown`, and valgrind's
/// `==PID==` prefix kept as `shown` has it: the diff to read then holds the
/// real changes, and the report one process id.
fn keep_unchanged_lines(shown: &str, now: &str) -> String {
    let old_pid = shown.lines().find_map(valgrind_prefix);
    let mut shown_lines = shown.split('\n');
    let lines: Vec<String> = now
        .split('\n')
        .map(
            |line| match (shown_lines.next(), valgrind_prefix(line), old_pid) {
                (Some(old), _, _) if mask_varying(old) == mask_varying(line) => old.to_string(),
                (_, Some(prefix), Some(old_pid)) => format!("{old_pid}{}", &line[prefix.len()..]),
                _ => line.to_string(),
            },
        )
        .collect();
    lines.join("\n")
}

/// valgrind's `==1234==` at the start of `line`.
fn valgrind_prefix(line: &str) -> Option<&str> {
    let digits = line.strip_prefix("==")?.find("==")?;
    let prefix = &line[..digits + 4];
    (digits > 0 && prefix[2..digits + 2].bytes().all(|b| b.is_ascii_digit())).then_some(prefix)
}

/// Masks what changes from one run to the next and nothing else: process
/// ids (`==1234==`, valgrind's line prefix), thread ids (`thread 'name'
/// (1234) panicked`), code addresses (`0x10A2B4`), and test durations
/// (`finished in 0.01s`).
pub fn mask_varying(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        // valgrind's `==PID==` prefix
        if let Some(after) = rest.strip_prefix("==")
            && let Some(end) = after.find("==")
            && end > 0
            && after[..end].bytes().all(|b| b.is_ascii_digit())
        {
            masked.push_str("==PID==");
            rest = &after[end + 2..];
        }
        if rest.starts_with("thread '")
            && let Some(start) = rest.find("' (")
        {
            let after = &rest[start + 3..];
            let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
            if digits > 0 && after[digits..].starts_with(") panicked") {
                masked.push_str(&rest[..start]);
                masked.push_str("' (TID");
                rest = &after[digits..];
            }
        }
        if let Some(start) = rest.find("finished in ") {
            let after = &rest[start + "finished in ".len()..];
            let digits = after.find(|c: char| !(c.is_ascii_digit() || c == '.'));
            if let Some(len) = digits.filter(|&len| len > 0 && after[len..].starts_with('s')) {
                masked.push_str(&mask_addresses(&rest[..start]));
                masked.push_str("finished in Ns");
                rest = &after[len + 1..];
            }
        }
        masked.push_str(&mask_addresses(rest));
    }
    masked
}

/// `0x` followed by hexadecimal digits becomes `0xADDR`.
fn mask_addresses(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("0x") {
        let after = &rest[start + 2..];
        let len = after
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(after.len());
        masked.push_str(&rest[..start]);
        masked.push_str(if len > 0 { "0xADDR" } else { "0x" });
        rest = &after[len..];
    }
    masked.push_str(rest);
    masked
}
