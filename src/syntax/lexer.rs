//! Placeholder: the lexer is being written.
use super::token::Token;
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

pub type Spanned<'src> = (u32, Token<'src>, u32);

#[derive(Debug, Clone, Error, Diagnostic)]
pub enum LexError {
    #[error("invalid character {ch:?}")]
    #[diagnostic(code(gom::syntax::invalid_character))]
    InvalidCharacter {
        ch: char,
        #[label("here")]
        span: SourceSpan,
    },
}

pub fn tokenize(_src: &str) -> (Vec<Spanned<'_>>, Vec<LexError>) {
    (Vec::new(), Vec::new())
}
