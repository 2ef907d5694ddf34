// family: wrong-elsewhere
// wrong because: a line longer than 100 000 bytes is cut to its first 100 000 bytes.
// Written by a tester who had not read the check.
// expect: write_lines(out, [a line of 200000 bytes]) on a writer that works: returned Ok(()), having written 100001 bytes
use std::io::{self, BufWriter, Write};

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in lines {
        let bytes = line.as_bytes();
        let bytes = &bytes[..bytes.len().min(100_000)];
        out.write_all(bytes)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
