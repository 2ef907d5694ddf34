// Flushes, but ignores what the flush says.
// ANCHOR: expect
// expect: write_lines(out, ["one", "two", "three"]) when write #1 of 1 fails (a failing disk): returned Ok(()): the error was lost; it must return the writer's error
// ANCHOR_END: expect

use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    let _ = out.flush();
    Ok(())
}
