//! The syntax stage: source text to AST.
//!
//! Input: a [`SourceFile`]. Output: an [`ast::File`] with a [`Span`](crate::source::Span) on
//! every node, or every lexical and syntax error found (the parser recovers at statement and
//! declaration boundaries, so one run reports many). Entry point: [`parse_file`].

pub mod ast;
pub(crate) mod build;
pub mod errors;
pub mod lexer;
pub mod literal;
mod parser;
pub mod token;

pub use errors::SyntaxError;
pub use parser::parse_file;
