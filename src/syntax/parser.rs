//! Glue between the lexer and the lalrpop-generated parser.
//!
//! Input: a [`SourceFile`]. Output: the [`ast::File`], or every error found. Lexical errors do
//! not stop parsing (the lexer recovers), except when brackets nest deeper than
//! [`lexer::MAX_NESTING`]: such input is refused before it reaches any recursive code.

use super::ast;
use super::build::Builder;
use super::errors::SyntaxError;
use super::lexer;
use crate::source::SourceFile;
use lalrpop_util::lalrpop_mod;

lalrpop_mod!(
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::unwrap_used,
        unused,
        unused_qualifications
    )]
    gom,
    "/gom.rs"
);

/// Parses one file. Returns the AST, or every lexical and syntax error found.
pub fn parse_file(file: &SourceFile) -> Result<ast::File, Vec<SyntaxError>> {
    let (tokens, lex_errors) = lexer::tokenize(&file.text);
    let mut errors: Vec<SyntaxError> = lex_errors.into_iter().map(SyntaxError::from).collect();
    if errors
        .iter()
        .any(|e| matches!(e, SyntaxError::Lex(lexer::LexError::TooDeeplyNested { .. })))
    {
        return Err(errors);
    }
    let mut builder = Builder::new(&file.text, !errors.is_empty());
    let result = gom::FileParser::new().parse(&mut builder, tokens.into_iter().map(Ok::<_, ()>));
    let file = result.map_err(|e| builder.report(e)).ok();
    errors.append(&mut builder.errors);
    match file {
        Some(file) if errors.is_empty() => Ok(file),
        _ => Err(errors),
    }
}
