//! The pipeline driver: runs the stages in order on one file and collects their diagnostics.
//!
//! Input: a path as the user typed it. Output: a [`SourceFile`] ([`load`]), then an AST
//! ([`parse`]), then a checked program ([`check`]; today the parse result, the type checker
//! slots in here), then — once the VM lands — a run. Every stage returns either its product or
//! all the diagnostics it found, boxed as [`BoxedDiagnostic`] so that the command line renders
//! them uniformly with [`crate::diag`]. This module prints nothing and never exits the process.
//!
//! Callers run these functions inside [`crate::with_large_stack`]: user programs can nest
//! deeply and every tree walk (including dropping the AST) recurses.

use crate::diag::BoxedDiagnostic;
use crate::source::SourceFile;
use crate::syntax::{self, ast};
use miette::{Diagnostic, SourceSpan};
use std::io;
use thiserror::Error;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: compile errors, unreadable files, or a stage that is not implemented yet.
pub const EXIT_ERRORS: u8 = 1;
/// Exit status: bad command-line usage (clap's default, as Go's tools do), or a Go panic or
/// `fatal error:` at run time.
pub const EXIT_USAGE_OR_PANIC: u8 = 2;

/// A program after the static checks: the typed AST.
pub type Checked = crate::check::tast::Program;

/// Why a file could not become a [`SourceFile`].
#[derive(Debug)]
pub enum LoadError {
    /// Missing, a directory, unreadable: shown as `gom: cannot read FILE: REASON`.
    Unreadable { path: String, reason: String },
    /// Not UTF-8: one diagnostic per invalid byte sequence, against the lossy text in `file`.
    InvalidUtf8 {
        file: SourceFile,
        errors: Vec<BoxedDiagnostic>,
    },
}

/// A byte sequence that is not UTF-8. Its span points at the U+FFFD that replaces the sequence
/// in the lossily decoded text.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("invalid UTF-8 encoding")]
#[diagnostic(
    code(gom::source::invalid_utf8),
    help("Go source files must be UTF-8; re-encode the file (e.g. with iconv)")
)]
pub struct InvalidUtf8 {
    #[label("not UTF-8 ({len} byte(s))")]
    pub span: SourceSpan,
    pub len: usize,
}

/// Reads the file at `path`; the path is kept verbatim as the name diagnostics show.
pub fn load(path: &str) -> Result<SourceFile, LoadError> {
    let bytes = read_bytes(path).map_err(|err| LoadError::Unreadable {
        path: path.to_string(),
        reason: io_reason(&err),
    })?;
    decode(path, bytes)
}

fn read_bytes(path: &str) -> io::Result<Vec<u8>> {
    if std::fs::metadata(path)?.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    std::fs::read(path)
}

/// `No such file or directory (os error 2)` -> `no such file or directory`, as Go words it.
fn io_reason(err: &io::Error) -> String {
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".to_string(),
    }
}

/// Turns bytes into a [`SourceFile`], or reports every invalid UTF-8 sequence.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceFile, LoadError> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(SourceFile::new(name, text)),
        Err(err) => err.into_bytes(),
    };
    let mut lossy = String::with_capacity(bytes.len() + 16);
    let mut errors: Vec<BoxedDiagnostic> = Vec::new();
    for chunk in bytes.utf8_chunks() {
        lossy.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            let start = lossy.len();
            lossy.push(char::REPLACEMENT_CHARACTER);
            errors.push(Box::new(InvalidUtf8 {
                span: SourceSpan::new(start.into(), lossy.len() - start),
                len: chunk.invalid().len(),
            }));
        }
    }
    Err(LoadError::InvalidUtf8 {
        file: SourceFile::new(name, lossy),
        errors,
    })
}

/// The syntax stage: every lexical and syntax error, or the AST.
pub fn parse(file: &SourceFile) -> Result<ast::File, Vec<BoxedDiagnostic>> {
    syntax::parse_file(file).map_err(boxed)
}

/// Every static check: parsing, then type checking (with the imported standard library).
pub fn check(file: &SourceFile) -> Result<Checked, Vec<BoxedDiagnostic>> {
    let ast = parse(file)?;
    crate::check::check_program(file, ast)
        .map_err(|errors| errors.into_iter().map(|e| in_user_file(e, file)).collect())
}

/// Checker errors point into the user's file; one inside gom's standard library is a gom
/// bug, reported with its own location since the user's file cannot show it.
fn in_user_file(mut error: crate::check::CheckError, file: &SourceFile) -> BoxedDiagnostic {
    if error.file != 0 {
        let sources = crate::check::stdlib_source(error.file);
        let location = match &sources {
            Some(src) => {
                let (line, col) = src.line_col(error.span.start);
                format!("{}:{line}:{col}", src.name)
            }
            None => "gom's standard library".to_string(),
        };
        error.message = format!("gom internal error in {location}: {}", error.message);
        error.span = crate::source::Span::new(0, 0);
        error.file = 0;
    }
    let _ = file;
    Box::new(error)
}

fn boxed<E: Diagnostic + Send + Sync + 'static>(errors: Vec<E>) -> Vec<BoxedDiagnostic> {
    errors
        .into_iter()
        .map(|e| Box::new(e) as BoxedDiagnostic)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reason_is_go_like() {
        let err = io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&err), "no such file or directory");
    }

    #[test]
    fn invalid_utf8_spans_point_at_replacements() {
        let bytes = b"ab\xffcd\xe2\x82x".to_vec();
        let Err(LoadError::InvalidUtf8 { file, errors }) = decode("f.gom", bytes) else {
            panic!("expected invalid UTF-8");
        };
        assert_eq!(file.text, "ab\u{FFFD}cd\u{FFFD}x");
        let offsets: Vec<usize> = errors
            .iter()
            .filter_map(|e| crate::diag::primary_offset(e.as_ref()))
            .collect();
        assert_eq!(offsets, vec![2, 7]);
    }
}
