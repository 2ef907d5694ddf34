// family: swallowed-error
// wrong because: ignores the result of each writeln! and reports only the flush, so a line longer than the 8 KiB buffer (written straight through) that fails is lost while the final flush of an empty buffer says Ok.
// Written by a tester who had not read the check.
// expect: write_lines(out, [a line of 200000 bytes]) when write #1 of 2 fails (a failing disk): returned Ok(()): the error was lost; it must return the writer's error
use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        let _ = writeln!(out, "{line}"); // buffered: errors show up in the flush
    }
    out.flush()
}
