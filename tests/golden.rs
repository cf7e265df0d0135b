//! Golden tests: one test per `tests/programs/**/NAME.gom`, run through the built `gom` binary.
//!
//! The program's first line is its recipe:
//!
//! | recipe     | command   | exit | stdout                                  | stderr                        |
//! |------------|-----------|------|-----------------------------------------|-------------------------------|
//! | `// run`   | `gom run` | 0    | == `NAME.out` (required)                | not checked                   |
//! | `// error` | `gom run` | 1    | empty                                   | == `NAME.err` (required)      |
//! | `// panic` | `gom run` | 2    | == `NAME.out`, or empty if there is none | starts with `NAME.err` (req.) |
//! | `// fatal` | `gom run` | 2    | same as `// panic`                      | same as `// panic`            |
//! | `// errorcheck` | `gom check` | 0 or 1 | empty                         | inline `// ERROR "re"` comments |
//!
//! Optional `NAME.in`: the program's standard input (for programs that read `os.Stdin`).
//!
//! `// run` may be followed by modifiers for programs whose output depends on timing or
//! scheduling (seed examples): `// run sorted` compares the lines of stdout sorted;
//! `// run masked` compares with durations (`1.5ms`, `3s`) replaced by `<dur>` and other
//! numbers by `N`; `// run sorted masked` does both; `// run distinct` compares the sets of
//! distinct lines (for a program whose goroutines race with `main`'s return, so how many
//! lines they print varies in Go too). The `.out` still comes from real Go.
//!
//! `// errorcheck` programs carry their expected compile errors inline, as Go's own `test/`
//! does: a line ending in `// ERROR "re1" "re2"` must get one diagnostic per regexp (matched
//! against the first line of the message), and no other line may get one. The exit code is 1
//! if any error is expected, else 0. `// errorcheck gom-only` marks programs where gom differs
//! from Go by design (the other programs' expectations were checked against real Go).
//!
//! `// run` programs are run three times: with the environment's `GOMAXPROCS` (unset: all
//! cores), with `GOMAXPROCS=1` and with `GOMAXPROCS=4`; every run must match. Each run has
//! `NO_COLOR=1`, stdin from `NAME.in` if that file exists and from `/dev/null` otherwise, pipes
//! (no tty), the program's directory as working
//! directory and `NAME.gom` as the file argument (so diagnostics say `NAME.gom:LINE:COL`), and
//! a 10 s timeout (the process is killed and the test fails).
//!
//! Panic stderr is compared with hexadecimal addresses blanked (`0x?`) and goroutine ids other
//! than 1 blanked (`goroutine ?`): Go's own output varies there from run to run. A missing
//! expectation file fails the test. `UPDATE_GOLDEN=1` writes the expectation files from
//! the actual output instead (only when the exit status is right). Expectations for valid Go
//! programs (`.out` of `// run`, panics) should come from real Go (`go-oracle`), not from gom.

use libtest_mimic::{Arguments, Failed, Trial};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Recipe {
    Run,
    /// `// run sorted`, `// run masked`, `// run sorted masked`, `// run distinct`.
    RunLoose {
        sorted: bool,
        masked: bool,
        distinct: bool,
    },
    Error,
    Panic,
    Fatal,
    ErrorCheck,
}

impl Recipe {
    fn parse(first_line: &str) -> Option<Recipe> {
        match first_line.trim_end() {
            "// run" => Some(Recipe::Run),
            "// run sorted" => Some(Recipe::RunLoose {
                sorted: true,
                masked: false,
                distinct: false,
            }),
            "// run masked" => Some(Recipe::RunLoose {
                sorted: false,
                masked: true,
                distinct: false,
            }),
            "// run sorted masked" => Some(Recipe::RunLoose {
                sorted: true,
                masked: true,
                distinct: false,
            }),
            "// run distinct" => Some(Recipe::RunLoose {
                sorted: true,
                masked: false,
                distinct: true,
            }),
            "// error" => Some(Recipe::Error),
            "// panic" => Some(Recipe::Panic),
            "// fatal" => Some(Recipe::Fatal),
            "// errorcheck" | "// errorcheck gom-only" => Some(Recipe::ErrorCheck),
            _ => None,
        }
    }

    fn exit_code(self) -> i32 {
        match self {
            Recipe::Run | Recipe::RunLoose { .. } => 0,
            Recipe::Error | Recipe::ErrorCheck => 1,
            Recipe::Panic | Recipe::Fatal => 2,
        }
    }
}

/// What one `gom` process did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let trials = collect_programs(&root)
        .into_iter()
        .map(|path| {
            let name = test_name(&root, &path);
            Trial::test(name, move || check_program(&path))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn collect_programs(root: &Path) -> Vec<PathBuf> {
    let mut programs: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "gom"))
        .collect();
    programs.sort();
    programs
}

/// `tests/programs/syntax/bad_escape.gom` -> `syntax/bad_escape`.
fn test_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path).with_extension("");
    relative.to_string_lossy().replace('\\', "/")
}

fn check_program(path: &Path) -> Result<(), Failed> {
    // Programs may be deliberately invalid UTF-8; only the recipe line must be text.
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let first_line = text.lines().next().unwrap_or("");
    let recipe = Recipe::parse(first_line).ok_or_else(|| {
        format!(
            "first line must be `// run`, `// error`, `// panic` or `// fatal`, not {first_line:?}"
        )
    })?;
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0" && !v.is_empty());
    match recipe {
        Recipe::Run => check_run(path, update),
        Recipe::RunLoose {
            sorted,
            masked,
            distinct,
        } => check_run_loose(
            path,
            Loose {
                sorted,
                masked,
                distinct,
            },
            update,
        ),
        Recipe::Error => check_error(path, update),
        Recipe::Panic | Recipe::Fatal => check_panic(path, recipe, update),
        Recipe::ErrorCheck => check_inline_errors(path, &text),
    }
}

/// The `// ERROR "re" ...` expectations of a program, by line number.
fn expected_errors(text: &str) -> Result<Vec<(usize, regex::Regex)>, Failed> {
    let quoted = regex::Regex::new(r#""((?:[^"\\]|\\.)*)""#).map_err(|e| e.to_string())?;
    let mut expected = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("// ERROR ") else {
            continue;
        };
        for capture in quoted.captures_iter(&line[pos + 9..]) {
            let pattern = literal_braces(&capture[1].replace("\\\"", "\""));
            let re = regex::Regex::new(&pattern)
                .map_err(|e| format!("line {}: bad regexp {pattern:?}: {e}", i + 1))?;
            expected.push((i + 1, re));
        }
    }
    Ok(expected)
}

/// Escapes `{` and `}` that do not form a repetition (`{n}`, `{n,}`, `{n,m}`): Go's RE2, the
/// syntax the expectations are written in, reads them as literals (`func() {…}`), Rust's
/// `regex` rejects them.
fn literal_braces(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '{' if is_repetition(&pattern[i..]) => out.push(c),
            '{' => out.push_str("\\{"),
            '}' if !out.ends_with(|d: char| d.is_ascii_digit() || d == ',') => out.push_str("\\}"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `text` starts with `{n}`, `{n,}` or `{n,m}`.
fn is_repetition(text: &str) -> bool {
    let Some(end) = text.find('}') else {
        return false;
    };
    let inner = &text[1..end];
    let (low, high) = inner.split_once(',').unwrap_or((inner, "0"));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    !low.is_empty() && digits(low) && digits(high)
}

/// `NAME.gom:LINE:COL: MESSAGE` lines of gom's diagnostics.
fn reported_errors(stderr: &str, file: &str) -> Vec<(usize, String)> {
    let prefix = format!("{file}:");
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| {
            let mut parts = rest.splitn(3, ':');
            let line = parts.next()?.parse().ok()?;
            let _col = parts.next()?;
            let message = parts.next()?.trim_start().to_string();
            (message != "too many errors").then_some((line, message))
        })
        .collect()
}

fn check_inline_errors(path: &Path, text: &str) -> Result<(), Failed> {
    let expected = expected_errors(text)?;
    let outcome = run_gom_command(path, "check", None)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut reported = reported_errors(&outcome.stderr, &file);
    let mut problems = Vec::new();
    for (line, re) in &expected {
        match reported
            .iter()
            .position(|(l, m)| l == line && re.is_match(m))
        {
            Some(i) => {
                reported.remove(i);
            }
            None => problems.push(format!(
                "line {line}: expected an error matching {:?}",
                re.as_str()
            )),
        }
    }
    for (line, message) in reported {
        problems.push(format!("line {line}: unexpected error: {message}"));
    }
    let want_code = if expected.is_empty() { 0 } else { 1 };
    if outcome.code != Some(want_code) && problems.is_empty() {
        problems.push(format!(
            "exit code {:?}, expected {want_code}",
            outcome.code
        ));
    }
    if outcome.stderr.contains("panicked") {
        problems.push("gom panicked".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n--- stderr:\n{}", problems.join("\n"), outcome.stderr).into())
    }
}

fn check_run(path: &Path, update: bool) -> Result<(), Failed> {
    for procs in [None, Some("1"), Some("4")] {
        let outcome = run_gom(path, procs)?;
        let context = match procs {
            Some(n) => format!("GOMAXPROCS={n}"),
            None => "default GOMAXPROCS".to_string(),
        };
        expect_code(&outcome, Recipe::Run, &context)?;
        expect_file(path, "out", &outcome.stdout, Match::Exact, update).map_err(|e| {
            let message = e.message().unwrap_or("mismatch");
            format!("{context}: {message}\nstderr:\n{}", outcome.stderr)
        })?;
    }
    Ok(())
}

/// How a loose `// run` recipe normalizes output before comparing.
#[derive(Clone, Copy)]
struct Loose {
    sorted: bool,
    masked: bool,
    distinct: bool,
}

/// `// run sorted` / `masked` / `distinct`: stdout and `NAME.out` compared after normalizing.
fn check_run_loose(path: &Path, loose: Loose, update: bool) -> Result<(), Failed> {
    if update {
        return check_run(path, true);
    }
    let out_path = path.with_extension("out");
    let expected = std::fs::read_to_string(&out_path)
        .map_err(|e| format!("cannot read {}: {e}", out_path.display()))?;
    let expected = normalize(&expected, loose);
    for procs in [None, Some("1"), Some("4")] {
        let outcome = run_gom(path, procs)?;
        let context = format!("GOMAXPROCS={}", procs.unwrap_or("default"));
        expect_code(&outcome, Recipe::Run, &context)?;
        let actual = normalize(&outcome.stdout, loose);
        if actual != expected {
            return Err(format!(
                "{context}: normalized stdout differs\n--- expected:\n{expected}\n--- actual:\n{actual}\n--- stderr:\n{}",
                outcome.stderr
            )
            .into());
        }
    }
    Ok(())
}

/// The output with durations and numbers masked and/or its lines sorted (or reduced to its
/// distinct lines).
fn normalize(text: &str, loose: Loose) -> String {
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            if loose.masked {
                mask_numbers(line)
            } else {
                line.to_string()
            }
        })
        .collect();
    if loose.sorted {
        lines.sort();
    }
    if loose.distinct {
        lines.dedup();
    }
    lines.join("\n")
}

fn mask_numbers(line: &str) -> String {
    let duration = regex::Regex::new(r"(\d+(\.\d+)?(ns|µs|us|ms|h|m|s))+\b").expect("valid");
    let number = regex::Regex::new(r"\d+(\.\d+)?").expect("valid");
    let line = duration.replace_all(line, "<dur>");
    number.replace_all(&line, "N").into_owned()
}

fn check_error(path: &Path, update: bool) -> Result<(), Failed> {
    let outcome = run_gom(path, None)?;
    expect_code(&outcome, Recipe::Error, "")?;
    if !outcome.stdout.is_empty() {
        return Err(format!(
            "a compile error must print nothing on stdout, got:\n{}",
            outcome.stdout
        )
        .into());
    }
    expect_file(path, "err", &outcome.stderr, Match::Exact, update)
}

fn check_panic(path: &Path, recipe: Recipe, update: bool) -> Result<(), Failed> {
    let outcome = run_gom(path, None)?;
    expect_code(&outcome, recipe, "")?;
    let out_path = path.with_extension("out");
    if out_path.exists() || (update && !outcome.stdout.is_empty()) {
        expect_file(path, "out", &outcome.stdout, Match::Exact, update)?;
    } else if !outcome.stdout.is_empty() {
        return Err(format!(
            "no {} but stdout was:\n{}",
            out_path.display(),
            outcome.stdout
        )
        .into());
    }
    expect_file(path, "err", &outcome.stderr, Match::Prefix, update)
}

fn expect_code(outcome: &Outcome, recipe: Recipe, context: &str) -> Result<(), Failed> {
    if outcome.code == Some(recipe.exit_code()) {
        return Ok(());
    }
    Err(format!(
        "{context} expected exit code {} for {recipe:?}, got {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
        recipe.exit_code(),
        outcome.code,
        outcome.stdout,
        outcome.stderr
    )
    .into())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Exact,
    Prefix,
}

/// Panic output contains addresses (`pc=0x47b2e5` in Go's `[signal SIGSEGV ...]` line) that
/// differ from run to run even under Go; they are compared as `0x?`.
fn without_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        out.push_str("0x?");
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

/// Panic text as compared: addresses blanked, and goroutine ids other than main's 1
/// (`goroutine 18 [`, `in goroutine 18`) shown as `?`, since Go numbers the other goroutines
/// differently from run to run (per-P id caches).
fn normalized(text: &str) -> String {
    let text = without_addresses(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("goroutine ") {
        out.push_str(&rest[..i + 10]);
        rest = &rest[i + 10..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && &rest[..digits] != "1" {
            out.push('?');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// Compares `actual` with the expectation file `NAME.<ext>` (or writes it when updating).
fn expect_file(
    path: &Path,
    ext: &str,
    actual: &str,
    how: Match,
    update: bool,
) -> Result<(), Failed> {
    let expected_path = path.with_extension(ext);
    if update {
        return std::fs::write(&expected_path, actual)
            .map_err(|e| format!("cannot write {}: {e}", expected_path.display()).into());
    }
    let expected = std::fs::read_to_string(&expected_path).map_err(|e| {
        format!(
            "missing expectation {} ({e}); create it with UPDATE_GOLDEN=1 (for valid Go, from go-oracle)\n--- actual:\n{actual}",
            expected_path.display()
        )
    })?;
    let ok = match how {
        Match::Exact => actual == expected,
        Match::Prefix => normalized(actual).starts_with(&normalized(&expected)),
    };
    if ok {
        return Ok(());
    }
    Err(format!(
        "{} mismatch ({}):\n--- expected:\n{expected}\n--- actual:\n{actual}",
        expected_path.display(),
        if how == Match::Exact {
            "exact"
        } else {
            "prefix"
        }
    )
    .into())
}

/// Runs `gom run NAME.gom` in the program's directory, with a timeout.
fn run_gom(path: &Path, gomaxprocs: Option<&str>) -> Result<Outcome, Failed> {
    run_gom_command(path, "run", gomaxprocs)
}

fn run_gom_command(
    path: &Path,
    subcommand: &str,
    gomaxprocs: Option<&str>,
) -> Result<Outcome, Failed> {
    let dir = path.parent().ok_or("program has no directory")?;
    let file = path.file_name().ok_or("program has no file name")?;
    let input = path.with_extension("in");
    let stdin = if input.exists() {
        let file = std::fs::File::open(&input)
            .map_err(|e| format!("cannot open {}: {e}", input.display()))?;
        Stdio::from(file)
    } else {
        Stdio::null()
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_gom"));
    command
        .arg(subcommand)
        .arg(file)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("UPDATE_GOLDEN")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(n) = gomaxprocs {
        command.env("GOMAXPROCS", n);
    }
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start gom: {e}"))?;
    wait_with_timeout(child)
}

fn wait_with_timeout(mut child: Child) -> Result<Outcome, Failed> {
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("wait failed: {e}"))? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {TIMEOUT:?} (killed)").into());
        }
        thread::sleep(POLL);
    };
    Ok(Outcome {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Drains a pipe on its own thread so a chatty child never blocks on a full pipe.
fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
