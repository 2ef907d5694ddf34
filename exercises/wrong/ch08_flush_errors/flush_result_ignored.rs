// Flushes, but ignores what the flush says.
// ANCHOR: expect
// expect: PLACEHOLDER
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
