//! The check of exercise ch08_atomic_write: `cargo exercise ch08_atomic_write`.
//!
//! The answer saves through a `Disk` that notes each step (create, write,
//! sync, close, rename, remove) and can make any one fail. The check saves
//! several contents and looks at the steps and the directory; then it
//! makes each step of a save fail in turn and looks at the error and the
//! directory after each.

use std::fs;
use std::process::ExitCode;

use course_exercises::files::{Disk, IO_ERROR, NO_SPACE, Scene, Stamp, Step};
use course_exercises::{Grader, grade};

course_exercises::check_program!("ch08_atomic_write");
use answer::save_atomically;

/// Contents that say "abc...": `len` bytes of them.
fn letters(len: usize) -> Vec<u8> {
    (0..len).map(|i| b'a' + (i % 26) as u8).collect()
}

/// What the check saves: nothing, a byte or a few, a line, a buffer's
/// worth and one byte more, 100 000 bytes, a mebibyte and one more, and
/// bytes that are not text.
fn contents() -> Vec<(String, Vec<u8>)> {
    vec![
        ("\"new\\n\"".into(), b"new\n".to_vec()),
        ("nothing".into(), Vec::new()),
        ("1 byte".into(), letters(1)),
        ("2 bytes".into(), letters(2)),
        ("3 bytes".into(), letters(3)),
        ("8193 bytes".into(), letters(8193)),
        ("100000 bytes".into(), letters(100_000)),
        ("1048577 bytes".into(), letters((1 << 20) + 1)),
        ("3 MiB".into(), letters(3 << 20)),
        ("the bytes 0 and 255".into(), vec![0, 255, 0, 255]),
    ]
}

/// Saves `contents` on a disk where nothing fails, and checks the result,
/// the directory and the steps.
fn saves_well(grader: &mut Grader, shown: &str, contents: &[u8]) {
    let scene = Scene::new();
    let mode = scene.mode();
    let disk = Disk::new(&scene);
    let what = format!("save_atomically(notes.txt, {shown})");
    let Some(result) = grader.call(&what, || save_atomically(&disk, &scene.target, contents))
    else {
        return;
    };
    let _ = outside_refused(grader, &disk, &what)
        && grader.check(result.is_ok(), "", || {
            format!("{what} returned {result:?}, on a disk where nothing fails")
        })
        && holds(
            grader,
            &scene,
            &disk,
            &format!("after {what}"),
            contents,
            shown,
        )
        && steps_in_order(grader, &disk, &what)
        && steps_are_sound(grader, &scene, &disk, &what)
        && untouched_since_rename(grader, &scene, &disk, &what, mode);
}

/// Checks that the target is what the rename put in place, as it was
/// then, and no more accessible than the file it replaced: nothing of the
/// answer's changed it around the disk.
fn untouched_since_rename(
    grader: &mut Grader,
    scene: &Scene,
    disk: &Disk,
    what: &str,
    mode: u32,
) -> bool {
    let (renamed, now) = (disk.renamed(), Stamp::of(&scene.target));
    grader.check(renamed == now, "", || {
        format!(
            "{what}: notes.txt was changed after the rename put it in place (written, \
             truncated, replaced or its permissions changed, around the disk): the rename \
             must be the save's last step"
        )
    }) && grader.check(scene.mode() & !mode == 0, "", || {
        format!(
            "{what}: notes.txt has mode {:o} where the file it replaced had {mode:o}: a save \
             must not open the file to more people",
            scene.mode()
        )
    })
}

fn main() -> ExitCode {
    grade("ch08_atomic_write", |grader| {
        // A save and its steps, for each of the contents.
        let saved = grader.each_in_one_line(
            "save_atomically of nothing, 1 to 3 bytes, a line, 8193 bytes, 100 000 bytes, \
             1 MiB + 1, 3 MiB and binary bytes: a temporary file created, written, synced, \
             closed, then renamed over notes.txt, and left as it was",
            contents(),
            |grader, (shown, contents)| saves_well(grader, &shown, &contents),
        );
        if !saved {
            return;
        }

        // Writes that take a few bytes at a time.
        let scene = Scene::new();
        let disk = Disk::with_short_writes(&scene, 3);
        let what = "save_atomically(notes.txt, 5000 bytes) on a disk that takes 3 bytes per write";
        let long = letters(5000);
        if let Some(result) = grader.call(what, || save_atomically(&disk, &scene.target, &long)) {
            let whole = grader.check(result.is_ok(), "", || format!("{what} returned {result:?}"))
                && holds(
                    grader,
                    &scene,
                    &disk,
                    &format!("after {what}"),
                    &long,
                    "5000 bytes",
                );
            if whole {
                grader.pass(format!("{what}: every byte written"));
            }
        }

        // Each step failing in turn: a full disk at the creation or at a
        // write (ENOSPC), a failing sync or rename (EIO); for a short
        // save and a long one.
        for (shown, contents) in [
            ("\"new\\n\"", b"new\n".to_vec()),
            ("12000 bytes", b"new\n".repeat(3000)),
            ("3 MiB", b"new\n".repeat(3 << 18)),
        ] {
            let scene = Scene::new();
            let disk = Disk::new(&scene);
            if grader
                .call("a save, counting its steps", || {
                    save_atomically(&disk, &scene.target, &contents)
                })
                .is_none()
            {
                return;
            }
            let steps = disk.faultable_steps();
            if !grader.check(steps > 0, "", || {
                "the save took no step through the disk it was given".to_string()
            }) {
                return;
            }
            for step in 1..=steps {
                if !fails_cleanly(grader, step, &contents, shown) {
                    return;
                }
            }
            grader.pass(format!(
                "saving {shown} with each of its {steps} steps failing in turn (create, \
                     writes, sync, rename): the error comes back, the directory is as it was"
            ));
        }

        // A directory that holds other files, some named like temporary
        // files: the save may succeed or fail (its temporary file's name
        // may be taken), but every other file stays as it was.
        others_left_alone(grader);

        // Nothing leaked: the disk is made and dropped inside the check.
        let scene = Scene::new();
        grader.without_leaks("save_atomically(notes.txt, \"new\\n\")", || {
            let disk = Disk::new(&scene);
            save_atomically(&disk, &scene.target, b"new\n").is_ok()
        });

        // After all those saves, still every step: an answer may count.
        grader.each_in_one_line(
            "30 more saves of 1 to 1000 bytes, each with every step",
            (0..30).map(|i| {
                (
                    format!("{} bytes (save {} of 30 more)", 1 + 33 * i, i + 1),
                    letters(1 + 33 * i),
                )
            }),
            |grader, (shown, contents)| saves_well(grader, &shown, &contents),
        );
    })
}

/// Files of someone else's, beside the target.
const BYSTANDERS: [&str; 5] = [
    "notes.tmp",
    ".notes.txt.tmp",
    "notes.txt.tmp",
    "notes.txt~",
    ".notes.txt.swp",
];

/// A save beside [`BYSTANDERS`]: whatever it returns, they are as they
/// were, and notes.txt is the old file or the new one.
fn others_left_alone(grader: &mut Grader) {
    let scene = Scene::new();
    let theirs = b"someone else's\n";
    for name in BYSTANDERS {
        fs::write(scene.dir.join(name), theirs).expect("a file of someone else's");
    }
    let disk = Disk::new(&scene);
    let what = "save_atomically(notes.txt, \"new\\n\") beside files named like temporary ones";
    let Some(result) = grader.call(what, || save_atomically(&disk, &scene.target, b"new\n")) else {
        return;
    };
    let touched = BYSTANDERS
        .iter()
        .find(|name| fs::read(scene.dir.join(name)).ok().as_deref() != Some(&theirs[..]));
    let expected: &[u8] = if result.is_ok() { b"new\n" } else { b"old\n" };
    let left: Vec<String> = scene
        .others()
        .into_iter()
        .filter(|name| !BYSTANDERS.contains(&name.as_str()))
        .collect();
    let ok = grader.check(touched.is_none(), "", || {
        format!(
            "{what}: `{}`, which the save did not create, was removed or changed: a cleanup \
             removes only what was acquired",
            touched.unwrap()
        )
    }) && grader.check(scene.contents() == expected, "", || {
        format!(
            "{what}: it returned {result:?}, but notes.txt holds {:?}",
            String::from_utf8_lossy(&scene.contents())
        )
    }) && grader.check(left.is_empty(), "", || {
        format!("{what}: `{}` was left behind", left[0])
    });
    if ok {
        grader.pass(format!("{what}: they are left as they were"));
    }
}

/// The save with faultable step `step` failing: the error must come back
/// and the directory be as it was.
fn fails_cleanly(grader: &mut Grader, step: usize, contents: &[u8], shown: &str) -> bool {
    let scene = Scene::new();
    let disk = Disk::failing_at(&scene, step);
    let Some(result) = grader.call("a save with a step failing", || {
        save_atomically(&disk, &scene.target, contents)
    }) else {
        return false;
    };
    let steps = disk.steps();
    let Some(at) = steps.iter().position(failed) else {
        return true;
    };
    let failed = steps[at].clone();
    let (when, code) = match &failed {
        Step::Create { name, .. } => (
            format!("saving {shown}, when creating {name} failed (a full disk)"),
            NO_SPACE,
        ),
        Step::Write { name, .. } => {
            let nth = steps[..=at]
                .iter()
                .filter(|s| matches!(s, Step::Write { .. }))
                .count();
            (
                format!("saving {shown}, when write #{nth} to {name} failed (a full disk)"),
                NO_SPACE,
            )
        }
        Step::Sync { name, .. } => (
            format!("saving {shown}, when syncing {name} failed"),
            IO_ERROR,
        ),
        Step::Rename { from, to, .. } => (
            format!("saving {shown}, when renaming {from} over {to} failed"),
            IO_ERROR,
        ),
        Step::Close { .. } | Step::Remove { .. } => return true,
    };
    let error = std::io::Error::from_raw_os_error(code);
    let right_error = matches!(&result, Err(e) if e.raw_os_error() == Some(code));
    let mut ok = grader.check(right_error, "", || {
        let seen = match &result {
            Ok(()) => "Ok(()): the failure was lost".to_string(),
            Err(e) if e.raw_os_error().is_some() => format!("another error: {e}"),
            Err(e) => format!("an error of its own, which hides the OS's error code: {e:?}"),
        };
        format!("{when}, save_atomically returned {seen}; it must return that error ({error})")
    });
    ok &= holds(
        grader,
        &scene,
        &disk,
        &when,
        b"old\n",
        "its old contents \"old\\n\"",
    );
    ok && steps_are_sound(grader, &scene, &disk, &when)
}

fn failed(step: &Step) -> bool {
    matches!(
        step,
        Step::Create { ok: false, .. }
            | Step::Write { ok: false, .. }
            | Step::Sync { ok: false, .. }
            | Step::Rename { ok: false, .. }
    )
}

/// Checks that notes.txt holds `expected` and nothing else is left in
/// the directory, nor outside it.
fn holds(
    grader: &mut Grader,
    scene: &Scene,
    disk: &Disk,
    when: &str,
    expected: &[u8],
    described: &str,
) -> bool {
    let seen = scene.contents();
    let shown = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        if text.len() > 40 {
            format!(
                "{} bytes ({:?}...)",
                bytes.len(),
                &text[..text.floor_char_boundary(30)]
            )
        } else {
            format!("{text:?}")
        }
    };
    let mut ok = grader.check(seen == expected, "", || {
        format!(
            "{when}, notes.txt holds {} instead of {described}",
            shown(&seen)
        )
    });
    let beside = scene.beside_dir();
    ok &= grader.check(beside.is_empty(), "", || {
        format!(
            "{when}, `{}` was left beside the target's directory: a save writes only in the \
             directory of the file it saves",
            beside[0]
        )
    });
    let others = scene.others();
    ok &= grader.check(others.is_empty(), "", || {
        others
            .iter()
            .map(|name| format!("{when}, the temporary file `{name}` was left behind"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    ok && outside_refused(grader, disk, when)
}

/// Checks that the save kept to the target's directory.
fn outside_refused(grader: &mut Grader, disk: &Disk, when: &str) -> bool {
    let outside = disk.outside();
    grader.check(outside.is_empty(), "", || {
        format!(
            "{when}: the save used {}, outside the target's directory; the temporary \
             file belongs beside the target (a rename is atomic only within one \
             directory), and the disk refused it",
            outside[0].display()
        )
    })
}

/// What every save must respect, whatever failed: it removes only files
/// it created, never one it renamed over the target; it closes a file
/// before renaming it; what it created and that is gone went through the
/// disk (a rename or a removal).
fn steps_are_sound(grader: &mut Grader, scene: &Scene, disk: &Disk, when: &str) -> bool {
    let steps = disk.steps();
    let mut created: Vec<&str> = Vec::new();
    let mut renamed: Vec<&str> = Vec::new();
    let mut closed: Vec<&str> = Vec::new();
    let mut problem = None;
    for step in &steps {
        match step {
            Step::Create { name, ok: true } => created.push(name),
            Step::Close { name } => closed.push(name),
            Step::Remove { name, .. } if renamed.contains(&name.as_str()) => {
                problem = Some(format!(
                    "{when}: {name} was removed after it was renamed over the target: \
                     the errdefer must be defused once the rename succeeded"
                ));
            }
            Step::Remove { name, .. } if !created.contains(&name.as_str()) => {
                problem = Some(format!(
                    "{when}: the save removed {name}, which it did not create (it was \
                     there before, or its creation failed): a cleanup removes only what \
                     was acquired"
                ));
            }
            Step::Rename { from, ok: true, .. } => {
                if !closed.contains(&from.as_str()) {
                    problem = Some(format!(
                        "{when}: {from} was renamed while still open: close it first \
                         (drop the file), as chapter 8 does"
                    ));
                }
                renamed.push(from);
            }
            _ => {}
        }
        if problem.is_some() {
            break;
        }
    }
    if problem.is_none() {
        let there = scene.others();
        let removed = |name: &str| {
            steps
                .iter()
                .any(|step| matches!(step, Step::Remove { name: gone, .. } if gone == name))
        };
        let vanished = created.iter().find(|name| {
            !there.iter().any(|other| other == *name) && !renamed.contains(name) && !removed(name)
        });
        if let Some(name) = vanished {
            problem = Some(format!(
                "{when}: {name} was removed without going through the disk: use \
                 disk.remove_file, so that every step can be seen (and made to fail)"
            ));
        }
    }
    grader.check(problem.is_none(), "", || problem.unwrap_or_default())
}

/// The steps of a save that succeeded: a file created, written, synced
/// after its last write, then renamed over notes.txt.
fn steps_in_order(grader: &mut Grader, disk: &Disk, what: &str) -> bool {
    let steps = disk.steps();
    let renamed = steps.iter().enumerate().find_map(|(i, step)| match step {
        Step::Rename { from, to, ok: true } if to == "notes.txt" => Some((i, from.clone())),
        _ => None,
    });
    let Some((rename, temp)) = renamed else {
        return grader.check(false, "", || {
            format!(
                "{what}: no file was renamed over notes.txt with disk.rename: the save \
                 must write a temporary file and rename it (steps seen: {})",
                describe(&steps)
            )
        });
    };
    let of_temp = |step: &Step| match step {
        Step::Write { name, .. } | Step::Sync { name, .. } | Step::Create { name, .. } => {
            name == &temp
        }
        _ => false,
    };
    let last_write = steps
        .iter()
        .rposition(|step| of_temp(step) && matches!(step, Step::Write { .. }));
    let synced = steps[..rename]
        .iter()
        .rposition(|step| of_temp(step) && matches!(step, Step::Sync { ok: true, .. }));
    let created = steps
        .iter()
        .position(|step| of_temp(step) && matches!(step, Step::Create { ok: true, .. }));
    let mut ok = grader.check(created.is_some(), "", || {
        format!("{what}: {temp} was renamed over notes.txt, but not created with disk.create")
    });
    ok &= grader.check(synced.is_some(), "", || {
        format!(
            "{what}: {temp} was renamed over notes.txt without being synced first: after \
             a power cut, notes.txt could be empty (steps seen: {})",
            describe(&steps)
        )
    });
    if let (Some(synced), Some(last_write)) = (synced, last_write) {
        ok &= grader.check(synced > last_write, "", || {
            format!(
                "{what}: {temp} was written after its last sync, then renamed: the last \
                 bytes were not on the disk (steps seen: {})",
                describe(&steps)
            )
        });
    }
    if ok {
        grader.pass(format!(
            "{what}: a temporary file created, written, synced, then renamed over notes.txt"
        ));
    }
    ok
}

/// The steps, in a few words each.
fn describe(steps: &[Step]) -> String {
    let words: Vec<String> = steps
        .iter()
        .map(|step| match step {
            Step::Create { name, .. } => format!("create {name}"),
            Step::Write { name, bytes, .. } => format!("write {bytes} bytes to {name}"),
            Step::Sync { name, .. } => format!("sync {name}"),
            Step::Close { name } => format!("close {name}"),
            Step::Rename { from, to, .. } => format!("rename {from} to {to}"),
            Step::Remove { name, .. } => format!("remove {name}"),
        })
        .collect();
    if words.is_empty() {
        "none".to_string()
    } else if words.len() > 8 {
        format!(
            "{}, ... {}",
            words[..3].join(", "),
            words[words.len() - 4..].join(", ")
        )
    } else {
        words.join(", ")
    }
}
