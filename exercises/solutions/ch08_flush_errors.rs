// Exercise ch08_flush_errors: a solution.

use std::fs::File;
use std::io::{self, BufWriter, Write};

pub fn write_lines(file: File, lines: &[&str]) -> io::Result<()> {
    let mut out = BufWriter::new(file);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    // Write out what is buffered, and say if that failed: the drop would
    // try too, but could not tell anyone.
    out.flush()?;
    // `into_inner` flushes as well; `sync_all` then puts the file on disk.
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()
}
