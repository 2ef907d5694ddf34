//! The command line: `--help`, a count `N` or two paths. Anything else is
//! bad usage, which [`Stop::Usage`] reports in one line with status 2.

use std::ffi::OsString;
use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use super::Stop;

/// How a program is run, as its usage line says it:
/// `cargo run [--release] --example NAME -- ARGS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Whether the program is meant to be run optimised (a benchmark).
    pub release: bool,
    /// Its arguments; an optional one is in brackets: `[N]`.
    pub args: &'static str,
    /// What the program does, for `--help` (empty: the usage says enough).
    pub about: &'static str,
}

impl Usage {
    /// An optional count.
    pub const COUNT: Usage = Usage {
        release: false,
        args: "[N]",
        about: "Without N, runs the cases the book shows; with N, runs only the case of N \
                (the size of what the program asks for).",
    };
    /// Two paths, and `--force` (chapter 8's tool).
    pub const TWO_PATHS: Usage = Usage {
        release: false,
        args: "[--force] INPUT OUTPUT",
        about: "Saves a copy of INPUT, its ASCII letters upper-cased, as OUTPUT, atomically. \
                --force replaces an OUTPUT that you cannot write or that has other hard links.",
    };
}

impl fmt::Display for Usage {
    /// The program's name is the one it was run as.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let program = std::env::args_os().next().map(PathBuf::from);
        let name = program
            .as_deref()
            .and_then(Path::file_name)
            .map_or("NAME".into(), |name| name.to_string_lossy());
        let release = if self.release { " --release" } else { "" };
        write!(f, "cargo run{release} --example {name} -- {}", self.args)
    }
}

/// Why the command line could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum UsageError {
    /// More than one argument was given.
    TooManyArguments(usize),
    /// The argument was not valid UTF-8 text.
    NotText,
    /// The argument was text, but not a whole number that fits in `usize`.
    NotACount(String),
    /// The count is outside what the program can serve.
    OutOfRange {
        count: usize,
        min: usize,
        max: usize,
    },
    /// A program that takes two paths got this many (besides `--force`).
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
            UsageError::OutOfRange { count, min, max } => write!(
                f,
                "{count} is out of range: this program takes a count from {min} to {max}"
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

/// Whether the command line asks for the usage, as most tools accept it:
/// `--help` or `-h` anywhere before `--`, which ends the options. (A file
/// named `-h` is `./-h`, or `-h` after `--`.)
fn asks_for_help(args: &[OsString]) -> bool {
    options(args)
        .0
        .iter()
        .any(|arg| arg == "--help" || arg == "-h")
}

/// The arguments before `--` (where options may be), and those after it
/// (never options), as most tools take them.
fn options(args: &[OsString]) -> (&[OsString], &[OsString]) {
    match args.iter().position(|arg| arg == "--") {
        Some(end) => (&args[..end], &args[end + 1..]),
        None => (args, &[]),
    }
}

/// Parses the optional single count from `args` (without the program name).
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

/// The counts a program should run: the one on its command line if it is
/// in `range`, or `defaults` when there is none. `--help` and bad usage
/// stop the program (see [`Stop`]).
pub fn counts(
    usage: Usage,
    range: RangeInclusive<usize>,
    defaults: &[usize],
) -> Result<Vec<usize>, Stop> {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if asks_for_help(&args) {
        return Err(Stop::Help(usage));
    }
    let bad_usage = |error| Stop::Usage(error, usage);
    match parse_count(args).map_err(bad_usage)? {
        None => Ok(defaults.to_vec()),
        Some(count) if range.contains(&count) => Ok(vec![count]),
        Some(count) => Err(bad_usage(UsageError::OutOfRange {
            count,
            min: *range.start(),
            max: *range.end(),
        })),
    }
}

/// [`counts`] for a program that takes any count `[N]`.
pub fn counts_or(defaults: &[usize]) -> Result<Vec<usize>, Stop> {
    counts(Usage::COUNT, 0..=usize::MAX, defaults)
}

/// [`counts`] for a program that takes a count `[N]` up to `max`.
pub fn counts_up_to(max: usize, defaults: &[usize]) -> Result<Vec<usize>, Stop> {
    counts(Usage::COUNT, 0..=max, defaults)
}

/// The command line of a program run as `NAME -- [--force] INPUT OUTPUT`.
#[derive(Debug, PartialEq, Eq)]
pub struct TwoPaths {
    pub input: PathBuf,
    pub output: PathBuf,
    /// `--force` was given (anywhere before `--`: a file named `--force` is
    /// `./--force`, or `--force` after `--`).
    pub force: bool,
}

/// Parses `[--force] [--] INPUT OUTPUT` from `args` (without the program's
/// name). On bad usage, the error to exit with. Paths need not be UTF-8.
pub fn parse_two_paths(args: impl IntoIterator<Item = OsString>) -> Result<TwoPaths, UsageError> {
    let args: Vec<OsString> = args.into_iter().collect();
    let (options, after) = options(&args);
    let force = options.iter().any(|arg| arg == "--force");
    let mut args: Vec<OsString> = options
        .iter()
        .filter(|arg| *arg != "--force")
        .cloned()
        .collect();
    args.extend(after.iter().cloned());
    match args.len() {
        2 => {
            let output = args.pop().unwrap_or_default().into();
            let input = args.pop().unwrap_or_default().into();
            Ok(TwoPaths {
                input,
                output,
                force,
            })
        }
        given => Err(UsageError::NotTwoPaths(given)),
    }
}

/// [`parse_two_paths`] on this program's command line, after `--help`.
pub fn two_paths() -> Result<TwoPaths, Stop> {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if asks_for_help(&args) {
        return Err(Stop::Help(Usage::TWO_PATHS));
    }
    parse_two_paths(args).map_err(|error| Stop::Usage(error, Usage::TWO_PATHS))
}
