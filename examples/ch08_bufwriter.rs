//! Chapter 8: the `BufWriter` trap. Its `Drop` writes out what is still
//! buffered but has no way to report a failure, so the error is lost. The
//! disk is simulated by `/dev/full`, where every write fails with ENOSPC.
//!
//! Run: `cargo run --example ch08_bufwriter -- N` (default: N = 100 bytes;
//! from 8192 bytes on, the buffer is bypassed and `write_all` itself fails).

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::rc::Rc;

use course::cli::Stop;

/// `/dev/full`, counting the writes that failed, so that the program can
/// show a failure that nobody reported.
struct FullDisk {
    file: File,
    failed_writes: Rc<Cell<usize>>,
}

impl FullDisk {
    /// Failing to open `/dev/full` stops the program (status 1).
    fn open(failed_writes: &Rc<Cell<usize>>) -> Result<FullDisk, Stop> {
        let file = OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .map_err(|error| Stop::failed(format_args!("cannot open /dev/full: {error}")))?;
        let failed_writes = Rc::clone(failed_writes);
        Ok(FullDisk {
            file,
            failed_writes,
        })
    }
}

impl Write for FullDisk {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let result = self.file.write(bytes);
        if result.is_err() {
            self.failed_writes.set(self.failed_writes.get() + 1);
        }
        result
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

// ANCHOR: trap
fn write_to_full_disk(out: &mut impl Write, data: &[u8]) -> Result<(), Stop> {
    let failed_writes = Rc::new(Cell::new(0));

    // 1. Rely on `Drop`: `write_all` only fills the buffer (8 KiB by
    //    default) and succeeds; the real write happens in `drop`, fails,
    //    and `drop` has no way to say so.
    let mut writer = BufWriter::new(FullDisk::open(&failed_writes)?);
    writeln!(out, "write_all:  {:?}", writer.write_all(data))?;
    drop(writer);
    writeln!(
        out,
        "drop:       reported nothing; failed writes: {}",
        failed_writes.get()
    )?;

    // 2. Flush explicitly: the same failure, reported.
    let mut writer = BufWriter::new(FullDisk::open(&failed_writes)?);
    writeln!(out, "write_all:  {:?}", writer.write_all(data))?;
    let flushed = writer.flush().map_err(|e| e.to_string());
    writeln!(out, "flush:      {flushed:?}")?;

    // 3. `into_inner` flushes too, and hands the error back.
    let mut writer = BufWriter::new(FullDisk::open(&failed_writes)?);
    writeln!(out, "write_all:  {:?}", writer.write_all(data))?;
    let result = writer.into_inner().map(drop);
    let result = result.map_err(|e| e.error().to_string());
    writeln!(out, "into_inner: {result:?}")?;
    Ok(())
}
// ANCHOR_END: trap

fn main() -> ExitCode {
    course::cli::exit_status(run())
}

fn run() -> Result<(), Stop> {
    let n = course::cli::counts_or(&[100])?[0]; // --help, or a bad count

    // N bytes of data, allocated fallibly: a count too large for memory
    // is an error (status 1), not an abort.
    let mut data = Vec::new();
    data.try_reserve_exact(n)
        .map_err(|_| Stop::failed(format_args!("out of memory: no room for {n} bytes")))?;
    data.resize(n, b'x');
    // `out`: this program's stdout; `?` on it stops if stdout is closed or full.
    write_to_full_disk(&mut io::stdout().lock(), &data)
}
