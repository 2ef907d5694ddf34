// family: swallowed-error
// wrong because: every error is reported as ENOSPC (os error 28), so a failing flush of the inner writer (EIO) comes back as "no space".
// Written by a tester who had not read the check.
// expect: write_lines(out, ["one", "two", "three"]) when write #1 of 1 fails (a failing disk): returned another error: No space left on device (os error 28); it must
use std::io::{self, BufWriter, Write};
fn inner(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines { writeln!(out, "{line}")?; }
    out.flush()
}
pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    inner(out, lines).map_err(|_| io::Error::from_raw_os_error(28))
}
