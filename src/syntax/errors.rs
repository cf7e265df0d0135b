//! Syntax-stage diagnostics: lexical errors (from the lexer) and syntax errors (from the parser).
//!
//! Messages follow Go's compiler (`syntax error: unexpected newline, expected ...`) so that what
//! users learn from gom carries over to Go; labels and help say more than Go does.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

pub use super::lexer::LexError;

#[derive(Debug, Clone, Error, Diagnostic)]
pub enum SyntaxError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lex(#[from] LexError),

    #[error("syntax error: unexpected {found}{expected}")]
    #[diagnostic(code(gom::syntax::unexpected_token))]
    UnexpectedToken {
        found: String,
        /// Already formatted: `, expected X` or empty.
        expected: String,
        #[label("unexpected {found}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A construct Go's parser rejects; `message` carries Go's text, including its
    /// `syntax error: ` prefix where Go prints one.
    #[error("{message}")]
    #[diagnostic(code(gom::syntax::invalid))]
    Invalid {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("gom: too many errors")]
    #[diagnostic(code(gom::syntax::too_many_errors))]
    TooManyErrors,
}

impl SyntaxError {
    /// Where the error is (its primary label), for callers that report it elsewhere.
    pub fn span(&self) -> crate::source::Span {
        let offset = Diagnostic::labels(self)
            .and_then(|mut labels| labels.next())
            .map_or((0, 0), |l| (l.offset(), l.len()));
        crate::source::Span::new(offset.0 as u32, (offset.0 + offset.1) as u32)
    }
}
