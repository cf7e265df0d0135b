//! Stress test of the concurrency goldens (ignored by default; CI runs it with a small count):
//! every program under `tests/programs/{chan,select,time,sched,deadlock,runtime}/` is run
//! `STRESS_COUNT` times (default 20) with each of `GOMAXPROCS=1`, `2` and `4`, and every run
//! must give the golden result:
//!
//! - `// run`: exit code 0 and stdout == `NAME.out`;
//! - `// panic` / `// fatal`: exit code 2, stdout == `NAME.out` (or empty), and stderr's first
//!   line equal to the first line of `NAME.err` (the full text is `tests/golden.rs`'s job).
//!
//! Runs go two at a time (the machine is shared), each with a 20 s timeout. Every difference
//! is reported (program, GOMAXPROCS, iteration, what differed), then the test fails.
//!
//! ```text
//! STRESS_COUNT=3 cargo test --release --test stress -- --ignored
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const AREAS: &[&str] = &["chan", "select", "time", "sched", "deadlock", "runtime"];
const PROCS: &[&str] = &["1", "2", "4"];
const TIMEOUT: Duration = Duration::from_secs(20);
const PARALLEL: usize = 2;

/// What a program must do, from its recipe line and expectation files.
struct Expected {
    code: i32,
    stdout: String,
    /// First line of stderr (panics and fatal errors only).
    stderr_first: Option<String>,
}

/// One run to make.
struct Job {
    program: PathBuf,
    procs: &'static str,
    iteration: usize,
}

#[test]
#[ignore = "stress test: run with --ignored (STRESS_COUNT runs per program and GOMAXPROCS)"]
fn concurrency_programs_are_stable() {
    let count: usize = std::env::var("STRESS_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let programs = programs(&root);
    assert!(!programs.is_empty(), "no programs under {}", root.display());
    let mut jobs = Vec::new();
    for iteration in 0..count {
        for program in &programs {
            for procs in PROCS {
                jobs.push(Job {
                    program: program.clone(),
                    procs,
                    iteration,
                });
            }
        }
    }
    let total = jobs.len();
    let start = Instant::now();
    let jobs = Arc::new(Mutex::new(jobs));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..PARALLEL)
        .map(|_| {
            let jobs = jobs.clone();
            let failures = failures.clone();
            let root = root.clone();
            std::thread::spawn(move || loop {
                let job = jobs.lock().ok().and_then(|mut j| j.pop());
                let Some(job) = job else { break };
                if let Err(e) = check(&job) {
                    let name = job.program.strip_prefix(&root).unwrap_or(&job.program);
                    let line = format!(
                        "{} GOMAXPROCS={} run {}: {e}",
                        name.display(),
                        job.procs,
                        job.iteration + 1
                    );
                    eprintln!("{line}");
                    if let Ok(mut f) = failures.lock() {
                        f.push(line);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    let failures = failures.lock().map(|f| f.clone()).unwrap_or_default();
    eprintln!(
        "stress: {} programs, {total} runs in {:.1?}, {} differences",
        programs.len(),
        start.elapsed(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} runs differed from the golden:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The `.gom` programs of the concurrency areas whose recipe runs them.
fn programs(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for area in AREAS {
        for entry in walkdir::WalkDir::new(root.join(area))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.into_path();
            if path.extension().is_some_and(|e| e == "gom") && expected(&path).is_ok() {
                found.push(path);
            }
        }
    }
    found
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn expected(program: &Path) -> Result<Expected, String> {
    let text = read(program)?;
    let recipe = text.lines().next().unwrap_or("").trim_end();
    let out = read(&program.with_extension("out")).unwrap_or_default();
    match recipe {
        "// run" => Ok(Expected {
            code: 0,
            stdout: read(&program.with_extension("out"))?,
            stderr_first: None,
        }),
        "// panic" | "// fatal" => {
            let err = read(&program.with_extension("err"))?;
            Ok(Expected {
                code: 2,
                stdout: out,
                stderr_first: Some(err.lines().next().unwrap_or("").to_string()),
            })
        }
        other => Err(format!("recipe {other:?} is not stressed")),
    }
}

/// Runs one job and compares it with the golden.
fn check(job: &Job) -> Result<(), String> {
    let want = expected(&job.program)?;
    let dir = job.program.parent().ok_or("no directory")?;
    let file = job.program.file_name().ok_or("no file name")?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gom"))
        .arg("run")
        .arg(file)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GOMAXPROCS", job.procs)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start gom: {e}"))?;
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if status.code() != Some(want.code) {
        return Err(format!(
            "exit code {:?}, expected {}\nstderr:\n{stderr}",
            status.code(),
            want.code
        ));
    }
    if stdout != want.stdout {
        return Err(format!(
            "stdout differs\n--- expected:\n{}--- actual:\n{stdout}",
            want.stdout
        ));
    }
    if let Some(first) = want.stderr_first {
        let got = stderr.lines().next().unwrap_or("");
        if got != first {
            return Err(format!("stderr starts with {got:?}, expected {first:?}"));
        }
    }
    Ok(())
}

fn reader(pipe: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_string(&mut text);
        }
        text
    })
}
