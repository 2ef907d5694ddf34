//! The cases of tests/cmd/, read and run the way trycmd 1.2.1 ran them
//! (the course used it until it cost more to build than the checks it
//! made), for the keys the cases use and nothing more: an unknown key, or
//! a placeholder of trycmd's that this runner does not give, fails.
//!
//! A case NAME is `NAME.toml`, whose keys are:
//! - `bin.name`: the example program to run; `args`: its arguments (a list);
//! - `status.code`: the exit code expected (without it: success);
//! - `fs.sandbox`: run in a temporary copy of `fs.base` (default `NAME.in/`,
//!   or an empty directory), then check that every file of `NAME.out/`, if
//!   there, is in it with that content (other files may be there too);
//!   without it: sandboxed if `NAME.out/` exists. Without a sandbox the run
//!   starts in `fs.base` (default `NAME.in/`) or in this test's directory;
//! - `fs.base`: relative to tests/cmd/.
//!
//! `NAME.stdout` and `NAME.stderr` (each checked only if there) hold what
//! the program prints, compared after turning `\r\n`, `\r` into `\n` and
//! `\` into `/` on both sides; in them, `[..]` matches any text within a
//! line, and a line `...` any number of lines. The program gets this
//! process's environment plus the variables it is given, a standard input
//! at its end, and piped outputs.
//!
//! `TRYCMD=overwrite` (trycmd's name for it) makes a failing case copy what
//! the program did into its files: stdout, stderr, exit status, and the
//! files of `NAME.out/` (lines still matched by a `[..]` or `...` keep them).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Map, Value};

use crate::programs::copy_dir;
use crate::support::{first_difference, relative, shown_line};

/// One case of tests/cmd/, as its files describe it.
pub struct Case {
    /// `tests/cmd/NAME.toml`.
    pub path: PathBuf,
    pub bin: String,
    pub args: Vec<String>,
    /// The exit code expected; `None`: success.
    pub code: Option<i32>,
    /// `fs.base`, or `NAME.in/` if there.
    pub base: Option<PathBuf>,
    pub sandbox: bool,
}

/// Reads `path` (a `NAME.toml`); an error names the file and what is wrong.
pub fn load(path: &Path) -> Result<Case, String> {
    let place = relative(path);
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {place}: {e}"))?;
    let doc: Map<String, Value> =
        basic_toml::from_str(&text).map_err(|e| format!("{place}: {e}"))?;
    let (mut bin, mut args, mut code, mut base, mut sandbox) = (None, Vec::new(), None, None, None);
    let unknown = |key: &str| {
        Err(format!(
            "{place}: unknown key `{key}`: this runner knows only bin.name, args, \
             status.code, fs.base and fs.sandbox (tests/examples/cases.rs)"
        ))
    };
    for (key, item) in &doc {
        match key.as_str() {
            "bin" | "status" | "fs" => {
                for (inner, value) in table(item, key, &place)? {
                    let value = Some(value);
                    match (key.as_str(), inner.as_str()) {
                        ("bin", "name") => bin = value.and_then(Value::as_str).map(String::from),
                        ("status", "code") => {
                            let number = value.and_then(Value::as_i64);
                            code = Some(
                                number
                                    .and_then(|n| i32::try_from(n).ok())
                                    .ok_or(format!("{place}: status.code is not an exit code"))?,
                            );
                        }
                        ("fs", "base") => {
                            let dir = value.and_then(Value::as_str);
                            let dir = dir.ok_or(format!("{place}: fs.base is not a string"))?;
                            base = Some(path.parent().unwrap().join(dir));
                        }
                        ("fs", "sandbox") => {
                            let flag = value.and_then(Value::as_bool);
                            sandbox =
                                Some(flag.ok_or(format!("{place}: fs.sandbox is not a bool"))?);
                        }
                        _ => return unknown(&format!("{key}.{inner}")),
                    }
                }
            }
            "args" => {
                let list = item
                    .as_array()
                    .ok_or(format!("{place}: args is not a list"))?;
                for arg in list {
                    let arg = arg.as_str();
                    args.push(
                        arg.ok_or(format!("{place}: an argument is not a string"))?
                            .into(),
                    );
                }
            }
            _ => return unknown(key),
        }
    }
    let bin = bin.ok_or(format!("{place}: no bin.name (a string)"))?;
    let base = base.or_else(|| Some(path.with_extension("in")).filter(|dir| dir.exists()));
    if let Some(dir) = base.as_ref().filter(|dir| !dir.is_dir()) {
        return Err(format!(
            "{place}: fs.base {} is not a directory",
            relative(dir)
        ));
    }
    let out = path.with_extension("out");
    let sandbox = sandbox.unwrap_or(out.exists());
    if !sandbox && out.exists() {
        return Err(format!(
            "{place}: {} would not be checked without fs.sandbox = true",
            relative(&out)
        ));
    }
    Ok(Case {
        path: path.to_path_buf(),
        bin,
        args,
        code,
        base,
        sandbox,
    })
}

fn table<'a>(
    item: &'a Value,
    key: &str,
    place: &impl std::fmt::Display,
) -> Result<&'a Map<String, Value>, String> {
    item.as_object()
        .ok_or(format!("{place}: `{key}` is not a table"))
}

/// Runs `case` with `binary` and the variables `env` added to this
/// process's; `Err` says, naming the case's files, each way the run
/// differs from them (the first differing line of an output).
pub fn run(case: &Case, binary: &Path, env: &[(&str, &str)]) -> Result<(), String> {
    let overwrite = std::env::var_os("TRYCMD").is_some_and(|mode| mode == "overwrite");
    let place = relative(&case.path);
    let sandbox = if case.sandbox {
        let dir = tempfile::tempdir().map_err(|e| format!("{place}: no sandbox: {e}"))?;
        if let Some(base) = &case.base {
            copy_dir(base, dir.path());
        }
        Some(dir)
    } else {
        None
    };
    let mut command = Command::new(binary);
    command.args(&case.args).envs(env.iter().copied());
    match (&sandbox, &case.base) {
        (Some(dir), _) => command.current_dir(dir.path()),
        (None, Some(base)) => command.current_dir(base),
        (None, None) => &mut command,
    };
    // As trycmd: a pipe for standard input, at its end at once.
    command.stdin(Stdio::piped());
    let output = command
        .output()
        .map_err(|e| format!("{place}: cannot run {}: {e}", binary.display()))?;

    let mut differences = Vec::new();
    let status = output.status;
    let status_ok = match case.code {
        None => status.success(),
        Some(code) => status.code() == Some(code),
    };
    if !status_ok {
        let expected = case
            .code
            .map_or("success".to_string(), |code| format!("code {code}"));
        differences.push(format!(
            "{place}: the program ended with {status}, expected {expected} (status.code)"
        ));
        if let (true, Some(code)) = (overwrite, status.code()) {
            write_status(&case.path, code)?;
        }
    }
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let file = case.path.with_extension(stream);
        let what = format!("what the program printed on {stream}");
        differences.extend(compare(&file, bytes, &what, overwrite)?);
    }
    if let Some(dir) = &sandbox {
        let out = case.path.with_extension("out");
        if out.exists() {
            differences.extend(compare_dir(&out, dir.path(), dir.path(), overwrite)?);
        }
    }
    if differences.is_empty() || overwrite {
        Ok(())
    } else {
        Err(differences.join("\n"))
    }
}

/// Compares the text of `expected` (a file) with `seen`; `None` if they
/// match, or if `expected` is not there.
fn compare(
    expected: &Path,
    seen: &[u8],
    what: &str,
    overwrite: bool,
) -> Result<Option<String>, String> {
    let place = relative(expected);
    let Ok(pattern) = fs::read(expected) else {
        return Ok(None);
    };
    let pattern = text(&pattern).ok_or(format!("{place} is not UTF-8 text"))?;
    for placeholder in ["[ROOT]", "[CWD]", "[EXE]"] {
        if pattern.contains(placeholder) {
            return Err(format!(
                "{place}: {placeholder} is a placeholder of trycmd's that \
                 tests/examples/cases.rs does not give"
            ));
        }
    }
    let Some(seen) = text(seen) else {
        return Ok(Some(format!("{place}: {what} is not UTF-8 text")));
    };
    let seen = matched(&seen, &pattern);
    if seen == pattern {
        return Ok(None);
    }
    if overwrite {
        fs::write(expected, &seen).map_err(|e| format!("cannot write {place}: {e}"))?;
    }
    let (line, expected_line, seen_line) = first_difference(&pattern, &seen).unwrap();
    Ok(Some(format!(
        "{place}:{line}: expected {}\n{:width$}  seen {} ({what})",
        shown_line(expected_line),
        "",
        shown_line(seen_line),
        width = place.to_string().len() + line.to_string().len() + 1,
    )))
}

/// Every file of `expected` (a `NAME.out/`, or a directory in it) must be at the same
/// place under `seen`, with matching content; other files may be there.
fn compare_dir(
    expected: &Path,
    seen: &Path,
    sandbox: &Path,
    overwrite: bool,
) -> Result<Vec<String>, String> {
    let mut differences = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(expected)
        .and_then(|entries| entries.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read {}: {e}", relative(expected)))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let expected = entry.path();
        let seen = seen.join(entry.file_name());
        let name = seen.strip_prefix(sandbox).unwrap().display();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", relative(&expected)))?;
        if kind.is_dir() {
            if seen.is_dir() {
                differences.extend(compare_dir(&expected, &seen, sandbox, overwrite)?);
            } else {
                differences.push(format!(
                    "{}: the run left no directory {name}",
                    relative(&expected)
                ));
            }
        } else if !kind.is_file() {
            return Err(format!(
                "{}: neither a file nor a directory",
                relative(&expected)
            ));
        } else if let Ok(content) = fs::read(&seen) {
            let what = format!("the run's {name}");
            differences.extend(compare(&expected, &content, &what, overwrite)?);
        } else {
            let message = if overwrite {
                " (TRYCMD=overwrite cannot write a file the run did not leave)"
            } else {
                ""
            };
            differences.push(format!(
                "{}: the run left no file {name} in its directory{message}",
                relative(&expected)
            ));
        }
    }
    Ok(differences)
}

/// `bytes` as text, lines ending in `\n` and `/` for `\`, as trycmd
/// compared them; `None` if not UTF-8.
fn text(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(
        text.replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\\', "/"),
    )
}

/// `seen` with each line that `pattern` matches replaced by the pattern's
/// line (trycmd's way, so that the two are equal if all lines match, and
/// otherwise differ first where a line does not): `[..]` within a line
/// matches any text, a line `...` any lines up to one matching the next.
fn matched(seen: &str, pattern: &str) -> String {
    if seen == pattern {
        return seen.to_string();
    }
    let seen_lines: Vec<&str> = seen.split_inclusive('\n').collect();
    let mut pattern_lines = pattern.split_inclusive('\n').peekable();
    let mut result: Vec<&str> = Vec::new();
    let mut index = 0;
    while let Some(line) = pattern_lines.next() {
        if line == "...\n" || line == "..." {
            let Some(next) = pattern_lines.peek() else {
                result.push(line);
                index = seen_lines.len();
                break;
            };
            let Some(offset) = seen_lines[index..]
                .iter()
                .position(|seen| line_matches(seen, next))
            else {
                break;
            };
            result.push(line);
            index += offset;
        } else {
            let Some(seen_line) = seen_lines.get(index) else {
                break;
            };
            index += 1;
            result.push(if line_matches(seen_line, line) {
                line
            } else {
                seen_line
            });
        }
    }
    result.extend(&seen_lines[index..]);
    result.concat()
}

/// trycmd's matching of one line (its end included) with `[..]`: each
/// piece between them is found at its first place after the one before.
fn line_matches(mut seen: &str, pattern: &str) -> bool {
    if seen == pattern {
        return true;
    }
    let mut sections = pattern.split("[..]").peekable();
    while let Some(section) = sections.next() {
        let Some(rest) = seen.strip_prefix(section) else {
            return false;
        };
        match sections.peek() {
            None => return rest.is_empty(),
            Some(&"") => seen = "",
            Some(next) => {
                if let Some(start) = rest.find(next) {
                    seen = &rest[start..];
                }
            }
        }
    }
    false
}

/// Sets the expected exit code of the case `path` (overwrite mode): no
/// `status.code` line for 0, `status.code = N` otherwise. The cases write
/// every key dotted on its own line (`load` reads any TOML, and says if
/// the file it writes does not say what it meant).
fn write_status(path: &Path, code: i32) -> Result<(), String> {
    let place = relative(path);
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {place}: {e}"))?;
    let mut lines: Vec<String> = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("status.code"))
        .map(String::from)
        .collect();
    if code != 0 {
        lines.push(format!("status.code = {code}"));
    }
    let written = lines.join("\n") + "\n";
    fs::write(path, &written).map_err(|e| format!("cannot write {place}: {e}"))?;
    match load(path) {
        Ok(case) if case.code == (code != 0).then_some(code) => Ok(()),
        Ok(_) => Err(format!("{place}: write status.code = {code} by hand")),
        Err(e) => Err(e),
    }
}

#[test]
fn wildcards_match_as_trycmd_matched_them() {
    assert!(line_matches("a 12 b 3\n", "a [..] b [..]\n"));
    assert!(line_matches("a 12\n", "a [..]\n"));
    assert!(!line_matches("a 12\n", "b [..]\n"));
    assert!(!line_matches("a 12 c\n", "a [..] b\n"));
    assert_eq!(matched("x\ny\nz\n", "x\n...\nz\n"), "x\n...\nz\n");
    assert_eq!(matched("x 1\nq\n", "x [..]\ny\n"), "x [..]\nq\n");
    assert_eq!(matched("x\ny\n", "...\n"), "...\n");
}
