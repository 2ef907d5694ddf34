// family: skipped-step
// wrong because: returns straight after writing a single line, without flushing, so write_lines(out, ["one"]) on a full disk returns Ok and loses the line in the drop.
// Written by a tester who had not read the check.
// expect: write_lines(out, [a line of 200000 bytes]) when write #2 of 2 fails (a failing disk): returned Ok(()): the error was lost; it must return the writer's error
use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    if let [line] = lines {
        return writeln!(out, "{line}");
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
}
