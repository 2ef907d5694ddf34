//! The check of exercise ch08_flush_errors: `cargo exercise ch08_flush_errors`.
//!
//! The answer writes to a `FaultyWriter`, which keeps what it is given and
//! can fail: the check writes several sets of lines (short, empty, longer
//! than a `BufWriter`'s buffer) to a writer that works, one that takes a
//! few bytes at a time and one interrupted once; then makes each write
//! fail in turn, and fills the disk at several points.

use std::io;
use std::process::ExitCode;

use course_exercises::files::{FaultyWriter, IO_ERROR, NO_SPACE};
use course_exercises::{Grader, grade};
use proptest::collection::vec;
use proptest::prop_oneof;

course_exercises::check_program!("ch08_flush_errors");
use answer::write_lines;

/// Lines to write, as the report shows them.
fn shown(lines: &[String]) -> String {
    if lines.len() > 4 {
        let bytes: usize = lines.iter().map(String::len).sum();
        return format!("[{} lines, {bytes} bytes in all]", lines.len());
    }
    let shown: Vec<String> = lines
        .iter()
        .map(|line| {
            if line.len() > 12 {
                format!("a line of {} bytes", line.len())
            } else {
                format!("{line:?}")
            }
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

/// The inputs that matter: no line, an empty line, three short ones, lines
/// around the size of a `BufWriter`'s buffer (8 KiB), many small ones.
fn boundaries() -> Vec<Vec<String>> {
    let line = |len: usize| "x".repeat(len);
    vec![
        vec!["one".into(), "two".into(), "three".into()],
        vec![
            "a\r".into(),
            "\r".into(),
            " b ".into(),
            "#!x".into(),
            "#".into(),
        ],
        vec![line(200_000)],
        (0..3000).map(|i| format!("line {i}")).collect(),
        vec![],
        vec![String::new()],
        vec![line(8191)],
        vec![line(8192)],
        vec![line(10_000)],
        vec!["one".into(), line(10_000), "three".into()],
        (0..2000).map(|i| format!("line {i}")).collect(),
    ]
}

/// Makes a writer for one run.
type MakeWriter = fn() -> FaultyWriter;

/// What `write_lines` returned, and the text the writer holds after it.
#[derive(PartialEq)]
struct Written {
    result: Result<(), Option<i32>>,
    text: String,
}

impl std::fmt::Debug for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}, having written ", self.result)?;
        if self.text.len() <= 40 {
            write!(f, "{:?}", self.text)
        } else {
            let end = self.text.floor_char_boundary(20);
            let start = self.text.ceil_char_boundary(self.text.len() - 20);
            write!(
                f,
                "{} bytes ({:?}...{:?})",
                self.text.len(),
                &self.text[..end],
                &self.text[start..]
            )
        }
    }
}

/// What the answer returned, and what the writer holds after it.
fn run(lines: &[String], mut writer: FaultyWriter) -> (Result<(), Option<i32>>, FaultyWriter) {
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let result = write_lines(&mut writer, &lines).map_err(|e| e.raw_os_error());
    (result, writer)
}

fn main() -> ExitCode {
    grade("ch08_flush_errors", |grader| {
        // What is written, on writers that work.
        let call = |lines: &Vec<String>| format!("write_lines(out, {})", shown(lines));
        let expected = |lines: &Vec<String>| Written {
            result: Ok(()),
            text: lines.iter().map(|line| format!("{line}\n")).collect(),
        };
        // Short lines, and now and then one about a buffer's size.
        let lines = vec(
            prop_oneof![9 => "[a-z é#!\r\t]{0,40}", 1 => "x{8190,8194}"],
            0..8,
        );
        let writers: [(MakeWriter, &str); 3] = [
            (FaultyWriter::default, "a writer that works"),
            (
                || FaultyWriter {
                    short_writes: Some(7),
                    ..FaultyWriter::default()
                },
                "a writer that takes 7 bytes per write",
            ),
            (
                || FaultyWriter {
                    interrupted_writes: 5,
                    ..FaultyWriter::default()
                },
                "a writer whose first five writes are interrupted (ErrorKind::Interrupted: try \
                 again)",
            ),
        ];
        for (writer, how) in writers {
            let what = format!("write_lines on {how} writes every line");
            let call = |lines: &Vec<String>| format!("{} on {how}", call(lines));
            let ok = grader.agrees(
                course_exercises::Property {
                    what: &what,
                    call: &call,
                    boundaries: boundaries(),
                },
                lines.clone(),
                16,
                |lines| {
                    let (result, writer) = run(lines, writer());
                    Written {
                        result,
                        text: String::from_utf8_lossy(&writer.written).into_owned(),
                    }
                },
                expected,
            );
            if !ok {
                return;
            }
        }

        // Each write failing in turn, and the disk full at several points.
        grader.each_in_one_line(
            "with each write failing in turn, the disk full after 0, 1, half and all but one \
             of the bytes, or a writer that takes nothing, write_lines returns the writer's \
             error",
            boundaries(),
            |grader, lines| every_failure_returned(grader, &lines),
        );
    })
}

/// Makes each write of `write_lines(lines)` fail in turn (EIO), fills the
/// disk at several points (ENOSPC), and gives it a writer that takes
/// nothing: the writer's error must come back every time.
fn every_failure_returned(grader: &mut Grader, lines: &[String]) {
    let Some((_, clean)) = grader.call("write_lines on a writer that works", || {
        run(lines, FaultyWriter::default())
    }) else {
        return;
    };
    let total = clean.written.len();
    // What goes wrong, the writer that does it, and the error expected.
    let mut faults: Vec<(String, FaultyWriter, Expected)> = (1..=clean.writes)
        .map(|nth| {
            (
                format!(
                    "when write #{nth} of {} fails (a failing disk)",
                    clean.writes
                ),
                FaultyWriter {
                    fail_write: Some((nth, IO_ERROR)),
                    ..FaultyWriter::default()
                },
                Expected::Os(IO_ERROR),
            )
        })
        .collect();
    let mut rooms = vec![0, 1, total / 2, total.saturating_sub(1)];
    rooms.dedup();
    for room in rooms.into_iter().filter(|&room| room < total) {
        faults.push((
            format!("when the disk is full after {room} of its {total} bytes"),
            FaultyWriter {
                room: Some(room),
                ..FaultyWriter::default()
            },
            Expected::Os(NO_SPACE),
        ));
    }
    if total > 0 {
        faults.push((
            "on a writer that takes nothing (every write returns Ok(0))".to_string(),
            FaultyWriter {
                takes_nothing: true,
                ..FaultyWriter::default()
            },
            Expected::Kind(io::ErrorKind::WriteZero),
        ));
    }
    for (when, writer, expected) in faults {
        let what = format!("write_lines(out, {}) {when}", shown(lines));
        let Some(result) = grader.call(&what, || {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let mut writer = writer;
            write_lines(&mut writer, &lines).map_err(|e| (expected.is(&e), e.to_string()))
        }) else {
            return;
        };
        let right = matches!(&result, Err((true, _)));
        let ok = grader.check(right, "", || {
            let seen = match &result {
                Ok(()) => "Ok(()): the error was lost".to_string(),
                Err((_, error)) => format!("another error: {error}"),
            };
            format!("{what}: returned {seen}; it must return the writer's error ({expected})")
        });
        if !ok {
            return;
        }
    }
}

/// The error a writer's failure must come back as.
enum Expected {
    /// The writer's own OS error.
    Os(i32),
    /// An error of this kind (`write_all` makes one when a writer takes
    /// nothing).
    Kind(io::ErrorKind),
}

impl Expected {
    fn is(&self, error: &io::Error) -> bool {
        match self {
            Expected::Os(code) => error.raw_os_error() == Some(*code),
            Expected::Kind(kind) => error.kind() == *kind,
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Os(code) => write!(f, "{}", io::Error::from_raw_os_error(*code)),
            Expected::Kind(kind) => write!(f, "an error of kind {kind:?}"),
        }
    }
}
