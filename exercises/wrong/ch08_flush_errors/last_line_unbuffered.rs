// A wrong answer to ch08_flush_errors: every line but the last goes
// through the buffer, the last is written straight to the file (and the
// buffer is never flushed): the file misses lines.
// expect: write_lines(file, ["one", "two", "three"]) wrote "three\n", not "one\ntwo\nthree\n"

use std::fs::File;
use std::io::{self, BufWriter, Write};

pub fn write_lines(mut file: File, lines: &[&str]) -> io::Result<()> {
    let Some((last, rest)) = lines.split_last() else {
        return Ok(());
    };
    let mut out = BufWriter::new(file.try_clone()?);
    for line in rest {
        writeln!(out, "{line}")?;
    }
    std::mem::forget(out); // never flushed
    writeln!(file, "{last}")?;
    Ok(())
}
