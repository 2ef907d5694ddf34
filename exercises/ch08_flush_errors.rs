// Exercise ch08_flush_errors (chapter 8). Check it: cargo exercise ch08_flush_errors
//
// `write_lines` writes each line, followed by a newline, to `out` (a file,
// say) through a `BufWriter`, which keeps small writes in memory and
// writes them out later: when it is flushed, or dropped. A drop cannot
// return an error, so a failure then is lost, and `write_lines` says Ok
// on a full disk. Make every failure of the writes come back as the
// error, whichever write fails (the check makes each one fail in turn).

use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
