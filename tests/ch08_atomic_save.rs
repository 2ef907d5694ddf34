//! Chapter 8's claims, proven under faults: a full disk, a directory
//! where nothing can be created, a missing directory, a rename that fails,
//! a missing input and special files. After each, for both versions
//! (explicit guard and `tempfile`): the target is untouched, no temporary
//! file is left, and as many descriptors are open as before. (Every system
//! call failed in turn, and files swapped during a save:
//! tests/ch08_system_calls.rs.)
//!
//! Open descriptors are counted per process, so the tests of this file run
//! one at a time (`serial`). A failure names the place of the version under
//! test in `course/atomic_save.rs` (`save_upper_with` for the guard,
//! `save_upper_tempfile_with` for `tempfile`), what was expected and what
//! was seen.

use crate::support;

use std::fs::{self, File};
use std::io;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::files::{
    ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER, ACL_USER, ACL_USER_OBJ, NO_ID, NOBODY, acl, make_fifo,
    nobody_may_read,
};
use course::atomic_save::{
    Place, SaveError, create_temp, read_upper, save_upper, save_upper_tempfile,
    save_upper_tempfile_with, save_upper_with, write_contents,
};
use course::lab::{check_all_allocation_failures, check_leaks};
use course::replaced::{Refusal, Unwritable};
use course::system_calls::{Call, Calls, Direct, FailingAt};
use support::{check, check_eq, check_no_panic, fail, fn_place};

/// The tests of chapter 8's save run one at a time (they count this
/// process's descriptors).
pub fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How many descriptors this process has open.
pub fn open_descriptors() -> usize {
    fs::read_dir("/proc/self/fd")
        .expect("counting descriptors needs /proc/self/fd (Linux)")
        .count()
}

/// A directory with an input file and a target that already exists.
pub struct Scene {
    pub dir: tempfile::TempDir,
    pub input: PathBuf,
    pub target: PathBuf,
}

impl Scene {
    pub fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input.txt");
        let target = dir.path().join("target.txt");
        fs::write(&input, "hello, files\n").unwrap();
        fs::write(&target, "the original\n").unwrap();
        Scene { dir, input, target }
    }

    /// The names in the scene's directory, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Fails unless the scene is exactly as `Scene::new` left it, naming
    /// `place` and `what` was done to it.
    #[track_caller]
    pub fn assert_untouched(&self, place: &str, what: &str) {
        check_eq(
            place,
            &format!("{what}: the files in the directory (no temporary file left)"),
            vec!["input.txt", "target.txt"],
            self.names().iter().map(String::as_str).collect(),
        );
        self.assert_target(place, what, "the original\n");
    }

    /// Fails unless the target holds `contents`.
    #[track_caller]
    pub fn assert_target(&self, place: &str, what: &str, contents: &str) {
        check_eq(
            place,
            &format!("{what}: the target's contents"),
            contents,
            &fs::read_to_string(&self.target).unwrap(),
        );
    }
}

/// The two versions of the chapter.
#[derive(Clone, Copy, Debug)]
pub enum Version {
    Guard,
    Tempfile,
}

pub const VERSIONS: [Version; 2] = [Version::Guard, Version::Tempfile];

impl Version {
    pub fn save<'a>(self, input: &'a Path, target: &'a Path) -> Result<(), SaveError<'a>> {
        match self {
            Version::Guard => save_upper(input, target, Unwritable::Refuse),
            Version::Tempfile => save_upper_tempfile(input, target, Unwritable::Refuse),
        }
    }

    /// Saves with the system calls made through `calls`.
    pub fn save_with<'a>(
        self,
        calls: &impl Calls,
        input: &'a Path,
        target: &'a Path,
        unwritable: Unwritable,
    ) -> Result<(), SaveError<'a>> {
        match self {
            Version::Guard => save_upper_with(calls, input, target, unwritable),
            Version::Tempfile => save_upper_tempfile_with(calls, input, target, unwritable),
        }
    }

    /// The function the tests call, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Version::Guard => "save_upper",
            Version::Tempfile => "save_upper_tempfile",
        }
    }

    /// Where the reader edits this version: the function that does the work.
    pub fn place(self) -> String {
        let name = match self {
            Version::Guard => "save_upper_with",
            Version::Tempfile => "save_upper_tempfile_with",
        };
        fn_place("course/atomic_save.rs", name)
    }

    /// Saves as on a full disk: the first write fails with ENOSPC.
    fn save_to_full_disk<'a>(self, input: &'a Path, target: &'a Path) -> Result<(), SaveError<'a>> {
        let full_disk = FailingAt::first(Call::Write);
        self.save_with(&full_disk, input, target, Unwritable::Refuse)
    }
}

/// Runs `work` on a thread of its own and returns what it returns, or
/// fails if it takes more than `seconds` (a save blocked in a FIFO's
/// `open`, say). The thread is left behind then: the test has failed.
#[track_caller]
pub fn within_seconds<T: Send + 'static>(
    place: &str,
    what: &str,
    seconds: u64,
    work: impl FnOnce() -> T + Send,
) -> T {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel();
        let worker = scope.spawn(move || {
            let _ = sender.send(work());
        });
        match receiver.recv_timeout(Duration::from_secs(seconds)) {
            Ok(result) => {
                let _ = worker.join();
                result
            }
            Err(_) => {
                // A scoped thread is joined at the end of the scope: a
                // blocked one would hang the test, so the process ends.
                // Straight to stderr: the harness would swallow eprintln's
                // line when the process exits here.
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    format!("{place}: {what}\n  expected: done within {seconds} s\n  seen: still blocked\n")
                        .as_bytes(),
                );
                std::process::exit(101);
            }
        }
    })
}

/// Fails unless `ok`, showing `error` (formatted only on failure).
#[track_caller]
pub fn check_error(place: &str, what: &str, ok: bool, expected: &str, error: &SaveError) {
    if !ok {
        fail(place, what, expected, format!("{error:?}: {error}"));
    }
}

/// Fails unless `result` succeeded.
#[track_caller]
pub fn check_ok(place: &str, what: &str, result: Result<(), SaveError>) {
    if let Err(error) = result {
        fail(place, what, "Ok", format!("{error:?}: {error}"));
    }
}

/// Runs `save` (`what`, of `version`) and checks that it fails with an I/O
/// error of `kind`, and leaves no descriptor open. (The kind, not the OS
/// error number: tempfile wraps the OS error with the path it concerns.)
#[track_caller]
fn fails_with<'a>(
    version: Version,
    what: &str,
    kind: io::ErrorKind,
    save: impl FnOnce() -> Result<(), SaveError<'a>>,
) -> SaveError<'a> {
    let place = version.place();
    let before = open_descriptors();
    let Err(error) = save() else {
        fail(&place, what, format!("an error ({kind:?})"), "Ok")
    };
    let source =
        std::error::Error::source(&error).and_then(|source| source.downcast_ref::<io::Error>());
    check_error(
        &place,
        &format!("{what}: the kind of I/O error"),
        source.is_some_and(|source| source.kind() == kind),
        &format!("an I/O error of kind {kind:?}"),
        &error,
    );
    check_eq(
        &place,
        &format!("{what}: open descriptors (none may be left open)"),
        before,
        open_descriptors(),
    );
    error
}

#[test]
fn success_replaces_the_target_and_leaves_nothing_else() {
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{}(input, target)", version.name());
        let scene = Scene::new();
        let before = open_descriptors();
        check_ok(&place, &what, version.save(&scene.input, &scene.target));
        check_eq(
            &place,
            &format!("{what}: open descriptors (none may be left open)"),
            before,
            open_descriptors(),
        );
        scene.assert_target(&place, &what, "HELLO, FILES\n");
        check_eq(
            &place,
            &format!("{what}: the files in the directory (no temporary file left)"),
            vec!["input.txt", "target.txt"],
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}

#[test]
fn a_full_disk_removes_the_temporary_file_and_keeps_the_original() {
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{} with its writes going to a full disk", version.name());
        let scene = Scene::new();
        let error = fails_with(version, &what, io::ErrorKind::StorageFull, || {
            version.save_to_full_disk(&scene.input, &scene.target)
        });
        check_error(
            &place,
            &format!("{what}: the error"),
            matches!(error, SaveError::Write { .. }),
            "SaveError::Write",
            &error,
        );
        scene.assert_untouched(&place, &what);
    }
}

#[test]
fn a_directory_where_nothing_can_be_created_is_reported() {
    let _serial = serial();
    // /proc/self exists, but no process may create files in it, not even
    // root, who can write into a read-only (chmod) directory.
    let target = Path::new("/proc/self/course-target.txt");
    assert!(
        Path::new("/proc/self").is_dir(),
        "this test needs /proc (Linux)"
    );
    let scene = Scene::new();
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{} to {}", version.name(), target.display());
        // An unnamed file there is not permitted; a named one not found.
        let kind = match version {
            Version::Guard => io::ErrorKind::PermissionDenied,
            Version::Tempfile => io::ErrorKind::NotFound,
        };
        let error = fails_with(version, &what, kind, || version.save(&scene.input, target));
        check_error(
            &place,
            &format!("{what}: the error"),
            matches!(error, SaveError::CreateTemp { .. }),
            "SaveError::CreateTemp",
            &error,
        );
        check(
            &place,
            &format!("{what}: the target"),
            !target.exists(),
            "not created",
            "it exists",
        );
        scene.assert_untouched(&place, &what);
    }
}

/// A target in a directory that does not exist, or "in" a regular file
/// (`input.txt/target.txt`, a path that names nothing), is reported as
/// what it is.
#[test]
fn a_missing_directory_is_reported() {
    let _serial = serial();
    let scene = Scene::new();
    for (version, (name, kind)) in VERSIONS.into_iter().flat_map(|version| {
        [
            ("missing/target.txt", io::ErrorKind::NotFound),
            ("input.txt/target.txt", io::ErrorKind::NotADirectory),
        ]
        .map(|case| (version, case))
    }) {
        let target = scene.dir.path().join(name);
        let place = version.place();
        let what = format!("{} to {name}", version.name());
        let error = fails_with(version, &what, kind, || version.save(&scene.input, &target));
        check_error(
            &place,
            &format!("{what}: the error"),
            matches!(error, SaveError::CreateTemp { .. }),
            "SaveError::CreateTemp",
            &error,
        );
        scene.assert_untouched(&place, &what);
    }
}

#[test]
fn a_failing_rename_removes_the_temporary_file_and_keeps_the_target() {
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let scene = Scene::new();
        let what = format!("{} when its rename fails (EBUSY)", version.name());
        let calls = FailingAt::first(Call::Renameat);
        let save = || version.save_with(&calls, &scene.input, &scene.target, Unwritable::Refuse);
        let error = match version {
            Version::Guard => fails_with(version, &what, io::ErrorKind::ResourceBusy, save),
            // tempfile renames by itself, outside the seam: it succeeds.
            Version::Tempfile => {
                check_ok(&place, &what, save());
                continue;
            }
        };
        check_error(
            &place,
            &format!("{what}: the error"),
            matches!(error, SaveError::Replace { .. }),
            "SaveError::Replace",
            &error,
        );
        scene.assert_untouched(&place, &what);
    }
}

#[test]
fn a_directory_as_target_is_refused_and_left_alone() {
    let _serial = serial();
    let scene = Scene::new();
    // A non-empty directory where the target should be.
    let target = scene.dir.path().join("target-dir");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("inside.txt"), "kept\n").unwrap();
    for version in VERSIONS {
        let place = version.place();
        for name in ["target-dir", "target-dir/", "target-dir/.."] {
            let what = format!("{} to {name}", version.name());
            let target = scene.dir.path().join(name);
            let Err(error) = version.save(&scene.input, &target) else {
                fail(
                    &place,
                    &what,
                    "SaveError::Refused { why: Refusal::NotAFile }",
                    "Ok",
                );
            };
            check_error(
                &place,
                &format!("{what}: the error"),
                matches!(
                    error,
                    SaveError::Refused {
                        why: Refusal::NotAFile,
                        ..
                    }
                ),
                "SaveError::Refused { why: Refusal::NotAFile }",
                &error,
            );
            check_eq(
                &place,
                &format!("{what}: the files in the directory (no temporary file left)"),
                vec!["input.txt", "target-dir", "target.txt"],
                scene.names().iter().map(String::as_str).collect(),
            );
            check_eq(
                &place,
                &format!("{what}: the contents of target-dir/inside.txt"),
                "kept\n",
                &fs::read_to_string(scene.dir.path().join("target-dir/inside.txt")).unwrap(),
            );
        }
    }
}

/// A name with a slash at its end names a directory, whatever is there: a
/// save to `target.txt/` must not replace the file `target.txt`, nor create
/// `new.txt` for `new.txt/`.
#[test]
fn a_path_no_regular_file_can_have_is_refused() {
    let _serial = serial();
    let scene = Scene::new();
    for version in VERSIONS {
        let place = version.place();
        for name in ["target.txt/", "new.txt/"] {
            let what = format!("{} to {name}", version.name());
            let target = scene.dir.path().join(name);
            let expected = "SaveError::Refused { why: Refusal::NotAFile }";
            let Err(error) = version.save(&scene.input, &target) else {
                fail(&place, &what, expected, "Ok")
            };
            let refused = matches!(
                error,
                SaveError::Refused {
                    why: Refusal::NotAFile,
                    ..
                }
            );
            check_error(
                &place,
                &format!("{what}: the error"),
                refused,
                expected,
                &error,
            );
            scene.assert_untouched(&place, &what);
        }
    }
}

#[test]
fn a_missing_input_creates_nothing() {
    let _serial = serial();
    let scene = Scene::new();
    let missing = scene.dir.path().join("no-such-input.txt");
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{} of a missing input", version.name());
        let error = fails_with(version, &what, io::ErrorKind::NotFound, || {
            version.save(&missing, &scene.target)
        });
        check_error(
            &place,
            &format!("{what}: the error"),
            matches!(error, SaveError::Read { .. }),
            "SaveError::Read",
            &error,
        );
        scene.assert_untouched(&place, &what);
    }
}

#[test]
fn a_special_file_as_target_is_refused_and_left_alone() {
    let _serial = serial();
    // A socket and a FIFO of the test's own, not a device of the system:
    // if the refusal were broken (a mutant, an edit), the save would
    // replace only this scene's file. Aimed at /dev/full, a broken save run
    // as root replaced the device itself (seen under cargo-mutants). A
    // FIFO, opened to be written, would wait for a reader: the save must
    // refuse it without opening it, or open it without waiting.
    let scene = Scene::new();
    let socket = scene.dir.path().join("socket.txt");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let link = scene.dir.path().join("link.txt");
    std::os::unix::fs::symlink(&scene.target, &link).unwrap();
    let fifo = scene.dir.path().join("fifo.txt");
    make_fifo(&fifo, 0o600);
    for version in VERSIONS {
        let place = version.place();
        for (target, name) in [
            (&socket, "socket.txt, a socket"),
            (&link, "link.txt, a symbolic link"),
            (&fifo, "fifo.txt, a FIFO (named pipe) no one reads"),
        ] {
            let what = format!("{} to {name}", version.name());
            let result = within_seconds(&place, &what, 10, || {
                version
                    .save(&scene.input, target)
                    .map_err(|e| format!("{e:?}"))
            });
            let Err(error) = result else {
                fail(
                    &place,
                    &what,
                    "SaveError::Refused { why: Refusal::NotAFile }",
                    "Ok",
                );
            };
            check(
                &place,
                &format!("{what}: the error"),
                error.starts_with("Refused {") && error.contains("why: NotAFile"),
                "SaveError::Refused { why: Refusal::NotAFile }",
                &error,
            );
        }
        let what = format!("{} to socket.txt, link.txt and fifo.txt", version.name());
        let socket_type = fs::symlink_metadata(&socket).unwrap().file_type();
        check(
            &place,
            &format!("{what}: socket.txt"),
            socket_type.is_socket(),
            "still a socket",
            format!("replaced: {socket_type:?}"),
        );
        let link_type = fs::symlink_metadata(&link).unwrap().file_type();
        check(
            &place,
            &format!("{what}: link.txt"),
            link_type.is_symlink(),
            "still a symbolic link",
            format!("replaced: {link_type:?}"),
        );
        let fifo_type = fs::symlink_metadata(&fifo).unwrap().file_type();
        check(
            &place,
            &format!("{what}: fifo.txt"),
            fifo_type.is_fifo(),
            "still a FIFO",
            format!("replaced: {fifo_type:?}"),
        );
        check_eq(
            &place,
            &format!("{what}: the files in the directory (no temporary file left)"),
            vec![
                "fifo.txt",
                "input.txt",
                "link.txt",
                "socket.txt",
                "target.txt",
            ],
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}

#[test]
fn the_target_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{} over a target of mode 0o640", version.name());
        let scene = Scene::new();
        fs::set_permissions(&scene.target, fs::Permissions::from_mode(0o640)).unwrap();
        check_ok(&place, &what, version.save(&scene.input, &scene.target));
        let mode = fs::metadata(&scene.target).unwrap().permissions().mode() & 0o777;
        check(
            &place,
            &format!("{what}: the new target's mode"),
            mode == 0o640,
            "0o640",
            format!("{mode:#o}"),
        );
    }
}

/// Makes every call as it is, but answers the call of kind `call`
/// numbered `nth` (from 0, among the calls of that kind) with EEXIST, as
/// if another file had taken the name.
struct NameTaken {
    call: Call,
    nth: usize,
    seen: std::cell::Cell<usize>,
    unnamed: bool,
}

impl Calls for NameTaken {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        if call == self.call {
            let seen = self.seen.get();
            self.seen.set(seen + 1);
            if seen == self.nth {
                return Err(rustix::io::Errno::EXIST.into());
            }
        }
        Ok(run()?)
    }

    fn unnamed_temporary_files(&self) -> bool {
        self.unnamed
    }
}

#[test]
fn a_taken_temporary_name_is_stepped_over() {
    let _serial = serial();
    let place = Version::Guard.place();
    // The name an unnamed file is linked under, or a named file's name, is
    // taken the first time: the save draws another. (A named file's Open
    // is the fourth: after the input's, the directory's and the target's.)
    for (call, nth, unnamed, how) in [
        (Call::Linkat, 0, true, "linked under a temporary name"),
        (
            Call::Open,
            3,
            false,
            "created under a temporary name (no O_TMPFILE)",
        ),
    ] {
        let scene = Scene::new();
        let what = format!("save_upper_with, the temporary file {how}, its first name taken");
        let seen = std::cell::Cell::new(0);
        let calls = NameTaken {
            call,
            nth,
            seen,
            unnamed,
        };
        let result = save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse);
        check_ok(&place, &what, result);
        // Ok: the name answered EEXIST was stepped over (a save that gave
        // up would fail with AlreadyExists).
        scene.assert_target(&place, &what, "HELLO, FILES\n");
        check_eq(
            &place,
            &format!("{what}: the files in the directory (no temporary file left)"),
            vec!["input.txt", "target.txt"],
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}

#[test]
fn no_path_leaks_memory() {
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let what = format!(
            "{} to a missing directory, to a full disk, then successfully",
            version.name()
        );
        let scene = Scene::new();
        let missing = scene.dir.path().join("missing/target.txt");
        let last = format!("{what}: the last save");
        let ((), report) = check_leaks(|| {
            let _ = version.save(&scene.input, &missing);
            let _ = version.save_to_full_disk(&scene.input, &scene.target);
            check_ok(&place, &last, version.save(&scene.input, &scene.target));
        });
        // The report is formatted (which resolves stacks: slow) only on failure.
        check(&place, &what, report.is_clean(), "no leak", &report);
    }
}

#[test]
fn every_allocation_failure_of_the_guard_version_is_out_of_memory() {
    let _serial = serial();
    let place = Version::Guard.place();
    let scene = Scene::new();
    let check = check_no_panic(
        &place,
        "each allocation of save_upper failing in turn",
        "an out-of-memory error and no leak at every failure point",
        || {
            check_all_allocation_failures(|| {
                save_upper(&scene.input, &scene.target, Unwritable::Refuse)
            })
        },
    );
    // Paths and names shorter than 256 bytes are passed to the system on
    // the stack: the input's contents are the one allocation.
    check_eq(
        &place,
        "the allocations save_upper attempts with short paths: the input's contents",
        1,
        check.failure_points,
    );
    let what = "save_upper, once with each allocation failing, then without";
    scene.assert_target(&place, what, "HELLO, FILES\n");
    check_eq(
        &place,
        &format!("{what}: the files in the directory (no temporary file left)"),
        vec!["input.txt", "target.txt"],
        scene.names().iter().map(String::as_str).collect(),
    );

    // Paths of 256 bytes or more are copied into a buffer allocated with
    // try_reserve (rustix would copy them infallibly, an abort when the
    // allocation is refused): each failure is out of memory too.
    let deep = scene
        .dir
        .path()
        .join(format!("{}/{}", "d".repeat(140), "e".repeat(140)));
    fs::create_dir_all(&deep).unwrap();
    let (input, target) = (deep.join("input.txt"), deep.join("target.txt"));
    fs::copy(&scene.input, &input).unwrap();
    fs::write(&target, "the original\n").unwrap();
    let what = format!(
        "save_upper with paths of {} bytes, each allocation failing in turn",
        target.as_os_str().len()
    );
    let check = check_no_panic(
        &place,
        &what,
        "an out-of-memory error and no leak at every failure point",
        || check_all_allocation_failures(|| save_upper(&input, &target, Unwritable::Refuse)),
    );
    check_eq(
        &place,
        &format!("{what}: the allocations (the contents, the input's path, the directory's)"),
        3,
        check.failure_points,
    );
    check_eq(
        &place,
        &format!("{what}: the files beside the target (no temporary file left)"),
        2,
        fs::read_dir(&deep).unwrap().count(),
    );
}

#[test]
fn tempfile_allocates_infallibly_so_a_failed_allocation_aborts() {
    let _serial = serial();
    let place = Version::Tempfile.place();
    let what = "the lab's report when each allocation of save_upper_tempfile fails in turn";
    let scene = Scene::new();
    let run = || {
        check_all_allocation_failures(|| {
            save_upper_tempfile(&scene.input, &scene.target, Unwritable::Refuse)
        });
    };
    let message = support::panic_of(&place, what, "a report of aborts", run);
    // The first allocation is ours (the input's contents, fallible); each
    // one after it is infallible (tempfile's, and the copies of paths this
    // version makes), and aborts: "N of N+1 failure points went wrong".
    let counts: Option<(usize, usize)> = message
        .split_once(" failure points went wrong")
        .and_then(|(counts, _)| counts.rsplit('\n').next()?.split_once(" of "))
        .and_then(|(wrong, all)| Some((wrong.parse().ok()?, all.parse().ok()?)));
    check(
        &place,
        what,
        counts.is_some_and(|(wrong, all)| wrong >= 1 && wrong + 1 == all),
        "a report \"N of N+1 failure points went wrong\": every one after the first",
        &message,
    );
    let wrong = counts.map_or(0, |(wrong, _)| wrong);
    let abort = "the process ended without a verdict (signal: 6 (SIGABRT))";
    let aborts = message.matches(abort).count();
    check(
        &place,
        what,
        aborts == wrong,
        format!("{abort:?} {wrong} times (each infallible allocation)"),
        format_args!("{aborts} times, in:\n{message}"),
    );
}

/// The process's umask, from /proc/self/status (reading it with `umask(2)`
/// would change it, for every thread).
fn umask() -> u32 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix("Umask:"))
        .expect("a Umask line in /proc/self/status (Linux 4.7 or later)");
    u32::from_str_radix(line.trim(), 8).unwrap()
}

fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Makes every call as it is, and at the first write (right after the
/// temporary file is created) records the mode of the newest regular file
/// this process has open, and its name if it has one.
struct WatchingCreation {
    created: std::cell::RefCell<Vec<(String, u32)>>,
    unnamed: bool,
}

impl Calls for WatchingCreation {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        if call == Call::Write && self.created.borrow().is_empty() {
            let newest = fs::read_dir("/proc/self/fd")
                .unwrap()
                .filter_map(|entry| {
                    let entry = entry.ok()?;
                    let number: u32 = entry.file_name().to_str()?.parse().ok()?;
                    let meta = fs::metadata(entry.path()).ok()?;
                    let name = fs::read_link(entry.path()).ok()?;
                    meta.is_file()
                        .then(|| (number, name, meta.permissions().mode() & 0o7777))
                })
                .max_by_key(|(number, ..)| *number)
                .expect("the temporary file is open");
            let (_, name, mode) = newest;
            self.created
                .borrow_mut()
                .push((name.to_string_lossy().into_owned(), mode));
        }
        Ok(run()?)
    }

    fn unnamed_temporary_files(&self) -> bool {
        self.unnamed
    }
}

#[test]
fn the_temporary_file_is_never_more_accessible_than_the_target() {
    let _serial = serial();
    for (version, unnamed, how) in [
        (Version::Guard, true, "unnamed (O_TMPFILE)"),
        (Version::Guard, false, "named (no O_TMPFILE)"),
        (Version::Tempfile, true, "tempfile's"),
    ] {
        let place = version.place();
        let what = format!(
            "{} over a target of mode 0600, the temporary file {how}",
            version.name()
        );
        let scene = Scene::new();
        fs::set_permissions(&scene.target, fs::Permissions::from_mode(0o600)).unwrap();
        let calls = WatchingCreation {
            created: Default::default(),
            unnamed,
        };
        let result = version.save_with(&calls, &scene.input, &scene.target, Unwritable::Refuse);
        check_ok(&place, &what, result);
        let created = calls.created.into_inner();
        let [(temp, mode)] = created.as_slice() else {
            fail(
                &place,
                &what,
                "one temporary file created",
                format!("{created:?}"),
            );
        };
        check(
            &place,
            &format!(
                "{what}: the temporary file's mode when it was created (before any byte was written)"
            ),
            mode & !0o600 == 0,
            "no more than 0600: only the owner may read the secret",
            format!("{mode:04o}"),
        );
        // An unnamed file shows in /proc as DIR/#INODE (deleted): no name
        // anyone could open. A named one is .target.txt.RANDOM.tmp.
        let name = Path::new(temp).file_name().unwrap();
        let expected_name = if unnamed && version.name() == "save_upper" {
            temp.ends_with(" (deleted)") && name.as_bytes().starts_with(b"#")
        } else {
            course::temp_name::is_temp_name_of(&scene.target, name)
        };
        check(
            &place,
            &format!("{what}: the temporary file's name {name:?}"),
            expected_name,
            "#INODE (deleted) when unnamed, else .target.txt.RANDOM.tmp (10 random letters and digits)",
            format!("{temp:?}"),
        );
        check_eq(
            &place,
            &format!("{what}: the new target's mode"),
            0o600,
            mode_of(&scene.target),
        );
    }
}

#[test]
fn a_new_target_gets_the_mode_touch_would_give_it() {
    let _serial = serial();
    let expected = 0o666 & !umask();
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{} to new.txt, which does not exist", version.name());
        let scene = Scene::new();
        let target = scene.dir.path().join("new.txt");
        check_ok(&place, &what, version.save(&scene.input, &target));
        check_eq(
            &place,
            &format!("{what}: its mode (0666 minus the umask, as `touch` gives)"),
            format!("{expected:04o}"),
            format!("{:04o}", mode_of(&target)),
        );
    }
}

#[test]
fn temporary_names_are_random_and_fit_any_target_name() {
    let _serial = serial();
    let place = fn_place("course/temp_name.rs", "temp_path_for");
    let scene = Scene::new();
    let first = course::temp_name::temp_path_for(&scene.target).unwrap();
    let second = course::temp_name::temp_path_for(&scene.target).unwrap();
    check(
        &place,
        "two temporary names for the same target",
        first != second,
        "different (random), so no one can plant files at them in advance",
        format!("{first:?} twice"),
    );
    // `.NAME.` + 10 random letters and digits + `.tmp`: the random part is
    // not one character ten times (62^-9 by chance).
    let file_name = first.file_name().unwrap().as_bytes();
    let random = &file_name[".target.txt.".len()..][..10];
    check(
        &place,
        "the ten random characters of a temporary name",
        random.iter().any(|&c| c != random[0]) && random.iter().all(u8::is_ascii_alphanumeric),
        "letters and digits, not all the same",
        String::from_utf8_lossy(random),
    );
    // Finding what a killed save left: its own names, and no others.
    let is_temp =
        |name: &str| course::temp_name::is_temp_name_of(&scene.target, std::ffi::OsStr::new(name));
    let first_name = first.file_name().unwrap().to_str().unwrap().to_string();
    for (name, expected) in [
        (first_name.as_str(), true),
        ("target.txt", false),
        (".target.txt.tmp", false),
        (".target.txt.0123456789.bak", false),
        (".other.txt.0123456789.tmp", false),
        // Ten random characters, each a letter or a digit: both matter.
        (".target.txt.abc.tmp", false),
        (".target.txt.01234-6789.tmp", false),
    ] {
        check_eq(
            &fn_place("course/temp_name.rs", "is_temp_name_of"),
            &format!("is_temp_name_of(target.txt, {name:?})"),
            expected,
            is_temp(name),
        );
    }
    // A name of the longest kind uses all the room: the prefix is cut
    // only as much as the random part and the suffix need.
    let longest = scene.dir.path().join("n".repeat(255));
    let name = course::temp_name::temp_path_for(&longest).unwrap();
    let len = name.file_name().unwrap().len();
    check_eq(
        &place,
        "the temporary name for a target name of 255 bytes: its length (the \
         longest name Linux file systems accept, and no shorter)",
        255,
        len,
    );
    // The path is built in the room reserved for it: two allocations (the
    // name, the path), whatever the name's length, and no reallocation,
    // which would be infallible (an abort when refused).
    for target in ["", "x", "ab", "target.txt", &"n".repeat(255)] {
        let target = if target.is_empty() {
            PathBuf::from("dir/..")
        } else {
            PathBuf::from(target)
        };
        let (_, count) =
            course::lab::count_allocations(|| course::temp_name::temp_path_for(&target).map(drop));
        check_eq(
            &place,
            &format!("the allocations of temp_path_for({target:?})"),
            2,
            count.attempts,
        );
    }
    for version in VERSIONS {
        let place = version.place();
        let what = format!("{} to a target whose name has 255 bytes", version.name());
        check_ok(&place, &what, version.save(&scene.input, &longest));
        check_eq(
            &place,
            &format!("{what}: its contents"),
            "HELLO, FILES\n",
            &fs::read_to_string(&longest).unwrap(),
        );
        fs::remove_file(&longest).unwrap();
        scene.assert_untouched(&place, &what);
    }
}

#[test]
fn an_input_that_is_not_a_regular_file_is_refused() {
    let _serial = serial();
    let scene = Scene::new();
    for version in VERSIONS {
        let place = version.place();
        // A FIFO no one writes to: opened to be read, it would wait for a
        // writer, deaf to Ctrl-C.
        let fifo = scene.dir.path().join("fifo");
        let _ = fs::remove_file(&fifo);
        make_fifo(&fifo, 0o600);
        let fifo = fifo.to_str().unwrap();
        for (input, why) in [
            ("-", "standard input is not supported"),
            ("/dev/zero", "not a regular file"),
            (".", "not a regular file"),
            (fifo, "not a regular file"),
        ] {
            let what = format!("{} of {input}", version.name());
            let (input_path, target) = (PathBuf::from(input), scene.target.clone());
            let result = within_seconds(&place, &what, 10, move || {
                version
                    .save(&input_path, &target)
                    .map_err(|e| e.to_string())
            });
            let Err(error) = result else {
                fail(&place, &what, "SaveError::InputNotAFile", "Ok");
            };
            check(
                &place,
                &format!("{what}: the error"),
                error.contains(why),
                format!("SaveError::InputNotAFile, saying {why:?}"),
                &error,
            );
            check_eq(
                &place,
                &format!("{what}: the files in the directory (no temporary file left)"),
                vec!["fifo", "input.txt", "target.txt"],
                scene.names().iter().map(String::as_str).collect(),
            );
            scene.assert_target(&place, &what, "the original\n");
        }
    }
}

#[test]
fn paths_in_errors_are_escaped() {
    let _serial = serial();
    let scene = Scene::new();
    let target = scene.dir.path().join("bad\nname\x1b[31m/target.txt");
    for version in VERSIONS {
        let place = version.place();
        let what = format!(
            "{} to a missing directory with a newline and an escape in its name",
            version.name()
        );
        let Err(error) = version.save(&scene.input, &target) else {
            fail(&place, &what, "SaveError::CreateTemp", "Ok");
        };
        let message = error.to_string();
        check(
            &place,
            &format!("{what}: the message"),
            !message.contains(['\n', '\x1b']) && message.contains(r"bad\nname\u{1b}[31m"),
            r"one line, the name escaped: bad\nname\u{1b}[31m",
            format!("{message:?}"),
        );
    }
}

#[test]
fn a_hard_linked_target_is_refused_unless_forced() {
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let scene = Scene::new();
        let other = scene.dir.path().join("other-name.txt");
        fs::hard_link(&scene.target, &other).unwrap();
        let what = format!("{} to target.txt, which has a second name", version.name());
        let Err(error) = version.save(&scene.input, &scene.target) else {
            fail(&place, &what, "SaveError::Refused (HardLinked)", "Ok");
        };
        check_error(
            &place,
            &format!("{what}: the error"),
            matches!(
                error,
                SaveError::Refused {
                    why: Refusal::HardLinked { links: 2 },
                    ..
                }
            ),
            "SaveError::Refused { why: Refusal::HardLinked { links: 2 } }",
            &error,
        );
        scene.assert_target(&place, &what, "the original\n");
        let forced = match version {
            Version::Guard => save_upper(&scene.input, &scene.target, Unwritable::Replace),
            Version::Tempfile => {
                save_upper_tempfile(&scene.input, &scene.target, Unwritable::Replace)
            }
        };
        let what = format!("{what}, forced (Unwritable::Replace)");
        check_ok(&place, &what, forced);
        scene.assert_target(&place, &what, "HELLO, FILES\n");
        check_eq(
            &place,
            &format!("{what}: the other name's contents"),
            "the original\n",
            &fs::read_to_string(&other).unwrap(),
        );
    }

    // A refusal that wraps an I/O error gives it as its source (to a caller
    // walking the chain of errors); the others have none.
    let place = fn_place("course/replaced.rs", "source");
    let source_kind = |refusal: &Refusal| {
        std::error::Error::source(refusal)
            .and_then(|source| source.downcast_ref::<io::Error>())
            .map(io::Error::kind)
    };
    let denied = io::ErrorKind::PermissionDenied;
    check_eq(
        &place,
        "the source of Refusal::Unwritable(PermissionDenied)",
        Some(denied),
        source_kind(&Refusal::Unwritable(io::Error::from(denied))),
    );
    check_eq(
        &place,
        "the source of Refusal::HardLinked",
        None,
        source_kind(&Refusal::HardLinked { links: 2 }),
    );
}

fn attribute(path: &Path, name: &str) -> Option<Vec<u8>> {
    let mut value = vec![0u8; 4096];
    match rustix::fs::lgetxattr(path, name, &mut value[..]) {
        Ok(len) => Some(value[..len].to_vec()),
        Err(rustix::io::Errno::NODATA) => None,
        Err(e) => panic!("reading {name} of {}: {e}", path.display()),
    }
}

#[test]
fn extended_attributes_and_acls_are_kept_and_access_is_not_widened() {
    let _serial = serial();
    let named_reader = nobody_may_read();
    for version in VERSIONS {
        let place = version.place();
        let what = format!(
            "{} over a 0640 target with an ACL and a user attribute",
            version.name()
        );
        let scene = Scene::new();
        let set = |name: &str, value: &[u8]| {
            rustix::fs::setxattr(&scene.target, name, value, rustix::fs::XattrFlags::empty())
                .unwrap_or_else(|e| panic!("this test needs a file system with ACLs and user attributes in {}: setting {name}: {e}", scene.dir.path().display()))
        };
        set("system.posix_acl_access", &named_reader);
        set("user.course-note", b"kept");
        // Only root sees (and may set) the trusted namespace.
        let root = rustix::process::geteuid().is_root();
        if root {
            set("trusted.course-note", b"kept by root");
        }
        check_ok(&place, &what, version.save(&scene.input, &scene.target));
        if root {
            check_eq(
                &place,
                &format!("{what}: the new target's trusted.course-note (saved by root)"),
                Some(b"kept by root".to_vec()),
                attribute(&scene.target, "trusted.course-note"),
            );
        }
        scene.assert_target(&place, &what, "HELLO, FILES\n");
        check_eq(
            &place,
            &format!("{what}: the new target's ACL"),
            Some(named_reader.clone()),
            attribute(&scene.target, "system.posix_acl_access"),
        );
        check_eq(
            &place,
            &format!("{what}: the new target's user.course-note"),
            Some(b"kept".to_vec()),
            attribute(&scene.target, "user.course-note"),
        );
        check_eq(
            &place,
            &format!("{what}: the new target's mode (no group write gained)"),
            "0640".to_string(),
            format!("{:04o}", mode_of(&scene.target)),
        );
    }

    // Reading an attribute's value allocates: when that fails, the save
    // fails with out of memory; it never goes on without the attribute.
    let place = Version::Guard.place();
    let scene = Scene::new();
    rustix::fs::setxattr(
        &scene.target,
        "user.course-note",
        b"kept",
        rustix::fs::XattrFlags::empty(),
    )
    .unwrap();
    check_no_panic(
        &place,
        "save_upper over a target with a user attribute, each allocation failing in turn",
        "an out-of-memory error and no leak at every failure point",
        || {
            check_all_allocation_failures(|| {
                save_upper(&scene.input, &scene.target, Unwritable::Refuse)
            })
        },
    );
}

#[test]
fn an_acl_inherited_from_the_directory_does_not_widen_access() {
    let _serial = serial();
    // The directory's default ACL lets nobody read and write new files.
    let default = acl(&[
        (ACL_USER_OBJ, 7, NO_ID),
        (ACL_USER, 6, NOBODY),
        (ACL_GROUP_OBJ, 5, NO_ID),
        (ACL_MASK, 7, NO_ID),
        (ACL_OTHER, 5, NO_ID),
    ]);
    // The target's own ACL: nobody may read it (0640).
    let own = nobody_may_read();
    for version in VERSIONS {
        let place = version.place();
        let scene = Scene::new(); // the targets exist before the default ACL
        let with_acl = scene.dir.path().join("with-acl.txt");
        fs::write(&with_acl, "with an ACL\n").unwrap();
        let set = |path: &Path, name: &str, value: &[u8]| {
            rustix::fs::setxattr(path, name, value, rustix::fs::XattrFlags::empty())
                .expect("this test needs a file system with ACLs and user attributes")
        };
        // A user attribute, which is not an ACL: the inherited ACL must
        // still go.
        set(&scene.target, "user.course-note", b"kept");
        set(&with_acl, "system.posix_acl_access", &own);
        set(scene.dir.path(), "system.posix_acl_default", &default);

        let what = format!(
            "{} over a target without ACL (with a user attribute), in a directory \
             with a default ACL",
            version.name()
        );
        check_ok(&place, &what, version.save(&scene.input, &scene.target));
        check_eq(
            &place,
            &format!("{what}: the new target's ACL"),
            None,
            attribute(&scene.target, "system.posix_acl_access"),
        );
        check_eq(
            &place,
            &format!("{what}: the new target's user.course-note"),
            Some(b"kept".to_vec()),
            attribute(&scene.target, "user.course-note"),
        );

        // The temporary file inherits the directory's ACL, which differs
        // from the target's own: the target's replaces it.
        let what = format!(
            "{} over a target with its own ACL, in a directory with a default ACL",
            version.name()
        );
        check_ok(&place, &what, version.save(&scene.input, &with_acl));
        check_eq(
            &place,
            &format!("{what}: the new target's ACL (its own, not the inherited one)"),
            Some(own.clone()),
            attribute(&with_acl, "system.posix_acl_access"),
        );
    }
}

#[test]
fn a_later_save_leaves_other_temporary_files_alone() {
    let _serial = serial();
    for version in VERSIONS {
        let place = version.place();
        let scene = Scene::new();
        // What a killed save (or one running now) leaves: a temporary name
        // of this very target.
        let stale = scene.dir.path().join(".target.txt.AbCdE12345.tmp");
        check(
            &fn_place("course/temp_name.rs", "is_temp_name_of"),
            "is .target.txt.AbCdE12345.tmp a temporary name of target.txt?",
            course::temp_name::is_temp_name_of(&scene.target, stale.file_name().unwrap()),
            "yes",
            "no",
        );
        fs::write(&stale, "another save's\n").unwrap();
        let what = format!("{} beside {}", version.name(), stale.display());
        check_ok(&place, &what, version.save(&scene.input, &scene.target));
        check_eq(
            &place,
            &format!("{what}: the other temporary file (no sweep: it may be a running save's)"),
            Some("another save's\n".to_string()),
            fs::read_to_string(&stale).ok(),
        );
    }
}

#[test]
fn only_ascii_letters_are_upper_cased() {
    let _serial = serial();
    let place = fn_place("course/atomic_save.rs", "read_upper");
    let scene = Scene::new();
    fs::write(&scene.input, "straße über\n").unwrap();
    check_eq(
        &place,
        "read_upper of \"straße über\" (the chapter and --help say: ASCII letters only)",
        Ok("STRAßE üBER\n".as_bytes().to_vec()),
        read_upper(&Direct, &scene.input).map_err(|e| e.to_string()),
    );
}

/// Answers every call of kind `call` with `error`, counting them, and
/// makes the others as they are.
struct Failing {
    call: Call,
    error: rustix::io::Errno,
    made: std::cell::Cell<usize>,
}

impl Calls for Failing {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        if call != self.call {
            return Ok(run()?);
        }
        self.made.set(self.made.get() + 1);
        // Past any sensible count: a looping create_temp fails here
        // instead of hanging the test (and, past that, stops it at once).
        if self.made.get() > 1000 {
            panic!("create_temp tried more than 1000 names: it loops");
        }
        if self.made.get() > 100 {
            return Err(rustix::io::Errno::IO.into());
        }
        Err(self.error.into())
    }

    fn unnamed_temporary_files(&self) -> bool {
        false
    }
}

/// create_temp steps over a taken name, but not forever: after 10 taken
/// names (`ATTEMPTS`) it reports the error; any other error at once.
#[test]
fn create_temp_gives_up_after_ten_taken_names_and_at_once_on_other_errors() {
    let _serial = serial();
    let place = fn_place("course/atomic_save.rs", "create_temp");
    let scene = Scene::new();
    let dir = Place::open(&Direct, &scene.target).unwrap();
    for (error, expected) in [
        (rustix::io::Errno::EXIST, 10),
        (rustix::io::Errno::ACCESS, 1),
    ] {
        let what = format!("create_temp, every creation failing with {error:?}");
        let calls = Failing {
            call: Call::Open,
            error,
            made: Default::default(),
        };
        let result = create_temp(&calls, &dir, 0o600);
        check_eq(
            &place,
            &format!("{what}: the attempts"),
            expected,
            calls.made.get(),
        );
        match result {
            Err(SaveError::CreateTemp { source, .. }) => check_eq(
                &place,
                &format!("{what}: the error reported"),
                Some(error.raw_os_error()),
                source.raw_os_error(),
            ),
            Err(error) => fail(&place, &what, "SaveError::CreateTemp", format!("{error:?}")),
            Ok(_) => fail(&place, &what, "an error", "Ok"),
        }
    }
}

/// A read interrupted by a signal is tried again. A regular file's read is
/// never interrupted on Linux, so a reader of the test's own is.
#[test]
fn an_interrupted_read_is_tried_again() {
    let _serial = serial();
    struct InterruptedOnce {
        interrupted: bool,
        data: &'static [u8],
    }
    impl io::Read for InterruptedOnce {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(io::ErrorKind::Interrupted.into());
            }
            let read = self.data.len().min(buffer.len());
            buffer[..read].copy_from_slice(&self.data[..read]);
            self.data = &self.data[read..];
            Ok(read)
        }
    }
    let mut reader = InterruptedOnce {
        interrupted: false,
        data: b"hello, files\n",
    };
    let mut contents = Vec::new();
    let path = Path::new("a reader");
    let result = course::atomic_save::read_to_end_fallibly(path, &mut contents, |buffer| {
        io::Read::read(&mut reader, buffer)
    });
    check_eq(
        &fn_place("course/atomic_save.rs", "read_to_end_fallibly"),
        "what it reads from a reader whose first read is interrupted",
        Ok(&b"hello, files\n"[..]),
        result
            .map(|()| &contents[..])
            .map_err(|error| error.to_string()),
    );
}

/// read_upper tells a refused allocation from a failed read. A file of
/// /proc says it is 0 bytes long and is longer, so reading it grows the
/// buffer: each growth refused must be `OutOfMemory`. Reading
/// /proc/self/mem at offset 0 fails (EIO): that must stay a read error,
/// which the lab does not take for out of memory.
#[test]
fn a_refused_allocation_and_a_failed_read_are_told_apart() {
    use course::lab::OutOfMemory;
    let _serial = serial();
    let place = fn_place("course/atomic_save.rs", "read_upper");
    let growing = Path::new("/proc/self/status");
    let what = "read_upper(\"/proc/self/status\") (0 bytes long by its size, longer when read)";
    let failures = check_no_panic(
        &place,
        &format!("{what}, each allocation failing in turn"),
        "an out-of-memory error and no leak at every failure point",
        || check_all_allocation_failures(|| read_upper(&Direct, growing).map(drop)),
    );
    check(
        &place,
        &format!("{what}: its allocations (the buffer grows while it reads)"),
        failures.failure_points >= 1,
        "one or more",
        failures.failure_points,
    );
    let what = "read_upper(\"/proc/self/mem\"), whose first read fails with EIO";
    // A read error taken for an interrupted read would be tried forever.
    let result = within_seconds(&place, what, 10, || {
        read_upper(&Direct, Path::new("/proc/self/mem"))
            .map(|contents| contents.len())
            .map_err(|error| {
                (
                    format!("{error:?}: {error}"),
                    error.is_out_of_memory(),
                    matches!(error, SaveError::Read { .. }),
                )
            })
    });
    match result {
        Err((shown, out_of_memory, is_read)) => check(
            &place,
            what,
            is_read && !out_of_memory,
            "SaveError::Read, not out of memory",
            shown,
        ),
        Ok(len) => fail(&place, what, "a read error", format!("{len} bytes")),
    }
}

/// The file the tests open to check descriptors exists, whatever else.
#[test]
fn descriptors_are_counted() {
    let _serial = serial();
    let place = fn_place("tests/ch08_atomic_save.rs", "open_descriptors");
    let before = open_descriptors();
    let file = File::open("Cargo.toml").unwrap();
    check_eq(
        &place,
        "open descriptors, after opening a file",
        before + 1,
        open_descriptors(),
    );
    drop(file);
    check_eq(
        &place,
        "open descriptors, after closing it",
        before,
        open_descriptors(),
    );
}

/// The tool's own calls (`Direct`) write the new contents to an unnamed
/// file where the file system allows it, as the chapter says: at the first
/// write, the newest file this process has open has no name.
#[test]
fn the_tool_writes_to_an_unnamed_file() {
    let _serial = serial();
    struct AsTheTool(WatchingCreation);
    impl Calls for AsTheTool {
        fn make<T>(
            &self,
            call: Call,
            run: impl FnOnce() -> rustix::io::Result<T>,
        ) -> io::Result<T> {
            self.0.make(call, run)
        }
        // unnamed_temporary_files: the trait's own answer, which `Direct` gives
    }
    let place = fn_place("course/system_calls.rs", "unnamed_temporary_files");
    let scene = Scene::new();
    let calls = AsTheTool(WatchingCreation {
        created: Default::default(),
        unnamed: false, // not asked: AsTheTool answers as Direct does
    });
    let what = "save_upper_with, with the calls the tool makes";
    check_ok(
        &place,
        what,
        save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse),
    );
    let created = calls.0.created.into_inner();
    check(
        &place,
        &format!("{what}: the file written"),
        matches!(created.as_slice(), [(name, _)] if name.ends_with(" (deleted)")),
        "one, unnamed: DIR/#INODE (deleted)",
        format!("{created:?}"),
    );
}

/// Paths are handed to the system on the stack up to 255 bytes and in a
/// buffer from 256 on: both sides of that edge, for the input and for the
/// target's directory, save as any other path does.
#[test]
fn paths_at_the_edge_of_the_stack_buffer_save() {
    let _serial = serial();
    let place = fn_place("course/atomic_save.rs", "with_c_path");
    let scene = Scene::new();
    for len in [255, 256, 257] {
        // DIR/ddd…/input.txt and DIR/ddd…/target.txt, each path `len` bytes.
        let base = scene.dir.path().as_os_str().len() + 1;
        let name_len = "target.txt".len() + 1;
        let dir = scene.dir.path().join("d".repeat(len - base - name_len));
        fs::create_dir(&dir).unwrap();
        let (input, target) = (dir.join("input.txt"), dir.join("target.txt"));
        assert_eq!(target.as_os_str().len(), len, "the test's own path");
        fs::copy(&scene.input, &input).unwrap();
        let what = format!(
            "save_upper with an input path of {} bytes, a directory of {}",
            input.as_os_str().len(),
            dir.as_os_str().len()
        );
        check_ok(
            &place,
            &what,
            save_upper(&input, &target, Unwritable::Refuse),
        );
        check_eq(
            &place,
            &format!("{what}: the target"),
            "HELLO, FILES\n",
            &fs::read_to_string(&target).unwrap(),
        );
        // The directory's path alone at the edge too.
        let dir_at_edge = scene.dir.path().join("e".repeat(len - base));
        fs::create_dir(&dir_at_edge).unwrap();
        let target = dir_at_edge.join("t");
        let what = format!("save_upper into a directory whose path has {len} bytes");
        check_ok(
            &place,
            &what,
            save_upper(&scene.input, &target, Unwritable::Refuse),
        );
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(&dir_at_edge).unwrap();
    }
}

/// Where `linkat` through the descriptor itself is refused (a kernel before
/// 6.10, for a user without CAP_DAC_READ_SEARCH), the save names its
/// unnamed file through `/proc/self/fd` instead.
#[test]
fn an_unnamed_file_is_named_through_proc_where_the_descriptor_is_refused() {
    let _serial = serial();
    struct EmptyPathRefused {
        links: std::cell::Cell<usize>,
    }
    impl Calls for EmptyPathRefused {
        fn make<T>(
            &self,
            call: Call,
            run: impl FnOnce() -> rustix::io::Result<T>,
        ) -> io::Result<T> {
            if call == Call::Linkat {
                self.links.set(self.links.get() + 1);
                if self.links.get() == 1 {
                    return Err(rustix::io::Errno::PERM.into()); // as before 6.10
                }
            }
            Ok(run()?)
        }
    }
    let place = fn_place("course/atomic_save.rs", "link_unnamed");
    for (target_name, what) in [
        ("target.txt", "over an existing target"),
        ("new.txt", "to a new target"),
    ] {
        let scene = Scene::new();
        let target = scene.dir.path().join(target_name);
        let calls = EmptyPathRefused {
            links: Default::default(),
        };
        let what = format!("save_upper_with {what}, AT_EMPTY_PATH refused");
        check_ok(
            &place,
            &what,
            save_upper_with(&calls, &scene.input, &target, Unwritable::Refuse),
        );
        check_eq(
            &place,
            &format!("{what}: the target"),
            "HELLO, FILES\n",
            &fs::read_to_string(&target).unwrap(),
        );
        check_eq(
            &place,
            &format!("{what}: the links tried"),
            2,
            calls.links.get(),
        );
        let expected: Vec<&str> = if target_name == "new.txt" {
            vec!["input.txt", "new.txt", "target.txt"]
        } else {
            vec!["input.txt", "target.txt"]
        };
        check_eq(
            &place,
            &format!("{what}: the files in the directory"),
            expected,
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}

/// A short name refuses what no file or attribute name can be: empty,
/// longer than 255 bytes, or holding a NUL byte; it shows escaped.
#[test]
fn short_names_refuse_what_no_name_can_be() {
    use course::short_name::ShortName;
    let place = fn_place("course/short_name.rs", "new");
    for (bytes, ok) in [
        (&b""[..], false),
        (b"a\0b", false),
        (&[b'n'; 256][..], false),
        (&[b'n'; 255][..], true),
        (b"a", true),
    ] {
        check_eq(
            &place,
            &format!(
                "ShortName::new of {} bytes ({:?}…)",
                bytes.len(),
                &bytes[..bytes.len().min(3)]
            ),
            ok,
            ShortName::new(bytes).is_ok(),
        );
    }
    let name = ShortName::new(b"a\nb").unwrap();
    check_eq(
        &place,
        "a short name, debugged",
        "\"a\\nb\"".to_string(),
        format!("{name:?}"),
    );
    check_eq(
        &place,
        "a short name, displayed (escaped)",
        "a\\nb".to_string(),
        name.to_string(),
    );
    check_eq(
        &place,
        "a short name's C string",
        &b"a\nb"[..],
        name.as_c_str().to_bytes(),
    );
    check(
        &place,
        "two short names of the same bytes",
        name == ShortName::new(b"a\nb").unwrap() && name != ShortName::new(b"a").unwrap(),
        "equal, and unequal to another",
        format!("{name:?}"),
    );
}

/// The data written is synced every 64 MiB, so that the last sync, which no
/// signal interrupts, never has more to write: 64 chunks of a mebibyte are
/// written before the first sync, none after the last. (To /dev/null, where
/// the sync is failed on purpose: the first one ends the write.)
#[test]
fn the_data_is_synced_every_64_mebibytes() {
    let place = fn_place("course/atomic_save.rs", "write_contents");
    let null = File::options().write(true).open("/dev/null").unwrap();
    // Zeroed pages are mapped lazily: 65 MiB that cost no copying.
    let contents = vec![0u8; 65 << 20];
    for (size, syncs) in [(64 << 20, false), (65 << 20, true)] {
        let what = format!("write_contents of {} MiB", size >> 20);
        let calls = FailingAt::first(Call::Fsync);
        let target = Path::new("target.txt");
        let result = write_contents(&calls, null.as_fd(), &contents[..size], target);
        check_eq(
            &place,
            &format!("{what}: whether it synced (failing that sync)"),
            syncs,
            calls.failed() == Some(Call::Fsync),
        );
        check_eq(
            &place,
            &format!("{what}: the result is Ok"),
            !syncs,
            result.is_ok(),
        );
        check_eq(
            &place,
            &format!("{what}: the calls made (64 writes of a mebibyte, then the sync, if any)"),
            64 + usize::from(syncs),
            calls.calls_made(),
        );
    }
}
