//! Robustness: the syntax stage never panics, hangs or overflows the stack, whatever the input.
//!
//! Every parse runs through `gom::with_large_stack`, as the command line does. Inputs: every
//! prefix of a realistic program, random bytes, random token soup, and 10,000-deep nestings and
//! chains. A parse may succeed or fail; it must return, and quickly.

use gom::source::SourceFile;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEPTH: usize = 10_000;
/// Generous even for a debug build on a slow CI machine.
const DEEP_TIME_LIMIT: Duration = Duration::from_secs(20);

/// A realistic Go-concurrency program (about 80 lines) touching most of the syntax.
const PROGRAM: &str = r#"package main

import (
	"fmt"
	"sync"
	"time"
)

type Counter struct {
	mu    sync.Mutex
	count map[string]int
}

type Shape interface {
	Area() float64
	Perimeter() float64
}

const (
	KB = 1 << (10 * (iota + 1))
	MB
)

var ready = make(chan struct{})

func (c *Counter) Inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count[key]++
}

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- j * 2
	}
	_ = id
}

func main() {
	c := Counter{count: make(map[string]int)}
	jobs := make(chan int, 100)
	results := make(chan int, 100)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for i := range 10 {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	timeout := time.After(50 * time.Millisecond)
	select {
	case <-ready:
		fmt.Println("ready")
	case <-timeout:
		fmt.Println("timeout")
	default:
	}
	s := []int{1, 2, 3}[1:]
	m := map[string][]float64{"a": {1.5, 2e3}, "b": nil}
	f := func(x ...int) (n int, err error) { return len(x), nil }
	switch n, _ := f(s...); {
	case n > 1 && len(m) != 0:
		c.Inc("many")
	default:
		c.Inc('x' + "")
	}
	fmt.Printf("%d %v %q\n", sum, c.count, `raw
string`)
}
"#;

/// Parses `text` on the big pipeline stack; returns whether it parsed. The AST is dropped on
/// that stack too (dropping a deep tree recurses).
fn parses(text: String) -> bool {
    gom::with_large_stack(move || {
        let file = SourceFile::new("test.gom", text);
        gom::syntax::parse_file(&file).is_ok()
    })
}

/// Parses many inputs inside one big-stack thread.
fn parse_all(texts: Vec<String>) -> usize {
    gom::with_large_stack(move || {
        texts
            .into_iter()
            .filter(|text| {
                let file = SourceFile::new("test.gom", text.clone());
                gom::syntax::parse_file(&file).is_ok()
            })
            .count()
    })
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn the_whole_program_parses() {
    assert!(parses(PROGRAM.to_string()));
}

#[test]
fn every_prefix_returns() {
    let prefixes: Vec<String> = (0..=PROGRAM.len())
        .filter(|&i| PROGRAM.is_char_boundary(i))
        .map(|i| PROGRAM[..i].to_string())
        .collect();
    let count = prefixes.len();
    let ok = parse_all(prefixes);
    assert!(ok <= count);
}

#[test]
fn random_bytes_return() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let texts: Vec<String> = (0..2_000)
        .map(|_| {
            let len = rng.below(300);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .collect();
    parse_all(texts);
}

#[test]
fn random_token_soup_returns() {
    const PIECES: &[&str] = &[
        "package",
        "main",
        "func",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ";",
        "\n",
        ",",
        ".",
        "x",
        "1",
        "2.5",
        "'c'",
        "\"s\"",
        "`r`",
        "go",
        "defer",
        "chan",
        "<-",
        "select",
        "case",
        "default",
        ":",
        ":=",
        "=",
        "+",
        "*",
        "&",
        "!",
        "if",
        "else",
        "for",
        "range",
        "switch",
        "type",
        "struct",
        "interface",
        "map",
        "var",
        "const",
        "return",
        "...",
        "/*",
        "*/",
        "//",
        "\"",
        "'",
        "`",
        "0x",
        "1e",
        "\\",
    ];
    let mut rng = Rng(42);
    let texts: Vec<String> = (0..2_000)
        .map(|_| {
            let mut text = String::from("package main\n");
            for _ in 0..rng.below(120) {
                text.push_str(PIECES[rng.below(PIECES.len())]);
                text.push(' ');
            }
            text
        })
        .collect();
    parse_all(texts);
}

/// `package main` + a function whose body holds `open^DEPTH middle close^DEPTH`.
fn nested(open: &str, middle: &str, close: &str) -> String {
    nested_to(DEPTH, open, middle, close)
}

fn nested_to(depth: usize, open: &str, middle: &str, close: &str) -> String {
    let mut text = String::from("package main\n\nfunc main() {\n\t_ = ");
    text.push_str(&open.repeat(depth));
    text.push_str(middle);
    text.push_str(&close.repeat(depth));
    text.push_str("\n}\n");
    text
}

fn assert_quick(name: &str, text: String) {
    let start = Instant::now();
    let _ = parses(text);
    let elapsed = start.elapsed();
    assert!(elapsed < DEEP_TIME_LIMIT, "{name}: took {elapsed:?}");
}

#[test]
fn deep_nesting_returns_quickly() {
    let cases: Vec<(&str, String)> = vec![
        ("parens", nested("(", "1", ")")),
        ("brackets", nested("[]int{", "", "}")),
        ("index", nested("a[", "0", "]")),
        ("composite", nested("T{", "", "}")),
        ("func literals", nested("func(){", "", "}")),
        ("unary minus", nested("-", "1", "")),
        ("unary not", nested("!", "x", "")),
        ("receive", nested("<-", "c", "")),
        ("deref", nested("*", "p", "")),
        ("unclosed parens", nested("(", "1", "")),
        ("unclosed braces", nested("func(){", "", "")),
        ("blocks", deep_blocks("{", "}")),
        ("ifs", deep_blocks("if x {", "}")),
        ("fors", deep_blocks("for {", "}")),
        ("sum chain", chain("a", "+a")),
        ("selector chain", chain("x", ".y")),
        ("call chain", chain("f", "()")),
    ];
    for (name, text) in cases {
        assert_quick(name, text);
    }
}

/// `func main() { open^DEPTH close^DEPTH }` as statements.
fn deep_blocks(open: &str, close: &str) -> String {
    let mut text = String::from("package main\n\nfunc main() {\n");
    for _ in 0..DEPTH {
        text.push_str(open);
        text.push('\n');
    }
    for _ in 0..DEPTH {
        text.push_str(close);
        text.push('\n');
    }
    text.push_str("}\n");
    text
}

/// `_ = first link link link ...` with DEPTH links.
fn chain(first: &str, link: &str) -> String {
    format!(
        "package main\n\nfunc main() {{\n\t_ = {first}{}\n}}\n",
        link.repeat(DEPTH)
    )
}

fn gom(args: &[&str], dir: &std::path::Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_gom"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("gom binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gom-robustness-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn binary_survives_deep_invalid_file() {
    let dir = temp_dir("invalid");
    std::fs::write(dir.join("deep.gom"), nested("(", "1", "")).expect("write");
    let (code, stderr) = gom(&["check", "deep.gom"], &dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("deep.gom:"), "no diagnostic: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("overflow"), "{stderr}");
}

/// Brackets nested deeper than the lexer's limit (1000) are refused with a diagnostic before
/// any recursive stage sees them.
#[test]
fn binary_refuses_too_deep_valid_file() {
    let dir = temp_dir("too-deep");
    std::fs::write(dir.join("deep.gom"), nested("(", "1", ")")).expect("write");
    let (code, stderr) = gom(&["check", "deep.gom"], &dir);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("overflow"), "{stderr}");
    assert!(stderr.contains("too deeply nested"), "{stderr}");
    assert_eq!(code, Some(1), "{stderr}");
}

#[test]
fn binary_accepts_deep_file_within_the_limit() {
    let dir = temp_dir("valid");
    std::fs::write(dir.join("deep.gom"), nested_to(900, "(", "1", ")")).expect("write");
    let (code, stderr) = gom(&["check", "deep.gom"], &dir);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn binary_reports_unreadable_files() {
    let dir = temp_dir("unreadable");
    let (code, stderr) = gom(&["check", "missing.gom"], &dir);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "gom: cannot read missing.gom: no such file or directory\n"
    );
    let (code, stderr) = gom(&["parse", "."], &dir);
    assert_eq!(code, Some(1));
    assert_eq!(stderr, "gom: cannot read .: is a directory\n");
}

#[test]
fn binary_usage_errors_exit_2() {
    let dir = temp_dir("usage");
    assert_eq!(gom(&["frobnicate"], &dir).0, Some(2));
    assert_eq!(gom(&["check"], &dir).0, Some(2));
    assert_eq!(gom(&["version"], &dir).0, Some(0));
    assert_eq!(gom(&["help"], &dir).0, Some(0));
}
