// family: half-the-paths
// wrong because: its own write loop retries an interrupted write only once; a second Interrupted is returned as an error (write_all retries every time).
// Written by a tester who had not read the check.
// expect: write_lines(out, ["one", "two", "three"]) on a writer whose first five writes are interrupted (ErrorKind::Interrupted: try again): returned Err(None), having
use std::io::{self, Write};
pub fn write_lines(mut out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut buf = Vec::new();
    for line in lines { buf.extend_from_slice(line.as_bytes()); buf.push(b'\n'); }
    let mut rest = &buf[..];
    let mut retried = false;
    while !rest.is_empty() {
        match out.write(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted && !retried => retried = true,
            Err(e) => return Err(e),
        }
    }
    out.flush()
}
