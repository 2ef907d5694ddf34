//! Argument handling shared by the example programs.
//!
//! Most examples take at most one argument, a count `n`; chapter 8's tool
//! takes two paths. Bad input gets one line on stderr and exit status 2
//! (the usual status for bad usage), never a panic.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Why the command line could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum UsageError {
    /// More than one argument was given.
    TooManyArguments(usize),
    /// The argument was not valid UTF-8 text.
    NotText,
    /// The argument was text, but not a whole number that fits in `usize`.
    NotACount(String),
    /// A program that takes two paths got this many arguments.
    NotTwoPaths(usize),
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::TooManyArguments(given) => {
                write!(f, "expected at most one argument, got {given}")
            }
            UsageError::NotText => f.write_str("the argument is not valid text"),
            UsageError::NotACount(arg) => write!(
                f,
                "{arg:?} is not a count: expected a whole number from 0 to {}",
                usize::MAX
            ),
            UsageError::NotTwoPaths(given) => {
                let s = if *given == 1 { "" } else { "s" };
                write!(
                    f,
                    "expected two paths, INPUT and OUTPUT, got {given} argument{s}"
                )
            }
        }
    }
}

impl std::error::Error for UsageError {}

/// Parses the optional single count from `args` (without the program name).
///
/// ```
/// use course::cli::{parse_count, UsageError};
///
/// assert_eq!(parse_count(Vec::new()), Ok(None));
/// assert_eq!(parse_count(vec!["5".into()]), Ok(Some(5)));
/// assert!(matches!(parse_count(vec!["-1".into()]), Err(UsageError::NotACount(_))));
/// ```
pub fn parse_count(args: impl IntoIterator<Item = OsString>) -> Result<Option<usize>, UsageError> {
    let args: Vec<OsString> = args.into_iter().collect();
    match args.as_slice() {
        [] => Ok(None),
        [arg] => {
            let text = arg.to_str().ok_or(UsageError::NotText)?;
            // `usize::from_str` accepts a leading `+`; a count is plain digits.
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(UsageError::NotACount(text.to_owned()));
            }
            text.parse()
                .map(Some)
                .map_err(|_| UsageError::NotACount(text.to_owned()))
        }
        more => Err(UsageError::TooManyArguments(more.len())),
    }
}

/// The counts an example should run: the one on its command line, or
/// `defaults` when there is none. On bad usage, the error to exit with.
///
/// ```no_run
/// use std::process::ExitCode;
///
/// fn main() -> ExitCode {
///     let counts = match course::cli::counts_or(&[5, 20]) {
///         Ok(counts) => counts,
///         Err(exit) => return exit,
///     };
///     for n in counts {
///         println!("n = {n}");
///     }
///     ExitCode::SUCCESS
/// }
/// ```
pub fn counts_or(defaults: &[usize]) -> Result<Vec<usize>, ExitCode> {
    match parse_count(std::env::args_os().skip(1)) {
        Ok(Some(n)) => Ok(vec![n]),
        Ok(None) => Ok(defaults.to_vec()),
        Err(usage) => Err(usage_error(&usage, "[N]")),
    }
}

/// The two paths of a program run as `NAME -- INPUT OUTPUT`. On bad usage,
/// the error to exit with. Paths need not be UTF-8.
///
/// ```
/// use course::cli::{parse_two_paths, UsageError};
///
/// let paths = parse_two_paths(vec!["in.txt".into(), "out.txt".into()]);
/// assert_eq!(paths, Ok(("in.txt".into(), "out.txt".into())));
/// assert_eq!(parse_two_paths(vec!["in.txt".into()]), Err(UsageError::NotTwoPaths(1)));
/// ```
pub fn parse_two_paths(
    args: impl IntoIterator<Item = OsString>,
) -> Result<(PathBuf, PathBuf), UsageError> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    match args.len() {
        2 => {
            let output = args.pop().unwrap_or_default();
            let input = args.pop().unwrap_or_default();
            Ok((input.into(), output.into()))
        }
        given => Err(UsageError::NotTwoPaths(given)),
    }
}

/// [`parse_two_paths`] on this program's command line.
pub fn two_paths() -> Result<(PathBuf, PathBuf), ExitCode> {
    parse_two_paths(std::env::args_os().skip(1))
        .map_err(|usage| usage_error(&usage, "INPUT OUTPUT"))
}

/// Prints one line, `error: WHAT (usage: cargo run --example NAME -- ARGS)`,
/// and returns exit status 2, the usual status for bad usage.
fn usage_error(usage: &UsageError, args: &str) -> ExitCode {
    let program = std::env::args_os().next().map(PathBuf::from);
    let name = program
        .as_deref()
        .and_then(Path::file_name)
        .map_or("NAME".into(), |name| name.to_string_lossy());
    eprintln!("error: {usage} (usage: cargo run --example {name} -- {args})");
    ExitCode::from(2)
}
