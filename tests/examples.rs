//! Runs every example program: the runs the book shows (tests/cmd/) and bad
//! command lines, which must get one line on stderr and exit status 2.
//! (I/O failures of chapter 8's tool, status 1, are cases in tests/cmd/.)
//! Refresh the shown output: `TRYCMD=overwrite cargo test --test examples`.

mod support;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

use support::{example_binary, example_names};

#[test]
fn shown_runs_print_what_the_book_shows() {
    let cases = trycmd::TestCases::new();
    for name in example_names() {
        cases.register_bin(name.clone(), example_binary(&name));
    }
    cases.case("tests/cmd/*.toml");
}

/// Command lines that a program taking an optional count `N` must refuse.
const BAD_COUNTS: [&[&[u8]]; 7] = [
    &[b"abc"],
    &[b"-1"],
    &[b"+5"],
    &[b"3.5"],
    &[b"99999999999999999999999999"],
    &[b"1", b"2"],
    &[b"\xff"], // not UTF-8
];

/// Command lines that a program taking `INPUT OUTPUT` must refuse (paths
/// may be any bytes, so only the number of arguments can be wrong).
const BAD_PATH_PAIRS: [&[&[u8]]; 3] = [&[], &[b"only-one"], &[b"a", b"b", b"c"]];

/// The usage a program prints for a bad command line, `-- [N]` or
/// `-- INPUT OUTPUT`: `--help` is bad input for both kinds.
fn usage_of(name: &str) -> String {
    let output = Command::new(example_binary(name))
        .arg("--help")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let usage = stderr
        .split_once("(usage: ")
        .and_then(|(_, usage)| usage.trim_end().strip_suffix(')'))
        .unwrap_or_else(|| panic!("{name} --help: no usage in {stderr:?}"));
    usage.to_string()
}

#[test]
fn bad_command_lines_get_one_line_and_status_2() {
    for name in example_names() {
        let usage = usage_of(&name);
        let bad_lines: &[&[&[u8]]] = if usage == format!("cargo run --example {name} -- [N]") {
            &BAD_COUNTS
        } else if usage == format!("cargo run --example {name} -- INPUT OUTPUT") {
            &BAD_PATH_PAIRS
        } else {
            panic!("{name}: unknown usage {usage:?}")
        };
        for args in bad_lines {
            let args: Vec<&OsStr> = args.iter().map(|arg| OsStr::from_bytes(arg)).collect();
            let output = Command::new(example_binary(&name))
                .args(&args)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let context = format!("{name} {args:?}: stderr was {stderr:?}");
            assert_eq!(output.status.code(), Some(2), "{context}");
            assert!(output.stdout.is_empty(), "{context}");
            assert_eq!(stderr.lines().count(), 1, "{context}");
            assert!(stderr.starts_with("error: "), "{context}");
            assert!(stderr.contains(&format!("(usage: {usage})")), "{context}");
        }
    }
}
