//! `--help` prints the usage the README gives; a bad command line gets one
//! line on stderr and exit status 2.

use std::ffi::OsString;

use crate::programs::{Program, Takes, assert_one_error_line, assert_status, for_each_program};

/// Command lines that a program taking an optional count must refuse.
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

/// The usage `program` prints for `flag` (`--help` or `-h`), after
/// checking that it is the first line on stdout (then, for chapter 8's
/// tool, the line saying what it does), nothing on stderr, status 0.
fn usage_for(program: &Program, flag: &str) -> String {
    let output = program.run(&[flag]);
    let context = format!("{} {flag}", program.name);
    assert_status(&context, &output, 0);
    assert!(output.stderr.is_empty(), "{context}: {output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let usage = stdout
        .strip_prefix("usage: ")
        .and_then(|usage| usage.split_once('\n'))
        .filter(|(_, about)| {
            // Every program says, in one line, what it does and what its
            // argument means (its Usage's `about`, in course/cli/args.rs);
            // chapter 8's tool that only ASCII letters are upper-cased.
            about.ends_with('\n')
                && about.lines().count() == 1
                && (program.name != "ch08_atomic_save"
                    || about.contains("ASCII letters upper-cased"))
        })
        .map(|(usage, _)| usage)
        .unwrap_or_else(|| {
            panic!("{context}: not `usage: ...` on stdout, then at most one line: {stdout:?}")
        });
    usage.to_string()
}

/// The README's table says how to run each program; the usage says the
/// same, and marks an optional argument with brackets (`[N]`), which the
/// table may leave out.
pub fn help_prints_the_usage_of_the_readme_on_stdout(chapter: &str) {
    let without_brackets = |command: &str| command.replace(['[', ']'], "");
    for_each_program(chapter, |program| {
        for flag in ["--help", "-h"] {
            let usage = usage_for(program, flag);
            assert_eq!(
                without_brackets(&usage),
                without_brackets(&program.readme),
                "{} {flag}: the usage {usage:?} is not README.md's",
                program.name
            );
        }
    });
}

pub fn bad_command_lines_get_one_line_and_status_2(chapter: &str) {
    for_each_program(chapter, |program| {
        let usage = usage_for(program, "--help");
        let bad_lines: &[&[&[u8]]] = match program.takes {
            Takes::Count => &BAD_COUNTS,
            Takes::TwoPaths => &BAD_PATH_PAIRS,
        };
        for args in bad_lines {
            let args: Vec<OsString> = args.iter().map(|arg| os_arg(arg)).collect();
            let output = program.run(&args);
            let context = format!("{} {args:?}", program.name);
            assert_one_error_line(&context, &output);
            assert_status(&context, &output, 2);
            assert!(output.stdout.is_empty(), "{context}: {output:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains(&format!("(usage: {usage})")),
                "{context}: {stderr:?}"
            );
        }
    });
}

/// An argument as the system passes it. Unix passes bytes; Windows passes
/// UTF-16, where bytes that are not UTF-8 cannot be written: there, the
/// argument that is not Unicode is an unpaired surrogate instead.
fn os_arg(bytes: &[u8]) -> OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        std::ffi::OsStr::from_bytes(bytes).to_owned()
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStringExt as _;
        match std::str::from_utf8(bytes) {
            Ok(text) => OsString::from(text),
            Err(_) => OsString::from_wide(&[0xD800]),
        }
    }
}
