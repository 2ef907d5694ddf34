//! What chapter 8's checks hand an answer, so that they can see each step
//! it takes and make any step fail: a [`Disk`] (create, write, sync,
//! rename, remove, in a scratch directory of its own) and a
//! [`FaultyWriter`] (a writer that fills up, fails, is interrupted or
//! takes a few bytes at a time). Neither opens a system device: an answer
//! that changes the permissions of its file changes only its own file.

use std::cell::{Cell, RefCell};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// ENOSPC: what a full disk answers to a write (os error 28).
pub const NO_SPACE: i32 = 28;
/// EIO: what a failing disk answers to a sync or a rename (os error 5).
pub const IO_ERROR: i32 = 5;

/// A directory of its own holding `notes.txt`, which says "old\n".
/// It lives in a directory of its own too, `parent`, so that a file made
/// beside the directory shows.
pub struct Scene {
    parent: PathBuf,
    pub dir: PathBuf,
    pub target: PathBuf,
}

impl Scene {
    pub fn new() -> Scene {
        // Names like any other directory's: nothing in them says that a
        // check is looking.
        let parent = tempfile::Builder::new()
            .prefix("")
            .tempdir()
            .expect("a scratch directory")
            .keep();
        let dir = parent.join("project");
        fs::create_dir(&dir).expect("the target's directory");
        let target = dir.join("notes.txt");
        fs::write(&target, b"old\n").expect("the target");
        Scene {
            parent,
            dir,
            target,
        }
    }

    /// What the directory around the target's holds, but that directory.
    pub fn beside_dir(&self) -> Vec<String> {
        names(&self.parent)
            .into_iter()
            .filter(|name| name != "project")
            .collect()
    }

    /// The target's mode bits (on Unix; elsewhere, 0).
    pub fn mode(&self) -> u32 {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::metadata(&self.target).map_or(0, |meta| meta.permissions().mode() & 0o7777)
        }
        #[cfg(not(unix))]
        0
    }

    /// The names in the directory other than `notes.txt`, sorted.
    pub fn others(&self) -> Vec<String> {
        names(&self.dir)
            .into_iter()
            .filter(|name| name != "notes.txt")
            .collect()
    }

    /// What `notes.txt` holds now (nothing, if it is gone).
    pub fn contents(&self) -> Vec<u8> {
        fs::read(&self.target).unwrap_or_default()
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.parent);
    }
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// What identifies a file's state: its inode and the last change of its
/// data or metadata (on Unix; elsewhere, nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    inode: u64,
    changed: (i64, i64),
    modified: (i64, i64),
}

impl Stamp {
    /// `path`'s stamp, if it can be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = fs::symlink_metadata(path).ok()?;
            Some(Stamp {
                inode: meta.ino(),
                changed: (meta.ctime(), meta.ctime_nsec()),
                modified: (meta.mtime(), meta.mtime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }
}

impl Default for Scene {
    fn default() -> Self {
        Scene::new()
    }
}

/// One step an answer took through a [`Disk`], as the check saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A file created (its name in the directory), or refused.
    Create {
        name: String,
        ok: bool,
    },
    /// Bytes written to a file (`0` and `ok: false` when refused).
    Write {
        name: String,
        bytes: usize,
        ok: bool,
    },
    Sync {
        name: String,
        ok: bool,
    },
    /// A file closed (its `DiskFile` dropped).
    Close {
        name: String,
    },
    Rename {
        from: String,
        to: String,
        ok: bool,
    },
    Remove {
        name: String,
        ok: bool,
    },
}

/// The disk a save goes through: it creates, writes, syncs, renames and
/// removes real files in the scene's directory, and notes each step. The
/// check can make the Nth faultable step (a create, a write, a sync or a
/// rename) fail, and can make every write take only a few bytes.
pub struct Disk {
    dir: PathBuf,
    /// The faultable steps taken so far.
    faultable: Cell<usize>,
    /// Which faultable step fails (from 1), if any.
    fail_at: Option<usize>,
    /// At most this many bytes per write, if set.
    short_writes: Option<usize>,
    steps: RefCell<Vec<Step>>,
    /// Paths outside the directory the answer tried to use.
    outside: RefCell<Vec<PathBuf>>,
    /// The stamp of the file a rename put in place, right after it.
    renamed: Cell<Option<Stamp>>,
}

impl Disk {
    /// A disk on which nothing fails.
    pub fn new(scene: &Scene) -> Disk {
        Disk {
            dir: scene.dir.clone(),
            faultable: Cell::new(0),
            fail_at: None,
            short_writes: None,
            steps: RefCell::new(Vec::new()),
            outside: RefCell::new(Vec::new()),
            renamed: Cell::new(None),
        }
    }

    /// A disk whose faultable step number `step` (from 1) fails.
    pub fn failing_at(scene: &Scene, step: usize) -> Disk {
        Disk {
            fail_at: Some(step),
            ..Disk::new(scene)
        }
    }

    /// A disk whose writes each take at most `bytes` bytes.
    pub fn with_short_writes(scene: &Scene, bytes: usize) -> Disk {
        Disk {
            short_writes: Some(bytes),
            ..Disk::new(scene)
        }
    }

    /// Creates a new file at `path` (an error if one is there already),
    /// open for writing, as `File::create_new` does.
    pub fn create(&self, path: &Path) -> io::Result<DiskFile<'_>> {
        let name = self.name_in_dir(path)?;
        if self.fails_now() {
            self.note(Step::Create { name, ok: false });
            return Err(io::Error::from_raw_os_error(NO_SPACE));
        }
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.dir.join(&name));
        self.note(Step::Create {
            name: name.clone(),
            ok: opened.is_ok(),
        });
        Ok(DiskFile {
            disk: self,
            file: opened?,
            name,
        })
    }

    /// Renames `from` to `to`, replacing `to`, as `std::fs::rename` does.
    pub fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let (from, to) = (self.name_in_dir(from)?, self.name_in_dir(to)?);
        let result = if self.fails_now() {
            Err(io::Error::from_raw_os_error(IO_ERROR))
        } else {
            fs::rename(self.dir.join(&from), self.dir.join(&to))
        };
        if result.is_ok() {
            self.renamed.set(Stamp::of(&self.dir.join(&to)));
        }
        self.note(Step::Rename {
            from,
            to,
            ok: result.is_ok(),
        });
        result
    }

    /// Removes the file `path`, as `std::fs::remove_file` does. It never
    /// fails on purpose: a cleanup must be able to clean up.
    pub fn remove_file(&self, path: &Path) -> io::Result<()> {
        let name = self.name_in_dir(path)?;
        let result = fs::remove_file(self.dir.join(&name));
        self.note(Step::Remove {
            name,
            ok: result.is_ok(),
        });
        result
    }

    /// Every step taken, in order.
    pub fn steps(&self) -> Vec<Step> {
        self.steps.borrow().clone()
    }

    /// How many faultable steps were taken.
    pub fn faultable_steps(&self) -> usize {
        self.faultable.get()
    }

    /// The stamp of the file the last rename put in place, taken right
    /// after it (none on a system without one).
    pub fn renamed(&self) -> Option<Stamp> {
        self.renamed.get()
    }

    /// The paths outside the scene's directory the answer tried to use.
    pub fn outside(&self) -> Vec<PathBuf> {
        self.outside.borrow().clone()
    }

    /// `path`'s name, if it is a file of the directory; else the path is
    /// noted and refused (the answer must stay beside the target).
    fn name_in_dir(&self, path: &Path) -> io::Result<String> {
        let inside = path.parent() == Some(self.dir.as_path());
        match path.file_name().and_then(|name| name.to_str()) {
            Some(name) if inside && name != "." && name != ".." => Ok(name.to_string()),
            _ => {
                self.outside.borrow_mut().push(path.to_path_buf());
                Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!("{}: not in the target's directory", path.display()),
                ))
            }
        }
    }

    /// Counts a faultable step; true if it is the one that must fail.
    fn fails_now(&self) -> bool {
        let step = self.faultable.get() + 1;
        self.faultable.set(step);
        self.fail_at == Some(step)
    }

    fn note(&self, step: Step) {
        self.steps.borrow_mut().push(step);
    }
}

/// A file created through a [`Disk`]: write to it (it is `Write`), sync
/// it, and drop it to close it.
pub struct DiskFile<'disk> {
    disk: &'disk Disk,
    file: File,
    name: String,
}

impl DiskFile<'_> {
    /// Puts what was written on the disk, as `File::sync_all` does.
    pub fn sync_all(&self) -> io::Result<()> {
        let result = if self.disk.fails_now() {
            Err(io::Error::from_raw_os_error(IO_ERROR))
        } else {
            self.file.sync_all()
        };
        self.disk.note(Step::Sync {
            name: self.name.clone(),
            ok: result.is_ok(),
        });
        result
    }
}

impl Write for DiskFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.disk.fails_now() {
            self.disk.note(Step::Write {
                name: self.name.clone(),
                bytes: 0,
                ok: false,
            });
            return Err(io::Error::from_raw_os_error(NO_SPACE));
        }
        let take = self
            .disk
            .short_writes
            .map_or(bytes.len(), |most| bytes.len().min(most));
        let written = self.file.write(&bytes[..take]);
        self.disk.note(Step::Write {
            name: self.name.clone(),
            bytes: *written.as_ref().unwrap_or(&0),
            ok: written.is_ok(),
        });
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for DiskFile<'_> {
    fn drop(&mut self) {
        self.disk.note(Step::Close {
            name: self.name.clone(),
        });
    }
}

/// A writer for chapter 8's flush exercise: it keeps what it is given,
/// and can fill up after a number of bytes, fail its Nth write with a
/// given error, have its first writes interrupted, take a few bytes per
/// write, or take nothing at all.
#[derive(Default)]
pub struct FaultyWriter {
    /// What was written.
    pub written: Vec<u8>,
    /// Room for this many bytes; a write past it fails (ENOSPC).
    pub room: Option<usize>,
    /// The write call (from 1) that fails, and its OS error.
    pub fail_write: Option<(usize, i32)>,
    /// How many of the first write calls are interrupted
    /// (`ErrorKind::Interrupted`, which a writer tries again).
    pub interrupted_writes: usize,
    /// At most this many bytes per write.
    pub short_writes: Option<usize>,
    /// Every write takes nothing: `Ok(0)`.
    pub takes_nothing: bool,
    /// The write calls so far.
    pub writes: usize,
}

impl Write for FaultyWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        if self.writes <= self.interrupted_writes {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        if let Some((call, code)) = self.fail_write
            && call == self.writes
        {
            return Err(io::Error::from_raw_os_error(code));
        }
        if self.takes_nothing {
            return Ok(0);
        }
        let mut take = self
            .short_writes
            .map_or(bytes.len(), |most| bytes.len().min(most));
        if let Some(room) = self.room {
            take = take.min(room.saturating_sub(self.written.len()));
            if take == 0 && !bytes.is_empty() {
                return Err(io::Error::from_raw_os_error(NO_SPACE));
            }
        }
        self.written.extend_from_slice(&bytes[..take]);
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
