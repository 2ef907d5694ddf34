// A wrong answer to ch08_flush_errors: the flush is there, but its result
// is thrown away.
// ANCHOR: expect
// expect: write_lines on a full disk returned Ok(()): the error of the writes was lost
// ANCHOR_END: expect

use std::fs::File;
use std::io::{self, BufWriter, Write};

pub fn write_lines(file: File, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(file);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    let _ = out.flush();
    Ok(())
}
