//! One REPL session: turns each entry into a piece of package `main`, checks, compiles and
//! runs it in a VM that lives as long as the session.
//!
//! Input: the text of an entry. Output: [`Outcome`]: the entry needs more lines, its compile
//! errors (rendered against the entered text), or how its run ended. Entry: [`Session::eval`].
//!
//! How an entry becomes Go (the user's text is kept verbatim at a known offset on the first
//! line, so that diagnostics can be moved back onto it and tracebacks cite its own lines):
//! - a declaration (`import`, `type`, `const`, `var`, `func NAME`, a method) is a file of
//!   package `main` by itself; its variables are initialised when it runs;
//! - `a, b := EXPR` becomes `var a, b = EXPR`, a package variable, so it outlives the entry;
//! - an expression `EXPR` becomes a function whose body is `__gom_show(EXPR,)`, which prints
//!   each value with `%v` (and its type unless it is a bool, int, float64 or string); a call
//!   that has no value (`f()`) falls back to the next form, and `fmt.Print*`/`println` calls
//!   are statements (their results are noise);
//! - any other statements become the body of a new function, called once.
//!
//! Earlier entries are never run again: the checker, the compiler and the VM all extend their
//! state ([`crate::check::session`], [`crate::compile::session`], [`crate::vm::session`]).

use crate::check::session::Session as CheckSession;
use crate::compile::session::Session as CompileSession;
use crate::diag::{self, BoxedDiagnostic, Style};
use crate::source::SourceFile;
use crate::syntax::{self, ast};
use crate::vm::session::{EntryEnd, VmSession};
use miette::{Diagnostic, LabeledSpan};
use std::io::Write;

/// The name diagnostics give the entered text.
pub const ENTRY_NAME: &str = "<repl>";

/// Prepared once per session: the printing helper of expression entries.
const PRELUDE: &str = r#"package main

import __gom_fmt "fmt"

func __gom_show(values ...any) {
	for i, v := range values {
		if i > 0 {
			__gom_fmt.Print(" ")
		}
		switch v.(type) {
		case nil, bool, int, float64, string:
			__gom_fmt.Printf("%v", v)
		default:
			__gom_fmt.Printf("%v (%T)", v, v)
		}
	}
	__gom_fmt.Println()
}
"#;

/// What became of an entry.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing to do (blank).
    Empty,
    /// The entry is not finished (e.g. a brace is still open): read another line.
    Incomplete,
    /// Compile errors, rendered.
    Errors(String),
    /// It ran.
    Ran(EntryEnd),
}

/// A session: the checked, compiled and running state of everything entered so far.
pub struct Session {
    check: CheckSession,
    compile: CompileSession,
    vm: VmSession,
    entries: usize,
    style: Style,
}

/// One way of turning an entry into a file.
struct Form {
    source: String,
    /// Where the entered text starts in `source`.
    offset: usize,
    /// The statement function it declares, if any.
    call: Option<String>,
}

impl Session {
    /// Starts a session whose programs print to `sink`.
    pub fn new(sink: Box<dyn Write + Send>, style: Style) -> Result<Session, String> {
        let check = CheckSession::new();
        let vm = VmSession::start(check.runtime_error_type(), sink)?;
        let mut session = Session {
            check,
            compile: CompileSession::new(),
            vm,
            entries: 0,
            style,
        };
        let prelude = Form {
            source: PRELUDE.to_string(),
            offset: 0,
            call: None,
        };
        match session.run_form(&prelude, PRELUDE, &|| false) {
            Ok(EntryEnd::Done) => Ok(session),
            Ok(end) => Err(format!("the session's prelude ended with {end:?}")),
            Err(errors) => Err(format!("the session's prelude does not compile:\n{errors}")),
        }
    }

    /// Checks and runs one entry. With `force`, an entry that looks unfinished is compiled
    /// anyway (the user entered an empty line), so its errors show.
    pub fn eval(&mut self, text: &str, force: bool, interrupted: &dyn Fn() -> bool) -> Outcome {
        if text.trim().is_empty() {
            return Outcome::Empty;
        }
        self.entries += 1;
        let forms = self.forms(text);
        let mut first_errors = None;
        for form in &forms {
            let parsed = match self.parse(form, text) {
                Parsed::Incomplete if !force => return Outcome::Incomplete,
                Parsed::Incomplete => Parsed::Errors(self.parse_errors(form, text)),
                other => other,
            };
            let result = match parsed {
                Parsed::Ok(ast) => self.check_and_run(form, text, ast, interrupted),
                Parsed::Errors(errors) => Err(errors),
                Parsed::Incomplete => continue,
            };
            match result {
                Ok(end) => return Outcome::Ran(end),
                Err(errors) => {
                    first_errors.get_or_insert(errors);
                }
            }
        }
        Outcome::Errors(first_errors.unwrap_or_default())
    }

    /// `:type EXPR`: the type of an expression, or its errors.
    pub fn type_of(&mut self, expr: &str) -> Result<String, String> {
        let prefix = "package main; var __gom_probe = ";
        let form = Form {
            source: format!("{prefix}{expr}\n"),
            offset: prefix.len(),
            call: None,
        };
        let ast = match self.parse(&form, expr) {
            Parsed::Ok(ast) => ast,
            _ => return Err(self.parse_errors(&form, expr)),
        };
        let file = SourceFile::new(ENTRY_NAME, form.source.clone());
        self.check
            .type_of(file, ast, "__gom_probe")
            .map_err(|errors| self.render(&form, expr, boxed(errors)))
    }

    /// `:load FILE`: a whole program's declarations join the session (its `main` is not run).
    pub fn load_program(
        &mut self,
        name: &str,
        text: &str,
        interrupted: &dyn Fn() -> bool,
    ) -> Outcome {
        let form = Form {
            source: text.to_string(),
            offset: 0,
            call: None,
        };
        let file = SourceFile::new(name, text.to_string());
        let ast = match syntax::parse_file(&file) {
            Ok(ast) => ast,
            Err(errors) => {
                let errors = errors.into_iter().map(|e| Box::new(e) as BoxedDiagnostic);
                return Outcome::Errors(diag::render_boxed(
                    &file,
                    &errors.collect::<Vec<_>>(),
                    self.style,
                ));
            }
        };
        match self.check.add(file.clone(), ast) {
            Ok(delta) => {
                let program = self.compile.add(&mut self.check, &delta, None);
                Outcome::Ran(self.vm.run(program, interrupted))
            }
            Err(errors) => {
                let _ = form;
                Outcome::Errors(diag::render_boxed(&file, &boxed(errors), self.style))
            }
        }
    }

    /// `:bytecode NAME`: the disassembly of the session's functions called NAME.
    pub fn bytecode(&self, name: &str) -> Option<String> {
        self.compile
            .disassemble(|f| f == name || f.strip_prefix("main.").is_some_and(|rest| rest == name))
    }

    /// Names for tab completion: in scope at the prompt.
    pub fn names(&self) -> Vec<String> {
        self.check.names_in_scope()
    }

    /// Exported members of an imported package, for tab completion.
    pub fn members(&self, package: &str) -> Vec<String> {
        self.check.package_members(package)
    }

    /// The standard-library packages gom provides.
    pub fn packages(&self) -> Vec<String> {
        self.check.packages_available()
    }

    /// `:goroutines`: the session's goroutines (see `vm::session::VmSession::goroutines`).
    pub fn goroutines(&self) -> String {
        self.vm.goroutines()
    }

    /// The ways to read an entry, most specific first.
    fn forms(&self, text: &str) -> Vec<Form> {
        let decl = Form {
            source: format!("package main; {text}\n"),
            offset: "package main; ".len(),
            call: None,
        };
        let name = format!("__gom_entry_{}", self.entries);
        let stmts_prefix = format!("package main; func {name}() {{ ");
        let statements = Form {
            source: format!("{stmts_prefix}{text}\n}}\n"),
            offset: stmts_prefix.len(),
            call: Some(name.clone()),
        };
        match first_word(text) {
            "import" | "type" | "const" | "var" => return vec![decl],
            "func" if is_func_decl(text) => return vec![decl],
            "func" => return vec![decl, statements],
            _ => {}
        }
        let file = SourceFile::new(ENTRY_NAME, statements.source.clone());
        let Ok(ast) = syntax::parse_file(&file) else {
            return vec![statements];
        };
        let Some(stmt) = only_statement(&ast) else {
            return vec![statements];
        };
        match &stmt.kind {
            ast::StmtKind::Assign {
                lhs,
                op: ast::AssignOp::Define,
                rhs,
            } => match define_as_var(text, statements.offset, lhs, rhs) {
                Some(var) => vec![var, statements],
                None => vec![statements],
            },
            ast::StmtKind::Expr(e) => {
                let show_prefix = format!("{stmts_prefix}__gom_show(");
                let show = Form {
                    source: format!("{show_prefix}{text},\n)\n}}\n"),
                    offset: show_prefix.len(),
                    call: Some(name),
                };
                if is_print_call(text) {
                    vec![statements]
                } else if matches!(e.kind, ast::ExprKind::Call { .. }) {
                    vec![show, statements]
                } else {
                    vec![show]
                }
            }
            _ => vec![statements],
        }
    }

    fn parse(&self, form: &Form, text: &str) -> Parsed {
        let file = SourceFile::new(ENTRY_NAME, form.source.clone());
        match syntax::parse_file(&file) {
            Ok(ast) => Parsed::Ok(ast),
            Err(errors) => {
                let end = form.offset + text.trim_end().len();
                if errors.iter().all(|e| e.span().start as usize >= end) {
                    Parsed::Incomplete
                } else {
                    Parsed::Errors(self.parse_errors(form, text))
                }
            }
        }
    }

    fn parse_errors(&self, form: &Form, text: &str) -> String {
        let file = SourceFile::new(ENTRY_NAME, form.source.clone());
        match syntax::parse_file(&file) {
            Ok(_) => String::new(),
            Err(errors) => {
                let errors = errors
                    .into_iter()
                    .map(|e| Box::new(e) as BoxedDiagnostic)
                    .collect();
                self.render(form, text, errors)
            }
        }
    }

    fn check_and_run(
        &mut self,
        form: &Form,
        text: &str,
        ast: ast::File,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<EntryEnd, String> {
        let file = SourceFile::new(ENTRY_NAME, form.source.clone());
        let delta = self
            .check
            .add(file, ast)
            .map_err(|errors| self.render(form, text, boxed(errors)))?;
        let call = form.call.as_deref().and_then(|n| self.check.func_named(n));
        let program = self.compile.add(&mut self.check, &delta, call);
        Ok(self.vm.run(program, interrupted))
    }

    fn run_form(
        &mut self,
        form: &Form,
        text: &str,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<EntryEnd, String> {
        match self.parse(form, text) {
            Parsed::Ok(ast) => self.check_and_run(form, text, ast, interrupted),
            _ => Err(self.parse_errors(form, text)),
        }
    }

    /// Renders diagnostics about `form.source` against the entered text.
    fn render(&self, form: &Form, text: &str, errors: Vec<BoxedDiagnostic>) -> String {
        let file = SourceFile::new(ENTRY_NAME, text.to_string());
        let moved: Vec<BoxedDiagnostic> = errors
            .iter()
            .map(|e| Box::new(Moved::new(e.as_ref(), form.offset, text.len())) as BoxedDiagnostic)
            .collect();
        diag::render_boxed(&file, &moved, self.style)
    }
}

enum Parsed {
    Ok(ast::File),
    Incomplete,
    Errors(String),
}

fn boxed(errors: Vec<crate::check::CheckError>) -> Vec<BoxedDiagnostic> {
    errors
        .into_iter()
        .map(|e| Box::new(e) as BoxedDiagnostic)
        .collect()
}

/// The first word of the entry (after blanks).
fn first_word(text: &str) -> &str {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// `fmt.Println(...)` and friends: their results (bytes written, error) are noise.
fn is_print_call(text: &str) -> bool {
    let callee = text.trim_start();
    [
        "fmt.Print",
        "fmt.Fprint",
        "print(",
        "println(",
        "log.Print",
        "log.Fatal",
        "log.Panic",
    ]
    .iter()
    .any(|p| callee.starts_with(p))
}

/// `func NAME` (not a function literal `func(`, nor a method `func (r T)`).
fn is_func_decl(text: &str) -> bool {
    let rest = text.trim_start().trim_start_matches("func").trim_start();
    rest.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// The one statement of the entry function, if the entry is exactly one statement.
fn only_statement(ast: &ast::File) -> Option<&ast::Stmt> {
    let ast::Decl::Func(f) = ast.decls.first()? else {
        return None;
    };
    match f.body.as_ref()?.stmts.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// `a, b := EXPR` as `var a, b = EXPR`: the `:=` becomes ` =`, so offsets do not move.
fn define_as_var(text: &str, offset: usize, lhs: &[ast::Expr], rhs: &[ast::Expr]) -> Option<Form> {
    let from = lhs.last()?.span.end as usize - offset;
    let to = rhs.first()?.span.start as usize - offset;
    let at = from + text.get(from..to)?.find(":=")?;
    let mut rewritten = text.to_string();
    rewritten.replace_range(at..at + 2, " =");
    let prefix = "package main; var ";
    Some(Form {
        source: format!("{prefix}{rewritten}\n"),
        offset: prefix.len(),
        call: None,
    })
}

/// A diagnostic moved from a wrapped source back onto the entered text.
#[derive(Debug)]
struct Moved {
    message: String,
    code: Option<String>,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
}

impl Moved {
    fn new(d: &dyn Diagnostic, offset: usize, len: usize) -> Moved {
        let labels = d
            .labels()
            .map(|labels| {
                labels
                    .map(|l| {
                        let start = l.offset().saturating_sub(offset).min(len);
                        let end = (l.offset() + l.len()).saturating_sub(offset).min(len);
                        LabeledSpan::new(l.label().map(str::to_string), start, end - start)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Moved {
            message: d.to_string(),
            code: d.code().map(|c| c.to_string()),
            help: d.help().map(|h| h.to_string()),
            labels,
        }
    }
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Moved {}

impl Diagnostic for Moved {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn std::fmt::Display>)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
