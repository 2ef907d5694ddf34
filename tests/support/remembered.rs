//! Runs of a slow and deterministic tool (valgrind: half a second to a
//! second each here, most of it spent reading the C library's debug
//! information; rustc proving that a program does not compile: 50 ms
//! each) are remembered in the target directory, keyed by
//! everything the run depends on: the command line, the directory, the
//! environment, and the identity (path, size, modification time, as cargo
//! judges whether a file changed) of the files it examines, of the tool and
//! of the shared libraries loaded here. A later `cargo test` with every one of those unchanged
//! reads the output instead of running the tool again; any change (a
//! rebuilt example, another valgrind, a C library update) runs it afresh.
//! The checks themselves are made again on that output every time.
//!
//! `cargo clean` forgets every run; so does a fresh clone (CI's case).

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// `super::run_merged(command)`, remembered: `examined` are the files the
/// run reads besides the tool itself (the program under valgrind, the
/// source and libraries rustc compiles). Only variables set on `command`
/// are part of the key: give it a controlled environment
/// (`super::controlled`) when the tool reads others. Off Linux, where the
/// loaded libraries are not listed in `/proc/self/maps`, every call runs
/// the command.
pub fn run_remembered(command: Command, examined: &[&Path]) -> (String, ExitStatus) {
    let Some(file) = memo_file(&command, examined) else {
        return super::run_merged(command);
    };
    if let Some(remembered) = read(&file) {
        return remembered;
    }
    let (output, status) = super::run_merged(command);
    write(&file, &output, status);
    (output, status)
}

/// Where the run of `command` would be remembered; `None` if what it
/// depends on cannot all be named here.
fn memo_file(command: &Command, examined: &[&Path]) -> Option<PathBuf> {
    let mut key = DefaultHasher::new();
    command.get_program().hash(&mut key);
    command.get_args().for_each(|arg| arg.hash(&mut key));
    command.get_current_dir().hash(&mut key);
    command.get_envs().for_each(|var| var.hash(&mut key));
    for file in examined {
        identity(file)?.hash(&mut key);
    }
    let tool = find_on_path(Path::new(command.get_program()))?;
    identity(&tool)?.hash(&mut key);
    for library in loaded_libraries()? {
        identity(&library)?.hash(&mut key);
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("remembered-runs");
    Some(dir.join(format!("{:016x}", key.finish())))
}

/// A file's path, size and modification time: what changes when it is
/// rebuilt, edited or replaced by a package manager. (Hashing the bytes
/// instead took 20 ms per megabyte in this unoptimised test program.)
fn identity(path: &Path) -> Option<(PathBuf, u64, std::time::SystemTime)> {
    let metadata = fs::metadata(path).ok()?;
    Some((
        path.to_path_buf(),
        metadata.len(),
        metadata.modified().ok()?,
    ))
}

fn find_on_path(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return Some(program.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The shared libraries this test program loaded (the C library and its
/// loader among them): the examples link the same ones.
fn loaded_libraries() -> Option<Vec<PathBuf>> {
    let maps = fs::read_to_string("/proc/self/maps").ok()?;
    let mut libraries: Vec<PathBuf> = maps
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .filter(|path| path.contains(".so"))
        .map(PathBuf::from)
        .collect();
    libraries.sort();
    libraries.dedup();
    Some(libraries)
}

/// The file holds the raw wait status on its first line, then the output.
#[cfg(unix)]
fn read(file: &Path) -> Option<(String, ExitStatus)> {
    use std::os::unix::process::ExitStatusExt as _;
    let text = fs::read_to_string(file).ok()?;
    let (status, output) = text.split_once('\n')?;
    Some((
        output.to_string(),
        ExitStatus::from_raw(status.parse().ok()?),
    ))
}

#[cfg(unix)]
fn write(file: &Path, output: &str, status: ExitStatus) {
    use std::os::unix::process::ExitStatusExt as _;
    // A run ended by a signal (killed for lack of memory, say) says
    // nothing about the program: it is never remembered.
    if status.signal().is_some() {
        return;
    }
    let dir = file.parent().unwrap();
    let _ = fs::create_dir_all(dir);
    // Written whole, then renamed: a run that stops half-way leaves no
    // half of an output to be read later.
    let partial = file.with_extension(format!("{}.partial", std::process::id()));
    if fs::write(&partial, format!("{}\n{output}", status.into_raw())).is_ok() {
        let _ = fs::rename(&partial, file);
    }
}

#[cfg(not(unix))]
fn read(_: &Path) -> Option<(String, ExitStatus)> {
    None
}

#[cfg(not(unix))]
fn write(_: &Path, _: &str, _: ExitStatus) {}
