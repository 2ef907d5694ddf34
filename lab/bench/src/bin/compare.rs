//! Runs the measuring programs of this package (built next to this one) a
//! few times each, every run a process of its own, and prints the median
//! of each figure side by side: time per allocation, resident memory per
//! live block, and the lab's leak report.
//!
//! Started by `cargo run`, it first has cargo build the other programs
//! with the same profile: `cargo run --bin compare` builds only this one,
//! and a measuring program left from an older build of the lab would be
//! measured without a word.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use cleanup_lab_bench::{self as bench, parse_figures};

/// Runs of each program; every figure is the median of these.
const RUNS: usize = 5;

/// A program to run, and how its row is named.
struct Subject {
    label: &'static str,
    program: &'static str,
    args: &'static [&'static str],
}

const SUBJECTS: [Subject; 5] = [
    Subject {
        label: "system",
        program: "system",
        args: &[],
    },
    Subject {
        label: "lab, in check_leaks",
        program: "lab",
        args: &[],
    },
    Subject {
        label: "lab, no check running",
        program: "lab",
        args: &["--outside-check"],
    },
    Subject {
        label: "dhat, testing mode",
        program: "dhat",
        args: &[],
    },
    Subject {
        label: "stats_alloc, Region",
        program: "stats_alloc",
        args: &[],
    },
];

const BASELINE: usize = 0;
const LAB: usize = 1;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("compare: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let dir = exe
        .parent()
        .ok_or("this program is in no directory")?
        .to_path_buf();
    if let Some(cargo) = std::env::var_os("CARGO") {
        build_programs(&cargo, &dir)?;
    }
    let programs: BTreeMap<&str, PathBuf> = SUBJECTS
        .iter()
        .map(|s| {
            (
                s.program,
                dir.join(format!("{}{}", s.program, std::env::consts::EXE_SUFFIX)),
            )
        })
        .collect();
    for path in programs.values() {
        if !path.is_file() {
            return Err(format!(
                "{} is missing: build the measuring programs with \
                 `cargo build --release -p cleanup-lab-bench`, or run \
                 `cargo run --release -p cleanup-lab-bench --bin compare`",
                path.display()
            ));
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("compare: built without optimisations; the figures say little (use --release)");
    }

    // Round after round, so that a slow spell of the machine spreads
    // over every program instead of falling on one.
    let mut figures: Vec<BTreeMap<String, Vec<f64>>> = vec![BTreeMap::new(); SUBJECTS.len()];
    for round in 1..=RUNS {
        eprint!("run {round} of {RUNS}:");
        for (subject, figures) in SUBJECTS.iter().zip(&mut figures) {
            eprint!(" {}", subject.program);
            let output = measure(&programs[subject.program], subject.args)?;
            for (name, value) in parse_figures(&output) {
                figures.entry(name).or_default().push(value);
            }
        }
        eprintln!();
    }
    let medians: Vec<BTreeMap<String, f64>> = figures
        .into_iter()
        .map(|f| f.into_iter().map(|(name, v)| (name, median(v))).collect())
        .collect();
    print_tables(&medians)
}

/// Has cargo build this package's programs, with the profile this one was
/// built with, into this one's directory.
fn build_programs(cargo: &OsString, dir: &Path) -> Result<(), String> {
    // `target/release/compare`: the profile's directory (`debug` is the
    // dev profile's), inside the target directory.
    let profile = match dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") => "dev",
        Some(name) => name,
        None => return Err(format!("no profile in {}", dir.display())),
    };
    let target_dir = dir.parent().ok_or("no target directory")?;
    eprintln!("compare: building the measuring programs ({profile} profile)");
    let status = Command::new(cargo)
        .args(["build", "--package", "cleanup-lab-bench", "--bins"])
        .args(["--profile", profile])
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
    Ok(())
}

/// Runs a measuring program; its output, which must be a success.
fn measure(program: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} {args:?} failed ({})",
            program.display(),
            output.status
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{}: {e}", program.display()))
}

/// `value`, with what rounds to zero at three decimals shown as zero: a
/// few pages more or less than the baseline are noise, not `-0.000`.
fn shown(value: f64) -> f64 {
    if value.abs() < 5e-4 { 0.0 } else { value }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn print_tables(medians: &[BTreeMap<String, f64>]) -> Result<(), String> {
    let figure = |subject: usize, name: &str| -> Result<f64, String> {
        medians[subject].get(name).copied().ok_or(format!(
            "{} printed no figure {name}",
            SUBJECTS[subject].label
        ))
    };
    let label_width = SUBJECTS.iter().map(|s| s.label.len()).max().unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!();
    println!(
        "Median of {RUNS} runs, each a process of its own ({} {}, {cores} cores).",
        std::env::consts::OS,
        std::env::consts::ARCH
    );

    println!();
    println!("Time per allocation, allocating and freeing it, in ns; x: ratio to the");
    println!("system's figure and to the lab's (in check_leaks).");
    println!(
        "{:label_width$}  {:>26}  {:>26}",
        "",
        format!("{} live blocks", bench::LIVE_BLOCKS),
        format!("{} short-lived", bench::CHURN_ALLOCATIONS),
    );
    println!(
        "{:label_width$}  {:>8} {:>8} {:>8}  {:>8} {:>8} {:>8}",
        "allocator", "ns", "x system", "x lab", "ns", "x system", "x lab"
    );
    for (subject, s) in SUBJECTS.iter().enumerate() {
        print!("{:label_width$}", s.label);
        for name in ["live_ns", "churn_ns"] {
            let ns = figure(subject, name)?;
            let baseline = figure(BASELINE, name)?;
            let lab = figure(LAB, name)?;
            print!("  {ns:>8.1} {:>8.2} {:>8.3}", ns / baseline, ns / lab);
        }
        println!();
    }

    println!();
    let name = "live_bytes_per_block";
    if SUBJECTS
        .iter()
        .enumerate()
        .any(|(subject, _)| !medians[subject].contains_key(name))
    {
        println!(
            "Resident memory: not measured. The programs read VmRSS and VmHWM from \
             /proc/self/status, which only Linux has; this is {}.",
            std::env::consts::OS
        );
    } else {
        println!(
            "Resident memory per live block, in bytes: peak resident memory with the {}",
            bench::LIVE_BLOCKS
        );
        println!("blocks of 16 bytes live, less that before them, divided by their number.");
        println!("Extra: less the system's figure. x system: ratio of the per-block figures;");
        println!("x lab: ratio of the extra bytes to the lab's (in check_leaks).");
        println!(
            "{:label_width$}  {:>9} {:>9} {:>9} {:>9}",
            "allocator", "per block", "extra", "x system", "x lab"
        );
        let baseline = figure(BASELINE, name)?;
        let lab_extra = figure(LAB, name)? - baseline;
        for (subject, s) in SUBJECTS.iter().enumerate() {
            let bytes = figure(subject, name)?;
            let extra = bytes - baseline;
            println!(
                "{:label_width$}  {bytes:>9.1} {extra:>9.1} {:>9.2} {:>9.3}",
                s.label,
                bytes / baseline,
                shown(extra / lab_extra)
            );
        }
    }

    let blocks = bench::LEAKED_BLOCKS as f64;
    let leaking = figure(LAB, "leak_ms")?;
    let built = figure(LAB, "report_build_ms")?;
    let formatted = figure(LAB, "report_format_ms")?;
    let bytes = figure(LAB, "report_bytes")?;
    println!();
    println!(
        "The lab's leak report of {} blocks leaked from 4 places, in check_leaks:",
        bench::LEAKED_BLOCKS
    );
    println!(
        "  allocating them:                 {leaking:>8.1} ms ({:.2} us a block)",
        leaking * 1e3 / blocks
    );
    println!("  building the report (on return): {built:>8.1} ms");
    println!(
        "  format!(\"{{report}}\"):             {formatted:>8.1} ms ({:.2} us a block)",
        formatted * 1e3 / blocks
    );
    println!(
        "  the report's size:               {:>8.0} KB ({:.0} bytes a block)",
        bytes / 1e3,
        bytes / blocks
    );
    Ok(())
}
