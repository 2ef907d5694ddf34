// family: wrong-elsewhere
// wrong because: its own write loop retries an interrupted write at most twice: a writer interrupted three times in a row makes it fail with Interrupted, which a writer must always retry.
// Written by a tester who had not read the check.
// expect: write_lines(out, ["one", "two", "three"]) on a writer whose first five writes are interrupted (ErrorKind::Interrupted: try again): returned Err(None), having
use std::io::{self, BufWriter, Write};

struct Patient<W> {
    inner: W,
}

impl<W: Write> Write for Patient<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn write_all_some_retries<W: Write>(w: &mut W, mut buf: &[u8]) -> io::Result<()> {
    let mut interrupts = 0;
    while !buf.is_empty() {
        match w.write(buf) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted && interrupts < 2 => interrupts += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

pub fn write_lines(out: impl Write, lines: &[&str]) -> io::Result<()> {
    let mut out = Patient { inner: out };
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    for line in lines {
        buffer.extend_from_slice(line.as_bytes());
        buffer.push(b'\n');
        if buffer.len() >= 8192 {
            write_all_some_retries(&mut out, &buffer)?;
            buffer.clear();
        }
    }
    write_all_some_retries(&mut out, &buffer)?;
    out.flush()
}
