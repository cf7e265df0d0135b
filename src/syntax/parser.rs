//! Glue between the lexer and the lalrpop-generated parser.
use super::ast;
use super::errors::SyntaxError;
use super::lexer;
use crate::source::SourceFile;
use lalrpop_util::lalrpop_mod;

lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused)]
    gom,
    "/gom.rs"
);

/// Parses one file. Returns the AST, or every lexical and syntax error found.
pub fn parse_file(file: &SourceFile) -> Result<ast::File, Vec<SyntaxError>> {
    let (tokens, lex_errors) = lexer::tokenize(&file.text);
    let mut errors: Vec<SyntaxError> = lex_errors.into_iter().map(SyntaxError::from).collect();
    let result = gom::FileParser::new().parse(tokens.into_iter().map(Ok::<_, ()>));
    match result {
        Ok(ast) if errors.is_empty() => Ok(ast),
        Ok(_) => Err(errors),
        Err(_) => {
            errors.push(SyntaxError::TooManyErrors);
            Err(errors)
        }
    }
}
