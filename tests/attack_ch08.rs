//! Chapter 8's tool, attacked as a careless environment and a second local
//! user would: every signal that stops it, at random moments; a file-size
//! limit; another user polling the directory for the secret being saved,
//! swapping the target for a file of its own or for a FIFO, or flipping the
//! target's directory to a symbolic link while root saves; files that user
//! owns or may not write; a directory it cannot sync. Each test runs the
//! real program (`examples/ch08_atomic_save.rs`) and checks what it leaves.
//!
//! Random moments come from a fixed seed, so a failure can be replayed.
//! `cargo test` runs a few of them; `COURSE_ATTACK_RUNS=200 cargo test
//! --test chapters attack_ch08` (what CI runs) many more.
//!
//! The second user is `nobody` (uid 65534), reached with `setuid` in the
//! child process, which only root may do: run as another user, those tests
//! say on stderr that they were not run and why (CI runs as root).

use crate::support;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process};

/// A signal by its number (the real-time ones have no `Signal` constant).
type SignalNumber = i32;

/// Sends `signal` to `child`; it may have ended already.
pub fn send(child: &Child, signal: SignalNumber) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits");
    // SAFETY: kill(2) takes any numbers and touches no memory of ours.
    let _ = unsafe { libc::kill(pid, signal) };
}
use crate::files::NOBODY;
use support::{check, check_eq, example_binary, fail, fn_place};

/// Where the reader edits the behaviour these tests attack.
pub fn place() -> String {
    fn_place("course/atomic_save.rs", "save_upper_with")
}

pub fn tool_place() -> String {
    fn_place("examples/ch08_atomic_save.rs", "run")
}

/// How many random moments each signal test tries.
pub fn runs() -> usize {
    std::env::var("COURSE_ATTACK_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(2)
}

/// A directory that another user may enter, holding a copy of the tool
/// (the build directory may be in a home only its owner can enter), an
/// input and a target.
pub struct Scene {
    pub dir: tempfile::TempDir,
    pub tool: PathBuf,
    pub input: PathBuf,
    pub target: PathBuf,
    pub old: Vec<u8>,
    pub new: Vec<u8>,
}

/// Copies the tool to `to` with `cp`, so that the copy is written by cp's
/// process alone. Written by this process, the copy would be open for
/// writing here for a moment, and a child that another test thread forks
/// then inherits that descriptor until it calls `exec`: Linux refuses to
/// run a file open for writing ("Text file busy"; seen as a shell's status
/// 126 when tests ran side by side).
pub fn copy_tool(to: &Path) {
    let status = Command::new("cp")
        .arg(example_binary("ch08_atomic_save"))
        .arg(to)
        .status()
        .expect("cp runs");
    assert!(
        status.success(),
        "cp of the tool to {} failed",
        to.display()
    );
}

impl Scene {
    /// `input_bytes` of lower-case text, and a target holding "old" with
    /// mode 0600.
    pub fn new(input_bytes: usize) -> Scene {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let tool = dir.path().join("ch08_atomic_save");
        copy_tool(&tool);
        let input = dir.path().join("input.txt");
        // `repeat` copies whole lines: quick, even in a debug build.
        let line = "a secret, saved atomically\n";
        let copies = input_bytes / line.len() + 1;
        let mut text = line.repeat(copies).into_bytes();
        text.truncate(input_bytes);
        fs::write(&input, &text).unwrap();
        let mut new = line.to_ascii_uppercase().repeat(copies).into_bytes();
        new.truncate(input_bytes);
        let target = dir.path().join("secret.txt");
        let old = b"old\n".to_vec();
        fs::write(&target, &old).unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
        Scene {
            dir,
            tool,
            input,
            target,
            old,
            new,
        }
    }

    pub fn command(&self, args: &[&Path]) -> Command {
        let mut command = Command::new(&self.tool);
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    pub fn save(&self) -> Command {
        self.command(&[&self.input, &self.target])
    }

    /// Every file in the directory besides the scene's own: what saves
    /// left behind, whatever its name (a test that looked only for the
    /// names it expects would miss another tool's leftovers).
    fn leftovers(&self) -> Vec<PathBuf> {
        let own = [
            "ch08_atomic_save",
            "input.txt",
            "secret.txt",
            "done",
            "write-only",
            "read-only.txt",
            "roots.txt",
        ];
        fs::read_dir(self.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| !own.iter().any(|name| path.file_name().unwrap() == *name))
            .collect()
    }

    /// Fails unless the target holds all of the old or all of the new
    /// contents; returns whether it is the new.
    #[track_caller]
    fn assert_whole(&self, what: &str) -> bool {
        let now = fs::read(&self.target).unwrap();
        if now != self.old && now != self.new {
            fail(
                &place(),
                &format!("{what}: the target"),
                format!(
                    "the old contents ({} bytes) or the new ({} bytes), whole",
                    self.old.len(),
                    self.new.len()
                ),
                format!("{} bytes of something else", now.len()),
            );
        }
        now == self.new
    }

    /// Fails unless the target holds the old contents and nothing was
    /// left beside it.
    #[track_caller]
    fn assert_untouched(&self, what: &str) {
        check_eq(
            &place(),
            &format!("{what}: the target"),
            self.old.clone(),
            fs::read(&self.target).unwrap(),
        );
        check_eq(
            &place(),
            &format!("{what}: files left"),
            Vec::<PathBuf>::new(),
            self.leftovers(),
        );
    }

    /// Puts the old contents back, as a new file of mode 0600.
    pub fn reset(&self) {
        fs::remove_file(&self.target).unwrap();
        fs::write(&self.target, &self.old).unwrap();
        fs::set_permissions(&self.target, fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// The child's output, with stdout and stderr read to their ends.
pub fn finish(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Waits until `child` has its temporary file open, at most `limit`. The
/// file has no name while it is written (`O_TMPFILE`): it shows only among
/// the child's descriptors, as `DIR/#INODE (deleted)`.
fn wait_for_the_temporary_file(child: &Child, limit: Duration) {
    let fds = PathBuf::from(format!("/proc/{}/fd", child.id()));
    let has_it = || {
        fs::read_dir(&fds).is_ok_and(|entries| {
            entries.filter_map(Result::ok).any(|entry| {
                fs::read_link(entry.path())
                    .is_ok_and(|to| to.to_string_lossy().ends_with(" (deleted)"))
            })
        })
    };
    let deadline = Instant::now() + limit;
    // Polled every 0.1 ms, not in a busy loop: a spinning thread takes a
    // core from the tests running beside it.
    while !has_it() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_micros(100));
    }
}

/// How long one whole save of `scene` takes here, uninterrupted.
pub fn save_duration(scene: &Scene) -> Duration {
    let start = Instant::now();
    let output = scene.save().output().unwrap();
    let took = start.elapsed();
    assert_saved("a save without any signal", &output);
    scene.reset();
    took
}

/// The name the tool gives `signal` in its message, such as `SIGINT` or
/// `SIGRTMIN+1`.
fn signal_name(signal: SignalNumber) -> String {
    let message = course::stop_signals::Interrupted { signal }.to_string();
    message.trim_start_matches("stopped by ").to_string()
}

/// The signals that stop a save, but the three each attacked on its own
/// (SIGINT, SIGTERM, SIGHUP): they take turns in one attack.
fn other_stopping_signals() -> Vec<SignalNumber> {
    let own = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];
    let real_time = course::stop_signals::real_time();
    course::stop_signals::STOPPING
        .into_iter()
        .filter(|signal| !own.contains(signal))
        .chain([*real_time.start(), *real_time.end()])
        .collect()
}

/// What happened to one save sent `signal` at a random moment.
#[derive(Debug, Default)]
struct Tally {
    /// Ended by the signal after cleaning up (its one error line said so).
    stopped: usize,
    /// Ended by the signal before the tool had installed its handler.
    early: usize,
    /// Done before the signal arrived (status 0).
    completed: usize,
    /// Saved, then ended by the signal, which came too late to stop it.
    after_the_save: usize,
    /// Temporary files left (SIGKILL only).
    left: usize,
}

/// Sends `signals` (taking turns) to a save at `runs` random moments within
/// the time a save takes, and checks every outcome.
fn signals_at_random_moments(signals: &[SignalNumber], runs: usize, seed: u64) -> Tally {
    let scene = Scene::new(4 << 20);
    let window = save_duration(&scene);
    let mut random = fastrand::Rng::with_seed(seed);
    let mut tally = Tally::default();
    for run in 0..runs {
        let signal = signals[run % signals.len()];
        let name = signal_name(signal);
        // Every other run waits until the temporary file exists, so that
        // many signals land while it is written, the moment that matters.
        let after_temp = run % 2 == 1;
        let delay = window.mul_f64(random.f64() / if after_temp { 4.0 } else { 1.0 });
        let from = if after_temp {
            "the temporary file appeared"
        } else {
            "the start"
        };
        let what = format!("{name} {delay:?} after {from}, save {run} (seed {seed})");
        let child = scene.save().spawn().unwrap();
        if after_temp {
            wait_for_the_temporary_file(&child, window * 2);
        }
        std::thread::sleep(delay);
        send(&child, signal);
        let output = finish(child);
        let is_new = scene.assert_whole(&what);
        let stderr = stderr_of(&output);
        let by_signal = output.status.signal() == Some(signal);
        if output.status.success() {
            check(
                &place(),
                &format!("{what}: the target"),
                is_new,
                "the new contents after status 0",
                "the old",
            );
            tally.completed += 1;
        } else if !by_signal {
            fail(
                &tool_place(),
                &what,
                format!("status 0, or ended by {name}"),
                format!("{:?}: {stderr}", output.status),
            );
        } else if signal == libc::SIGKILL {
            tally.left += check_kill_leftovers(&scene, &what);
        } else if stderr.is_empty() {
            tally.early += 1; // before the handler: nothing was created yet
        } else if stderr.contains(" after the save: ") {
            // Too late to stop the save, which ended, then the tool.
            let expected = format!(
                "error: stopped by {name} after the save: {} holds the new contents\n",
                scene.target.display()
            );
            check_eq(&tool_place(), &format!("{what}: stderr"), expected, stderr);
            check(
                &place(),
                &format!("{what}: the target"),
                is_new,
                "the new contents",
                "the old",
            );
            tally.after_the_save += 1;
        } else {
            let expected = format!(
                "error: stopped by {name}: the target is as it was, the temporary file removed\n"
            );
            check_eq(&tool_place(), &format!("{what}: stderr"), expected, stderr);
            check(
                &place(),
                &format!("{what}: the target"),
                !is_new,
                "the old contents",
                "the new",
            );
            tally.stopped += 1;
        }
        if signal != libc::SIGKILL {
            check_eq(
                &place(),
                &format!("{what}: temporary files left"),
                Vec::<PathBuf>::new(),
                scene.leftovers(),
            );
        }
        if is_new {
            scene.reset();
        }
    }
    let names: Vec<String> = signals.iter().map(|&signal| signal_name(signal)).collect();
    eprintln!(
        "{}, {runs} random moments (seed {seed}): {tally:?}",
        names.join(", ")
    );
    tally
}

/// SIGKILL runs no cleanup. The temporary file is unnamed until it is
/// complete, so only a kill in the instants between its naming and the
/// exchange (the new file), or between the exchange and the removal of the
/// old file (the old one), can leave one: it must hold the whole new or
/// old contents, and be no more accessible than the target (0600).
/// Removes them, and counts them.
fn check_kill_leftovers(scene: &Scene, what: &str) -> usize {
    let leftovers = scene.leftovers();
    for path in &leftovers {
        let mode = fs::metadata(path).unwrap().mode() & 0o7777;
        check(
            &place(),
            &format!("{what}: the mode of {} that SIGKILL left", path.display()),
            mode & !0o600 == 0,
            "no wider than the target's 0600",
            format!("{mode:04o}"),
        );
        check(
            &place(),
            &format!(
                "{what}: the contents of {} that SIGKILL left",
                path.display()
            ),
            [&scene.new, &scene.old].contains(&&fs::read(path).unwrap()),
            "the whole new contents (named only once complete), or the whole old",
            format!(
                "{} bytes of something else",
                fs::metadata(path).unwrap().len()
            ),
        );
        fs::remove_file(path).unwrap();
    }
    leftovers.len()
}

#[test]
fn catchable_signals_at_random_moments_clean_up_and_end_the_tool() {
    if !support::programs_run_here("ch08") {
        return;
    }
    // The three signals attack three scenes at once: each run mostly waits
    // for a save to be interrupted, so one after another they took 0.65 s.
    // The chapter's other program that saves is attacked beside them (in
    // this test, not one of its own: chapter 5 shows how many tests this
    // program has).
    // Every other stopping signal takes turns in a fourth scene (each one
    // many times in CI's 200 runs; every one is named, and four are sent
    // for certain, by the tests below).
    let others = other_stopping_signals();
    let tallies = std::thread::scope(|scope| {
        let traced = scope.spawn(the_traced_save_leaves_nothing_behind_when_interrupted);
        let attacks = [
            (vec![libc::SIGINT], runs(), 1),
            (vec![libc::SIGTERM], runs(), 2),
            (vec![libc::SIGHUP], runs(), 3),
            (others.clone(), runs(), 5),
        ]
        .map(|(signals, runs, seed)| {
            let attack = scope.spawn({
                let signals = signals.clone();
                move || signals_at_random_moments(&signals, runs, seed)
            });
            (signals, attack)
        });
        // A failed check is re-raised as it was, message and all.
        if let Err(failure) = traced.join() {
            std::panic::resume_unwind(failure);
        }
        attacks.map(|(signal, attack)| {
            (
                signal,
                attack
                    .join()
                    .unwrap_or_else(|failure| std::panic::resume_unwind(failure)),
            )
        })
    });
    for (signals, tally) in tallies {
        // A test that never interrupted a save would prove nothing. With
        // a few runs on a busy machine every save may finish first, so the
        // demand is made of CI's 200 runs; with any number of runs,
        // `ctrl_c_during_the_write_removes_the_temporary_file` interrupts
        // one for certain.
        if runs() >= 50 {
            check(
                &place(),
                &format!(
                    "{} at random moments: saves they stopped",
                    signals
                        .iter()
                        .map(|&signal| signal_name(signal))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                tally.stopped + tally.early > 0,
                "at least one",
                format!("{tally:?}"),
            );
        }
    }
}

#[test]
fn sigkill_at_random_moments_leaves_a_whole_target_and_no_readable_copy() {
    if !support::programs_run_here("ch08") {
        return;
    }
    let tally = signals_at_random_moments(&[libc::SIGKILL], runs(), 4);
    // Leftovers are possible, but rare (the instant between the link and
    // the rename), and each was checked: complete, and no wider.
    let _ = tally;
}

#[test]
fn ctrl_c_during_the_write_removes_the_temporary_file() {
    if !support::programs_run_here("ch08") {
        return;
    }
    // 4 MiB take about 40 ms to save here, four writes of 1 MiB; the
    // signal follows the temporary file's appearance within 0.1 ms.
    let mut size = 4 << 20;
    for _attempt in 0..4 {
        let scene = Scene::new(size);
        let what = "SIGINT while the temporary file is being written";
        let child = scene.save().spawn().unwrap();
        wait_for_the_temporary_file(&child, Duration::from_secs(10));
        kill_process(Pid::from_child(&child), Signal::INT).unwrap();
        let output = finish(child);
        if output.status.success() {
            size *= 2; // done before the signal arrived: try a longer save
            continue;
        }
        check_eq(
            &tool_place(),
            &format!("{what}: how the tool ended"),
            Some(Signal::INT.as_raw()),
            output.status.signal(),
        );
        check_eq(
            &tool_place(),
            &format!("{what}: stderr"),
            "error: stopped by SIGINT: the target is as it was, the temporary file removed\n"
                .to_string(),
            stderr_of(&output),
        );
        scene.assert_untouched(what);
        return;
    }
    fail(
        &place(),
        "SIGINT during the write",
        "a save still running when the signal arrived",
        "each save finished first",
    );
}

#[test]
fn a_file_size_limit_is_one_error_line_and_leaves_nothing() {
    if !support::programs_run_here("ch08") {
        return;
    }
    let scene = Scene::new(100_000);
    let what = "a save of 100 000 bytes under `ulimit -f 20` (20 KiB)";
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -f 20 && exec \"$0\" \"$@\""])
        .arg(&scene.tool)
        .args([&scene.input, &scene.target])
        .current_dir(scene.dir.path());
    let output = command.output().unwrap();
    let stderr = stderr_of(&output);
    check_eq(
        &tool_place(),
        &format!("{what}: exit status"),
        Some(1),
        output.status.code(),
    );
    check_eq(
        &tool_place(),
        &format!("{what}: stderr"),
        format!(
            "error: cannot write the new contents of {}: File too large (os error 27)\n",
            scene.target.display()
        ),
        stderr,
    );
    scene.assert_untouched(what);
}

/// Whether this process may act as another user; if not, says on stderr
/// which test was not run, and why.
pub fn second_user_available(test: &str) -> bool {
    let root = rustix::process::geteuid().is_root();
    if !root {
        support::not_checked::not_checked(
            &format!("chapter 8: {test}"),
            "it needs root, to run the tool as the user nobody",
        );
    }
    root
}

/// Fails unless the tool saved: status 0.
#[track_caller]
fn assert_saved(what: &str, output: &Output) {
    check(
        &tool_place(),
        what,
        output.status.success(),
        "status 0",
        format!("{:?}: {}", output.status, stderr_of(output)),
    );
}

/// Fails unless the tool refused: status 1, and one line on stderr that
/// says `because`.
#[track_caller]
fn assert_refused(what: &str, output: &Output, because: &str) {
    check_eq(
        &tool_place(),
        &format!("{what}: status"),
        Some(1),
        output.status.code(),
    );
    let stderr = stderr_of(output);
    check(
        &place(),
        &format!("{what}: stderr"),
        stderr.starts_with("error: refusing to replace ")
            && stderr.contains(because)
            && stderr.lines().count() == 1,
        format!("one line: error: refusing to replace ...: {because} ..."),
        &stderr,
    );
}

pub fn as_nobody(command: &mut Command) -> &mut Command {
    command.uid(NOBODY).gid(NOBODY)
}

pub fn chown(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
}

#[test]
fn another_user_cannot_read_the_secret_while_it_is_saved() {
    if !support::programs_run_here("ch08") {
        return;
    }
    if !second_user_available("another_user_cannot_read_the_secret_while_it_is_saved") {
        return;
    }
    // 4 MiB: each save keeps its temporary file about 40 ms, long enough
    // for the spy's loop to try it many times. (With the temporary file
    // left 0644 while written, the spy read 12 to 40 MB in each of 5 runs.)
    let scene = Scene::new(4 << 20);
    let what = "the user nobody, reading every temporary file during 2 saves of a 0600 file";
    let done = scene.dir.path().join("done");
    // The spy: reads each temporary file it can, until `done` exists, or
    // this test's process is gone (killed before it wrote `done`: a spy
    // that outlived it once spun for hours).
    let mut spy = Command::new("sh");
    let script = format!(
        "while [ ! -e done ] && [ -d /proc/{} ]; do cat .secret.txt* 2>/dev/null; done | wc -c",
        std::process::id()
    );
    spy.args(["-c", &script])
        .current_dir(scene.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let spy = as_nobody(&mut spy).spawn().unwrap();
    for _ in 0..2 {
        let output = scene.save().output().unwrap();
        assert_saved(what, &output);
        scene.reset();
    }
    fs::write(&done, "").unwrap();
    let read = String::from_utf8(finish(spy).stdout).unwrap();
    check_eq(
        &place(),
        &format!("{what}: bytes the spy read"),
        "0",
        read.trim(),
    );
}

#[test]
fn root_saving_another_users_file_keeps_its_owner() {
    if !support::programs_run_here("ch08") {
        return;
    }
    if !second_user_available("root_saving_another_users_file_keeps_its_owner") {
        return;
    }
    let scene = Scene::new(100);
    chown(&scene.target, NOBODY);
    let what = "root saving a 0600 file of the user nobody";
    let output = scene.save().output().unwrap();
    assert_saved(what, &output);
    let meta = fs::metadata(&scene.target).unwrap();
    check_eq(
        &place(),
        &format!("{what}: owner and group"),
        (NOBODY, NOBODY),
        (meta.uid(), meta.gid()),
    );
    check_eq(
        &place(),
        &format!("{what}: mode"),
        0o600,
        meta.mode() & 0o7777,
    );
    check_eq(
        &place(),
        &format!("{what}: contents"),
        scene.new.clone(),
        fs::read(&scene.target).unwrap(),
    );
}

#[test]
fn another_user_cannot_replace_what_it_could_not_write() {
    if !support::programs_run_here("ch08") {
        return;
    }
    if !second_user_available("another_user_cannot_replace_what_it_could_not_write") {
        return;
    }
    let scene = Scene::new(100);
    let dir = scene.dir.path();
    chown(dir, NOBODY); // nobody may create and rename files here
    chown(&scene.input, NOBODY);
    let read_only = dir.join("read-only.txt"); // nobody's, mode 0444
    fs::write(&read_only, "old\n").unwrap();
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).unwrap();
    chown(&read_only, NOBODY);
    let roots = dir.join("roots.txt"); // root's, mode 0644
    fs::write(&roots, "old\n").unwrap();
    fs::set_permissions(&roots, fs::Permissions::from_mode(0o644)).unwrap();
    let unchanged = |path: &Path, what: &str, uid: u32, mode: u32| {
        let meta = fs::metadata(path).unwrap();
        check_eq(
            &place(),
            &format!("{what}: contents"),
            "old\n".to_string(),
            fs::read_to_string(path).unwrap(),
        );
        check_eq(
            &place(),
            &format!("{what}: owner, mode"),
            (uid, mode),
            (meta.uid(), meta.mode() & 0o7777),
        );
    };
    for (target, uid, mode, forced_ok) in
        [(&read_only, NOBODY, 0o444, true), (&roots, 0, 0o644, false)]
    {
        let name = target.file_name().unwrap().to_string_lossy();
        let what =
            format!("the user nobody saving {name} (which `echo x > {name}` could not write)");
        let output = as_nobody(&mut scene.command(&[&scene.input, target]))
            .output()
            .unwrap();
        assert_refused(
            &what,
            &output,
            "it cannot be written in place (Permission denied",
        );
        unchanged(target, &what, uid, mode);

        let what = format!("{what}, with --force");
        let force = Path::new("--force");
        let output = as_nobody(&mut scene.command(&[force, &scene.input, target]))
            .output()
            .unwrap();
        if forced_ok {
            check_eq(
                &tool_place(),
                &format!("{what}: status"),
                Some(0),
                output.status.code(),
            );
            let meta = fs::metadata(target).unwrap();
            check_eq(
                &place(),
                &format!("{what}: owner, mode"),
                (uid, mode),
                (meta.uid(), meta.mode() & 0o7777),
            );
        } else {
            let because = "the new file cannot keep its owner (user 0, group 0)";
            assert_refused(&what, &output, because);
            unchanged(target, &what, uid, mode);
        }
        check_eq(
            &place(),
            &format!("{what}: files left"),
            Vec::<PathBuf>::new(),
            scene.leftovers(),
        );
    }
}

#[test]
fn a_directory_that_cannot_be_synced_gives_status_3_and_the_new_contents() {
    if !support::programs_run_here("ch08") {
        return;
    }
    let scene = Scene::new(100);
    // A directory its user may write and enter, but not read: opening it
    // to sync it fails. Root may read any directory, so root runs the
    // tool as nobody here.
    let locked = scene.dir.path().join("write-only");
    fs::create_dir(&locked).unwrap();
    let root = rustix::process::geteuid().is_root();
    if root {
        chown(&locked, NOBODY);
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o300)).unwrap();
    let what = "a save into a directory of mode 0300 (it cannot be opened to sync it)";
    let target = Path::new("t.txt");
    let mut command = scene.command(&[&scene.input, target]);
    command.current_dir(&locked);
    if root {
        as_nobody(&mut command);
    }
    let output: Output = command.output().unwrap();
    let status: ExitStatus = output.status;
    check_eq(
        &tool_place(),
        &format!("{what}: status (3: saved, not confirmed durable)"),
        Some(3),
        status.code(),
    );
    check_eq(
        &tool_place(),
        &format!("{what}: stderr"),
        "error: replaced the target, but cannot sync . to make that last: Permission denied (os error 13)\n".to_string(),
        stderr_of(&output),
    );
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
    check_eq(
        &place(),
        &format!("{what}: the target"),
        scene.new.clone(),
        fs::read(locked.join(target)).unwrap(),
    );
}

/// `examples/ch08_save_trace.rs` works in a directory of its own under
/// TMPDIR: SIGINT at any moment of its run ends it as killed by SIGINT (or
/// lets it finish), and leaves nothing behind there.
fn the_traced_save_leaves_nothing_behind_when_interrupted() {
    let tmp = tempfile::tempdir().unwrap();
    let run = || {
        let mut command = Command::new(example_binary("ch08_save_trace"));
        command
            .env("TMPDIR", tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };
    let start = Instant::now();
    let whole = run().output().unwrap();
    let window = start.elapsed();
    assert!(whole.status.success(), "{}", stderr_of(&whole));
    let mut random = fastrand::Rng::with_seed(4);
    let place = fn_place("examples/ch08_save_trace.rs", "run");
    for attempt in 0..runs() {
        let delay = window.mul_f64(random.f64());
        let what = format!("SIGINT {delay:?} after the start of ch08_save_trace ({attempt})");
        let child = run().spawn().unwrap();
        std::thread::sleep(delay);
        let _ = kill_process(Pid::from_child(&child), Signal::INT); // it may be gone
        let output = finish(child);
        let stderr = stderr_of(&output);
        let ended = output.status.success() || output.status.signal() == Some(Signal::INT.as_raw());
        check(
            &place,
            &what,
            ended,
            "status 0, or ended by SIGINT",
            format!("{:?}: {stderr}", output.status),
        );
        check(
            &place,
            &format!("{what}: stderr"),
            stderr.is_empty()
                || stderr.starts_with("error: stopped by SIGINT: ") && stderr.lines().count() == 1,
            "nothing, or one line saying SIGINT stopped it",
            &stderr,
        );
        let left: Vec<PathBuf> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        check_eq(
            &place,
            &format!("{what}: left in TMPDIR"),
            Vec::<PathBuf>::new(),
            left,
        );
    }
}

/// The device, owner, mode and change time of `/dev/full`: what a save
/// that wrote through the device's descriptor once changed.
fn dev_full_identity() -> (u64, u32, u32, i64, i64) {
    let meta = fs::metadata("/dev/full").expect("/dev/full (Linux)");
    (
        meta.rdev(),
        meta.uid(),
        meta.mode(),
        meta.ctime(),
        meta.ctime_nsec(),
    )
}

/// Chapter 8's programs that save (`ch08_save_trace`, `ch08_call_failures`)
/// work in a directory of their own: run by root, and by another user
/// (who cannot open what root's files are), each ends with status 0,
/// leaves nothing in its TMPDIR and changes no file it did not create,
/// `/dev/full` among them.
#[test]
fn the_chapters_saving_programs_change_nothing_they_did_not_create() {
    if !support::programs_run_here("ch08") {
        return;
    }
    let before = dev_full_identity();
    let root = rustix::process::geteuid().is_root();
    // An empty file too: saving 0 bytes once wrote nothing to /dev/full,
    // so nothing failed, and gave the device the target's mode.
    // Each by its user and by another; ch08_call_failures by its user is
    // tests/cmd's case already (28 saves: once is enough).
    for (program, args, users) in [
        ("ch08_save_trace", None, &[false, true][..]),
        ("ch08_save_trace", Some("0"), &[false, true]),
        ("ch08_call_failures", None, &[true]),
    ] {
        for &as_another_user in users {
            if as_another_user && !root {
                continue; // said once, by the tests that need a second user
            }
            let tmp = tempfile::tempdir().unwrap();
            fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o777)).unwrap();
            // The build directory may be in a home only its owner enters.
            let binary = tmp.path().join(program);
            let status = Command::new("cp")
                .arg(example_binary(program))
                .arg(&binary)
                .status()
                .unwrap();
            assert!(status.success(), "cp of {program}");
            let mut command = Command::new(&binary);
            command
                .args(args)
                .env_clear()
                .env("TMPDIR", tmp.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            if as_another_user {
                as_nobody(&mut command);
            }
            let output = command.output().unwrap();
            let who = if as_another_user {
                "the user nobody"
            } else {
                "its user"
            };
            let run = format!("{program} {}", args.unwrap_or(""));
            let place = fn_place(&format!("examples/{program}.rs"), "run");
            check(
                &place,
                &format!("{}, run by {who}", run.trim_end()),
                output.status.success(),
                "status 0",
                format!("{:?}: {}", output.status, stderr_of(&output)),
            );
            let left: Vec<PathBuf> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| *path != binary)
                .collect();
            check_eq(
                &place,
                &format!("{}, run by {who}: left in TMPDIR", run.trim_end()),
                Vec::<PathBuf>::new(),
                left,
            );
        }
    }
    check_eq(
        &place(),
        "/dev/full after chapter 8's programs ran (device, owner, mode, change time)",
        before,
        dev_full_identity(),
    );
}

/// A signal blocked by whoever starts the tool waits, blocked, from the
/// start: the tool unblocks its stopping signals once its handlers are in
/// place, so such a signal, sent before the tool even runs, stops the save
/// at its first look, with its line, every time. (The same holds for one
/// that arrives while the handlers are being installed: it waits too.)
#[test]
fn a_signal_blocked_from_the_start_still_stops_the_save() {
    use std::os::unix::process::CommandExt;
    if !support::programs_run_here("ch08") {
        return;
    }
    let scene = Scene::new(100);
    let real_time = course::stop_signals::real_time();
    for signal in [
        libc::SIGTERM,
        libc::SIGINT,
        libc::SIGUSR1,
        *real_time.start(),
    ] {
        let name = signal_name(signal);
        let what = format!("{name}, blocked by the tool's parent and sent before the tool starts");
        let mut command = scene.save();
        // SAFETY: between fork and exec the child only blocks a signal and
        // sends it to itself: both are async-signal-safe calls that touch no
        // memory shared with the parent.
        unsafe {
            command.pre_exec(move || {
                let mut set = std::mem::zeroed::<libc::sigset_t>();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, signal);
                libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
                libc::raise(signal); // pending, until the tool unblocks it
                Ok(())
            });
        }
        let output = command.output().unwrap();
        check_eq(
            &tool_place(),
            &format!("{what}: how the tool ended"),
            Some(signal),
            output.status.signal(),
        );
        check_eq(
            &tool_place(),
            &format!("{what}: stderr"),
            format!(
                "error: stopped by {name}: the target is as it was, the temporary file removed\n"
            ),
            stderr_of(&output),
        );
        scene.assert_untouched(&what);
    }
}

/// A signal that comes after the rename is too late to stop the save, but
/// still ends the tool as it asked (after the line that says so), so that
/// a shell's loop stops on Ctrl-C as it would for any program.
#[test]
fn a_signal_after_the_rename_still_ends_the_tool() {
    if !support::programs_run_here("ch08") {
        return;
    }
    let scene = Scene::new(1 << 20);
    let old_inode = || fs::metadata(&scene.target).map(|meta| meta.ino());
    let mut late = 0;
    for round in 0..runs() {
        let what = format!("SIGTERM as soon as the target is replaced (round {round})");
        let before = old_inode().unwrap();
        let child = scene.save().spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while old_inode().is_ok_and(|now| now == before) && Instant::now() < deadline {
            std::hint::spin_loop();
        }
        send(&child, libc::SIGTERM);
        let output = finish(child);
        check(
            &place(),
            &format!("{what}: the target"),
            scene.assert_whole(&what),
            "the new contents",
            "the old",
        );
        if output.status.signal() == Some(libc::SIGTERM) {
            late += 1;
            let stderr = stderr_of(&output);
            check(
                &tool_place(),
                &format!("{what}: stderr"),
                stderr.starts_with("error: stopped by SIGTERM after the save: ")
                    && stderr.ends_with(" holds the new contents\n")
                    && stderr.lines().count() == 1,
                "one line: error: stopped by SIGTERM after the save: ... holds the new contents",
                &stderr,
            );
        } else {
            assert_saved(&what, &output); // it had ended before the signal
        }
        scene.reset();
    }
    eprintln!(
        "SIGTERM after the rename, {} rounds: ended by it {late}",
        runs()
    );
    if runs() >= 50 {
        check(
            &place(),
            "SIGTERM after the rename: tools it ended",
            late > 0,
            "at least one",
            late,
        );
    }
}

/// A set-group-ID file of a group its saver is not in: the kernel clears
/// the bit when the saver gives the new file that mode, without an error.
/// The save looks at the mode it gave, and refuses rather than drop it.
#[test]
fn a_set_group_id_bit_the_saver_cannot_keep_is_refused() {
    if !support::programs_run_here("ch08") {
        return;
    }
    if !second_user_available("a_set_group_id_bit_the_saver_cannot_keep_is_refused") {
        return;
    }
    let scene = Scene::new(100);
    let dir = scene.dir.path();
    // A set-group-ID directory of group root that nobody may write: a file
    // nobody creates there is of group root, a group nobody is not in.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o2777)).unwrap();
    chown(&scene.input, NOBODY);
    let target = dir.join("roots.txt"); // nobody's, group root, mode 2755
    fs::write(&target, "old\n").unwrap();
    std::os::unix::fs::chown(&target, Some(NOBODY), Some(0)).unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o2755)).unwrap();
    let what = "the user nobody saving its file of group root, mode 2755";
    let output = as_nobody(&mut scene.command(&[&scene.input, &target]))
        .output()
        .unwrap();
    assert_refused(what, &output, "the new file cannot keep its mode 2755");
    let meta = fs::metadata(&target).unwrap();
    check_eq(
        &place(),
        &format!("{what}: the target (contents, mode)"),
        ("old\n".to_string(), 0o2755),
        (fs::read_to_string(&target).unwrap(), meta.mode() & 0o7777),
    );
    check_eq(
        &place(),
        &format!("{what}: files left"),
        Vec::<PathBuf>::new(),
        scene.leftovers(),
    );
}

/// Each stopping signal is named in the tool's line as the manual names it
/// (real-time ones after SIGRTMIN), independently of how the tests above
/// name them (they ask the library).
#[test]
fn every_stopping_signal_is_named_as_the_manual_names_it() {
    let expected = [
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGTERM",
        "SIGUSR1",
        "SIGUSR2",
        "SIGALRM",
        "SIGVTALRM",
        "SIGPROF",
        "SIGIO",
        "SIGPWR",
        "SIGSTKFLT",
        "SIGXCPU",
        "SIGABRT",
    ];
    let place = fn_place("course/stop_signals.rs", "name");
    for (signal, name) in course::stop_signals::STOPPING.into_iter().zip(expected) {
        check_eq(
            &place,
            &format!("the tool's words for signal {signal}"),
            format!("stopped by {name}"),
            course::stop_signals::Interrupted { signal }.to_string(),
        );
    }
    // Safe functions of libc: the C library's bounds of the range.
    let (min, max) = (libc::SIGRTMIN(), libc::SIGRTMAX());
    let real_time = course::stop_signals::real_time();
    check_eq(
        &place,
        "the real-time signals",
        (min, max),
        (*real_time.start(), *real_time.end()),
    );
    for (signal, name) in [
        (min, "SIGRTMIN".to_string()),
        (min + 1, "SIGRTMIN+1".to_string()),
        (max, format!("SIGRTMIN+{}", max - min)),
    ] {
        check_eq(
            &place,
            &format!("the tool's words for signal {signal}"),
            format!("stopped by {name}"),
            course::stop_signals::Interrupted { signal }.to_string(),
        );
    }
    check_eq(
        &place,
        "the signals that stop a save",
        course::stop_signals::STOPPING.len() + (max - min + 1) as usize,
        course::stop_signals::stopping().count(),
    );
}
