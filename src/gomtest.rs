//! `gom test`: golden tests for users' own programs.
//!
//! Input: paths (files or folders, searched recursively), `--update`, `--run REGEX`.
//! Output: one line per program (`ok`, `FAIL` with a unified diff, `updated`), then
//! `N passed, M failed`; the exit status is 0 only if nothing failed. Entry: [`run_tests`].
//!
//! A test is a `NAME.gom` with a `NAME.out` beside it (and optionally `NAME.err`). It runs as
//! `gom run NAME.gom` would — the same binary, in a child process so that a crash, an
//! `os.Exit` or a hang of one program cannot take the others down — with the program's folder
//! as working directory, stdin from `/dev/null`, `NO_COLOR=1` and a timeout. It passes when:
//! - stdout equals `NAME.out` exactly;
//! - with `NAME.err`: stderr starts with it (a panic's goroutine trace may follow), after
//!   hexadecimal addresses (`0x…`) are blanked on both sides since they vary between runs;
//! - without `NAME.err`: the exit status is 0.
//!
//! `--update` rewrites `NAME.out` from stdout, and `NAME.err` from stderr when the file already
//! exists or the program exited non-zero with something on stderr.

use regex::Regex;
use similar::TextDiff;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one program may run before it is killed and fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What the user asked for.
pub struct Options {
    pub paths: Vec<String>,
    pub update: bool,
    pub run: Option<String>,
    /// The `gom` binary to run the programs with (normally this process's own executable).
    pub gom: PathBuf,
}

/// One program and its expectation files.
struct Case {
    program: PathBuf,
    out: PathBuf,
    err: PathBuf,
}

/// What one run of a program produced.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

/// Runs the tests; returns the exit status (0 all passed, 1 some failed, 2 bad usage).
pub fn run_tests(options: &Options) -> u8 {
    let filter = match options.run.as_deref().map(Regex::new) {
        None => None,
        Some(Ok(re)) => Some(re),
        Some(Err(err)) => {
            eprintln!("gom test: invalid --run regexp: {err}");
            return 2;
        }
    };
    let paths = if options.paths.is_empty() {
        vec![".".to_string()]
    } else {
        options.paths.clone()
    };
    let mut cases = Vec::new();
    for path in &paths {
        if let Err(message) = collect(Path::new(path), &mut cases) {
            eprintln!("gom test: {message}");
            return 2;
        }
    }
    cases.retain(|c| {
        filter
            .as_ref()
            .is_none_or(|re| re.is_match(&c.program.to_string_lossy()))
    });
    let (mut passed, mut failed) = (0usize, 0usize);
    for case in &cases {
        if run_case(case, options) {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    println!("{passed} passed, {failed} failed");
    u8::from(failed > 0)
}

/// Finds every `NAME.gom` with a `NAME.out` under `path` (or `path` itself), sorted.
fn collect(path: &Path, cases: &mut Vec<Case>) -> Result<(), String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), lower(&e)))?;
    if meta.is_file() {
        if let Some(case) = case_for(path) {
            cases.push(case);
            return Ok(());
        }
        return Err(format!(
            "{} is not a .gom program with a .out file beside it",
            path.display()
        ));
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), lower(&e)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, cases)?;
        } else if let Some(case) = case_for(&entry) {
            cases.push(case);
        }
    }
    Ok(())
}

fn case_for(program: &Path) -> Option<Case> {
    if program.extension()? != "gom" {
        return None;
    }
    let out = program.with_extension("out");
    out.is_file().then(|| Case {
        program: program.to_path_buf(),
        err: program.with_extension("err"),
        out,
    })
}

fn lower(err: &std::io::Error) -> String {
    let text = err.to_string();
    text.split(" (os error")
        .next()
        .unwrap_or(&text)
        .to_lowercase()
}

/// Runs one case, prints its line (and diff); true if it passed (or was updated).
fn run_case(case: &Case, options: &Options) -> bool {
    let name = case.program.display().to_string();
    let outcome = match execute(&options.gom, &case.program) {
        Ok(outcome) => outcome,
        Err(message) => {
            println!("FAIL {name}: {message}");
            return false;
        }
    };
    if outcome.timed_out {
        println!("FAIL {name}: killed after {} s", TIMEOUT.as_secs());
        return false;
    }
    if options.update {
        return update(case, &outcome, &name);
    }
    let mut problems = Vec::new();
    let expected_out = read_text(&case.out);
    if outcome.stdout != expected_out {
        problems.push(diff("stdout", &case.out, &expected_out, &outcome.stdout));
    }
    if case.err.is_file() {
        let expected_err = read_text(&case.err);
        if !blank_addresses(&outcome.stderr).starts_with(&blank_addresses(&expected_err)) {
            let shown = outcome
                .stderr
                .get(..expected_err.len())
                .unwrap_or(&outcome.stderr);
            problems.push(diff("stderr", &case.err, &expected_err, shown));
        }
    } else if outcome.code != Some(0) {
        problems.push(format!(
            "exit status {} (want 0; add {} if the program is meant to fail)\nstderr:\n{}",
            status_text(outcome.code),
            case.err.display(),
            outcome.stderr
        ));
    }
    if problems.is_empty() {
        println!("ok   {name}");
        true
    } else {
        println!("FAIL {name}");
        for problem in problems {
            print!("{problem}");
        }
        false
    }
}

fn status_text(code: Option<i32>) -> String {
    code.map_or_else(
        || "none (killed by a signal)".to_string(),
        |c| c.to_string(),
    )
}

/// `--update`: writes the expectation files from what the program did.
fn update(case: &Case, outcome: &Outcome, name: &str) -> bool {
    let mut result = std::fs::write(&case.out, &outcome.stdout);
    let wants_err = case.err.is_file() || (outcome.code != Some(0) && !outcome.stderr.is_empty());
    if result.is_ok() && wants_err {
        result = std::fs::write(&case.err, &outcome.stderr);
    }
    match result {
        Ok(()) => {
            println!("updated {name}");
            true
        }
        Err(e) => {
            println!("FAIL {name}: cannot write: {}", lower(&e));
            false
        }
    }
}

fn read_text(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// A unified diff from the expectation file to what the program printed.
fn diff(stream: &str, file: &Path, expected: &str, actual: &str) -> String {
    let text = TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(&file.display().to_string(), &format!("actual {stream}"))
        .to_string();
    if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    }
}

/// Replaces `0x` followed by hex digits with `0x?`.
fn blank_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        out.push_str("0x?");
        let after = &rest[at + 2..];
        let digits = after
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(after.len());
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Runs `gom run NAME.gom` in the program's folder with a timeout.
fn execute(gom: &Path, program: &Path) -> Result<Outcome, String> {
    let dir = program
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = program.file_name().unwrap_or(program.as_os_str());
    let mut child = Command::new(gom)
        .arg("run")
        .arg(file)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {}", gom.display(), lower(&e)))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let start = Instant::now();
    let (code, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (status.code(), false),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for gom: {}", lower(&e))),
        }
    };
    Ok(Outcome {
        code,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
    })
}

/// Reads a child's pipe to the end on its own thread (so a full pipe cannot block the child).
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_blanked() {
        assert_eq!(
            blank_addresses("panic: x [0xc000012345] 0x1f ok"),
            "panic: x [0x?] 0x? ok"
        );
    }

    #[test]
    fn diff_is_unified() {
        let d = diff("stdout", Path::new("a.out"), "1\n2\n", "1\n3\n");
        assert!(d.contains("--- a.out"), "{d}");
        assert!(d.contains("-2\n+3\n"), "{d}");
    }
}
