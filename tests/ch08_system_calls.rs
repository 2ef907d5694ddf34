//! Chapter 8's save, with each of its system calls failed in turn (the I/O
//! twin of `check_all_allocation_failures`), and with files swapped under
//! it before each of its calls, as another user who can write the
//! directory (or own an ancestor) could. After each: the target whole (old
//! contents or new), nothing left behind, one line of message and the exit
//! status the chapter gives; never a file more accessible than the one it
//! replaced, never a file written outside the directory the save opened,
//! never a wait that Ctrl-C cannot end.

use crate::ch08_atomic_save::{Scene, check_ok, open_descriptors, serial, within_seconds};
use crate::files::{NOBODY, make_fifo, nobody_may_write};
use crate::support::{check, check_eq, fail, fn_place};

use std::cell::Cell;
use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use course::atomic_save::{SaveError, save_upper_with};
use course::cli::Stop;
use course::replaced::{Refusal, Unwritable};
use course::system_calls::{Call, Calls, FailingAt, check_all_call_failures};

fn place() -> String {
    fn_place("course/atomic_save.rs", "save_upper_with")
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The exit status the tool ends with after `error` (see `From<SaveError>
/// for Stop`): 1 nothing saved, 3 saved but not durable.
fn status_of(error: SaveError) -> (u8, String) {
    match Stop::from(error) {
        Stop::Failed(message) => (1, message),
        Stop::Incomplete(message) => (3, message),
        other => (0, format!("unexpected: {other:?}")),
    }
}

#[test]
fn every_failed_system_call_leaves_the_target_whole_and_nothing_behind() {
    let _serial = serial();
    let place = place();
    // Each scene: a target that exists (with an attribute, given to nobody
    // when the tests run as root, so that the owner must be passed on) or
    // none; an unnamed temporary file, or a named one.
    for (existing, unnamed) in [(true, true), (true, false), (false, true), (false, false)] {
        let scene = Scene::new();
        let target = if existing {
            scene.target.clone()
        } else {
            scene.dir.path().join("new.txt")
        };
        let how = format!(
            "save_upper_with to {} ({}), the temporary file {}",
            target.file_name().unwrap().to_string_lossy(),
            if existing { "which exists" } else { "new" },
            if unnamed {
                "unnamed"
            } else {
                "named (no O_TMPFILE)"
            },
        );
        let reset = || {
            // What a run before may have left (the old file, once).
            for name in scene.names() {
                if course::temp_name::is_temp_name_of(&target, name.as_ref()) {
                    fs::remove_file(scene.dir.path().join(name)).unwrap();
                }
            }
            if existing {
                fs::write(&target, "the original\n").unwrap();
                fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
                rustix::fs::setxattr(
                    &target,
                    "user.course-note",
                    b"kept",
                    rustix::fs::XattrFlags::empty(),
                )
                .expect("this test needs a file system with user attributes");
                if is_root() {
                    std::os::unix::fs::chown(&target, Some(NOBODY), Some(NOBODY)).unwrap();
                }
            } else {
                let _ = fs::remove_file(&target);
            }
        };
        let seam = |point: Option<usize>| {
            let calls = course::system_calls::failing_at(point);
            if unnamed {
                calls
            } else {
                calls.without_unnamed_files()
            }
        };
        let mut kinds = Vec::new();
        let points = check_all_call_failures(
            seam,
            |calls| {
                reset();
                let before = open_descriptors();
                let result = save_upper_with(calls, &scene.input, &target, Unwritable::Refuse)
                    .map_err(status_of);
                (result, open_descriptors() - before)
            },
            |failure| {
                let (result, descriptors_left) = failure.result;
                let what = format!("{how}, call {} ({}) failed", failure.point, failure.call);
                kinds.push(failure.call);
                let Err((status, message)) = result else {
                    fail(
                        &place,
                        &what,
                        "an error: a failed call is never ignored",
                        "Ok",
                    );
                };
                check_eq(
                    &place,
                    &format!("{what}: descriptors left open"),
                    0,
                    descriptors_left,
                );
                check(
                    &place,
                    &format!("{what}: the message"),
                    !message.contains('\n') && !message.is_empty(),
                    "one line",
                    format!("{message:?}"),
                );
                if failure.call == Call::Fsetxattr {
                    check(
                        &place,
                        &format!("{what}: the message names the attribute"),
                        message.contains(
                            "keep its extended attribute user.course-note, which would be lost",
                        ),
                        "... keep its extended attribute user.course-note, which would be lost ...",
                        &message,
                    );
                }
                let now = fs::read_to_string(&target).ok();
                let expected = match (status, existing) {
                    (3, _) => Some("HELLO, FILES\n"),
                    (1, true) => Some("the original\n"),
                    (1, false) => None,
                    _ => fail(
                        &place,
                        &what,
                        "exit status 1 or 3",
                        format!("{status}: {message}"),
                    ),
                };
                check_eq(
                    &place,
                    &format!("{what}: the target (exit {status}: {message})"),
                    expected.map(str::to_string),
                    now,
                );
                let mut expected_names = vec!["input.txt", "target.txt"];
                if !existing && status == 3 {
                    expected_names.insert(1, "new.txt");
                }
                let mut names = scene.names();
                // Only when the old file cannot be removed, after the
                // rename, is it left, and the message names it.
                if message.contains("cannot remove the old file, left as ") {
                    let old = names.remove(0);
                    check(
                        &place,
                        &format!("{what}: the file left"),
                        message.contains(&old)
                            && fs::read_to_string(scene.dir.path().join(&old)).unwrap()
                                == "the original\n",
                        "the old file, under the temporary name the message gives",
                        format!("{old}: {message}"),
                    );
                }
                check_eq(
                    &place,
                    &format!("{what}: the files in the directory (no temporary file left)"),
                    expected_names,
                    names.iter().map(String::as_str).collect(),
                );
                if status == 3 && existing {
                    let meta = fs::metadata(&target).unwrap();
                    check_eq(
                        &place,
                        &format!("{what}: the new target's mode and owner"),
                        (0o640, if is_root() { NOBODY } else { meta.uid() }),
                        (meta.mode() & 0o7777, meta.uid()),
                    );
                }
            },
        );
        // Every kind of call the chapter names is among those failed.
        let mut needed = vec![
            Call::Open,
            Call::Fstat,
            Call::Read,
            Call::Write,
            Call::Fsync,
            Call::Close,
            Call::Statat,
        ];
        if existing {
            needed.extend([
                Call::Fchmod,
                Call::Flistxattr,
                Call::Fgetxattr,
                Call::Fsetxattr,
            ]);
            needed.push(Call::Renameat);
            if is_root() {
                needed.push(Call::Fchown);
            }
        } else if !unnamed {
            needed.push(Call::Renameat);
        }
        if unnamed {
            needed.push(Call::Linkat);
        }
        for call in needed {
            check(
                &place,
                &format!("{how}: the calls failed ({points} points)"),
                kinds.contains(&call),
                format!("{call} among them"),
                format!("{kinds:?}"),
            );
        }
    }
}

/// Makes every call as it is, but first runs `before` with the call and
/// its number (from 0): how a test acts at a chosen moment of a save.
struct Hooked<F: Fn(Call, usize)> {
    before: F,
    made: Cell<usize>,
}

impl<F: Fn(Call, usize)> Hooked<F> {
    fn new(before: F) -> Hooked<F> {
        Hooked {
            before,
            made: Cell::new(0),
        }
    }
}

impl<F: Fn(Call, usize)> Calls for Hooked<F> {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        let number = self.made.get();
        self.made.set(number + 1);
        (self.before)(call, number);
        Ok(run()?)
    }
}

/// The calls a save of `scene` makes, and the numbers of those of kind
/// `call` (the target's first look is the first `Statat`, its last look
/// the last).
fn calls_of_a_save(scene: &Scene, call: Call) -> (usize, Vec<usize>) {
    let counting = FailingAt::never();
    save_upper_with(&counting, &scene.input, &scene.target, Unwritable::Refuse).unwrap();
    let numbers = std::cell::RefCell::new(Vec::new());
    let finding = Hooked::new(|made, number| {
        if made == call {
            numbers.borrow_mut().push(number);
        }
    });
    save_upper_with(&finding, &scene.input, &scene.target, Unwritable::Refuse).unwrap();
    let numbers = numbers.into_inner();
    assert!(!numbers.is_empty(), "a save makes a {call}");
    (counting.calls_made(), numbers)
}

fn access_acl(path: &Path) -> Option<Vec<u8>> {
    let mut value = vec![0u8; 4096];
    match rustix::fs::lgetxattr(path, "system.posix_acl_access", &mut value[..]) {
        Ok(len) => Some(value[..len].to_vec()),
        Err(_) => None,
    }
}

/// Another user puts a file of its own, with an ACL that lets it read and
/// write, in the target's place before each call of a save of a 0600
/// secret. The save either replaces the file it looked at, keeping that
/// file's access (a swap before the look: that file was the target), or
/// refuses; never the secret with the swapped file's ACL and the old
/// file's owner, never anything left behind.
#[test]
fn a_target_swapped_at_any_moment_never_widens_access() {
    let _serial = serial();
    let place = place();
    let scene = Scene::new();
    let (calls, looks) = calls_of_a_save(&scene, Call::Statat);
    let (_, renames) = calls_of_a_save(&scene, Call::Renameat);
    let (_, links) = calls_of_a_save(&scene, Call::Linkat);
    // The looks at the target: the first, the last before the temporary
    // file is named, and the one just after the exchange. A swap after the
    // first and up to the second, or after the exchange and up to the look
    // after it, is seen: refused.
    let first_look = looks[0];
    let before_the_name = *looks.iter().rev().find(|&&look| look < links[0]).unwrap();
    let after_the_exchange = *looks.iter().find(|&&look| look > renames[0]).unwrap();
    let seen = |point| {
        (first_look + 1..=before_the_name).contains(&point)
            || (renames[0] + 1..=after_the_exchange).contains(&point)
    };
    let theirs = scene.dir.path().join("theirs.txt");
    for point in 0..calls {
        // A new file each time: their file, with its ACL, may be the
        // target now.
        fs::remove_file(&scene.target).unwrap();
        fs::write(&scene.target, "the original\n").unwrap();
        fs::set_permissions(&scene.target, fs::Permissions::from_mode(0o600)).unwrap();
        fs::write(&theirs, "their file\n").unwrap();
        fs::set_permissions(&theirs, fs::Permissions::from_mode(0o660)).unwrap();
        rustix::fs::setxattr(
            &theirs,
            "system.posix_acl_access",
            &nobody_may_write(),
            rustix::fs::XattrFlags::empty(),
        )
        .expect("this test needs a file system with ACLs");
        if is_root() {
            std::os::unix::fs::chown(&theirs, Some(NOBODY), Some(NOBODY)).unwrap();
        }
        let swap = Hooked::new(|_, number| {
            if number == point {
                fs::rename(&theirs, &scene.target).unwrap();
            }
        });
        let what =
            format!("save_upper_with, the target swapped for theirs.txt before call {point}");
        let result = save_upper_with(&swap, &scene.input, &scene.target, Unwritable::Refuse);
        let now = fs::read_to_string(&scene.target).unwrap();
        let acl = access_acl(&scene.target);
        let mode = fs::metadata(&scene.target).unwrap().mode() & 0o777;
        match result {
            Ok(()) if now == "HELLO, FILES\n" && point <= first_look => check(
                &place,
                &format!("{what} (before the first look: theirs was the target)"),
                acl == Some(nobody_may_write()) && mode == 0o660,
                "their file's mode 0660 and ACL: the file replaced was theirs",
                format!("mode {mode:o}, ACL {acl:?}"),
            ),
            Ok(()) if seen(point) => fail(
                &place,
                &what,
                "refused: another file took the target's name",
                format!("Ok, the target now holding {now:?}"),
            ),
            // Between the naming and the exchange, their file is exchanged
            // out, and left under the temporary name: the save's file has
            // the secret's access.
            Ok(()) if now == "HELLO, FILES\n" => check(
                &place,
                &what,
                acl.is_none() && mode == 0o600,
                "the secret's own mode 0600 and no ACL",
                format!("mode {mode:o}, ACL {acl:?}"),
            ),
            // Their rename came after the look that followed the exchange,
            // as it could come after the save: their file is there.
            Ok(()) => check_eq(&place, &format!("{what}: the target"), "their file\n", &now),
            // Refused: their file is the target, or the secret is, put
            // back (their file then left under the temporary name: theirs,
            // not the save's to remove).
            Err(SaveError::Refused {
                why: Refusal::Changed,
                ..
            }) => check(
                &place,
                &format!("{what}: the target (refused)"),
                now == "their file\n"
                    || now == "the original\n" && access_acl(&scene.target).is_none(),
                "their file, or the secret as it was",
                &now,
            ),
            Err(error) => fail(
                &place,
                &what,
                "Ok, or refused because the target changed",
                format!("{error:?}: {error}"),
            ),
        }
        let names = scene.names();
        check(
            &place,
            &format!("{what}: the files in the directory (no temporary file of the save's left)"),
            names == ["input.txt", "target.txt"] || left_only_theirs(&scene, &names),
            "input.txt, target.txt (and their file, if the save put the secret back over it)",
            format!("{names:?}"),
        );
    }
}

/// A user who owns the target's grandparent swaps the target's directory
/// for a symbolic link to another directory before each call of a save.
/// The save works in the one directory it opened: the new file lands in
/// one of the two, with the owner and mode of the file it replaced there,
/// and nothing is left in either.
#[test]
fn a_directory_swapped_for_a_link_at_any_moment_sends_nothing_elsewhere() {
    let _serial = serial();
    let place = place();
    let base = tempfile::tempdir().unwrap();
    let (parent, moved, elsewhere) = (
        base.path().join("parent"),
        base.path().join("parent-moved"),
        base.path().join("elsewhere"),
    );
    let input = base.path().join("input.txt");
    fs::write(&input, "hello, files\n").unwrap();
    let target = parent.join("target.txt");
    let count = || {
        fs::create_dir_all(&parent).unwrap();
        fs::write(&target, "x").unwrap();
        let counting = FailingAt::never();
        save_upper_with(&counting, &input, &target, Unwritable::Refuse).unwrap();
        fs::remove_dir_all(&parent).unwrap();
        counting.calls_made()
    };
    for point in 0..count() {
        // The other directory's file is nobody's (when the tests run as
        // root), mode 0640: where the save lands shows in owner and mode.
        for (dir, mode) in [(&parent, 0o600), (&elsewhere, 0o640)] {
            let _ = fs::remove_dir_all(dir);
            fs::create_dir(dir).unwrap();
            fs::write(dir.join("target.txt"), "the original\n").unwrap();
            fs::set_permissions(dir.join("target.txt"), fs::Permissions::from_mode(mode)).unwrap();
        }
        let me = rustix::process::geteuid().as_raw();
        let other = if is_root() { NOBODY } else { me };
        if is_root() {
            std::os::unix::fs::chown(elsewhere.join("target.txt"), Some(NOBODY), None).unwrap();
        }
        let _ = fs::remove_dir_all(&moved);
        let flip = Hooked::new(|_, number| {
            if number == point {
                fs::rename(&parent, &moved).unwrap();
                std::os::unix::fs::symlink(&elsewhere, &parent).unwrap();
            }
        });
        let what = format!(
            "save_upper_with to parent/target.txt, parent flipped to a link before call {point}"
        );
        let result = save_upper_with(&flip, &input, &target, Unwritable::Refuse);
        check(&place, &what, result.is_ok(), "Ok", format!("{result:?}"));
        let saved: Vec<(String, u32, u32)> = [(&moved, "parent-moved"), (&elsewhere, "elsewhere")]
            .into_iter()
            .filter_map(|(dir, name)| {
                let file = dir.join("target.txt");
                (fs::read_to_string(&file).ok()? == "HELLO, FILES\n").then(|| {
                    let meta = fs::metadata(&file).unwrap();
                    (name.to_string(), meta.mode() & 0o777, meta.uid())
                })
            })
            .collect();
        check(
            &place,
            &format!("{what}: where the new file is, with its mode and owner"),
            saved == [("parent-moved".to_string(), 0o600, me)]
                || saved == [("elsewhere".to_string(), 0o640, other)],
            "in one directory, with the mode and owner of the file it replaced there",
            format!("{saved:?}"),
        );
        for dir in [&moved, &elsewhere] {
            let names: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            check_eq(
                &place,
                &format!(
                    "{what}: the files in {} (no temporary file left)",
                    dir.display()
                ),
                vec!["target.txt".to_string()],
                names,
            );
        }
        let _ = fs::remove_file(&parent);
    }
}

/// Another user puts a FIFO in the target's place before each call of a
/// save. Opened to be written, a FIFO waits for a reader, deaf to Ctrl-C:
/// the save must never wait.
#[test]
fn a_fifo_swapped_in_at_any_moment_never_blocks_the_save() {
    let _serial = serial();
    let place = place();
    let scene = Scene::new();
    let (calls, _) = calls_of_a_save(&scene, Call::Statat);
    let fifo = scene.dir.path().join("fifo");
    for point in 0..calls {
        // The FIFO may be the target now: writing it would wait.
        fs::remove_file(&scene.target).unwrap();
        fs::write(&scene.target, "the original\n").unwrap();
        let _ = fs::remove_file(&fifo);
        make_fifo(&fifo, 0o666);
        let what = format!("save_upper_with, the target swapped for a FIFO before call {point}");
        let (input, target, fifo_path) = (scene.input.clone(), scene.target.clone(), fifo.clone());
        let result = within_seconds(&place, &what, 10, move || {
            let swap = Hooked::new(|_, number| {
                if number == point {
                    fs::rename(&fifo_path, &target).unwrap();
                }
            });
            save_upper_with(&swap, &input, &target, Unwritable::Refuse)
                .map_err(|e| format!("{e:?}"))
        });
        if let Err(error) = &result {
            check(
                &place,
                &what,
                error.contains("Changed") || error.contains("NotAFile"),
                "Ok, or refused: changed, or not a regular file",
                error,
            );
        }
        let names = scene.names();
        check(
            &place,
            &format!("{what}: the files in the directory (no temporary file of the save's left)"),
            names == ["input.txt", "target.txt"] || left_only_theirs(&scene, &names),
            "input.txt, target.txt (and the FIFO, if the save put the target back over it)",
            format!("{names:?}"),
        );
    }
}

/// Whether `names` are the scene's two and one temporary name holding the
/// other user's file (a FIFO, or a file saying "their file"), which the
/// save, putting the target back, left under its temporary name: theirs,
/// not the save's to remove. Removes it.
fn left_only_theirs(scene: &Scene, names: &[String]) -> bool {
    let [temp, input, target] = names else {
        return false;
    };
    let path = scene.dir.path().join(temp);
    let is_theirs = |meta: fs::Metadata| {
        !meta.is_file() || fs::read_to_string(&path).is_ok_and(|text| text == "their file\n")
    };
    let theirs = course::temp_name::is_temp_name_of(&scene.target, temp.as_ref())
        && fs::symlink_metadata(&path).is_ok_and(is_theirs);
    if theirs {
        fs::remove_file(path).unwrap();
    }
    theirs && input == "input.txt" && target == "target.txt"
}

/// A file that appears where there was none, while a save creates it, is
/// not replaced: the save links its file under the target's name only if
/// the name is free.
#[test]
fn a_target_that_appears_during_the_save_is_left_alone() {
    let _serial = serial();
    let place = place();
    let scene = Scene::new();
    let target = scene.dir.path().join("new.txt");
    // Unnamed, their file appears before the link, or replaces the save's
    // file right after it (before the save looks at what it linked).
    for (unnamed, after_link) in [(true, false), (true, true), (false, false)] {
        let _ = fs::remove_file(&target);
        let before = if unnamed && !after_link {
            Call::Linkat
        } else {
            Call::Statat
        };
        let seen = Cell::new(0);
        let linked = Cell::new(false);
        let appear = Hooked::new(|call, _| {
            // Set at the link, taken back at the first look after it.
            linked.set(linked.get() || call == Call::Linkat);
            if call == before {
                seen.set(seen.get() + 1);
                // The second Statat is the look just before the rename.
                let now = match (unnamed, after_link) {
                    (true, false) => true,
                    (true, true) => linked.replace(false),
                    (false, _) => seen.get() == 2,
                };
                if now {
                    // Renamed over the name: written in place, it would
                    // be written into the save's own file.
                    let theirs = scene.dir.path().join("theirs");
                    fs::write(&theirs, "someone else's\n").unwrap();
                    fs::rename(&theirs, &target).unwrap();
                }
            }
        });
        let what = format!(
            "save_upper_with to new.txt, which appears {} its {before} ({})",
            if after_link {
                "after the link, before"
            } else {
                "before"
            },
            if unnamed { "unnamed" } else { "named" }
        );
        let calls = UnnamedFiles(&appear, unnamed);
        let result = save_upper_with(&calls, &scene.input, &target, Unwritable::Refuse);
        check(
            &place,
            &what,
            matches!(
                result,
                Err(SaveError::Refused {
                    why: Refusal::Changed,
                    ..
                })
            ),
            "refused: another file took its name",
            format!("{result:?}"),
        );
        check_eq(
            &place,
            &format!("{what}: new.txt"),
            "someone else's\n",
            &fs::read_to_string(&target).unwrap(),
        );
        check_eq(
            &place,
            &format!("{what}: the files in the directory (no temporary file left)"),
            vec!["input.txt", "new.txt", "target.txt"],
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}

/// Another user who can write the directory renames a file of its own over
/// the temporary file's name, before each call of a save, from the moment
/// the name exists (an inotify watch sees it appear). The save never puts
/// their file in the target's place: it refuses, with the target as it
/// was, or it saves its own file; their file, if left, is under the
/// temporary name (theirs, not the save's to remove).
#[test]
fn a_file_renamed_over_the_temporary_name_is_never_put_in_place() {
    let _serial = serial();
    let place = place();
    let scene = Scene::new();
    let (calls, _) = calls_of_a_save(&scene, Call::Statat);
    let theirs = scene.dir.path().join("theirs.txt");
    let mut refused = 0;
    for point in 0..calls {
        fs::remove_file(&scene.target).unwrap();
        fs::write(&scene.target, "the original\n").unwrap();
        fs::set_permissions(&scene.target, fs::Permissions::from_mode(0o600)).unwrap();
        fs::write(&theirs, "their file\n").unwrap();
        let swapped = Cell::new(false);
        let swapped_before = Cell::new(None);
        let swap = Hooked::new(|call, number| {
            if number < point || swapped.get() {
                return;
            }
            let temp = scene
                .names()
                .into_iter()
                .find(|name| course::temp_name::is_temp_name_of(&scene.target, name.as_ref()));
            if let Some(temp) = temp {
                fs::rename(&theirs, scene.dir.path().join(temp)).unwrap();
                swapped.set(true);
                swapped_before.set(Some(call));
            }
        });
        let what = format!(
            "save_upper_with, their file renamed over the temporary name before call {point} or later"
        );
        let result = save_upper_with(&swap, &scene.input, &scene.target, Unwritable::Refuse);
        let now = fs::read_to_string(&scene.target).unwrap();
        match result {
            Ok(()) => check_eq(
                &place,
                &format!("{what}: the target"),
                "HELLO, FILES\n",
                &now,
            ),
            Err(SaveError::Refused {
                why: Refusal::Changed,
                ..
            }) => {
                refused += 1;
                check_eq(
                    &place,
                    &format!("{what}: the target (refused)"),
                    "the original\n",
                    &now,
                );
            }
            Err(error) => fail(
                &place,
                &what,
                "Ok, or refused",
                format!("{error:?}: {error}"),
            ),
        }
        if !swapped.get() {
            fs::remove_file(&theirs).unwrap(); // no temporary name by then
        }
        let names = scene.names();
        // Their file, once renamed over the temporary name, is theirs: the
        // save does not remove it, unless it came in the instant between
        // the last look at that name and its removal (a race no name-based
        // removal can close).
        if swapped.get() && swapped_before.get() != Some(Call::Unlinkat) {
            check(
                &place,
                &format!("{what}: their file"),
                names.len() == 3,
                "left, under the temporary name",
                format!("{names:?}"),
            );
        }
        check(
            &place,
            &format!("{what}: the files in the directory (no temporary file of the save's left)"),
            names == ["input.txt", "target.txt"] || left_only_theirs(&scene, &names),
            "input.txt, target.txt (and their file, under the temporary name)",
            format!("{names:?}"),
        );
    }
    check(
        &place,
        "save_upper_with, their file renamed over the temporary name: saves refused",
        refused > 0,
        "at least one (a swap before the exchange)",
        refused,
    );
}

/// The descriptors of this process that are not closed on `exec`: a save
/// must open none (a program it started, or one its caller starts meanwhile
/// in another thread, would inherit the target, its directory or the new
/// file).
fn inherited_by_a_child() -> Vec<String> {
    let Ok(entries) = fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let fd: i32 = name.parse().ok()?;
            // SAFETY: the descriptor is only borrowed for one fcntl; one
            // that is gone by then makes the call fail, which is skipped.
            let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
            let flags = rustix::io::fcntl_getfd(fd).ok()?;
            let standard = name == "0" || name == "1" || name == "2";
            (!standard && !flags.contains(rustix::io::FdFlags::CLOEXEC)).then_some(name)
        })
        .collect()
}

#[test]
fn every_descriptor_a_save_opens_is_closed_on_exec() {
    let _serial = serial();
    let before = inherited_by_a_child();
    for (existing, unnamed) in [(true, true), (true, false), (false, true), (false, false)] {
        let scene = Scene::new();
        if !existing {
            fs::remove_file(&scene.target).unwrap();
        }
        let what = format!(
            "save_upper_with to a target that {} (temporary file {}): the descriptors \
             without FD_CLOEXEC before a call",
            if existing { "exists" } else { "is new" },
            if unnamed { "unnamed" } else { "named" },
        );
        let seen = std::cell::RefCell::new(Vec::new());
        let hooked = Hooked::new(|call, _| {
            for name in inherited_by_a_child() {
                if !before.contains(&name) {
                    seen.borrow_mut()
                        .push(format!("descriptor {name}, before a {call}"));
                }
            }
        });
        let calls = UnnamedFiles(&hooked, unnamed);
        save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse).unwrap();
        check_eq(&place(), &what, Vec::<String>::new(), seen.into_inner());
    }
}

/// A file system that cannot make unnamed files refuses `O_TMPFILE` with
/// EOPNOTSUPP (tmpfs before Linux 3.11 took the flag for `O_DIRECTORY`
/// and said EISDIR): the save makes a named temporary file instead.
#[test]
fn a_refused_unnamed_file_gives_way_to_a_named_one() {
    let _serial = serial();
    for errno in [rustix::io::Errno::OPNOTSUPP, rustix::io::Errno::ISDIR] {
        let scene = Scene::new();
        let (_, opens) = calls_of_a_save(&scene, Call::Open);
        // The unnamed file is the last file a save opens before the
        // directory, which it opens again at the end to sync it.
        let unnamed = opens[opens.len() - 2];
        let what = format!(
            "save_upper_with when O_TMPFILE fails with {}",
            course::system_calls::errno_name(errno)
        );
        let calls = RefuseOne {
            number: unnamed,
            errno,
            made: Cell::new(0),
        };
        check_ok(
            &place(),
            &what,
            save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse),
        );
        scene.assert_target(&place(), &what, "HELLO, FILES\n");
        check_eq(
            &place(),
            &format!("{what}: the files in the directory"),
            vec!["input.txt", "target.txt"],
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}

/// Makes every call as it is, but fails call number `number` with `errno`.
struct RefuseOne {
    number: usize,
    errno: rustix::io::Errno,
    made: Cell<usize>,
}

impl Calls for RefuseOne {
    fn make<T>(&self, _: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        let number = self.made.get();
        self.made.set(number + 1);
        if number == self.number {
            return Err(io::Error::from_raw_os_error(self.errno.raw_os_error()));
        }
        Ok(run()?)
    }
}

/// Makes every call as it is, but fails the `nth` of kind `call` (from 0)
/// with `errno`.
struct NthFailing {
    call: Call,
    nth: usize,
    errno: rustix::io::Errno,
    seen: Cell<usize>,
}

impl NthFailing {
    /// Fails the first call of kind `call`.
    fn first(call: Call, errno: rustix::io::Errno) -> NthFailing {
        NthFailing::nth(call, 0, errno)
    }

    fn nth(call: Call, nth: usize, errno: rustix::io::Errno) -> NthFailing {
        NthFailing {
            call,
            nth,
            errno,
            seen: Cell::new(0),
        }
    }
}

impl Calls for NthFailing {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        if call == self.call {
            let seen = self.seen.get();
            self.seen.set(seen + 1);
            if seen == self.nth {
                return Err(io::Error::from_raw_os_error(self.errno.raw_os_error()));
            }
        }
        Ok(run()?)
    }
}

/// A write that a signal interrupts before it wrote anything (EINTR) is
/// made again: the save goes on.
#[test]
fn an_interrupted_write_is_made_again() {
    let _serial = serial();
    let scene = Scene::new();
    let calls = NthFailing::first(Call::Write, rustix::io::Errno::INTR);
    let what = "save_upper_with, its first write interrupted (EINTR)";
    check_ok(
        &place(),
        what,
        save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse),
    );
    scene.assert_target(&place(), what, "HELLO, FILES\n");
}

/// Linking the unnamed file under a temporary name that is taken (EEXIST)
/// draws another name, ten times at most; a new target's own name taken
/// means another file appeared there, which is refused at once; and any
/// other failure of the link is reported as it is.
#[test]
fn name_temp_steps_over_taken_names_ten_times_at_most() {
    use course::atomic_save::{Place, create_temp, name_temp};
    use course::replaced::Existing;
    use course::system_calls::Direct;
    use rustix::io::Errno;
    use std::os::fd::AsFd;
    let _serial = serial();
    let place_of = fn_place("course/atomic_save.rs", "name_temp");
    for (exists, errno, links, refused) in [
        (true, Errno::EXIST, 10, false),
        (false, Errno::EXIST, 1, true),
        (true, Errno::NOSPC, 1, false),
        (false, Errno::NOSPC, 1, false),
    ] {
        let scene = Scene::new();
        if !exists {
            fs::remove_file(&scene.target).unwrap();
        }
        let place = Place::open(&Direct, &scene.target).unwrap();
        let existing =
            Existing::inspect(&Direct, place.dir.as_fd(), &place.name, Unwritable::Refuse).unwrap();
        let temp = create_temp(&Direct, &place, 0o600).unwrap();
        let linking = Cell::new(0);
        let calls = EveryLinkFailing {
            errno,
            made: &linking,
        };
        let mut name = None;
        let result = name_temp(&calls, &place, temp.file.as_fd(), &mut name, &existing);
        let what = format!(
            "name_temp for a {} target, every link failing with {}",
            if exists { "existing" } else { "new" },
            course::system_calls::errno_name(errno)
        );
        check_eq(
            &place_of,
            &format!("{what}: the links tried"),
            links,
            linking.get(),
        );
        let seen = match &result {
            Ok(()) => "Ok".to_string(),
            Err(error) => format!("{error:?}"),
        };
        let expected = if refused {
            "Refused { .., why: Changed }"
        } else {
            "Replace { .. } with the link's error"
        };
        let right = match &result {
            Err(SaveError::Refused {
                why: Refusal::Changed,
                ..
            }) => refused,
            Err(SaveError::Replace { source, .. }) => {
                !refused && source.raw_os_error() == Some(errno.raw_os_error())
            }
            _ => false,
        };
        check(&place_of, &what, right, expected, seen);
        check_eq(&place_of, &format!("{what}: the name given"), None, name);
    }
}

/// Fails every `linkat` with `errno` (one that makes the save try no link
/// through /proc), counting them; past 1000, a loop, it panics.
struct EveryLinkFailing<'a> {
    errno: rustix::io::Errno,
    made: &'a Cell<usize>,
}

impl Calls for EveryLinkFailing<'_> {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        if call != Call::Linkat {
            return Ok(run()?);
        }
        self.made.set(self.made.get() + 1);
        assert!(
            self.made.get() <= 1000,
            "name_temp tried more than 1000 names: it loops"
        );
        Err(io::Error::from_raw_os_error(self.errno.raw_os_error()))
    }
}

/// A file system that has no `renameat2` flags answers EINVAL: the save
/// renames without them, and checks what it renamed. And a new target's
/// name taken just before a named file is renamed there (EEXIST, from
/// `RENAME_NOREPLACE`) is another file that appeared: refused.
#[test]
fn a_rename_without_flags_and_a_name_taken_at_the_rename() {
    use rustix::io::Errno;
    let _serial = serial();
    for (exists, errno, saved) in [
        (true, Errno::INVAL, true),
        (false, Errno::INVAL, true),
        (false, Errno::EXIST, false),
    ] {
        let scene = Scene::new();
        if !exists {
            fs::remove_file(&scene.target).unwrap();
        }
        let what = format!(
            "save_upper_with to a {} target through a named temporary file, its first \
             rename failing with {}",
            if exists { "existing" } else { "new" },
            course::system_calls::errno_name(errno)
        );
        let failing = NthFailing::first(Call::Renameat, errno);
        let calls = UnnamedFiles(&failing, false);
        let result = save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse);
        let right = match &result {
            Ok(()) => saved,
            Err(SaveError::Refused {
                why: Refusal::Changed,
                ..
            }) => !saved,
            Err(_) => false,
        };
        let expected = if saved {
            "Ok (renamed without flags)"
        } else {
            "refused: another file took its name"
        };
        check(&place(), &what, right, expected, format!("{result:?}"));
        let names = scene.names();
        let expected_names: &[&str] = if saved || exists {
            &["input.txt", "target.txt"]
        } else {
            &["input.txt"]
        };
        check_eq(
            &place(),
            &format!("{what}: the files in the directory (no temporary file left)"),
            expected_names.to_vec(),
            names.iter().map(String::as_str).collect(),
        );
    }
}

/// Makes the calls of the seam it wraps, with unnamed temporary files or
/// not (`false`: as on a file system without `O_TMPFILE`).
struct UnnamedFiles<'a, C>(&'a C, bool);

impl<C: Calls> Calls for UnnamedFiles<'_, C> {
    fn make<T>(&self, call: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        self.0.make(call, run)
    }
    fn unnamed_temporary_files(&self) -> bool {
        self.1
    }
}

/// A target removed between the inspection and the last look is a change
/// like any other: refused, and nothing left (not "cannot look at it").
#[test]
fn a_target_removed_before_the_last_look_is_refused_as_changed() {
    let _serial = serial();
    let scene = Scene::new();
    let looks = Cell::new(0);
    let removing = Hooked::new(|call, _| {
        if call == Call::Statat {
            looks.set(looks.get() + 1);
            // The first look inspects the target; the second is the last.
            if looks.get() == 2 {
                fs::remove_file(&scene.target).unwrap();
            }
        }
    });
    let result = save_upper_with(&removing, &scene.input, &scene.target, Unwritable::Refuse);
    let what = "save_upper_with, the target removed just before its last look";
    check(
        &place(),
        what,
        matches!(
            result,
            Err(SaveError::Refused {
                why: Refusal::Changed,
                ..
            })
        ),
        "refused: another file took its name",
        format!("{result:?}"),
    );
    check_eq(
        &place(),
        &format!("{what}: the files in the directory (no temporary file left)"),
        vec!["input.txt"],
        scene.names().iter().map(String::as_str).collect(),
    );
}

/// A failed `fsetxattr` is forgiven only when the new file already has that
/// very value. Here it has another: the ACL it inherited from the
/// directory's default, which lets the user nobody write. Failing to give
/// it the target's own ACL must refuse the save, not keep the wider one.
#[test]
fn an_attribute_that_cannot_be_given_is_refused_unless_already_there() {
    use crate::files::{ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER, ACL_USER_OBJ, NO_ID, acl};
    let _serial = serial();
    let scene = Scene::new();
    let set = |path: &Path, name: &str, value: &[u8]| {
        rustix::fs::setxattr(path, name, value, rustix::fs::XattrFlags::empty())
            .expect("this test needs a file system with ACLs")
    };
    // The target's own ACL: no named user (mode 0640).
    let own = acl(&[
        (ACL_USER_OBJ, 6, NO_ID),
        (ACL_GROUP_OBJ, 4, NO_ID),
        (ACL_MASK, 4, NO_ID),
        (ACL_OTHER, 0, NO_ID),
    ]);
    set(&scene.target, "system.posix_acl_access", &own);
    set(
        scene.dir.path(),
        "system.posix_acl_default",
        &nobody_may_write(),
    );
    let calls = NthFailing::first(Call::Fsetxattr, rustix::io::Errno::PERM);
    let result = save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse);
    let what = "save_upper_with, the target's ACL refused (EPERM) on a new file that \
                inherited another";
    check(
        &fn_place("course/replaced.rs", "already_there"),
        what,
        matches!(
            result,
            Err(SaveError::Refused {
                why: Refusal::CannotKeep { .. },
                ..
            })
        ),
        "refused: cannot keep the target's ACL",
        format!("{result:?}"),
    );
    check_eq(
        &place(),
        &format!("{what}: the target's contents"),
        "the original\n",
        &fs::read_to_string(&scene.target).unwrap(),
    );
}

/// A file system without extended attributes answers ENOTSUP when asked
/// for their list: the target has none to keep, and the save goes on. And
/// an attribute list that grew between asking its size and reading it
/// (ERANGE) is asked for again.
#[test]
fn attributes_unsupported_or_growing_do_not_stop_the_save() {
    use rustix::io::Errno;
    let _serial = serial();
    // The list is asked for twice per read: its size, then its names.
    for (nth, errno, how) in [
        (
            0,
            Errno::NOTSUP,
            "unsupported (ENOTSUP) when its size is asked",
        ),
        (1, Errno::RANGE, "grown (ERANGE) when it is read"),
    ] {
        let scene = Scene::new();
        rustix::fs::setxattr(
            &scene.target,
            "user.course-note",
            b"kept",
            rustix::fs::XattrFlags::empty(),
        )
        .expect("this test needs a file system with user attributes");
        let calls = NthFailing::nth(Call::Flistxattr, nth, errno);
        let what = format!("save_upper_with, the list of the target's attributes {how}");
        check_ok(
            &fn_place("course/replaced.rs", "read_value"),
            &what,
            save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse),
        );
        scene.assert_target(&place(), &what, "HELLO, FILES\n");
    }
}

/// A failed `fsetxattr` is no failure when the new file has that very
/// value already: here the ACL the new file inherited from the directory
/// is the target's own.
#[test]
fn an_attribute_the_new_file_already_has_needs_no_setting() {
    use crate::files::{ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER, ACL_USER, ACL_USER_OBJ, NO_ID, acl};
    use std::os::unix::fs::OpenOptionsExt;
    let _serial = serial();
    let scene = Scene::new();
    let default = acl(&[
        (ACL_USER_OBJ, 7, NO_ID),
        (ACL_USER, 4, NOBODY),
        (ACL_GROUP_OBJ, 5, NO_ID),
        (ACL_MASK, 7, NO_ID),
        (ACL_OTHER, 0, NO_ID),
    ]);
    rustix::fs::setxattr(
        scene.dir.path(),
        "system.posix_acl_default",
        &default,
        rustix::fs::XattrFlags::empty(),
    )
    .expect("this test needs a file system with ACLs");
    // What a file created there as the save creates its own (mode 0600)
    // inherits: the target is given that very ACL.
    let probe = scene.dir.path().join("probe");
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&probe)
        .unwrap();
    let inherited = access_acl(&probe).expect("an inherited ACL");
    fs::remove_file(&probe).unwrap();
    rustix::fs::setxattr(
        &scene.target,
        "system.posix_acl_access",
        &inherited,
        rustix::fs::XattrFlags::empty(),
    )
    .unwrap();
    let calls = NthFailing::first(Call::Fsetxattr, rustix::io::Errno::PERM);
    let what = "save_upper_with, the target's ACL refused (EPERM) on a new file that inherited \
                the same";
    check_ok(
        &fn_place("course/replaced.rs", "already_there"),
        what,
        save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse),
    );
    check_eq(
        &place(),
        &format!("{what}: the target's ACL"),
        Some(inherited),
        access_acl(&scene.target),
    );
}

/// Makes every call as it is, draws the temporary names' random characters
/// from a known sequence (`AAAAAAAAAA`, then `BBBBBBBBBB`, ...), and uses
/// unnamed files or not.
struct KnownNames {
    drawn: Cell<u8>,
    unnamed: bool,
}

impl Calls for KnownNames {
    fn make<T>(&self, _: Call, run: impl FnOnce() -> rustix::io::Result<T>) -> io::Result<T> {
        Ok(run()?)
    }
    fn unnamed_temporary_files(&self) -> bool {
        self.unnamed
    }
    fn random_chars(&self) -> [u8; course::temp_name::RANDOM_CHARS] {
        let letter = b'A' + self.drawn.get();
        self.drawn.set(self.drawn.get() + 1);
        [letter; course::temp_name::RANDOM_CHARS]
    }
}

/// Another user who could guess the next temporary name would put a file,
/// or a link to a file of the saver's, there first. The save never opens
/// or replaces what it finds under a temporary name: it draws the next.
#[test]
fn a_temporary_name_taken_before_the_save_is_stepped_over_and_left_alone() {
    let _serial = serial();
    for (unnamed, planted) in [
        (false, "link"),
        (false, "file"),
        (true, "link"),
        (true, "file"),
    ] {
        let scene = Scene::new();
        let elsewhere = tempfile::tempdir().unwrap();
        let victim = elsewhere.path().join("victim.txt");
        fs::write(&victim, "the saver's other file\n").unwrap();
        let taken = scene.dir.path().join(".target.txt.AAAAAAAAAA.tmp");
        match planted {
            "link" => std::os::unix::fs::symlink(&victim, &taken).unwrap(),
            _ => fs::write(&taken, "their file\n").unwrap(),
        }
        let calls = KnownNames {
            drawn: Cell::new(0),
            unnamed,
        };
        let what = format!(
            "save_upper_with, its first temporary name taken by a {planted} ({} temporary file)",
            if unnamed { "unnamed" } else { "named" }
        );
        check_ok(
            &place(),
            &what,
            save_upper_with(&calls, &scene.input, &scene.target, Unwritable::Refuse),
        );
        scene.assert_target(&place(), &what, "HELLO, FILES\n");
        check_eq(
            &place(),
            &format!("{what}: the file the link leads to"),
            "the saver's other file\n",
            &fs::read_to_string(&victim).unwrap(),
        );
        check_eq(
            &place(),
            &format!("{what}: what was planted, left as it was"),
            if planted == "link" {
                "the saver's other file\n"
            } else {
                "their file\n"
            },
            &fs::read_to_string(&taken).unwrap(),
        );
        check(
            &place(),
            &format!("{what}: the planted name is still a {planted}"),
            fs::symlink_metadata(&taken).is_ok_and(|meta| meta.is_symlink() == (planted == "link")),
            planted,
            format!(
                "{:?}",
                fs::symlink_metadata(&taken).map(|meta| meta.file_type())
            ),
        );
        check_eq(
            &place(),
            &format!("{what}: the files in the directory"),
            vec![".target.txt.AAAAAAAAAA.tmp", "input.txt", "target.txt"],
            scene.names().iter().map(String::as_str).collect(),
        );
    }
}
