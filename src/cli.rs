//! The `gom` command line.
//!
//! Input: the process arguments and environment. Output: text on stdout/stderr and an exit
//! status ([`crate::driver::EXIT_OK`] 0, [`crate::driver::EXIT_ERRORS`] 1, usage errors 2).
//! Each subcommand runs the [`crate::driver`] stages inside [`crate::with_large_stack`] and
//! renders their diagnostics with [`crate::diag`].

use crate::diag::{self, BoxedDiagnostic, Style};
use crate::driver::{self, LoadError, EXIT_ERRORS, EXIT_OK};
use crate::source::SourceFile;
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "gom",
    version,
    about = "gom runs Go-concurrency programs (.gom files, Go syntax): goroutines, channels, \
             select, sync and context (no command: the interactive REPL)"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check FILE and run it; ARGS are passed to the program (os.Args[1:])
    Run {
        /// Print the compiled bytecode instead of running
        #[arg(long)]
        dump_bytecode: bool,
        /// The .gom program
        file: String,
        /// Arguments for the program
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Parse and check every FILE, printing all diagnostics; exit 1 if any has errors
    Check {
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Parse FILE and print its syntax tree
    Parse {
        file: String,
        /// Print nothing on success (only diagnostics): for corpus runs
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run users' golden tests: every NAME.gom with a NAME.out (and optional NAME.err) under PATH
    Test {
        /// Files or folders to search (default: the current folder)
        paths: Vec<String>,
        /// Rewrite NAME.out (and NAME.err) from what the programs print
        #[arg(long)]
        update: bool,
        /// Only programs whose path matches this regular expression
        #[arg(long, value_name = "REGEX")]
        run: Option<String>,
    },
    /// Start the interactive read-eval-print loop (also: `gom` with no command)
    Repl,
    /// Print gom's version
    Version,
}

/// Runs the command line; the binary's `main` is just this.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = Style::for_stderr();
    let command = cli.command.unwrap_or(Command::Repl);
    ExitCode::from(crate::with_large_stack(move || execute(command, style)))
}

fn execute(command: Command, style: Style) -> u8 {
    match command {
        Command::Test { paths, update, run } => {
            let gom = std::env::current_exe().unwrap_or_else(|_| "gom".into());
            crate::gomtest::run_tests(&crate::gomtest::Options {
                paths,
                update,
                run,
                gom,
            })
        }
        Command::Repl => crate::repl::main(style),
        Command::Run {
            file,
            args,
            dump_bytecode,
        } => run(&file, &args, dump_bytecode, style),
        Command::Check { files } => check_all(&files, style),
        Command::Parse { file, quiet } => parse(&file, quiet, style),
        Command::Version => {
            print_stdout(&format!("gom {}\n", env!("CARGO_PKG_VERSION")));
            EXIT_OK
        }
    }
}

fn run(path: &str, _args: &[String], dump_bytecode: bool, style: Style) -> u8 {
    let Some(file) = load(path, style) else {
        return EXIT_ERRORS;
    };
    match driver::check(&file) {
        Ok(program) => {
            let compiled = crate::compile::compile_program(program);
            if dump_bytecode {
                print_stdout(&compiled.disassemble());
                return EXIT_OK;
            }
            let code = crate::vm::run_program(compiled);
            u8::try_from(code & 0xff).unwrap_or(EXIT_ERRORS)
        }
        Err(errors) => report(&file, &errors, style),
    }
}

fn check_all(paths: &[String], style: Style) -> u8 {
    let mut status = EXIT_OK;
    for path in paths {
        let ok = match load(path, style) {
            Some(file) => match driver::check(&file) {
                Ok(_) => true,
                Err(errors) => report(&file, &errors, style) == EXIT_OK,
            },
            None => false,
        };
        if !ok {
            status = EXIT_ERRORS;
        }
    }
    status
}

fn parse(path: &str, quiet: bool, style: Style) -> u8 {
    let Some(file) = load(path, style) else {
        return EXIT_ERRORS;
    };
    match driver::parse(&file) {
        Ok(ast) if quiet => {
            drop(ast);
            EXIT_OK
        }
        Ok(ast) => {
            if print_ast(&ast) {
                EXIT_OK
            } else {
                EXIT_ERRORS
            }
        }
        Err(errors) => report(&file, &errors, style),
    }
}

/// Reads `path`, printing why it cannot be used if so.
fn load(path: &str, style: Style) -> Option<SourceFile> {
    match driver::load(path) {
        Ok(file) => Some(file),
        Err(LoadError::Unreadable { path, reason }) => {
            eprintln!("gom: cannot read {path}: {reason}");
            None
        }
        Err(LoadError::InvalidUtf8 { file, errors }) => {
            report(&file, &errors, style);
            None
        }
    }
}

/// Prints the diagnostics about `file`; returns the exit status they imply.
fn report(file: &SourceFile, errors: &[BoxedDiagnostic], style: Style) -> u8 {
    let text = diag::render_boxed(file, errors, style);
    let mut stderr = io::stderr().lock();
    // If stderr is gone there is nobody left to tell.
    let _ = stderr.write_all(text.as_bytes());
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERRORS
    }
}

/// Streams the AST's `{:#?}` form to stdout (it can be far larger than the source).
fn print_ast(ast: &crate::syntax::ast::File) -> bool {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    writeln!(stdout, "{ast:#?}").is_ok() && stdout.flush().is_ok()
}

/// Writes to stdout; false if it is closed (e.g. `gom parse f.gom | head`).
fn print_stdout(text: &str) -> bool {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes()).is_ok() && stdout.flush().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
