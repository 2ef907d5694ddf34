// Exercise ch08_flush_errors: a solution.

use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        // A line bigger than the buffer is written at once: its error comes
        // back here.
        writeln!(out, "{line}")?;
    }
    // Write out what is buffered, and say if that failed: the drop would
    // try too, but could not tell anyone.
    out.flush()
}
