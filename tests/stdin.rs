//! A goroutine blocked reading standard input hands its P on (Go's syscall handoff): with
//! GOMAXPROCS=1, other goroutines keep running while `main` waits for a line that arrives late.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn other_goroutines_run_while_main_waits_for_input() {
    let program = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/stdin/handoff.gom"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_gom"))
        .args(["run", program])
        .env("GOMAXPROCS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gom starts");
    // The three ticks take 150 ms; the line comes well after them.
    std::thread::sleep(Duration::from_millis(600));
    child
        .stdin
        .take()
        .expect("a stdin pipe")
        .write_all(b"hello\n")
        .expect("the line is written");
    let output = child.wait_with_output().expect("gom ends");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "tick 1\ntick 2\ntick 3\nread \"hello\\n\" <nil>\n"
    );
    assert!(output.status.success());
}
