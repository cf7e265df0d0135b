//! Real signals: `gom run` on the seeds' graceful-shutdown program gets SIGINT (and, in a
//! second run, SIGTERM) from this test and must shut down as Go does: print the shutdown
//! lines and exit 0. A third run checks that a program without `signal.Notify` is killed by
//! SIGINT (the default action).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GRACEFUL: &str = "tests/programs/seeds/graceful_shutdown.gom";

/// Sends `sig` (a name for kill(1)) to the process.
fn kill(pid: u32, sig: &str) {
    let status = Command::new("kill")
        .args([format!("-{sig}"), pid.to_string()])
        .status()
        .expect("kill(1) runs");
    assert!(status.success(), "kill -{sig} {pid} failed");
}

/// Runs `file` until it prints its first line, sends `sig`, and returns (exit status, all
/// stdout lines).
fn run_and_signal(file: &str, sig: &str) -> (std::process::ExitStatus, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gom"))
        .current_dir(root)
        .args(["run", file])
        .env("SHUTDOWN_WAIT", "forever")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gom starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut out = Vec::new();
    // The handlers are installed before the first line is printed.
    if let Some(Ok(first)) = lines.next() {
        out.push(first);
    }
    std::thread::sleep(Duration::from_millis(200));
    kill(child.id(), sig);
    let deadline = Instant::now() + Duration::from_secs(10);
    out.extend(lines.map_while(Result::ok));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("gom did not exit after SIG{sig}; output so far: {out:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status, out)
}

fn expect_graceful(sig: &str) {
    let (status, out) = run_and_signal(GRACEFUL, sig);
    assert_eq!(
        status.code(),
        Some(0),
        "exit status after SIG{sig}: {out:?}"
    );
    assert_eq!(
        out,
        [
            "signal.NotifyContext(context.Background, [interrupt terminated])",
            "running; press Ctrl+C to stop",
            "shutting down: context canceled",
            "all workers stopped",
        ],
    );
}

#[test]
fn sigint_shuts_down_gracefully() {
    expect_graceful("INT");
}

#[test]
fn sigterm_shuts_down_gracefully() {
    expect_graceful("TERM");
}

/// Whether this process ignores SIGINT (`SigIgn` in /proc/self/status): a test runner started
/// in the background by a non-interactive shell does, and its children inherit that, under
/// which Go (and gom) keep ignoring the signal.
fn sigint_ignored_here() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (2 - 1)) != 0)
}

#[test]
fn sigint_without_notify_kills() {
    if sigint_ignored_here() {
        eprintln!("skipped: SIGINT is ignored by this test process, so gom inherits that");
        return;
    }
    let dir = std::env::temp_dir().join(format!("gom-signal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("plain.gom");
    std::fs::write(
        &file,
        "package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc main() {\n\tfmt.Println(\"sleeping\")\n\ttime.Sleep(time.Minute)\n\tfmt.Println(\"not reached\")\n}\n",
    )
    .expect("write program");
    let (status, out) = run_and_signal(file.to_str().expect("utf-8 path"), "INT");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out, ["sleeping"]);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(2), "killed by SIGINT: {status:?}");
}
