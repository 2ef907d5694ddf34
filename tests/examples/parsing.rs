//! The parsers behind every program's command line (`course/cli/args.rs`)
//! and the escaping of paths in its error lines (`course/cli/escaped.rs`),
//! called directly: what `usage` sees from outside, here case by case.

use std::path::Path;

use course::cli::{TwoPaths, UsageError, escaped, parse_count, parse_two_paths};

#[test]
fn a_count_is_absent_or_plain_digits() {
    assert_eq!(parse_count(Vec::new()), Ok(None));
    assert_eq!(parse_count(vec!["5".into()]), Ok(Some(5)));
    for not_a_count in ["-1", "+5", "", "5x"] {
        assert_eq!(
            parse_count(vec![not_a_count.into()]),
            Err(UsageError::NotACount(not_a_count.into())),
            "{not_a_count:?}"
        );
    }
    assert_eq!(
        parse_count(vec!["1".into(), "2".into()]),
        Err(UsageError::TooManyArguments(2))
    );
}

#[test]
fn two_paths_with_force_anywhere_before_the_end_of_options() {
    let paths = parse_two_paths(vec!["in.txt".into(), "out.txt".into()]);
    let (input, output) = ("in.txt".into(), "out.txt".into());
    assert_eq!(
        paths,
        Ok(TwoPaths {
            input,
            output,
            force: false
        })
    );
    let forced = parse_two_paths(vec!["a".into(), "--force".into(), "b".into()]);
    assert!(forced.is_ok_and(|paths| paths.force));
    assert_eq!(
        parse_two_paths(vec!["in.txt".into()]),
        Err(UsageError::NotTwoPaths(1))
    );
    // `--` ends the options: what follows is a path, whatever it looks like.
    let after_the_end = parse_two_paths(vec!["--".into(), "--force".into(), "-h".into()]);
    let (input, output) = ("--force".into(), "-h".into());
    assert_eq!(
        after_the_end,
        Ok(TwoPaths {
            input,
            output,
            force: false
        })
    );
    let forced = parse_two_paths(vec!["--force".into(), "--".into(), "a".into(), "b".into()]);
    assert!(forced.is_ok_and(|paths| paths.force && paths.input.as_os_str() == "a"));
}

#[test]
fn escaped_paths_stay_on_one_line() {
    assert_eq!(escaped(Path::new("notes.txt")).to_string(), "notes.txt");
    assert_eq!(escaped(Path::new("für\nyou")).to_string(), r"für\nyou");
    assert_eq!(
        escaped(Path::new("\x1b[31mred")).to_string(),
        r"\u{1b}[31mred"
    );
    assert_eq!(escaped(Path::new(r"a\b")).to_string(), r"a\\b");
}
