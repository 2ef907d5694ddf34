// family: wrong-elsewhere
// wrong because: lines that start with "#!" are not written.
// Written by a tester who had not read the check.
// expect: write_lines(out, [5 lines, 10 bytes in all]) on a writer that works: returned Ok(()), having written "a\r\n\r\n b \n#\n", expected Ok(()), having written
use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        if line.starts_with("#!") {
            continue;
        }
        writeln!(out, "{line}")?;
    }
    out.flush()
}
