//! The file faults of chapter 8's checks: a scratch directory holding a
//! target, a way to create a file on a full disk, and the check that a
//! save left the directory as it should.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Grader;

/// A directory of its own holding `notes.txt`, which says "old\n".
pub struct Scene {
    pub dir: PathBuf,
    pub target: PathBuf,
}

impl Scene {
    pub fn new() -> Scene {
        static SCENES: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "course-exercise-{}-{}",
            std::process::id(),
            SCENES.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir(&dir).expect("a scratch directory");
        let target = dir.join("notes.txt");
        fs::write(&target, b"old\n").expect("the target");
        Scene { dir, target }
    }

    /// Checks that the target holds `expected` (`description`, for the
    /// message) and that nothing else is left in the directory.
    pub fn holds(&self, grader: &mut Grader, when: &str, expected: &[u8], description: &str) {
        let seen = fs::read(&self.target).unwrap_or_default();
        let shown = |bytes: &[u8]| format!("{:?}", String::from_utf8_lossy(bytes));
        grader.check(
            seen == expected,
            &format!("{when}, notes.txt holds {description}"),
            || {
                format!(
                    "{when}, notes.txt holds {} instead of {description} {}",
                    shown(&seen),
                    shown(expected)
                )
            },
        );
        let mut others: Vec<String> = fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .filter(|name| name != "notes.txt")
                    .collect()
            })
            .unwrap_or_default();
        others.sort();
        grader.check(
            others.is_empty(),
            &format!("{when}, nothing but notes.txt is left"),
            || {
                others
                    .iter()
                    .map(|name| format!("the temporary file `{name}` was left behind {when}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        );
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Default for Scene {
    fn default() -> Self {
        Scene::new()
    }
}

/// Creates a new file at `path`, as a save creates its temporary file.
pub fn create_file(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// Creates a new file at `path`, but returns a file whose every write
/// fails as on a full disk: Linux's `/dev/full` (ENOSPC, os error 28).
pub fn create_on_a_full_disk(path: &Path) -> io::Result<File> {
    create_file(path)?;
    OpenOptions::new().write(true).open("/dev/full")
}
