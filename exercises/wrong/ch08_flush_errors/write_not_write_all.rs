// family: wrong-elsewhere
// wrong because: uses out.write instead of write_all for each line, so a line longer than the 8 KiB buffer goes straight to a writer taking 7 bytes per write and only its first 7 bytes are kept.
// Written by a tester who had not read the check.
// expect: write_lines(out, [a line of 200000 bytes]) on a writer that takes 7 bytes per write: returned Ok(()), having written "xxxxxxx\n", expected Ok(()), having
use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        out.write(line.as_bytes())?;
        out.write(b"\n")?;
    }
    out.flush()
}
