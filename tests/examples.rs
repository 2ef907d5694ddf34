//! Runs every example program: the runs the book shows (tests/cmd/) and bad
//! command lines, which must get one line on stderr and exit status 2.
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

#[test]
fn bad_command_lines_get_one_line_and_status_2() {
    let bad_lines: [&[&[u8]]; 7] = [
        &[b"abc"],
        &[b"-1"],
        &[b"+5"],
        &[b"3.5"],
        &[b"99999999999999999999999999"],
        &[b"1", b"2"],
        &[b"\xff"], // not UTF-8
    ];
    for name in example_names() {
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
            assert!(
                stderr.contains(&format!("usage: cargo run --example {name} -- [N]")),
                "{context}"
            );
        }
    }
}
