// family: wrong-elsewhere
// wrong because: lines that start with "#!" are not written.
// Written by a tester who had not read the check.
// expect: PLACEHOLDER
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
