//! Chapter 8: the `BufWriter` trap. Its `Drop` writes out what is still
//! buffered but has no way to report a failure, so the error is lost. The
//! disk is simulated by `/dev/full`, where every write fails with ENOSPC.
//!
//! Run: `cargo run --example ch08_bufwriter -- N` (default: N = 100 bytes).

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

// ANCHOR: trap
fn write_to_full_disk(n: usize) -> std::io::Result<()> {
    let data = vec![b'x'; n];
    let open = || OpenOptions::new().write(true).open("/dev/full");

    // 1. Rely on `Drop`: the write goes into the buffer and succeeds; the
    //    real write happens in `drop`, fails, and the error is swallowed.
    let mut writer = BufWriter::new(open()?);
    println!("write_all: {:?}", writer.write_all(&data));
    drop(writer);
    println!("drop:      (no result: the error, if any, is lost)");

    // 2. Flush explicitly: the same failure, reported.
    let mut writer = BufWriter::new(open()?);
    println!("write_all: {:?}", writer.write_all(&data));
    println!("flush:     {:?}", writer.flush().map_err(|e| e.to_string()));

    // 3. `into_inner` flushes too, and hands the error back.
    let mut writer = BufWriter::new(open()?);
    writer.write_all(&data)?;
    let result = writer.into_inner().map(drop);
    println!(
        "into_inner: {:?}",
        result.map_err(|e| e.error().to_string())
    );
    Ok(())
}
// ANCHOR_END: trap

fn main() -> ExitCode {
    let n = match course::cli::counts_or(&[100]) {
        Ok(counts) => counts[0],
        Err(exit) => return exit,
    };
    match write_to_full_disk(n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
