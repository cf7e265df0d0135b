//! The interactive REPL (`gom`, `gom repl`).
//!
//! Input: lines from the terminal (rustyline: line editing, history, tab completion).
//! Output: the entries' output and values, diagnostics, and the exit status (0, or the code
//! given to `os.Exit`). Entry: [`main`].
//!
//! The loop reads an entry, continuing with `...` lines while the parser reports that the
//! input ended early (an open brace); an empty continuation line submits it as it is unless a
//! bracket is still open. An entry
//! is evaluated by [`session::Session`]; lines starting with `:` are commands (`:help`).
//! Ctrl-C cancels the input being typed, or interrupts the running entry; Ctrl-D exits.
//! History is kept in `$GOM_HISTORY`, else `$XDG_DATA_HOME/gom/history`, else
//! `~/.local/share/gom/history`.

mod complete;
mod output;
pub mod session;

use crate::diag::Style;
use complete::{GomHelper, Names};
use output::{Printer, Sink};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};
use session::{Outcome, Session};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::vm::session::EntryEnd;

const PROMPT: &str = "gom> ";
const CONTINUATION: &str = "...  ";

const HELP: &str = "\
Enter Go statements, declarations (func, type, var, const, import) or expressions.
Variables keep their values; goroutines keep running in the background.
  :help          this text
  :quit          leave (also Ctrl-D)
  :reset         forget everything (a new session)
  :load FILE     add FILE's declarations (a .gom program; its main is not run)
  :type EXPR     the type of EXPR
  :goroutines    live goroutines
  :bytecode NAME the compiled code of function NAME
Ctrl-C cancels the input, or interrupts the running entry.";

/// Set by the SIGINT handler while an entry runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Runs the REPL; returns the exit status.
pub fn main(style: Style) -> u8 {
    let config = Config::builder().auto_add_history(false).build();
    let mut editor: Editor<GomHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("gom: cannot start the REPL: {e}");
            return 1;
        }
    };
    let names = Rc::new(RefCell::new(Names::default()));
    editor.set_helper(Some(GomHelper {
        names: names.clone(),
    }));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    // During an entry the terminal is not in raw mode: Ctrl-C arrives as SIGINT.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    let external = editor
        .create_external_printer()
        .ok()
        .map(|p| Box::new(p) as output::External);
    let printer = Printer::new(external);
    let Some(mut session) = new_session(&printer, style) else {
        return 1;
    };
    names.borrow_mut().refresh(&session);
    println!(
        "gom {} REPL: Go statements, declarations and expressions; :help for commands",
        env!("CARGO_PKG_VERSION")
    );
    let status = repl_loop(&mut editor, &mut session, &printer, &names, style);
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(path);
    }
    status
}

fn new_session(printer: &Arc<Printer>, style: Style) -> Option<Session> {
    match Session::new(Box::new(Sink(printer.clone())), style) {
        Ok(session) => Some(session),
        Err(message) => {
            eprintln!("gom: cannot start the REPL session: {message}");
            None
        }
    }
}

fn repl_loop(
    editor: &mut Editor<GomHelper, DefaultHistory>,
    session: &mut Session,
    printer: &Arc<Printer>,
    names: &Rc<RefCell<Names>>,
    style: Style,
) -> u8 {
    let mut entry = String::new();
    loop {
        let prompt = if entry.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        printer.set_at_prompt(true);
        let line = editor.readline(prompt);
        printer.set_at_prompt(false);
        let line = match line {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                entry.clear();
                continue;
            }
            Err(ReadlineError::Eof) => return 0,
            Err(e) => {
                eprintln!("gom: cannot read input: {e}");
                return 1;
            }
        };
        if !line.trim().is_empty() {
            let _ = editor.add_history_entry(line.as_str());
        }
        if entry.is_empty() && line.trim_start().starts_with(':') {
            match command(line.trim(), session, printer, style) {
                Command::Continue => {}
                Command::Quit(code) => return code,
            }
            names.borrow_mut().refresh(session);
            continue;
        }
        // An empty line submits an unfinished entry as it is (to see its errors), unless a
        // bracket is still open: pasted code has blank lines inside function bodies.
        let force = !entry.is_empty() && line.trim().is_empty() && open_brackets(&entry) <= 0;
        if !entry.is_empty() {
            entry.push('\n');
        }
        entry.push_str(&line);
        INTERRUPTED.store(false, Ordering::SeqCst);
        let outcome = session.eval(&entry, force, &|| INTERRUPTED.load(Ordering::SeqCst));
        match outcome {
            Outcome::Incomplete => continue,
            Outcome::Empty => {}
            Outcome::Errors(text) => eprint!("{text}"),
            Outcome::Ran(end) => {
                if let Some(code) = report_end(end) {
                    return code;
                }
            }
        }
        entry.clear();
        names.borrow_mut().refresh(session);
    }
}

/// How many `{`, `(` and `[` are open in `text` (outside strings, runes and comments).
fn open_brackets(text: &str) -> i64 {
    let mut depth = 0i64;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            '"' | '\'' => skip_quoted(&mut chars, c),
            '`' => {
                for d in chars.by_ref() {
                    if d == '`' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for d in chars.by_ref() {
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            _ => {}
        }
    }
    depth
}

/// Skips an interpreted string or rune literal up to its closing `quote` (or the line end).
fn skip_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, quote: char) {
    while let Some(d) = chars.next() {
        match d {
            '\\' => {
                chars.next();
            }
            '\n' => return,
            _ if d == quote => return,
            _ => {}
        }
    }
}

/// Says how an entry ended when that is news; `Some(status)` ends the REPL.
fn report_end(end: EntryEnd) -> Option<u8> {
    match end {
        EntryEnd::Done | EntryEnd::Panicked | EntryEnd::Deadlock => None,
        EntryEnd::Interrupted => {
            eprintln!("interrupted");
            None
        }
        EntryEnd::Exited(code) => Some(u8::try_from(code & 0xff).unwrap_or(1)),
    }
}

enum Command {
    Continue,
    Quit(u8),
}

fn command(line: &str, session: &mut Session, printer: &Arc<Printer>, style: Style) -> Command {
    let (name, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let arg = arg.trim();
    match name {
        ":help" | ":h" | ":?" => println!("{HELP}"),
        ":quit" | ":q" | ":exit" => return Command::Quit(0),
        ":reset" => {
            if let Some(fresh) = new_session(printer, style) {
                *session = fresh;
                println!("session reset");
            }
        }
        ":load" if !arg.is_empty() => match crate::driver::load(arg) {
            Ok(file) => {
                INTERRUPTED.store(false, Ordering::SeqCst);
                let interrupted = || INTERRUPTED.load(Ordering::SeqCst);
                match session.load_program(arg, &file.text, &interrupted) {
                    Outcome::Errors(text) => eprint!("{text}"),
                    Outcome::Ran(end) => {
                        if let Some(code) = report_end(end) {
                            return Command::Quit(code);
                        }
                        println!("loaded {arg}");
                    }
                    Outcome::Empty | Outcome::Incomplete => {}
                }
            }
            Err(crate::driver::LoadError::Unreadable { path, reason }) => {
                eprintln!("gom: cannot read {path}: {reason}")
            }
            Err(crate::driver::LoadError::InvalidUtf8 { .. }) => {
                eprintln!("gom: {arg} is not UTF-8")
            }
        },
        ":type" if !arg.is_empty() => match session.type_of(arg) {
            Ok(ty) => println!("{ty}"),
            Err(text) => eprint!("{text}"),
        },
        ":goroutines" => print!("{}", session.goroutines()),
        ":bytecode" if !arg.is_empty() => match session.bytecode(arg) {
            Some(text) => print!("{text}"),
            None => eprintln!("gom: no compiled function named {arg}"),
        },
        ":load" | ":type" | ":bytecode" => eprintln!("gom: {name} needs an argument (see :help)"),
        _ => eprintln!("gom: unknown command {name} (see :help)"),
    }
    Command::Continue
}

/// Where the history is kept (see the module comment); `None` if there is no home.
fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("GOM_HISTORY").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("gom/history"))
}

#[cfg(test)]
mod tests {
    use super::open_brackets;

    #[test]
    fn brackets_outside_literals_and_comments() {
        assert_eq!(open_brackets("func f() {"), 1);
        assert_eq!(open_brackets("s := \"{(\" + `[` // {\n x := '{'"), 0);
        assert_eq!(open_brackets("for {\n /* } */ if x {\n}"), 1);
    }
}
