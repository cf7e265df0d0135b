//! The REPL driven through a real pseudo-terminal (`rexpect`): multi-line input, errors that
//! leave the session going, background goroutines printing at the prompt, the deadlock report
//! for a blocked entry, Ctrl-C during `for {}`, and history kept across sessions.
//!
//! Expected texts are chosen so that they do not appear in the echoed input (`"ab" + "cd"`
//! expects `abcd`), since the terminal echoes what is typed. Like a user, the tests type a line
//! only once the prompt is there (rustyline may drop typeahead when it switches the terminal
//! mode): rustyline turns bracketed paste on when it starts reading a line (`ESC[?2004h`) and
//! off when the line is entered (`ESC[?2004l`), which marks both moments in the output.

use rexpect::session::{spawn_command, PtySession};
use std::path::PathBuf;
use std::process::Command;

const TIMEOUT_MS: u64 = 20_000;

fn history_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("gom-repl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Output when rustyline starts reading a line, and when a line has been entered.
const READING: &str = "\x1b[?2004h";
const ENTERED: &str = "\x1b[?2004l";

/// Types `line` at the prompt and waits until it has been entered.
fn enter(p: &mut PtySession, line: &str) {
    p.send_line(line).expect("send");
    p.exp_string(ENTERED).expect("the line is entered");
}

/// Waits for the next prompt (or continuation prompt).
fn ready(p: &mut PtySession) {
    p.exp_string(READING).expect("the next prompt");
}

/// Types `line`, expects `output`, waits for the next prompt.
fn expect_after(p: &mut PtySession, line: &str, output: &str) {
    enter(p, line);
    if let Err(e) = p.exp_string(output) {
        panic!("after {line:?}, expected {output:?}: {e}");
    }
    ready(p);
}

fn start(history: &PathBuf) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gom"));
    cmd.env("GOM_HISTORY", history)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("gom starts in a pty");
    ready(&mut p);
    p
}

fn quit(mut p: PtySession) {
    p.send_line(":quit").expect("send");
    p.exp_eof().expect("gom exits");
}

#[test]
fn multi_line_func_then_call_and_persistent_variables() {
    let history = history_file("multi");
    let mut p = start(&history);
    enter(&mut p, "func mul(a, b int) int {");
    ready(&mut p);
    p.exp_string("...").expect("the continuation prompt");
    enter(&mut p, "return a*b + 1");
    ready(&mut p);
    enter(&mut p, "}");
    ready(&mut p);
    enter(&mut p, "x := 6");
    ready(&mut p);
    expect_after(&mut p, "mul(x, 7)", "43");
    enter(&mut p, "x++");
    ready(&mut p);
    expect_after(&mut p, "[]int{x, x}", "[7 7] ([]int)");
    quit(p);
}

#[test]
fn an_error_then_a_correct_entry() {
    let history = history_file("error");
    let mut p = start(&history);
    expect_after(&mut p, "nosuchname + 1", "undefined: nosuchname");
    expect_after(&mut p, "40 + 2", "42");
    enter(&mut p, "var s []int");
    ready(&mut p);
    expect_after(
        &mut p,
        "s[5]",
        "panic: runtime error: index out of range [5] with length 0",
    );
    expect_after(&mut p, "\"after\" + \" panic\"", "after panic");
    quit(p);
}

#[test]
fn background_goroutine_prints_at_the_prompt() {
    let history = history_file("background");
    let mut p = start(&history);
    enter(&mut p, "import (\"fmt\"; \"time\")");
    ready(&mut p);
    enter(
        &mut p,
        "go func() { time.Sleep(500 * time.Millisecond); fmt.Println(\"back\" + \"ground done\") }()",
    );
    ready(&mut p);
    p.exp_string("background done")
        .expect("the goroutine's output at the prompt");
    expect_after(&mut p, "\"still\" + \" typing\"", "still typing");
    quit(p);
}

#[test]
fn blocked_entry_reports_deadlock_and_session_goes_on() {
    let history = history_file("deadlock");
    let mut p = start(&history);
    enter(&mut p, "<-make(chan int)");
    p.exp_string("fatal error: all goroutines are asleep - deadlock!")
        .expect("Go's deadlock message");
    p.exp_string("goroutine 1 [chan receive]")
        .expect("the wait reason");
    ready(&mut p);
    expect_after(&mut p, "\"alive\" + \" again\"", "alive again");
    quit(p);
}

#[test]
fn ctrl_c_interrupts_a_running_entry() {
    let history = history_file("ctrlc");
    let mut p = start(&history);
    enter(&mut p, "n := 0");
    ready(&mut p);
    enter(&mut p, "for { n++ }");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_control('c').expect("ctrl-c");
    p.exp_string("interrupted").expect("the entry stops");
    ready(&mut p);
    expect_after(&mut p, "n > 0", "true");
    quit(p);
}

#[test]
fn history_is_recalled_within_and_across_sessions() {
    let history = history_file("history");
    let mut p = start(&history);
    expect_after(&mut p, "\"re\" + \"called\"", "recalled");
    p.send("\x1b[A").expect("up arrow");
    enter(&mut p, "");
    p.exp_string("recalled")
        .expect("recalled in the same session");
    ready(&mut p);
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("ctrl-d exits");
    let saved = std::fs::read_to_string(&history).expect("history saved");
    assert!(saved.contains("\"re\" + \"called\""), "{saved}");
    let mut p = start(&history);
    p.send("\x1b[A").expect("up arrow");
    enter(&mut p, "");
    p.exp_string("recalled")
        .expect("recalled from the saved history");
    ready(&mut p);
    quit(p);
    let _ = std::fs::remove_file(&history);
}

#[test]
fn goroutines_command_lists_waiting_goroutines() {
    let history = history_file("goroutines");
    let mut p = start(&history);
    enter(&mut p, "ch := make(chan int)");
    ready(&mut p);
    enter(&mut p, "go func() { <-ch }()");
    ready(&mut p);
    enter(&mut p, ":goroutines");
    p.exp_string("1 goroutines: 1 waiting").expect("the count");
    p.exp_string("[chan receive]:").expect("the wait reason");
    ready(&mut p);
    quit(p);
}
