//! The check's side of the verdict channel (the runner's is `run.rs`): the
//! nonce the runner wrote on standard input, and the report lines that
//! carry it.
//!
//! The answer runs in the same process, so the nonce is kept where safe
//! code does not come across it: read byte by byte from the descriptor
//! (no buffer of the standard library keeps a copy), held masked, and
//! written with each line straight to the descriptor of standard output.
//! The answer module forbids `unsafe` (see `check_program!`), so it cannot
//! run before `main`, when the nonce is still waiting.

use crate::run::{END_FAIL, END_PASS, NONCE_ON_STDIN, RUNNING};

/// Where the verdict goes: standard output, each line after the nonce the
/// runner gave (none when the program is run by hand, or as one of the
/// lab's child processes, whose standard input is the lab's).
pub(crate) struct Report {
    nonce: Option<Masked>,
}

impl Report {
    /// Reads the nonce, if the runner gave one. Call it before any of the
    /// answer's code runs.
    pub(crate) fn from_runner() -> Report {
        let given =
            std::env::var_os(NONCE_ON_STDIN).is_some() && !course::lab::is_failure_check_child();
        let nonce = given.then(read_nonce).filter(|nonce| !nonce.is_empty());
        Report {
            nonce: nonce.map(Masked::new),
        }
    }

    /// Tells the runner what runs now, so that it can say so should the
    /// program end before the verdict.
    pub(crate) fn running(&self, what: &str) {
        if self.nonce.is_some() {
            self.line(&format!("{RUNNING}{what}"));
        }
    }

    /// One line of the report.
    pub(crate) fn line(&self, line: &str) {
        match &self.nonce {
            Some(nonce) => {
                // On a line of its own, even after a partial line the
                // answer printed.
                let mut bytes = b"\n".to_vec();
                nonce.unmask_into(&mut bytes);
                bytes.push(b' ');
                bytes.extend_from_slice(line.as_bytes());
                bytes.push(b'\n');
                write_stdout(&bytes);
                bytes.fill(0);
                std::hint::black_box(&bytes);
            }
            None if line == END_PASS || line == END_FAIL => {}
            None => println!("{line}"),
        }
    }
}

/// Bytes kept XORed with a random key of the same length.
struct Masked {
    masked: Vec<u8>,
    key: Vec<u8>,
}

impl Masked {
    fn new(mut secret: Vec<u8>) -> Masked {
        use std::hash::{BuildHasher, Hasher};
        let key: Vec<u8> = (0..secret.len())
            .map(|i| {
                let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
                hasher.write_usize(i);
                hasher.finish() as u8
            })
            .collect();
        let masked = secret.iter().zip(&key).map(|(s, k)| s ^ k).collect();
        secret.fill(0);
        std::hint::black_box(&secret);
        Masked { masked, key }
    }

    fn unmask_into(&self, out: &mut Vec<u8>) {
        out.extend(self.masked.iter().zip(&self.key).map(|(m, k)| m ^ k));
    }
}

/// One line of standard input, read from the descriptor itself.
#[cfg(unix)]
fn read_nonce() -> Vec<u8> {
    use std::os::fd::AsFd;
    let stdin = std::io::stdin();
    let mut nonce = Vec::new();
    let mut byte = [0u8; 1];
    while nonce.len() < 256 {
        match rustix::io::read(stdin.as_fd(), &mut byte) {
            Ok(1) if byte[0] != b'\n' => nonce.push(byte[0]),
            _ => break,
        }
    }
    nonce
}

#[cfg(not(unix))]
fn read_nonce() -> Vec<u8> {
    let mut nonce = String::new();
    let _ = std::io::stdin().read_line(&mut nonce);
    nonce.trim().as_bytes().to_vec()
}

/// Writes `bytes` to the descriptor of standard output, past the standard
/// library's buffer (which would keep a copy).
#[cfg(unix)]
fn write_stdout(mut bytes: &[u8]) {
    use std::os::fd::AsFd;
    let stdout = std::io::stdout();
    while !bytes.is_empty() {
        match rustix::io::write(stdout.as_fd(), bytes) {
            Ok(0) | Err(_) => return,
            Ok(written) => bytes = &bytes[written..],
        }
    }
}

#[cfg(not(unix))]
fn write_stdout(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}
