//! Chapter 8's claims, proven under real faults: a full disk, a directory
//! where nothing can be created, a missing directory, a rename that fails,
//! a missing input and a special file as the target. After each, for both
//! versions (explicit guard and `tempfile`): the target is untouched, no
//! temporary file is left, and as many descriptors are open as before.
//!
//! Open descriptors are counted per process, so the tests of this file run
//! one at a time (`serial`).

mod support;

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use course::atomic_save::{
    create_new, save_upper, save_upper_tempfile, save_upper_tempfile_via, save_upper_via, SaveError,
};
use course::lab::{assert_no_leaks, check_all_allocation_failures};
use support::panic_message;
use tempfile::NamedTempFile;

#[global_allocator]
static ALLOCATOR: course::lab::LabAllocator = course::lab::LabAllocator;

fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How many descriptors this process has open.
fn open_descriptors() -> usize {
    fs::read_dir("/proc/self/fd")
        .expect("counting descriptors needs /proc/self/fd (Linux)")
        .count()
}

/// A directory with an input file and a target that already exists.
struct Scene {
    dir: tempfile::TempDir,
    input: PathBuf,
    target: PathBuf,
}

impl Scene {
    fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input.txt");
        let target = dir.path().join("target.txt");
        fs::write(&input, "hello, files\n").unwrap();
        fs::write(&target, "the original\n").unwrap();
        Scene { dir, input, target }
    }

    /// The names in the scene's directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Fails unless the scene is exactly as `Scene::new` left it.
    fn assert_untouched(&self) {
        assert_eq!(
            self.names(),
            ["input.txt", "target.txt"],
            "a temporary file was left"
        );
        assert_eq!(fs::read_to_string(&self.target).unwrap(), "the original\n");
    }
}

/// The two versions of the chapter, each with a way to make the temporary
/// file's writes land on a full disk.
#[derive(Clone, Copy, Debug)]
enum Version {
    Guard,
    Tempfile,
}

const VERSIONS: [Version; 2] = [Version::Guard, Version::Tempfile];

impl Version {
    fn save(self, input: &Path, target: &Path) -> Result<(), SaveError> {
        match self {
            Version::Guard => save_upper(input, target),
            Version::Tempfile => save_upper_tempfile(input, target),
        }
    }

    /// Saves with a temporary file that really exists beside the target
    /// (so its removal can be checked) but whose writes go to /dev/full.
    fn save_to_full_disk(self, input: &Path, target: &Path) -> Result<(), SaveError> {
        let full_disk = || OpenOptions::new().write(true).open("/dev/full");
        match self {
            Version::Guard => save_upper_via(input, target, |path| {
                drop(create_new(path)?);
                full_disk()
            }),
            Version::Tempfile => save_upper_tempfile_via(input, target, |dir| {
                let (_, path) = NamedTempFile::new_in(dir)?.into_parts();
                Ok(NamedTempFile::from_parts(full_disk()?, path))
            }),
        }
    }
}

/// Runs `save` and checks that it fails with an I/O error of `kind`, and
/// leaves no descriptor open. (The kind, not the OS error number: tempfile
/// wraps the OS error with the path it concerns.)
fn fails_with(kind: io::ErrorKind, save: impl FnOnce() -> Result<(), SaveError>) -> SaveError {
    let before = open_descriptors();
    let error = save().expect_err("the fault must make the save fail");
    let source = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<io::Error>())
        .unwrap_or_else(|| panic!("{error:?} has no I/O error"));
    assert_eq!(source.kind(), kind, "{error}");
    assert_eq!(open_descriptors(), before, "a descriptor was left open");
    error
}

#[test]
fn success_replaces_the_target_and_leaves_nothing_else() {
    let _serial = serial();
    for version in VERSIONS {
        let scene = Scene::new();
        let before = open_descriptors();
        version.save(&scene.input, &scene.target).unwrap();
        assert_eq!(open_descriptors(), before, "{version:?}");
        assert_eq!(fs::read_to_string(&scene.target).unwrap(), "HELLO, FILES\n");
        assert_eq!(scene.names(), ["input.txt", "target.txt"], "{version:?}");
    }
}

#[test]
fn a_full_disk_removes_the_temporary_file_and_keeps_the_original() {
    let _serial = serial();
    let is_full_device = fs::metadata("/dev/full").is_ok_and(|m| m.file_type().is_char_device());
    assert!(
        is_full_device,
        "this test needs /dev/full, the Linux device whose writes fail with ENOSPC"
    );
    for version in VERSIONS {
        let scene = Scene::new();
        let error = fails_with(io::ErrorKind::StorageFull, || {
            version.save_to_full_disk(&scene.input, &scene.target)
        });
        let SaveError::Write { path, .. } = &error else {
            panic!("{version:?}: {error:?}");
        };
        // The chapter: tempfile adds the path to its errors, so its message
        // names the temporary file twice.
        let named = error.to_string().matches(&*path.to_string_lossy()).count();
        let expected = match version {
            Version::Guard => 1,
            Version::Tempfile => 2,
        };
        assert_eq!(named, expected, "{version:?}: {error}");
        scene.assert_untouched();
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
        let error = fails_with(io::ErrorKind::NotFound, || {
            version.save(&scene.input, target)
        });
        assert!(
            matches!(error, SaveError::CreateTemp { .. }),
            "{version:?}: {error:?}"
        );
        assert!(!target.exists());
        scene.assert_untouched();
    }
}

#[test]
fn a_missing_directory_is_reported() {
    let _serial = serial();
    let scene = Scene::new();
    let target = scene.dir.path().join("missing/target.txt");
    for version in VERSIONS {
        let error = fails_with(io::ErrorKind::NotFound, || {
            version.save(&scene.input, &target)
        });
        assert!(
            matches!(error, SaveError::CreateTemp { .. }),
            "{version:?}: {error:?}"
        );
        scene.assert_untouched();
    }
}

#[test]
fn a_failing_rename_removes_the_temporary_file_and_keeps_the_target() {
    let _serial = serial();
    let scene = Scene::new();
    // A non-empty directory where the target should be: rename refuses it.
    let target = scene.dir.path().join("target-dir");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("inside.txt"), "kept\n").unwrap();
    for version in VERSIONS {
        let error = fails_with(io::ErrorKind::IsADirectory, || {
            version.save(&scene.input, &target)
        });
        assert!(
            matches!(error, SaveError::Replace { .. }),
            "{version:?}: {error:?}"
        );
        assert_eq!(scene.names(), ["input.txt", "target-dir", "target.txt"]);
        assert_eq!(
            fs::read_to_string(target.join("inside.txt")).unwrap(),
            "kept\n"
        );
    }
}

#[test]
fn a_missing_input_creates_nothing() {
    let _serial = serial();
    let scene = Scene::new();
    let missing = scene.dir.path().join("no-such-input.txt");
    for version in VERSIONS {
        let error = fails_with(io::ErrorKind::NotFound, || {
            version.save(&missing, &scene.target)
        });
        assert!(
            matches!(error, SaveError::Read { .. }),
            "{version:?}: {error:?}"
        );
        scene.assert_untouched();
    }
}

#[test]
fn a_special_file_as_target_is_refused_and_left_alone() {
    let _serial = serial();
    let is_full_device = fs::metadata("/dev/full").is_ok_and(|m| m.file_type().is_char_device());
    assert!(
        is_full_device,
        "this test needs /dev/full, a device (Linux)"
    );
    let scene = Scene::new();
    let link = scene.dir.path().join("link.txt");
    std::os::unix::fs::symlink(&scene.target, &link).unwrap();
    for version in VERSIONS {
        for target in [Path::new("/dev/full"), &link] {
            let error = version.save(&scene.input, target).unwrap_err();
            assert!(
                matches!(error, SaveError::NotAFile { .. }),
                "{version:?}: {error:?}"
            );
        }
    }
    let device = fs::symlink_metadata("/dev/full").unwrap();
    assert!(
        device.file_type().is_char_device(),
        "/dev/full was replaced"
    );
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(scene.names(), ["input.txt", "link.txt", "target.txt"]);
}

#[test]
fn the_target_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let _serial = serial();
    for version in VERSIONS {
        let scene = Scene::new();
        fs::set_permissions(&scene.target, fs::Permissions::from_mode(0o640)).unwrap();
        version.save(&scene.input, &scene.target).unwrap();
        let mode = fs::metadata(&scene.target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "{version:?}");
    }
}

#[test]
fn a_taken_temporary_name_is_stepped_over_and_left_alone() {
    let _serial = serial();
    let scene = Scene::new();
    let taken = course::atomic_save::temp_path_for(&scene.target, 0).unwrap();
    fs::write(&taken, "someone else's\n").unwrap();
    save_upper(&scene.input, &scene.target).unwrap();
    assert_eq!(fs::read_to_string(&scene.target).unwrap(), "HELLO, FILES\n");
    assert_eq!(fs::read_to_string(&taken).unwrap(), "someone else's\n");
    let taken_name = taken.file_name().unwrap().to_string_lossy().into_owned();
    let mut expected = vec![
        taken_name,
        "input.txt".to_string(),
        "target.txt".to_string(),
    ];
    expected.sort();
    assert_eq!(scene.names(), expected);
}

#[test]
fn no_path_leaks_memory() {
    let _serial = serial();
    for version in VERSIONS {
        let scene = Scene::new();
        let missing = scene.dir.path().join("missing/target.txt");
        assert_no_leaks(|| {
            let _ = version.save(&scene.input, &missing);
            let _ = version.save_to_full_disk(&scene.input, &scene.target);
            version.save(&scene.input, &scene.target).unwrap();
        });
    }
}

#[test]
fn every_allocation_failure_of_the_guard_version_is_out_of_memory() {
    let _serial = serial();
    let scene = Scene::new();
    let check = check_all_allocation_failures(|| save_upper(&scene.input, &scene.target));
    // The input's contents, the temporary file's directory and its name.
    assert_eq!(check.failure_points, 3);
    assert_eq!(fs::read_to_string(&scene.target).unwrap(), "HELLO, FILES\n");
    assert_eq!(scene.names(), ["input.txt", "target.txt"]);
}

#[test]
fn tempfile_allocates_infallibly_so_a_failed_allocation_aborts() {
    let _serial = serial();
    let scene = Scene::new();
    let message = panic_message(|| {
        check_all_allocation_failures(|| save_upper_tempfile(&scene.input, &scene.target));
    });
    // The first allocation is ours (the input's contents, fallible); each
    // of the 4 after it is tempfile's, and aborts.
    assert!(
        message.contains("4 of 5 failure points went wrong"),
        "{message}"
    );
    assert_eq!(
        message
            .matches("the process ended without a verdict (signal: 6 (SIGABRT))")
            .count(),
        4,
        "{message}"
    );
}

/// The file the tests open to check descriptors exists, whatever else.
#[test]
fn descriptors_are_counted() {
    let _serial = serial();
    let before = open_descriptors();
    let file = File::open("Cargo.toml").unwrap();
    assert_eq!(open_descriptors(), before + 1);
    drop(file);
    assert_eq!(open_descriptors(), before);
}
