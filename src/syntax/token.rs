//! The tokens the parser consumes.
//!
//! Produced by [`super::lexer`], consumed by the lalrpop grammar (`grammar/gom.lalrpop`), whose
//! `extern` block names every variant. Literal tokens carry their raw source text; their values
//! are decoded by [`super::literal`] once the lexer has validated them.

use std::fmt;

/// Why a semicolon is in the token stream (Go inserts most of them; diagnostics say `newline`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SemiKind {
    /// Written by the user.
    Explicit,
    /// Inserted at the end of a line.
    Newline,
    /// Inserted at the end of the file.
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Token<'src> {
    // Literals and names, as written.
    Ident(&'src str),
    Int(&'src str),
    Float(&'src str),
    Imag(&'src str),
    Rune(&'src str),
    /// An interpreted (`"..."`) or raw (`` `...` ``) string literal, quotes included.
    Str(&'src str),

    // Keywords.
    Break,
    Case,
    Chan,
    Const,
    Continue,
    Default,
    Defer,
    Else,
    Fallthrough,
    For,
    Func,
    Go,
    Goto,
    If,
    Import,
    Interface,
    Map,
    Package,
    Range,
    Return,
    Select,
    Struct,
    Switch,
    Type,
    Var,

    // Operators.
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Amp,
    Pipe,
    Caret,
    Shl,
    Shr,
    AndNot,
    PlusAssign,
    MinusAssign,
    StarAssign,
    SlashAssign,
    PercentAssign,
    AmpAssign,
    PipeAssign,
    CaretAssign,
    ShlAssign,
    ShrAssign,
    AndNotAssign,
    AndAnd,
    OrOr,
    Arrow,
    Inc,
    Dec,
    EqEq,
    Lt,
    Gt,
    Assign,
    Not,
    Tilde,
    NotEq,
    Le,
    Ge,
    Define,
    Ellipsis,

    // Punctuation.
    LParen,
    RParen,
    LBrack,
    RBrack,
    /// `{` opening a composite literal, block, or struct/interface body.
    LBrace,
    /// `{` met at the bracket level of an `if`/`for`/`switch` header: the statement's body, or
    /// a composite literal / func literal inside the header (see the lexer's module comment).
    LBody,
    RBrace,
    Comma,
    Semi(SemiKind),
    Dot,
    Colon,
}

impl Token<'_> {
    /// How Go's compiler names the token in `syntax error: unexpected X` messages.
    pub fn describe(&self) -> String {
        match self {
            Token::Ident(s) => format!("name {s}"),
            Token::Int(s) | Token::Float(s) | Token::Imag(s) | Token::Rune(s) | Token::Str(s) => {
                format!("literal {s}")
            }
            Token::Semi(SemiKind::Newline) => "newline".to_string(),
            Token::Semi(SemiKind::Eof) => "EOF".to_string(),
            Token::Semi(SemiKind::Explicit) => "semicolon".to_string(),
            Token::LBody => "{".to_string(),
            other => {
                let text = other.text();
                if other.is_keyword() {
                    format!("keyword {text}")
                } else {
                    text.to_string()
                }
            }
        }
    }

    pub fn is_keyword(&self) -> bool {
        use Token::*;
        matches!(
            self,
            Break
                | Case
                | Chan
                | Const
                | Continue
                | Default
                | Defer
                | Else
                | Fallthrough
                | For
                | Func
                | Go
                | Goto
                | If
                | Import
                | Interface
                | Map
                | Package
                | Range
                | Return
                | Select
                | Struct
                | Switch
                | Type
                | Var
        )
    }

    /// The token's source text (for fixed tokens) or raw text (for literals and names).
    pub fn text(&self) -> &str {
        use Token::*;
        match self {
            Ident(s) | Int(s) | Float(s) | Imag(s) | Rune(s) | Str(s) => s,
            Break => "break",
            Case => "case",
            Chan => "chan",
            Const => "const",
            Continue => "continue",
            Default => "default",
            Defer => "defer",
            Else => "else",
            Fallthrough => "fallthrough",
            For => "for",
            Func => "func",
            Go => "go",
            Goto => "goto",
            If => "if",
            Import => "import",
            Interface => "interface",
            Map => "map",
            Package => "package",
            Range => "range",
            Return => "return",
            Select => "select",
            Struct => "struct",
            Switch => "switch",
            Type => "type",
            Var => "var",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Amp => "&",
            Pipe => "|",
            Caret => "^",
            Shl => "<<",
            Shr => ">>",
            AndNot => "&^",
            PlusAssign => "+=",
            MinusAssign => "-=",
            StarAssign => "*=",
            SlashAssign => "/=",
            PercentAssign => "%=",
            AmpAssign => "&=",
            PipeAssign => "|=",
            CaretAssign => "^=",
            ShlAssign => "<<=",
            ShrAssign => ">>=",
            AndNotAssign => "&^=",
            AndAnd => "&&",
            OrOr => "||",
            Arrow => "<-",
            Inc => "++",
            Dec => "--",
            EqEq => "==",
            Lt => "<",
            Gt => ">",
            Assign => "=",
            Not => "!",
            Tilde => "~",
            NotEq => "!=",
            Le => "<=",
            Ge => ">=",
            Define => ":=",
            Ellipsis => "...",
            LParen => "(",
            RParen => ")",
            LBrack => "[",
            RBrack => "]",
            LBrace | LBody => "{",
            RBrace => "}",
            Comma => ",",
            Semi(_) => ";",
            Dot => ".",
            Colon => ":",
        }
    }
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
