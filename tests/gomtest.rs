//! `gom test` over `tests/fixtures/gomtest/`: passing programs, failing ones (with diffs and
//! the final count), `--run` filtering and `--update` (on a temporary copy of the fixtures).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gomtest")
}

/// Runs `gom test ARGS` in `dir`; returns (exit code, stdout).
fn gom_test(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gom"))
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("gom runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), stdout)
}

#[test]
fn passing_programs_pass() {
    let (code, out) = gom_test(&fixtures(), &["pass"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok   pass/hello.gom"), "{out}");
    assert!(out.contains("ok   pass/nested/boom.gom"), "{out}");
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
}

#[test]
fn failing_programs_show_a_diff_and_fail() {
    let (code, out) = gom_test(&fixtures(), &["pass", "fail"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL fail/wrong.gom"), "{out}");
    assert!(
        out.contains("--- fail/wrong.out\n+++ actual stdout\n"),
        "{out}"
    );
    assert!(out.contains(" one\n-TWO\n+two\n three\n"), "{out}");
    assert!(out.contains("FAIL fail/crash.gom\nexit status 2"), "{out}");
    assert!(out.ends_with("2 passed, 2 failed\n"), "{out}");
}

#[test]
fn run_filters_by_regexp() {
    let (code, out) = gom_test(&fixtures(), &["--run", "hello"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("1 passed, 0 failed\n"), "{out}");
    let (code, out) = gom_test(&fixtures(), &["--run", "("]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn update_rewrites_expectations() {
    let dir = std::env::temp_dir().join(format!("gomtest-update-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for name in ["fresh.gom", "fresh.out"] {
        std::fs::copy(fixtures().join("update").join(name), dir.join(name)).expect("copy");
    }
    let (code, out) = gom_test(&dir, &[]);
    assert_eq!(code, 1, "stale expectation must fail first: {out}");
    assert!(out.contains("-stale\n+fresh output\n"), "{out}");
    let (code, out) = gom_test(&dir, &["--update"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("updated ./fresh.gom"), "{out}");
    let written = std::fs::read_to_string(dir.join("fresh.out")).expect("written");
    assert_eq!(written, "fresh output\n");
    let (code, out) = gom_test(&dir, &["."]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("1 passed, 0 failed\n"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
