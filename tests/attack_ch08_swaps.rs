//! Chapter 8's tool, run by root while the user nobody, who can write the
//! target's directory (or owns an ancestor of it), swaps things under it at
//! a random moment of each save: the target for a file of its own that
//! carries an ACL letting it read and write, the target for a FIFO, the
//! target's directory for a symbolic link to a directory only root may
//! enter. Each round checks: no escape (the new secret never in a file with
//! one file's owner and another's ACL, never in two places, nothing left
//! anywhere), and no hang (Ctrl-C ends the tool within a second).
//!
//! `cargo test` runs a few rounds; CI runs 200 (`COURSE_ATTACK_RUNS`).
//! Each attack's tally goes to stderr (`--nocapture`).

use crate::attack_ch08::{
    Scene, as_nobody, chown, finish, place, save_duration, second_user_available, send, stderr_of,
    tool_place,
};

/// How many rounds each attack plays: `COURSE_ATTACK_RUNS` (CI: 200), or 2
/// in a plain `cargo test`, where each costs a few saves of 4 MiB.
fn runs() -> usize {
    std::env::var("COURSE_ATTACK_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(2)
}
use crate::files::{NOBODY, make_fifo, nobody_may_write};
use crate::support::{self, check, fail};

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `script` with `sh -c` as the user nobody in `dir`, after `delay`.
fn attacker(dir: &Path, delay: Duration, script: &str) -> Child {
    let mut command = Command::new("sh");
    command
        .args(["-c", &format!("sleep {:.6}; {script}", delay.as_secs_f64())])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    as_nobody(&mut command).spawn().unwrap()
}

/// The temporary files of saves of `target` left in its directory.
fn temporary_files_of(target: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(target.parent().unwrap()) else {
        return Vec::new();
    };
    entries
        .map(|entry| entry.unwrap())
        .filter(|entry| course::temp_name::is_temp_name_of(target, &entry.file_name()))
        .map(|entry| entry.path())
        .collect()
}

/// Who may do what with a file: owner, mode, and its ACL, if any.
#[derive(Debug, PartialEq, Eq, Clone)]
struct Access {
    owner: u32,
    mode: u32,
    acl: Option<Vec<u8>>,
}

fn access_of(path: &Path) -> Access {
    let meta = fs::symlink_metadata(path).unwrap();
    let mut acl = vec![0u8; 4096];
    let acl = rustix::fs::lgetxattr(path, "system.posix_acl_access", &mut acl[..])
        .ok()
        .map(|len| acl[..len].to_vec());
    Access {
        owner: meta.uid(),
        mode: meta.mode() & 0o7777,
        acl,
    }
}

/// Whether this machine can run these attacks: as root (to be nobody too)
/// and on Linux with ACLs. Says which test was not run, if not.
fn can_attack(test: &str) -> bool {
    support::programs_run_here("ch08") && second_user_available(test)
}

/// How the tool ended: status 0, refused (1) because the target changed
/// or is not a regular file, or anything else (a failure of the test).
#[track_caller]
fn check_ended_well(what: &str, output: &std::process::Output, allowed_refusals: &[&str]) {
    let stderr = stderr_of(output);
    let ok = output.status.success()
        || output.status.code() == Some(1)
            && stderr.lines().count() == 1
            && allowed_refusals.iter().any(|why| stderr.contains(why));
    check(
        &tool_place(),
        what,
        ok,
        format!("status 0, or 1 with one line saying one of {allowed_refusals:?}"),
        format!("{:?}: {stderr}", output.status),
    );
}

const CHANGED: &str = "another file took its name during the save";

#[test]
fn another_user_swapping_in_a_file_with_an_acl_never_reads_the_secret() {
    if !can_attack("another_user_swapping_in_a_file_with_an_acl_never_reads_the_secret") {
        return;
    }
    let scene = Scene::new(4 << 20);
    let dir = scene.dir.path();
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
    // Their file: nobody's, mode 0660, with an ACL that lets nobody write.
    let template = dir.join("theirs.template");
    fs::write(&template, "their file\n").unwrap();
    fs::set_permissions(&template, fs::Permissions::from_mode(0o660)).unwrap();
    rustix::fs::setxattr(
        &template,
        "system.posix_acl_access",
        &nobody_may_write(),
        rustix::fs::XattrFlags::empty(),
    )
    .expect("this test needs a file system with ACLs");
    chown(&template, NOBODY);
    let theirs = access_of(&template);
    let root_secret = Access {
        owner: 0,
        mode: 0o600,
        acl: None,
    };
    // The swap comes at a random moment of the time a save takes.
    let window = save_duration(&scene);
    let mut random = fastrand::Rng::with_seed(26);
    let (mut saved, mut saved_over_theirs, mut refused) = (0, 0, 0);
    for round in 0..runs() {
        scene.reset();
        let delay = window.mul_f64(random.f64());
        let what = format!(
            "round {round}: nobody swaps in its file with an ACL {delay:?} after the start"
        );
        let attack = attacker(
            dir,
            delay,
            "cp --preserve=mode,ownership,xattr theirs.template t.$$ && mv -f t.$$ secret.txt",
        );
        let output = scene.save().output().unwrap();
        let attacked = finish(attack);
        check(
            &place(),
            &what,
            attacked.status.success(),
            "the swap done",
            stderr_of(&attacked),
        );
        check_ended_well(&what, &output, &[CHANGED]);
        let now = fs::read(&scene.target).unwrap();
        let access = access_of(&scene.target);
        if now == scene.new {
            // The save replaced what it looked at: the secret, or their
            // file if it was swapped in before the save looked.
            if access == root_secret {
                saved += 1;
            } else if access == theirs {
                saved_over_theirs += 1;
            } else {
                fail(
                    &place(),
                    &format!("{what}: who may read the new secret"),
                    format!("{root_secret:?}, or their file's {theirs:?}"),
                    format!("{access:?}: one file's owner with another's access"),
                );
            }
        } else if output.status.success() {
            saved += 1; // their rename came after the save's
        } else {
            refused += 1;
        }
        let left = temporary_files_of(&scene.target);
        check(
            &place(),
            &format!("{what}: temporary files left"),
            left.is_empty(),
            "none",
            format!("{left:?}"),
        );
    }
    eprintln!(
        "ACL swap, {} rounds: saved {saved}, saved over their file (swapped in before the look) \
         {saved_over_theirs}, refused (changed) {refused}; no escape",
        runs()
    );
}

#[test]
fn an_ancestor_flipped_to_a_link_sends_no_save_astray() {
    if !can_attack("an_ancestor_flipped_to_a_link_sends_no_save_astray") {
        return;
    }
    let scene = Scene::new(4 << 20);
    // base (nobody's) / parent (root's) / secret.txt, and a directory only
    // root may enter, with a secret.txt of its own (mode 0640 there, to
    // tell the two apart).
    let base = scene.dir.path().join("base");
    let parent = base.join("parent");
    let root_only = scene.dir.path().join("root-only");
    let window = save_duration(&scene);
    let mut random = fastrand::Rng::with_seed(27);
    let (mut here, mut there, mut missing) = (0, 0, 0);
    for round in 0..runs() {
        for dir in [&base, &root_only] {
            let _ = fs::remove_dir_all(dir);
        }
        fs::create_dir_all(&parent).unwrap();
        chown(&base, NOBODY);
        fs::create_dir(&root_only).unwrap();
        fs::set_permissions(&root_only, fs::Permissions::from_mode(0o700)).unwrap();
        for (dir, mode) in [(&parent, 0o600), (&root_only, 0o640)] {
            fs::write(dir.join("secret.txt"), &scene.old).unwrap();
            fs::set_permissions(dir.join("secret.txt"), fs::Permissions::from_mode(mode)).unwrap();
        }
        // The file in the root-only directory is nobody's: where the save
        // lands shows in the owner too.
        chown(&root_only.join("secret.txt"), NOBODY);
        let delay = window.mul_f64(random.f64());
        let what = format!(
            "round {round}: nobody flips base/parent to a link to root-only/ {delay:?} after the start"
        );
        let attack = attacker(
            &base,
            delay,
            &format!(
                "mv parent parent.real && ln -s {} parent",
                root_only.display()
            ),
        );
        let target = parent.join("secret.txt");
        let output = scene.command(&[&scene.input, &target]).output().unwrap();
        let attacked = finish(attack);
        check(
            &place(),
            &what,
            attacked.status.success(),
            "the flip done",
            stderr_of(&attacked),
        );
        // Between the rename and the link, the directory is not there.
        check_ended_well(&what, &output, &["No such file or directory"]);
        let real = base.join("parent.real");
        let places = [
            (real.join("secret.txt"), 0o600, 0),
            (root_only.join("secret.txt"), 0o640, NOBODY),
        ];
        let landed: Vec<&PathBuf> = places
            .iter()
            .filter(|(path, mode, owner)| {
                let new = fs::read(path).unwrap() == scene.new;
                if new {
                    let access = access_of(path);
                    check(
                        &place(),
                        &format!("{what}: the mode and owner of {}", path.display()),
                        (access.mode, access.owner) == (*mode, *owner),
                        format!("{mode:04o}, user {owner}: those of the file it replaced there"),
                        format!("{:04o}, user {}", access.mode, access.owner),
                    );
                }
                new
            })
            .map(|(path, ..)| path)
            .collect();
        match landed.as_slice() {
            [path] if path.starts_with(&root_only) => there += 1,
            [_] => here += 1,
            [] if !output.status.success() => missing += 1,
            _ => fail(
                &place(),
                &what,
                "the new secret in one directory (none after an error)",
                format!("in {landed:?}, status {:?}", output.status),
            ),
        }
        for dir in [&real, &root_only] {
            let names: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            check(
                &place(),
                &format!("{what}: what {} holds", dir.display()),
                names == ["secret.txt"],
                "secret.txt alone (no temporary file)",
                format!("{names:?}"),
            );
        }
    }
    eprintln!(
        "ancestor flip, {} rounds: saved in the directory named {here}, in the one the link \
         led to when the save opened it {there}, no directory there when it opened it \
         {missing}; none astray, nothing left",
        runs()
    );
}

#[test]
fn a_fifo_swapped_in_never_makes_the_tool_deaf_to_ctrl_c() {
    if !can_attack("a_fifo_swapped_in_never_makes_the_tool_deaf_to_ctrl_c") {
        return;
    }
    let scene = Scene::new(4 << 20);
    let dir = scene.dir.path();
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
    let window = save_duration(&scene);
    let mut random = fastrand::Rng::with_seed(28);
    let (mut ended, mut stopped) = (0, 0);
    for round in 0..runs() {
        let _ = fs::remove_file(&scene.target); // it may be a FIFO
        fs::write(&scene.target, &scene.old).unwrap();
        fs::set_permissions(&scene.target, fs::Permissions::from_mode(0o600)).unwrap();
        let (swap, ctrl_c) = (window.mul_f64(random.f64()), window.mul_f64(random.f64()));
        let what = format!(
            "round {round}: a FIFO and a file swapped in, again and again from {swap:?}, \
             Ctrl-C after {ctrl_c:?}"
        );
        // Swaps, again and again until the round ends, a FIFO and a regular
        // file in the target's place, as fast as a program can (a thread of
        // this test: a shell's loop is a thousand times slower): a save that
        // looks at a regular file may open a FIFO a moment later.
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let swapper = scope.spawn(|| {
                std::thread::sleep(swap);
                let (fifo, file) = (dir.join("f"), dir.join("r"));
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    make_fifo(&fifo, 0o666);
                    fs::rename(&fifo, &scene.target).unwrap();
                    fs::write(&file, "old\n").unwrap();
                    fs::rename(&file, &scene.target).unwrap();
                }
            });
            let mut tool = scene.save().spawn().unwrap();
            std::thread::sleep(ctrl_c);
            send(&tool, libc::SIGINT);
            let sent = Instant::now();
            let status = loop {
                if let Some(status) = tool.try_wait().unwrap() {
                    break Some(status);
                }
                if sent.elapsed() > Duration::from_secs(1) {
                    break None;
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            swapper.join().unwrap();
            let Some(status) = status else {
                let _ = tool.kill();
                fail(
                    &place(),
                    &what,
                    "the tool ended within 1 s of Ctrl-C",
                    "still running",
                );
            };
            let output = tool.wait_with_output().unwrap();
            if status.signal() == Some(libc::SIGINT) {
                stopped += 1;
            } else {
                check_ended_well(&what, &output, &[CHANGED, "not a regular file"]);
                ended += 1;
            }
        });
        let left = temporary_files_of(&scene.target);
        check(
            &place(),
            &format!("{what}: temporary files left"),
            left.is_empty(),
            "none",
            format!("{left:?}"),
        );
    }
    eprintln!(
        "FIFO flip, {} rounds: ended by itself {ended}, stopped by Ctrl-C {stopped}; no hang, nothing left",
        runs()
    );
}

/// Another user who can write the directory watches it (inotify) and, the
/// moment the save's temporary name appears, renames a file of its own
/// over it, so that the rename would put their file in the target's place.
/// The save never does: it saves its own file (status 0) or refuses and
/// leaves the target as it was (status 1); none of its files is left.
#[test]
fn a_file_renamed_over_the_temporary_name_never_becomes_the_target() {
    use rustix::fs::inotify;
    if !support::programs_run_here("ch08") {
        return;
    }
    let scene = Scene::new(4 << 20);
    let dir = scene.dir.path();
    let (mut saved, mut refused) = (0, 0);
    for round in 0..runs() {
        scene.reset();
        let what =
            format!("round {round}: their file renamed over the temporary name as it appears");
        let theirs = dir.join("theirs.txt");
        fs::write(&theirs, "their file\n").unwrap();
        let watch = inotify::init(inotify::CreateFlags::NONBLOCK).unwrap();
        inotify::add_watch(
            &watch,
            dir,
            inotify::WatchFlags::CREATE | inotify::WatchFlags::MOVED_TO,
        )
        .unwrap();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let output = std::thread::scope(|scope| {
            scope.spawn(|| {
                let mut buffer = [std::mem::MaybeUninit::uninit(); 4096];
                let mut events = inotify::Reader::new(&watch, &mut buffer);
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let Ok(event) = events.next() else {
                        std::thread::yield_now(); // nothing yet (non-blocking)
                        continue;
                    };
                    let Some(name) = event.file_name() else {
                        continue;
                    };
                    let name = std::ffi::OsStr::from_bytes(name.to_bytes());
                    if course::temp_name::is_temp_name_of(&scene.target, name) {
                        let _ = fs::rename(&theirs, dir.join(name));
                    }
                }
            });
            let output = scene.save().output().unwrap();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            output
        });
        let now = fs::read(&scene.target).unwrap();
        if output.status.success() {
            saved += 1;
            check(
                &place(),
                &format!("{what}: the target after status 0"),
                now == scene.new,
                "the new contents",
                format!("{} bytes of something else", now.len()),
            );
        } else {
            refused += 1;
            check_ended_well(&what, &output, &[CHANGED]);
            check(
                &place(),
                &format!("{what}: the target after status 1"),
                now == scene.old,
                "the old contents",
                format!("{} bytes of something else", now.len()),
            );
        }
        // Their file may be left under a temporary name; none of the save's.
        for path in temporary_files_of(&scene.target) {
            check(
                &place(),
                &format!("{what}: {} left", path.display()),
                fs::read(&path).unwrap() == b"their file\n",
                "their file, or nothing",
                "a file of the save's",
            );
            fs::remove_file(path).unwrap();
        }
        let _ = fs::remove_file(&theirs);
    }
    eprintln!(
        "temporary name swap, {} rounds: saved {saved}, refused {refused}; never their file in place, nothing of the save's left",
        runs()
    );
}
