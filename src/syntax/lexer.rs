//! The lexer: source text to tokens.
//!
//! Input: a file's text. Output ([`tokenize`]): every token with its byte span, and every lexical
//! error. Lexing never fails as a whole: each error is recorded and scanning goes on with the
//! best token available (an unterminated string still yields a `Str` token, an invalid character
//! is skipped), so the parser always gets a token stream and one run reports many errors.
//! Messages are those of Go's compiler (`cmd/compile/internal/syntax/scanner.go`).
//!
//! Two passes:
//!
//! 1. [`RawToken`] (a logos lexer) splits the text into raw tokens, newlines and comments.
//!    Literals are scanned by hand-written callbacks that follow Go's scanner, so their errors
//!    are Go's and point at the offending character. Literal tokens carry their raw text
//!    (quotes included); [`super::literal`] decodes the values.
//! 2. [`Cooker`] turns raw tokens into parser tokens, applying the two rules below.
//!
//! **Automatic semicolons** (Go spec, "Semicolons"). After a line's final token, a
//! `Semi(Newline)` is inserted if that token is an identifier, a literal, `break`, `continue`,
//! `fallthrough`, `return`, `++`, `--`, `)`, `]` or `}`. A line comment ends at a newline, so it
//! changes nothing; a block comment containing a newline acts as a newline. At the end of the
//! file a `Semi(Eof)` is inserted under the same rule. Inserted semicolons have an empty span:
//! at the newline, at the start of the multi-line block comment (where Go reports it), or at
//! the end of the file. A written `;` is `Semi(Explicit)`.
//!
//! **`{` versus `LBody`**. Go forbids `if x == T{} {`: the first `{` after an `if`/`for`/`switch`
//! header at the header's bracket level is the body. The lexer marks such braces as
//! [`Token::LBody`] so that the grammar stays LALR(1):
//! - There is a stack of [`Frame`]s, one per open bracket plus the top level; each has a
//!   `header` flag, set by `if`, `for` and `switch` (not `select`, which has no header).
//! - `(` and `[` push a frame; `)` and `]` pop.
//! - `{` right after `struct` or `interface` is `LBrace` and opens a type body. Otherwise `{`
//!   is `LBody` if the current frame is in a header (and opens a "body candidate"), else
//!   `LBrace`.
//! - `}` pops. When it closes a body candidate, the lexer cannot know whether that was the body
//!   or a composite/func literal inside the header (`for _, v := range []int{1} {`). It guesses
//!   from the next token: the header goes on only if that token is on the same line and is
//!   `{ . ( [ ,` or a binary operator, or is a `;` the header still has room for (an `if` or
//!   `switch` header holds one `;`, a `for` header two: `if v := []int{1}; len(v) > 0 {`).
//!   Anything else (`else`, a newline) ends it. So `} else {` opens an ordinary block and
//!   `} else if c {` starts a new header. (The `;` guess is wrong for a body followed by `;`
//!   and more code on the same line, `if c { f() }; x := T{}`, which gofmt never writes.)
//! - A statement end (an inserted semicolon, or a `;` beyond the header's quota) also ends
//!   the header: Go rejects a header that spans statements.
//!
//! Closers with nothing open are not errors here (the parser reports them): the top frame is
//! never popped. Nesting deeper than [`MAX_NESTING`] brackets is reported once as
//! [`LexError::TooDeeplyNested`]; the parser then does not run, so deep input never reaches
//! recursive code.

use super::literal::{parse_escape, EscapeError};
use super::token::{SemiKind, Token};
use crate::source::Span;
use logos::{Lexer, Logos, Skip};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A token and its byte span: `(start, token, end)`, the shape lalrpop expects.
pub type Spanned<'src> = (u32, Token<'src>, u32);

/// The deepest bracket nesting (`(`, `[`, `{`) accepted.
pub const MAX_NESTING: usize = 1000;

/// A lexical error. Messages follow Go's compiler; labels and help say more.
#[derive(Debug, Clone, Error, Diagnostic)]
pub enum LexError {
    #[error("invalid character {ch}")]
    #[diagnostic(code(gom::syntax::invalid_character))]
    InvalidCharacter {
        /// Formatted as Go does: `U+0040 '@'`.
        ch: String,
        #[label("not valid in Go source")]
        span: SourceSpan,
    },

    #[error("invalid NUL character")]
    #[diagnostic(code(gom::syntax::invalid_nul))]
    InvalidNul {
        #[label("NUL byte")]
        span: SourceSpan,
    },

    #[error("invalid BOM in the middle of the file")]
    #[diagnostic(
        code(gom::syntax::misplaced_bom),
        help("a byte order mark (U+FEFF) may only be the first character of a file")
    )]
    MisplacedBom {
        #[label("byte order mark")]
        span: SourceSpan,
    },

    #[error("invalid character {ch} in identifier")]
    #[diagnostic(
        code(gom::syntax::invalid_identifier_character),
        help("identifiers consist of letters, digits and '_'")
    )]
    InvalidIdentifierCharacter {
        ch: String,
        #[label("not a letter or digit")]
        span: SourceSpan,
    },

    #[error("identifier cannot begin with digit {ch}")]
    #[diagnostic(code(gom::syntax::identifier_starts_with_digit))]
    IdentifierStartsWithDigit {
        ch: String,
        #[label("digit")]
        span: SourceSpan,
    },

    #[error("newline in string")]
    #[diagnostic(
        code(gom::syntax::newline_in_string),
        help("close the string on this line; for text spanning lines use a raw string (`...`) or \\n")
    )]
    NewlineInString {
        #[label("string not closed before the end of the line")]
        span: SourceSpan,
    },

    #[error("string not terminated")]
    #[diagnostic(code(gom::syntax::unterminated_string))]
    UnterminatedString {
        #[label("string not closed before the end of the file")]
        span: SourceSpan,
    },

    #[error("comment not terminated")]
    #[diagnostic(
        code(gom::syntax::unterminated_comment),
        help("close the comment with */")
    )]
    UnterminatedComment {
        #[label("comment not closed before the end of the file")]
        span: SourceSpan,
    },

    #[error("newline in rune literal")]
    #[diagnostic(code(gom::syntax::newline_in_rune))]
    NewlineInRune {
        #[label("rune literal not closed before the end of the line")]
        span: SourceSpan,
    },

    #[error("rune literal not terminated")]
    #[diagnostic(code(gom::syntax::unterminated_rune))]
    UnterminatedRune {
        #[label("rune literal not closed before the end of the file")]
        span: SourceSpan,
    },

    #[error("empty rune literal or unescaped '")]
    #[diagnostic(
        code(gom::syntax::empty_rune),
        help("a rune literal holds exactly one character; write '\\'' for a single quote")
    )]
    EmptyRune {
        #[label("no character before this quote")]
        span: SourceSpan,
    },

    #[error("more than one character in rune literal")]
    #[diagnostic(
        code(gom::syntax::multi_character_rune),
        help("use a string literal (\"...\") for text")
    )]
    MultiCharacterRune {
        #[label("several characters")]
        span: SourceSpan,
    },

    #[error("unknown escape")]
    #[diagnostic(
        code(gom::syntax::unknown_escape),
        help("valid escapes: \\a \\b \\f \\n \\r \\t \\v \\\\, \\' in runes, \\\" in strings, \\x41, \\101, \\u1234, \\U00101234")
    )]
    UnknownEscape {
        #[label("unknown escape")]
        span: SourceSpan,
    },

    #[error("invalid character {ch} in {base} escape")]
    #[diagnostic(code(gom::syntax::invalid_escape_digit))]
    InvalidEscapeDigit {
        /// Quoted as Go does: `'g'`, `'\n'`.
        ch: String,
        base: &'static str,
        #[label("not a {base} digit")]
        span: SourceSpan,
    },

    #[error("octal escape value {value} > 255")]
    #[diagnostic(code(gom::syntax::octal_escape_too_big))]
    OctalEscapeTooBig {
        value: u32,
        #[label("the value does not fit in a byte")]
        span: SourceSpan,
    },

    #[error("escape is invalid Unicode code point {code_point}")]
    #[diagnostic(
        code(gom::syntax::invalid_code_point),
        help("surrogate halves (U+D800 to U+DFFF) and values above U+10FFFF are not code points")
    )]
    InvalidCodePoint {
        /// Formatted as Go does: `U+D800`.
        code_point: String,
        #[label("not a Unicode code point")]
        span: SourceSpan,
    },

    #[error("invalid radix point in {base} literal")]
    #[diagnostic(code(gom::syntax::invalid_radix_point))]
    InvalidRadixPoint {
        base: &'static str,
        #[label("{base} literals have no fraction")]
        span: SourceSpan,
    },

    #[error("{base} literal has no digits")]
    #[diagnostic(code(gom::syntax::literal_without_digits))]
    NoDigits {
        base: &'static str,
        #[label("digits expected after the prefix")]
        span: SourceSpan,
    },

    #[error("{exponent} exponent requires decimal mantissa")]
    #[diagnostic(code(gom::syntax::exponent_requires_decimal))]
    ExponentRequiresDecimalMantissa {
        /// Quoted: `'e'` or `'E'`.
        exponent: String,
        #[label("decimal exponent")]
        span: SourceSpan,
    },

    #[error("{exponent} exponent requires hexadecimal mantissa")]
    #[diagnostic(code(gom::syntax::exponent_requires_hexadecimal))]
    ExponentRequiresHexMantissa {
        /// Quoted: `'p'` or `'P'`.
        exponent: String,
        #[label("hexadecimal exponent")]
        span: SourceSpan,
    },

    #[error("exponent has no digits")]
    #[diagnostic(code(gom::syntax::exponent_without_digits))]
    ExponentWithoutDigits {
        #[label("digits expected here")]
        span: SourceSpan,
    },

    #[error("hexadecimal mantissa requires a 'p' exponent")]
    #[diagnostic(
        code(gom::syntax::hexadecimal_mantissa_without_exponent),
        help("write a binary exponent, e.g. 0x1.8p0")
    )]
    HexMantissaWithoutExponent {
        #[label("'p' exponent expected here")]
        span: SourceSpan,
    },

    #[error("invalid digit {digit} in {base} literal")]
    #[diagnostic(code(gom::syntax::invalid_digit))]
    InvalidDigit {
        /// Quoted: `'8'`.
        digit: String,
        base: &'static str,
        #[label("not a {base} digit")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("'_' must separate successive digits")]
    #[diagnostic(
        code(gom::syntax::invalid_digit_separator),
        help("'_' may only stand between two digits, or between a base prefix and a digit")
    )]
    InvalidDigitSeparator {
        #[label("misplaced '_'")]
        span: SourceSpan,
    },

    #[error("too deeply nested: more than {MAX_NESTING} levels of brackets")]
    #[diagnostic(
        code(gom::syntax::too_deeply_nested),
        help("split the expression or declaration into smaller parts")
    )]
    TooDeeplyNested {
        #[label("nesting limit exceeded here")]
        span: SourceSpan,
    },
}

impl LexError {
    /// Where the error is (its label), for sorting and for tests.
    pub fn span(&self) -> Span {
        use LexError::*;
        let span = match self {
            InvalidCharacter { span, .. }
            | InvalidNul { span }
            | MisplacedBom { span }
            | InvalidIdentifierCharacter { span, .. }
            | IdentifierStartsWithDigit { span, .. }
            | NewlineInString { span }
            | UnterminatedString { span }
            | UnterminatedComment { span }
            | NewlineInRune { span }
            | UnterminatedRune { span }
            | EmptyRune { span }
            | MultiCharacterRune { span }
            | UnknownEscape { span }
            | InvalidEscapeDigit { span, .. }
            | OctalEscapeTooBig { span, .. }
            | InvalidCodePoint { span, .. }
            | InvalidRadixPoint { span, .. }
            | NoDigits { span, .. }
            | ExponentRequiresDecimalMantissa { span, .. }
            | ExponentRequiresHexMantissa { span, .. }
            | ExponentWithoutDigits { span }
            | HexMantissaWithoutExponent { span }
            | InvalidDigit { span, .. }
            | InvalidDigitSeparator { span }
            | TooDeeplyNested { span } => span,
        };
        let start = span.offset() as u32;
        Span::new(start, start + span.len() as u32)
    }
}

/// Lexes a whole file: every token (with automatic semicolons and `LBody` decided) and every
/// lexical error, in source order. Never panics.
pub fn tokenize(src: &str) -> (Vec<Spanned<'_>>, Vec<LexError>) {
    let (raw, mut errors) = scan(src);
    let mut cooker = Cooker::new(src, &raw);
    cooker.run();
    // Pass 1 reports in scan order; pass 2 reports at most the nesting error. Put it in place.
    for error in cooker.errors.drain(..) {
        let at = errors.partition_point(|e| e.span().start <= error.span().start);
        errors.insert(at, error);
    }
    (cooker.out, errors)
}

// ---------------------------------------------------------------------------------------------
// Pass 1: raw tokens.

/// What kind of number a numeric literal turned out to be.
#[derive(Clone, Copy, Debug, PartialEq)]
enum NumKind {
    Int,
    Float,
    Imag,
}

/// Raw tokens. Spaces, tabs and carriage returns are skipped; newlines and comments are kept
/// because they drive semicolon insertion. Invalid characters and BOMs are reported by their
/// callbacks and skipped, so logos itself never reports an error.
#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(extras = Vec<LexError>)]
#[logos(skip r"[ \t\r]+")]
enum RawToken<'src> {
    #[token("\n")]
    Newline,

    #[token("//", line_comment)]
    LineComment,

    /// `true` if the comment contains a newline (it then acts as one).
    #[token("/*", block_comment)]
    BlockComment(bool),

    /// Every non-ASCII character except the BOM may start an identifier, as in Go's scanner:
    /// one that is not a letter is reported by [`identifier`] but stays in the name.
    #[regex(r"[A-Za-z_\u{80}-\u{FEFE}\u{FF00}-\u{10FFFF}][A-Za-z0-9_\u{80}-\u{FEFE}\u{FF00}-\u{10FFFF}]*", identifier)]
    Ident,

    #[regex(r"[0-9]", |lex| number(lex, false))]
    #[regex(r"\.[0-9]", |lex| number(lex, true))]
    Number(NumKind),

    #[token("\"", interpreted_string)]
    #[token("`", raw_string)]
    Str,

    #[token("'", rune_literal)]
    Rune,

    /// Never produced: the callbacks report the character and skip it. Listing every ASCII
    /// character that starts no token (non-ASCII ones start identifiers) keeps logos from
    /// ever failing, so an error never swallows more than one character.
    #[token("\u{FEFF}", bom)]
    #[regex(r"[\x00-\x08\x0B\x0C\x0E-\x1F#$?@\\\x7F]", invalid_character)]
    Invalid,

    #[token("break", |_| Token::Break)]
    #[token("case", |_| Token::Case)]
    #[token("chan", |_| Token::Chan)]
    #[token("const", |_| Token::Const)]
    #[token("continue", |_| Token::Continue)]
    #[token("default", |_| Token::Default)]
    #[token("defer", |_| Token::Defer)]
    #[token("else", |_| Token::Else)]
    #[token("fallthrough", |_| Token::Fallthrough)]
    #[token("for", |_| Token::For)]
    #[token("func", |_| Token::Func)]
    #[token("go", |_| Token::Go)]
    #[token("goto", |_| Token::Goto)]
    #[token("if", |_| Token::If)]
    #[token("import", |_| Token::Import)]
    #[token("interface", |_| Token::Interface)]
    #[token("map", |_| Token::Map)]
    #[token("package", |_| Token::Package)]
    #[token("range", |_| Token::Range)]
    #[token("return", |_| Token::Return)]
    #[token("select", |_| Token::Select)]
    #[token("struct", |_| Token::Struct)]
    #[token("switch", |_| Token::Switch)]
    #[token("type", |_| Token::Type)]
    #[token("var", |_| Token::Var)]
    #[token("+", |_| Token::Plus)]
    #[token("-", |_| Token::Minus)]
    #[token("*", |_| Token::Star)]
    #[token("/", |_| Token::Slash)]
    #[token("%", |_| Token::Percent)]
    #[token("&", |_| Token::Amp)]
    #[token("|", |_| Token::Pipe)]
    #[token("^", |_| Token::Caret)]
    #[token("<<", |_| Token::Shl)]
    #[token(">>", |_| Token::Shr)]
    #[token("&^", |_| Token::AndNot)]
    #[token("+=", |_| Token::PlusAssign)]
    #[token("-=", |_| Token::MinusAssign)]
    #[token("*=", |_| Token::StarAssign)]
    #[token("/=", |_| Token::SlashAssign)]
    #[token("%=", |_| Token::PercentAssign)]
    #[token("&=", |_| Token::AmpAssign)]
    #[token("|=", |_| Token::PipeAssign)]
    #[token("^=", |_| Token::CaretAssign)]
    #[token("<<=", |_| Token::ShlAssign)]
    #[token(">>=", |_| Token::ShrAssign)]
    #[token("&^=", |_| Token::AndNotAssign)]
    #[token("&&", |_| Token::AndAnd)]
    #[token("||", |_| Token::OrOr)]
    #[token("<-", |_| Token::Arrow)]
    #[token("++", |_| Token::Inc)]
    #[token("--", |_| Token::Dec)]
    #[token("==", |_| Token::EqEq)]
    #[token("<", |_| Token::Lt)]
    #[token(">", |_| Token::Gt)]
    #[token("=", |_| Token::Assign)]
    #[token("!", |_| Token::Not)]
    #[token("~", |_| Token::Tilde)]
    #[token("!=", |_| Token::NotEq)]
    #[token("<=", |_| Token::Le)]
    #[token(">=", |_| Token::Ge)]
    #[token(":=", |_| Token::Define)]
    #[token("...", |_| Token::Ellipsis)]
    #[token("(", |_| Token::LParen)]
    #[token(")", |_| Token::RParen)]
    #[token("[", |_| Token::LBrack)]
    #[token("]", |_| Token::RBrack)]
    #[token("{", |_| Token::LBrace)]
    #[token("}", |_| Token::RBrace)]
    #[token(",", |_| Token::Comma)]
    #[token(";", |_| Token::Semi(SemiKind::Explicit))]
    #[token(".", |_| Token::Dot)]
    #[token(":", |_| Token::Colon)]
    Fixed(Token<'src>),
}

/// One raw token with its byte span.
#[derive(Clone, Debug)]
struct Raw<'src> {
    kind: RawToken<'src>,
    start: usize,
    end: usize,
}

/// Pass 1: the raw tokens of `src` and the errors found in them.
fn scan(src: &str) -> (Vec<Raw<'_>>, Vec<LexError>) {
    let mut lex = RawToken::lexer_with_extras(src, Vec::new());
    // About one raw token per 5 bytes of Go source: reserving that avoids regrowing (and
    // copying) the vector a dozen times per file.
    let mut raw = Vec::with_capacity(src.len() / 5 + 16);
    while let Some(result) = lex.next() {
        let span = lex.span();
        match result {
            Ok(kind) => raw.push(Raw {
                kind,
                start: span.start,
                end: span.end,
            }),
            // Every character is matched by some rule, so this is unreachable in practice;
            // if logos ever gets here, report and skip what it rejected.
            Err(()) => {
                let ch = src[span.clone()].chars().next().unwrap_or('\u{FFFD}');
                lex.extras.push(LexError::InvalidCharacter {
                    ch: go_char(ch),
                    span: sspan(span.start, span.end),
                });
            }
        }
    }
    (raw, lex.extras)
}

type RawLexer<'src> = Lexer<'src, RawToken<'src>>;

fn sspan(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

/// The span `[start, start + len)` of the current token plus an offset.
fn at(lex: &RawLexer<'_>, offset: usize, len: usize) -> SourceSpan {
    let start = lex.span().start + offset;
    sspan(start, start + len)
}

fn invalid_character(lex: &mut RawLexer<'_>) -> Skip {
    let span = sspan(lex.span().start, lex.span().end);
    let error = match lex.slice().chars().next() {
        Some('\0') => LexError::InvalidNul { span },
        ch => LexError::InvalidCharacter {
            ch: go_char(ch.unwrap_or('\u{FFFD}')),
            span,
        },
    };
    lex.extras.push(error);
    Skip
}

fn bom(lex: &mut RawLexer<'_>) -> Skip {
    if lex.span().start != 0 {
        let span = sspan(lex.span().start, lex.span().end);
        lex.extras.push(LexError::MisplacedBom { span });
    }
    Skip
}

/// Checks the characters of an identifier (the regex admits any non-ASCII character).
fn identifier(lex: &mut RawLexer<'_>) {
    let text = lex.slice();
    let mut problems = Vec::new();
    for (i, ch) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
        let span = at(lex, i, ch.len_utf8());
        if is_letter(ch) {
            continue;
        }
        if is_digit(ch) {
            if i == 0 {
                problems.push(LexError::IdentifierStartsWithDigit {
                    ch: go_char(ch),
                    span,
                });
            }
        } else {
            problems.push(LexError::InvalidIdentifierCharacter {
                ch: go_char(ch),
                span,
            });
        }
    }
    lex.extras.append(&mut problems);
}

/// Go's `unicode.IsLetter` (category L). Rust's `is_alphabetic` is slightly wider (it adds
/// letter numbers and some marks); close enough, since those are exotic in identifiers.
fn is_letter(ch: char) -> bool {
    ch.is_alphabetic()
}

/// Go's `unicode.IsDigit` (category Nd), approximated: numeric but not a letter-like number.
fn is_digit(ch: char) -> bool {
    ch.is_numeric() && !ch.is_alphabetic()
}

fn line_comment(lex: &mut RawLexer<'_>) {
    // Stop before the newline: it is a token of its own (it may insert a semicolon).
    let len = lex.remainder().find('\n').unwrap_or(lex.remainder().len());
    check_specials(lex, len);
    lex.bump(len);
}

fn block_comment(lex: &mut RawLexer<'_>) -> bool {
    let rest = lex.remainder();
    let (len, terminated) = match rest.find("*/") {
        Some(i) => (i + 2, true),
        None => (rest.len(), false),
    };
    let has_newline = rest[..len].contains('\n');
    check_specials(lex, len);
    if !terminated {
        let span = at(lex, 0, 2);
        lex.extras.push(LexError::UnterminatedComment { span });
    }
    lex.bump(len);
    has_newline
}

fn raw_string(lex: &mut RawLexer<'_>) {
    let rest = lex.remainder();
    let (len, terminated) = match rest.find('`') {
        Some(i) => (i + 1, true),
        None => (rest.len(), false),
    };
    check_specials(lex, len);
    if !terminated {
        // Go reports at the opening quote; the rest of the file is in the string.
        let span = at(lex, 0, 1);
        lex.extras.push(LexError::UnterminatedString { span });
    }
    lex.bump(len);
}

/// Reports NUL and BOM characters in the next `len` bytes after the current token (a comment
/// or raw string body). Go's source reader rejects them everywhere; here they stay in the
/// token text, but the file does not compile.
fn check_specials(lex: &mut RawLexer<'_>, len: usize) {
    let start = lex.span().end;
    let text = &lex.remainder()[..len];
    // Fast path for the usual comment: no NUL byte and no 0xEF (the first byte of a BOM).
    if !text.bytes().any(|b| b == 0 || b == 0xEF) {
        return;
    }
    let mut errors: Vec<LexError> = text
        .char_indices()
        .filter(|&(_, c)| c == '\0' || c == '\u{FEFF}')
        .map(|(i, c)| special_error(start + i, c))
        .collect();
    lex.extras.append(&mut errors);
}

/// How a quoted literal's body ended.
enum BodyEnd {
    /// At the closing quote (consumed).
    Quote,
    /// At a newline (not consumed: it is a token of its own).
    Newline,
    Eof,
}

/// Scans the body of an interpreted string or rune literal (the opening quote is already
/// consumed), reporting bad escapes and NUL/BOM characters. Returns how the body ended, its
/// length in bytes (closing quote included) and how many characters it holds (an escape
/// counts as one).
fn quoted_body(lex: &mut RawLexer<'_>, quote: char) -> (BodyEnd, usize, usize) {
    let body = lex.remainder();
    let mut pos = 0;
    let mut count = 0;
    let mut errors = Vec::new();
    let end = loop {
        let Some(ch) = body[pos..].chars().next() else {
            break BodyEnd::Eof;
        };
        if ch == quote {
            pos += 1;
            break BodyEnd::Quote;
        }
        if ch == '\n' {
            break BodyEnd::Newline;
        }
        count += 1;
        // Offsets into the token are one more than into `body` (the opening quote).
        if ch == '\\' {
            let after = &body[pos + 1..];
            let escape = parse_escape(after, quote);
            if let Err(error) = escape.result {
                let start = lex.span().start + 1 + pos;
                errors.extend(escape_error(start, escape.len, error, after));
            }
            pos += 1 + escape.len;
            continue;
        }
        if ch == '\0' || ch == '\u{FEFF}' {
            errors.push(special_error(lex.span().start + 1 + pos, ch));
        }
        pos += ch.len_utf8();
    };
    lex.extras.append(&mut errors);
    (end, pos, count)
}

/// The error for a bad escape starting (at its backslash) at byte `start` of the source.
/// `len` is how much of `after` (the text after the backslash) the escape consumed.
fn escape_error(start: usize, len: usize, error: EscapeError, after: &str) -> Option<LexError> {
    // Go reports a bad escape value where the escape ends.
    let end = sspan(start + 1 + len, start + 1 + len);
    Some(match error {
        EscapeError::Unknown => {
            let next = after.chars().next().map_or(0, char::len_utf8);
            // Go points at the character after the backslash.
            LexError::UnknownEscape {
                span: sspan(start + 1, start + 1 + next),
            }
        }
        EscapeError::InvalidDigit { found, base } => {
            let at = start + 1 + len;
            LexError::InvalidEscapeDigit {
                ch: go_quote(found),
                base: base_name(base),
                span: sspan(at, at + found.len_utf8()),
            }
        }
        EscapeError::OctalTooBig(value) => LexError::OctalEscapeTooBig { value, span: end },
        EscapeError::InvalidCodePoint(value) => LexError::InvalidCodePoint {
            code_point: format!("U+{value:04X}"),
            span: end,
        },
        // The literal's own "not terminated" error says it all.
        EscapeError::Eof => return None,
    })
}

fn special_error(start: usize, ch: char) -> LexError {
    let span = sspan(start, start + ch.len_utf8());
    if ch == '\0' {
        LexError::InvalidNul { span }
    } else {
        LexError::MisplacedBom { span }
    }
}

fn interpreted_string(lex: &mut RawLexer<'_>) {
    let (end, len, _) = quoted_body(lex, '"');
    let span = at(lex, 0, 1 + len);
    match end {
        BodyEnd::Quote => {}
        // Go points at the newline itself.
        BodyEnd::Newline => lex.extras.push(LexError::NewlineInString {
            span: at(lex, 1 + len, 0),
        }),
        BodyEnd::Eof => lex.extras.push(LexError::UnterminatedString { span }),
    }
    lex.bump(len);
}

fn rune_literal(lex: &mut RawLexer<'_>) {
    let errors_before = lex.extras.len();
    let (end, len, count) = quoted_body(lex, '\'');
    let span = at(lex, 0, 1 + len);
    // Like Go, only the first problem of a rune literal is reported.
    if lex.extras.len() == errors_before {
        let error = match end {
            // Go points at the second quote.
            BodyEnd::Quote if count == 0 => Some(LexError::EmptyRune {
                span: at(lex, 1, 1),
            }),
            BodyEnd::Quote if count > 1 => Some(LexError::MultiCharacterRune { span }),
            BodyEnd::Quote => None,
            BodyEnd::Newline => Some(LexError::NewlineInRune {
                span: at(lex, 1 + len, 0),
            }),
            BodyEnd::Eof => Some(LexError::UnterminatedRune { span }),
        };
        lex.extras.extend(error);
    }
    lex.bump(len);
}

/// Scans a numeric literal: the callback for a digit, or for `.` and a digit (`seen_point`).
/// Logos matched only the first one or two bytes; the rest is scanned here.
fn number(lex: &mut RawLexer<'_>, seen_point: bool) -> NumKind {
    let start = lex.span().start;
    let scan = scan_number(&lex.source().as_bytes()[start..], seen_point);
    if let Some(error) = scan.error {
        lex.extras.push(error.into_lex_error(start));
    }
    lex.bump(scan.len - lex.slice().len());
    scan.kind
}

/// The result of [`scan_number`].
struct NumberScan {
    len: usize,
    kind: NumKind,
    /// Like Go's scanner, at most one error per literal (the first found).
    error: Option<NumberError>,
}

/// A numeric-literal error, with byte offsets relative to the literal's start.
enum NumberError {
    RadixPoint {
        base: u32,
        at: usize,
    },
    NoDigits {
        base: u32,
        len: usize,
    },
    ExponentRequiresDecimal {
        exponent: u8,
        at: usize,
    },
    ExponentRequiresHex {
        exponent: u8,
        at: usize,
    },
    /// `len`: the literal's length (Go reports the error where the literal ends).
    ExponentWithoutDigits {
        len: usize,
    },
    HexMantissa {
        len: usize,
    },
    Digit {
        digit: u8,
        base: u32,
        legacy_octal: bool,
        at: usize,
    },
    Separator {
        at: usize,
    },
}

impl NumberError {
    fn into_lex_error(self, start: usize) -> LexError {
        let span = |from: usize, to: usize| sspan(start + from, start + to);
        let quoted = |b: u8| go_quote(char::from(b));
        match self {
            NumberError::RadixPoint { base, at } => LexError::InvalidRadixPoint {
                base: base_name(base),
                span: span(at, at + 1),
            },
            NumberError::NoDigits { base, len } => LexError::NoDigits {
                base: base_name(base),
                span: span(len, len),
            },
            NumberError::ExponentRequiresDecimal { exponent, at } => {
                LexError::ExponentRequiresDecimalMantissa {
                    exponent: quoted(exponent),
                    span: span(at, at + 1),
                }
            }
            NumberError::ExponentRequiresHex { exponent, at } => {
                LexError::ExponentRequiresHexMantissa {
                    exponent: quoted(exponent),
                    span: span(at, at + 1),
                }
            }
            NumberError::ExponentWithoutDigits { len } => LexError::ExponentWithoutDigits {
                span: span(len, len),
            },
            NumberError::HexMantissa { len } => LexError::HexMantissaWithoutExponent {
                span: span(len, len),
            },
            NumberError::Digit {
                digit,
                base,
                legacy_octal,
                at,
            } => LexError::InvalidDigit {
                digit: quoted(digit),
                base: base_name(base),
                span: span(at, at + 1),
                help: legacy_octal.then(|| {
                    "a number with a leading 0 is octal; remove the 0 for a decimal number"
                        .to_string()
                }),
            },
            NumberError::Separator { at } => LexError::InvalidDigitSeparator {
                span: span(at, at + 1),
            },
        }
    }
}

/// Go's `scanner.number`, on the bytes from the literal's start to the end of the file.
/// With `seen_point`, `text` starts with `.` and a digit.
fn scan_number(text: &[u8], seen_point: bool) -> NumberScan {
    let mut s = Digits {
        text,
        pos: 0,
        invalid: None,
    };
    let mut error = None;
    let mut kind = NumKind::Int;
    let mut base = 10;
    // b'0' for a legacy octal literal (`0777`), b'x', b'o' or b'b' for a prefix, else 0.
    let mut prefix = 0u8;
    // Bit 0: a digit was seen; bit 1: a '_' was seen.
    let mut digsep = 0;
    let mut seen_point = seen_point;

    if seen_point {
        s.pos = 1;
    } else {
        if s.ch() == b'0' {
            s.pos += 1;
            (base, prefix) = match s.ch().to_ascii_lowercase() {
                c @ (b'x' | b'o' | b'b') => {
                    s.pos += 1;
                    (
                        if c == b'x' {
                            16
                        } else if c == b'o' {
                            8
                        } else {
                            2
                        },
                        c,
                    )
                }
                _ => {
                    digsep = 1; // the leading 0 is a digit
                    (8, b'0')
                }
            };
        }
        digsep |= s.digits(base, true);
        if s.ch() == b'.' {
            if prefix == b'o' || prefix == b'b' {
                error = Some(NumberError::RadixPoint { base, at: s.pos });
            }
            s.pos += 1;
            seen_point = true;
        }
    }

    if seen_point {
        kind = NumKind::Float;
        digsep |= s.digits(base, true);
    }

    if digsep & 1 == 0 && error.is_none() {
        error = Some(NumberError::NoDigits { base, len: s.pos });
    }

    let exponent = s.ch();
    let e = exponent.to_ascii_lowercase();
    if e == b'e' || e == b'p' {
        let at = s.pos;
        if error.is_none() {
            if e == b'e' && prefix != 0 && prefix != b'0' {
                error = Some(NumberError::ExponentRequiresDecimal { exponent, at });
            } else if e == b'p' && prefix != b'x' {
                error = Some(NumberError::ExponentRequiresHex { exponent, at });
            }
        }
        s.pos += 1;
        kind = NumKind::Float;
        if s.ch() == b'+' || s.ch() == b'-' {
            s.pos += 1;
        }
        let exp_digits = s.digits(10, false);
        digsep = exp_digits | (digsep & 2); // keep the separator bit
        if exp_digits & 1 == 0 && error.is_none() {
            error = Some(NumberError::ExponentWithoutDigits { len: s.pos });
        }
    } else if prefix == b'x' && kind == NumKind::Float && error.is_none() {
        error = Some(NumberError::HexMantissa { len: s.pos });
    }

    if s.ch() == b'i' {
        kind = NumKind::Imag;
        s.pos += 1;
    }

    // An invalid digit is only an error in an integer: `09.5` and `09i` are fine.
    if let (NumKind::Int, Some(at), None) = (kind, s.invalid, &error) {
        error = Some(NumberError::Digit {
            digit: text[at],
            base,
            legacy_octal: prefix == b'0',
            at,
        });
    }
    if digsep & 2 != 0 && error.is_none() {
        error = invalid_separator(&text[..s.pos]).map(|at| NumberError::Separator { at });
    }

    NumberScan {
        len: s.pos,
        kind,
        error,
    }
}

/// The cursor of [`scan_number`].
struct Digits<'a> {
    text: &'a [u8],
    pos: usize,
    /// Offset of the first digit too big for the base (in bases up to 10).
    invalid: Option<usize>,
}

impl Digits<'_> {
    /// The current byte; 0 (never part of a number) at the end.
    fn ch(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    /// Go's `scanner.digits`: skips digits and '_'; returns bit 0 if it saw a digit, bit 1 if
    /// it saw a '_'. In bases up to 10 it skips all decimal digits, recording the first one
    /// too big for the base, so that `0779` is one (invalid) literal.
    fn digits(&mut self, base: u32, track_invalid: bool) -> u8 {
        let mut digsep = 0;
        loop {
            let c = self.ch();
            let is_digit = if base <= 10 {
                c.is_ascii_digit()
            } else {
                c.is_ascii_hexdigit()
            };
            if c == b'_' {
                digsep |= 2;
            } else if is_digit {
                digsep |= 1;
                if track_invalid && base < 10 && u32::from(c - b'0') >= base {
                    self.invalid.get_or_insert(self.pos);
                }
            } else {
                return digsep;
            }
            self.pos += 1;
        }
    }
}

/// Go's `invalidSep`: the offset of the first '_' that does not separate two digits (a base
/// prefix counts as a digit), if any.
fn invalid_separator(lit: &[u8]) -> Option<usize> {
    let mut hex = false;
    // The previous character: b'_', b'0' (any digit) or b'.' (anything else).
    let mut d = b'.';
    let mut i = 0;
    if lit.len() >= 2 && lit[0] == b'0' {
        let x1 = lit[1].to_ascii_lowercase();
        if matches!(x1, b'x' | b'o' | b'b') {
            hex = x1 == b'x';
            d = b'0';
            i = 2;
        }
    }
    while i < lit.len() {
        let p = d;
        d = lit[i];
        if d == b'_' {
            if p != b'0' {
                return Some(i);
            }
        } else if d.is_ascii_digit() || (hex && d.is_ascii_hexdigit()) {
            d = b'0';
        } else {
            if p == b'_' {
                return Some(i - 1);
            }
            d = b'.';
        }
        i += 1;
    }
    (d == b'_').then(|| lit.len() - 1)
}

// ---------------------------------------------------------------------------------------------
// Formatting characters as Go's messages do.

/// `%#U`: `U+0040 '@'`, or just `U+0007` for a character that does not print.
fn go_char(ch: char) -> String {
    if is_printable(ch) {
        format!("U+{:04X} '{ch}'", u32::from(ch))
    } else {
        format!("U+{:04X}", u32::from(ch))
    }
}

/// `%q` of a rune: `'g'`, `'\n'`, `'\x00'`.
fn go_quote(ch: char) -> String {
    match ch {
        '\u{7}' => r"'\a'".to_string(),
        '\u{8}' => r"'\b'".to_string(),
        '\u{c}' => r"'\f'".to_string(),
        '\n' => r"'\n'".to_string(),
        '\r' => r"'\r'".to_string(),
        '\t' => r"'\t'".to_string(),
        '\u{b}' => r"'\v'".to_string(),
        '\\' => r"'\\'".to_string(),
        '\'' => r"'\''".to_string(),
        c if is_printable(c) => format!("'{c}'"),
        c if u32::from(c) < 0x80 => format!(r"'\x{:02x}'", u32::from(c)),
        c if u32::from(c) < 0x10000 => format!(r"'\u{:04x}'", u32::from(c)),
        c => format!(r"'\U{:08x}'", u32::from(c)),
    }
}

/// Go's `strconv.IsPrint`, approximately: not a control, format or non-ASCII space character.
fn is_printable(ch: char) -> bool {
    ch == ' '
        || !(ch.is_control()
            || ch.is_whitespace()
            || matches!(ch,
                '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..)
            || (ch as u32 & 0xFFFE) == 0xFFFE)
}

fn base_name(base: u32) -> &'static str {
    match base {
        2 => "binary",
        8 => "octal",
        16 => "hexadecimal",
        _ => "decimal",
    }
}

// ---------------------------------------------------------------------------------------------
// Pass 2: semicolons and LBody.

/// Why a bracket frame was opened; decides what closing it does to the enclosing header.
#[derive(Clone, Copy, Debug, PartialEq)]
enum FrameKind {
    TopLevel,
    /// `(` or `[`, or a `{` outside any header.
    Plain,
    /// `{` after `struct` or `interface`.
    TypeBody,
    /// `LBody`: the body of the statement, or a literal inside its header.
    BodyCandidate,
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    kind: FrameKind,
    /// An `if`/`for`/`switch` header is open at this bracket level.
    header: bool,
    /// How many more `;` the open header may contain (`if`/`switch`: 1, `for`: 2).
    header_semis_left: u8,
}

impl Frame {
    fn new(kind: FrameKind) -> Frame {
        Frame {
            kind,
            header: false,
            header_semis_left: 0,
        }
    }
}

struct Cooker<'src, 'raw> {
    src: &'src str,
    raw: &'raw [Raw<'src>],
    out: Vec<Spanned<'src>>,
    errors: Vec<LexError>,
    frames: Vec<Frame>,
    /// The last token emitted calls for a semicolon at the end of its line.
    needs_semi: bool,
    nesting_reported: bool,
}

impl<'src, 'raw> Cooker<'src, 'raw> {
    fn new(src: &'src str, raw: &'raw [Raw<'src>]) -> Self {
        Cooker {
            src,
            raw,
            out: Vec::with_capacity(raw.len() + raw.len() / 4),
            errors: Vec::new(),
            frames: vec![Frame::new(FrameKind::TopLevel)],
            needs_semi: false,
            nesting_reported: false,
        }
    }

    fn run(&mut self) {
        for i in 0..self.raw.len() {
            let Raw { kind, start, end } = self.raw[i].clone();
            let text = &self.src[start..end];
            match kind {
                RawToken::Newline => self.end_of_line(start, SemiKind::Newline),
                RawToken::BlockComment(true) => self.end_of_line(start, SemiKind::Newline),
                RawToken::LineComment | RawToken::BlockComment(false) | RawToken::Invalid => {}
                RawToken::Ident => self.push(Token::Ident(text), start, end),
                RawToken::Number(NumKind::Int) => self.push(Token::Int(text), start, end),
                RawToken::Number(NumKind::Float) => self.push(Token::Float(text), start, end),
                RawToken::Number(NumKind::Imag) => self.push(Token::Imag(text), start, end),
                RawToken::Str => self.push(Token::Str(text), start, end),
                RawToken::Rune => self.push(Token::Rune(text), start, end),
                RawToken::Fixed(token) => self.fixed(token, i, start, end),
            }
        }
        self.end_of_line(self.src.len(), SemiKind::Eof);
    }

    /// A newline (or the end of the file) at `pos`: insert a semicolon if the line asks for one.
    fn end_of_line(&mut self, pos: usize, kind: SemiKind) {
        if self.needs_semi {
            self.push(Token::Semi(kind), pos, pos);
            // A header cannot go on past a statement end (Go rejects `if x\n{`).
            self.top().header = false;
        }
    }

    fn push(&mut self, token: Token<'src>, start: usize, end: usize) {
        self.needs_semi = ends_statement(&token);
        // Spans are u32 (as everywhere in gom); files beyond 4 GiB are rejected before lexing.
        self.out.push((start as u32, token, end as u32));
    }

    /// A keyword, operator or punctuation token: tracks brackets and headers.
    fn fixed(&mut self, token: Token<'src>, index: usize, start: usize, end: usize) {
        let token = match token {
            Token::If | Token::For | Token::Switch => {
                let frame = self.top();
                frame.header = true;
                frame.header_semis_left = if token == Token::For { 2 } else { 1 };
                token
            }
            Token::Semi(_) => {
                let frame = self.top();
                if frame.header_semis_left > 0 {
                    frame.header_semis_left -= 1;
                } else {
                    frame.header = false;
                }
                token
            }
            Token::LParen | Token::LBrack => {
                self.open(FrameKind::Plain, start, end);
                token
            }
            Token::LBrace => {
                let after_type_keyword = matches!(
                    self.out.last(),
                    Some((_, Token::Struct | Token::Interface, _))
                );
                if after_type_keyword {
                    self.open(FrameKind::TypeBody, start, end);
                    Token::LBrace
                } else if self.top().header {
                    self.open(FrameKind::BodyCandidate, start, end);
                    Token::LBody
                } else {
                    self.open(FrameKind::Plain, start, end);
                    Token::LBrace
                }
            }
            Token::RParen | Token::RBrack | Token::RBrace => {
                self.close(index);
                token
            }
            _ => token,
        };
        self.push(token, start, end);
    }

    fn top(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("the top-level frame is never popped")
    }

    fn open(&mut self, kind: FrameKind, start: usize, end: usize) {
        self.frames.push(Frame::new(kind));
        // frames[0] is the top level, not a bracket.
        if self.frames.len() - 1 > MAX_NESTING && !self.nesting_reported {
            self.nesting_reported = true;
            self.errors.push(LexError::TooDeeplyNested {
                span: sspan(start, end),
            });
        }
    }

    /// A closing bracket at raw index `index`. Unbalanced closers pop nothing: the parser
    /// reports them.
    fn close(&mut self, index: usize) {
        if self.frames.len() <= 1 {
            return;
        }
        let closed = self.frames.pop();
        if matches!(
            closed,
            Some(Frame {
                kind: FrameKind::BodyCandidate,
                ..
            })
        ) && !self.header_continues(index)
        {
            self.top().header = false;
        }
    }

    /// After a `}` that closed a body candidate: does the next token (on the same line,
    /// comments skipped) continue the header, so that the `}` ended a literal in the header
    /// rather than the statement's body? Yes for a token that continues an expression, and
    /// for a `;` if the header may still contain one (`if v := []int{1}; len(v) > 0 {`).
    /// That guess is wrong for a body followed by `;` and more code on the same line
    /// (`if c { f() }; x := T{}`), which gofmt never writes.
    fn header_continues(&self, index: usize) -> bool {
        for raw in &self.raw[index + 1..] {
            match &raw.kind {
                RawToken::LineComment | RawToken::BlockComment(false) | RawToken::Invalid => {}
                // `if v := []int{1}; len(v) > 0 {`: a `;` the header still has room for.
                RawToken::Fixed(Token::Semi(_)) => {
                    return self.frames.last().is_some_and(|f| f.header_semis_left > 0)
                }
                RawToken::Fixed(token) => return continues_expression(token),
                _ => return false,
            }
        }
        false
    }
}

/// Tokens after which a newline inserts a semicolon.
fn ends_statement(token: &Token<'_>) -> bool {
    use Token::*;
    matches!(
        token,
        Ident(_)
            | Int(_)
            | Float(_)
            | Imag(_)
            | Rune(_)
            | Str(_)
            | Break
            | Continue
            | Fallthrough
            | Return
            | Inc
            | Dec
            | RParen
            | RBrack
            | RBrace
    )
}

/// Tokens that, right after a `}` in a header, show that the `}` closed an operand.
fn continues_expression(token: &Token<'_>) -> bool {
    use Token::*;
    matches!(
        token,
        LBrace
            | Dot
            | LParen
            | LBrack
            | Comma
            | Plus
            | Minus
            | Star
            | Slash
            | Percent
            | Amp
            | Pipe
            | Caret
            | Shl
            | Shr
            | AndNot
            | AndAnd
            | OrOr
            | EqEq
            | NotEq
            | Lt
            | Le
            | Gt
            | Ge
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Token::*;

    /// The tokens of `src`, asserting there are no errors.
    fn toks(src: &str) -> Vec<Token<'_>> {
        let (tokens, errors) = tokenize(src);
        assert!(
            errors.is_empty(),
            "unexpected errors for {src:?}: {errors:?}"
        );
        tokens.into_iter().map(|(_, t, _)| t).collect()
    }

    /// The error messages and spans for `src`.
    fn errs(src: &str) -> Vec<(String, u32, u32)> {
        let (_, errors) = tokenize(src);
        errors
            .iter()
            .map(|e| (e.to_string(), e.span().start, e.span().end))
            .collect()
    }

    fn one_err(src: &str) -> (String, u32, u32) {
        let errors = errs(src);
        assert_eq!(
            errors.len(),
            1,
            "expected one error for {src:?}: {errors:?}"
        );
        errors[0].clone()
    }

    const NL: Token<'static> = Semi(SemiKind::Newline);
    const EOF: Token<'static> = Semi(SemiKind::Eof);
    const SEMI: Token<'static> = Semi(SemiKind::Explicit);

    #[test]
    fn smoke() {
        assert_eq!(
            toks("package main\n\nfunc main() {\n\tx := 1\n}\n"),
            vec![
                Package,
                Ident("main"),
                NL,
                Func,
                Ident("main"),
                LParen,
                RParen,
                LBrace,
                Ident("x"),
                Define,
                Int("1"),
                NL,
                RBrace,
                NL
            ]
        );
    }

    #[test]
    fn keywords_and_identifiers() {
        let src = "break case chan const continue default defer else fallthrough for func go goto \
                   if import interface map package range return select struct switch type var";
        let expected = vec![
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
        ];
        assert_eq!(toks(src), expected);
        assert_eq!(
            toks("breaks _if iff Go x_1 _ __"),
            vec![
                Ident("breaks"),
                Ident("_if"),
                Ident("iff"),
                Ident("Go"),
                Ident("x_1"),
                Ident("_"),
                Ident("__"),
                EOF
            ]
        );
    }

    #[test]
    fn unicode_identifiers() {
        assert_eq!(
            toks("héllo 日本語 αβγ x٣ ǅ"),
            vec![
                Ident("héllo"),
                Ident("日本語"),
                Ident("αβγ"),
                Ident("x٣"),
                Ident("ǅ"),
                EOF
            ]
        );
    }

    #[test]
    fn every_operator() {
        let src = "+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- \
                   == < > = ! ~ != <= >= := ... ( ) [ ] { } , ; . :";
        let expected = vec![
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
            LParen,
            RParen,
            LBrack,
            RBrack,
            LBrace,
            RBrace,
            Comma,
            SEMI,
            Dot,
            Colon,
        ];
        assert_eq!(toks(src), expected);
    }

    #[test]
    fn operators_without_spaces() {
        assert_eq!(toks("a<-b"), vec![Ident("a"), Arrow, Ident("b"), EOF]);
        assert_eq!(
            toks("x&^=y"),
            vec![Ident("x"), AndNotAssign, Ident("y"), EOF]
        );
        assert_eq!(toks("a...b"), vec![Ident("a"), Ellipsis, Ident("b"), EOF]);
        assert_eq!(toks("a..b"), vec![Ident("a"), Dot, Dot, Ident("b"), EOF]);
        assert_eq!(toks("x..5"), vec![Ident("x"), Dot, Float(".5"), EOF]);
        assert_eq!(toks("a.b"), vec![Ident("a"), Dot, Ident("b"), EOF]);
        assert_eq!(toks("i++"), vec![Ident("i"), Inc, EOF]);
        assert_eq!(
            toks("a<<=b>>c"),
            vec![Ident("a"), ShlAssign, Ident("b"), Shr, Ident("c"), EOF]
        );
        assert_eq!(toks("a/b"), vec![Ident("a"), Slash, Ident("b"), EOF]);
    }

    /// The single token `src` lexes to (before the EOF semicolon).
    fn single(src: &str) -> Token<'_> {
        let tokens = toks(src);
        assert_eq!(tokens.len(), 2, "{src:?} gave {tokens:?}");
        tokens[0].clone()
    }

    #[test]
    fn integer_literals() {
        for src in [
            "0",
            "42",
            "1_000_000",
            "0x1F",
            "0XaBc",
            "0x_1",
            "0o17",
            "0O17",
            "0b101",
            "0B1_0",
            "0777",
            "0_7",
            "00",
            "0",
        ] {
            assert_eq!(single(src), Int(src), "{src}");
        }
    }

    #[test]
    fn float_literals() {
        for src in [
            "1.", ".5", "1.5", "1e9", "1E9", "1e+9", "1e-9", "1.5e3", "0.", "09.5", "0x1p-2",
            "0x1.8p1", "0X.8P0", "0x_1p4", "1_0.2_5", "00.1", "0e0",
        ] {
            assert_eq!(single(src), Float(src), "{src}");
        }
    }

    #[test]
    fn imaginary_literals() {
        for src in [
            "1i", "0i", "089i", "1.5i", ".5i", "1e3i", "0x1p-2i", "0b101i", "0o7i",
        ] {
            assert_eq!(single(src), Imag(src), "{src}");
        }
    }

    #[test]
    fn hex_e_is_a_digit_not_an_exponent() {
        assert_eq!(toks("0x1e+5"), vec![Int("0x1e"), Plus, Int("5"), EOF]);
        assert_eq!(toks("0x1e3"), vec![Int("0x1e3"), EOF]);
    }

    #[test]
    fn numbers_next_to_other_tokens() {
        assert_eq!(toks("1..2"), vec![Float("1."), Float(".2"), EOF]);
        assert_eq!(
            toks("x[1:]"),
            vec![Ident("x"), LBrack, Int("1"), Colon, RBrack, EOF]
        );
        assert_eq!(toks("1.String"), vec![Float("1."), Ident("String"), EOF]);
        assert_eq!(toks("5-3"), vec![Int("5"), Minus, Int("3"), EOF]);
    }

    #[test]
    fn rune_literals() {
        for src in [
            "'a'",
            "'é'",
            "'日'",
            r"'\a'",
            r"'\b'",
            r"'\f'",
            r"'\n'",
            r"'\r'",
            r"'\t'",
            r"'\v'",
            r"'\\'",
            r"'\''",
            r"'\x41'",
            r"'\101'",
            r"'\u1234'",
            r"'\U00101234'",
            r"'\377'",
            "'\"'",
        ] {
            assert_eq!(single(src), Rune(src), "{src}");
        }
    }

    #[test]
    fn string_literals() {
        for src in [
            r#""""#,
            r#""abc""#,
            r#""a\n""#,
            r#""\a\b\f\n\r\t\v\\\"""#,
            r#""\x41\101\u1234\U00101234""#,
            r#""\xff""#,
            r#""'""#,
            r#""日本語""#,
            "`raw`",
            "`a\\n\"`",
            "``",
        ] {
            assert_eq!(single(src), Str(src), "{src}");
        }
    }

    #[test]
    fn raw_strings_span_lines() {
        let src = "x := `a\r\nb\n`\ny";
        assert_eq!(
            toks(src),
            vec![Ident("x"), Define, Str("`a\r\nb\n`"), NL, Ident("y"), EOF]
        );
    }

    #[test]
    fn comments() {
        assert_eq!(toks("a // c\nb"), vec![Ident("a"), NL, Ident("b"), EOF]);
        assert_eq!(toks("a /* c */ b"), vec![Ident("a"), Ident("b"), EOF]);
        assert_eq!(toks("a /* c\n */ b"), vec![Ident("a"), NL, Ident("b"), EOF]);
        assert_eq!(toks("/* a */ // b\n/**/"), vec![]);
        assert_eq!(toks("a/**/b"), vec![Ident("a"), Ident("b"), EOF]);
        assert_eq!(toks("a // c"), vec![Ident("a"), EOF]);
        assert_eq!(toks("x /* // */ y"), vec![Ident("x"), Ident("y"), EOF]);
        assert_eq!(
            toks("x // /* \ny */"),
            vec![Ident("x"), NL, Ident("y"), Star, Slash]
        );
    }

    #[test]
    fn bom_at_start_is_skipped() {
        assert_eq!(toks("\u{FEFF}package p\n"), vec![Package, Ident("p"), NL]);
    }

    #[test]
    fn whitespace() {
        assert_eq!(toks("a\r\n\tb\r\n"), vec![Ident("a"), NL, Ident("b"), NL]);
        assert_eq!(toks(""), vec![]);
        assert_eq!(toks(" \n\n\t"), vec![]);
    }

    #[test]
    fn literal_tokens_have_spans() {
        let (tokens, _) = tokenize("x := \"ab\"\n");
        assert_eq!(
            tokens,
            vec![
                (0, Ident("x"), 1),
                (2, Define, 4),
                (5, Str("\"ab\""), 9),
                (9, NL, 9)
            ]
        );
    }

    #[test]
    fn semicolons_after_statement_enders() {
        for src in [
            "x",
            "1",
            "1.5",
            "1i",
            "'a'",
            "\"s\"",
            "`s`",
            "break",
            "continue",
            "fallthrough",
            "return",
            "x++",
            "x--",
            "f()",
            "a[1]",
            "T{}",
        ] {
            let line = format!("{src}\n");
            let tokens = toks(&line);
            assert_eq!(tokens.last(), Some(&NL), "{src}");
        }
    }

    #[test]
    fn no_semicolons_after_other_tokens() {
        for src in [
            "x +", "f(", "a[", "{", "x,", "if", "func", "x =", "x.", "goto", "struct",
        ] {
            let line = format!("{src}\n");
            let tokens = toks(&line);
            assert_ne!(tokens.last(), Some(&NL), "{src}");
            assert_ne!(tokens.last(), Some(&EOF), "{src}");
        }
    }

    #[test]
    fn semicolon_at_eof_without_newline() {
        assert_eq!(toks("f()"), vec![Ident("f"), LParen, RParen, EOF]);
        let (tokens, _) = tokenize("f()");
        assert_eq!(tokens.last(), Some(&(3, EOF, 3)));
        // After a final newline, the newline's semicolon is enough.
        assert_eq!(toks("f()\n"), vec![Ident("f"), LParen, RParen, NL]);
    }

    #[test]
    fn semicolon_spans() {
        let (tokens, _) = tokenize("x // c\ny /* a\nb */ z;");
        assert_eq!(
            tokens,
            vec![
                (0, Ident("x"), 1),
                (6, NL, 6),
                (7, Ident("y"), 8),
                (9, NL, 9),
                (19, Ident("z"), 20),
                (20, SEMI, 21),
            ]
        );
    }

    #[test]
    fn explicit_semicolon_is_not_doubled() {
        assert_eq!(toks("x;\n"), vec![Ident("x"), SEMI]);
        assert_eq!(toks("x; y"), vec![Ident("x"), SEMI, Ident("y"), EOF]);
    }

    #[test]
    fn semicolon_after_comment_at_line_end() {
        assert_eq!(toks("return // done\n"), vec![Return, NL]);
        assert_eq!(toks("x++ /* one-line */\n"), vec![Ident("x"), Inc, NL]);
        assert_eq!(
            toks("x /* spans\nlines */ + y"),
            vec![Ident("x"), NL, Plus, Ident("y"), EOF]
        );
    }

    /// Only the braces of `src`, as `{` (LBrace) or `B` (LBody).
    fn braces(src: &str) -> String {
        toks(src)
            .into_iter()
            .filter_map(|t| match t {
                LBrace => Some('{'),
                LBody => Some('B'),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn statement_bodies() {
        assert_eq!(braces("func f() { if x { } }"), "{B");
        assert_eq!(braces("for { }"), "B");
        assert_eq!(braces("for i := 0; i < n; i++ { }"), "B");
        assert_eq!(braces("switch x { case 1: }"), "B");
        assert_eq!(braces("select { }"), "{");
        assert_eq!(braces("x := T{1}"), "{");
    }

    #[test]
    fn composite_literal_in_header() {
        assert_eq!(braces("for _, v := range []int{1, 2} {\n}"), "BB");
        assert_eq!(braces("if x == (T{}) {\n}"), "{B");
        assert_eq!(braces("if f(T{}) {\n}"), "{B");
        assert_eq!(braces("if v := m[K{1}]; v {\n}"), "{B");
        assert_eq!(braces("for _, v := range []T{{1}, {2}} {\n}"), "B{{B");
        assert_eq!(braces("if []int{1}[0] == 1 {\n}"), "BB");
        assert_eq!(braces("if x := (T{}).f; x {\n}"), "{B");
    }

    #[test]
    fn func_literal_in_header() {
        assert_eq!(braces("if func() bool { return true }() {\n}"), "BB");
        assert_eq!(
            braces("if f := func() bool { return true }; f() {\n}"),
            "BB"
        );
    }

    #[test]
    fn literal_in_init_statement() {
        assert_eq!(braces("if v := []int{1}; len(v) > 0 {\n}"), "BB");
        assert_eq!(braces("switch v := []int{1}; len(v) {\n}"), "BB");
        assert_eq!(
            braces("for s := []int{1}; len(s) < 3; s = append(s, 1) {\n}"),
            "BB"
        );
        assert_eq!(braces("for s := 0; s < 3; s = []int{}[0] {\n}"), "BB");
        // A `;` beyond the header's quota ends it.
        assert_eq!(braces("if a; b; T{} {\n}"), "{{");
        // The known wrong guess: a body followed by `;` and a literal on the same line.
        assert_eq!(braces("if c { f() }; x := T{}"), "BB");
    }

    #[test]
    fn statement_end_ends_header() {
        assert_eq!(braces("if x\nT{}"), "{");
        assert_eq!(braces("for\n{}"), "B");
    }

    #[test]
    fn struct_and_interface_bodies() {
        assert_eq!(braces("type T struct { a int }"), "{");
        assert_eq!(
            braces("for _, x := range []struct{ a int }{{1}} {\n}"),
            "{B{B"
        );
        assert_eq!(braces("if _, ok := x.(interface{ M() }); ok {\n}"), "{B");
        assert_eq!(braces("var x struct /* c */ {}"), "{");
    }

    #[test]
    fn else_blocks() {
        assert_eq!(braces("if a {\n} else {\n}"), "B{");
        assert_eq!(braces("if a {\n} else if b {\n} else {\n}"), "BB{");
        assert_eq!(braces("if a { x() } else { y() }"), "B{");
    }

    #[test]
    fn header_ends_at_newline_after_body() {
        assert_eq!(braces("for {\n}\nx := T{}"), "B{");
        assert_eq!(braces("if a {\n} // c\nx := T{}"), "B{");
        assert_eq!(braces("if a {\n} /* c\n */ {}"), "B{");
        // Same line, comment skipped: `{` after a closed literal continues the header.
        assert_eq!(braces("if []int{} /* c */ {\n}"), "BB");
    }

    #[test]
    fn nested_statements() {
        let src = "func f() {\n\tfor {\n\t\tif a {\n\t\t\tg(func() { if b { } })\n\t\t}\n\t}\n\tx := T{}\n}";
        assert_eq!(braces(src), "{BB{B{");
        assert_eq!(
            braces("switch x := y.(type) {\ncase T:\n\tif a {\n\t}\n}"),
            "BB"
        );
    }

    #[test]
    fn unbalanced_closers_do_not_panic() {
        assert_eq!(toks(") ] }"), vec![RParen, RBrack, RBrace, EOF]);
        assert_eq!(braces("} } if x {"), "B");
        assert_eq!(braces("( } if x {"), "B");
    }

    fn msg(message: &str, start: u32, end: u32) -> (String, u32, u32) {
        (message.to_string(), start, end)
    }

    #[test]
    fn invalid_characters() {
        assert_eq!(one_err("a @ b"), msg("invalid character U+0040 '@'", 2, 3));
        assert_eq!(one_err("a $"), msg("invalid character U+0024 '$'", 2, 3));
        assert_eq!(one_err("#"), msg("invalid character U+0023 '#'", 0, 1));
        assert_eq!(one_err("?"), msg("invalid character U+003F '?'", 0, 1));
        assert_eq!(one_err("\\"), msg("invalid character U+005C '\\'", 0, 1));
        assert_eq!(one_err("\u{7}"), msg("invalid character U+0007", 0, 1));
        assert_eq!(one_err("\u{7f}"), msg("invalid character U+007F", 0, 1));
        assert_eq!(one_err("a\0b"), msg("invalid NUL character", 1, 2));
        // The invalid character is skipped; the tokens around it survive.
        let (tokens, _) = tokenize("x @ y");
        assert_eq!(tokens.len(), 3);
    }

    #[test]
    fn nul_and_bom_inside_literals_and_comments() {
        assert_eq!(one_err("\"a\0\""), msg("invalid NUL character", 2, 3));
        assert_eq!(one_err("`\0`"), msg("invalid NUL character", 1, 2));
        assert_eq!(one_err("// \0"), msg("invalid NUL character", 3, 4));
        assert_eq!(
            one_err("/* \u{FEFF} */"),
            msg("invalid BOM in the middle of the file", 3, 6)
        );
    }

    #[test]
    fn misplaced_bom() {
        assert_eq!(
            one_err("x \u{FEFF}y"),
            msg("invalid BOM in the middle of the file", 2, 5)
        );
        assert_eq!(toks_lossy("x \u{FEFF}y"), vec![Ident("x"), Ident("y"), EOF]);
    }

    /// The tokens of `src`, ignoring errors.
    fn toks_lossy(src: &str) -> Vec<Token<'_>> {
        tokenize(src).0.into_iter().map(|(_, t, _)| t).collect()
    }

    #[test]
    fn invalid_identifier_characters() {
        assert_eq!(
            one_err("x€y"),
            msg("invalid character U+20AC '€' in identifier", 1, 4)
        );
        assert_eq!(toks_lossy("x€y"), vec![Ident("x€y"), EOF]);
        assert_eq!(
            one_err("٣x"),
            msg("identifier cannot begin with digit U+0663 '٣'", 0, 2)
        );
        assert_eq!(
            one_err("a\u{a0}b"),
            msg("invalid character U+00A0 in identifier", 1, 3)
        );
    }

    #[test]
    fn unterminated_strings() {
        let src = "x := \"abc\ny";
        assert_eq!(one_err(src), msg("newline in string", 9, 9));
        assert_eq!(
            toks_lossy(src),
            vec![Ident("x"), Define, Str("\"abc"), NL, Ident("y"), EOF]
        );
        assert_eq!(one_err("x := \"abc"), msg("string not terminated", 5, 9));
        assert_eq!(toks_lossy("\"abc"), vec![Str("\"abc"), EOF]);
        assert_eq!(one_err("x := `abc\n"), msg("string not terminated", 5, 6));
        assert_eq!(toks_lossy("`abc\n"), vec![Str("`abc\n"), EOF]);
        assert_eq!(one_err("\"abc\\"), msg("string not terminated", 0, 5));
        assert_eq!(one_err("\"\\\""), msg("string not terminated", 0, 3));
    }

    #[test]
    fn unterminated_comment() {
        assert_eq!(one_err("x /* abc"), msg("comment not terminated", 2, 4));
        assert_eq!(toks_lossy("x /* abc"), vec![Ident("x"), EOF]);
        assert_eq!(one_err("/*/"), msg("comment not terminated", 0, 2));
    }

    #[test]
    fn rune_errors() {
        assert_eq!(one_err("'a"), msg("rune literal not terminated", 0, 2));
        assert_eq!(one_err("'a\n"), msg("newline in rune literal", 2, 2));
        assert_eq!(
            one_err("''"),
            msg("empty rune literal or unescaped '", 1, 2)
        );
        assert_eq!(
            one_err("'ab'"),
            msg("more than one character in rune literal", 0, 4)
        );
        assert_eq!(
            one_err(r"'\n\t'"),
            msg("more than one character in rune literal", 0, 6)
        );
        assert_eq!(toks_lossy("'ab'"), vec![Rune("'ab'"), EOF]);
        assert_eq!(toks_lossy("'"), vec![Rune("'"), EOF]);
        // A bad escape is the only error reported for its literal.
        assert_eq!(one_err(r"'\q'"), msg("unknown escape", 2, 3));
        assert_eq!(one_err(r#"'\"'"#), msg("unknown escape", 2, 3));
    }

    #[test]
    fn escape_errors() {
        assert_eq!(one_err(r#""\q""#), msg("unknown escape", 2, 3));
        assert_eq!(one_err(r#""\'""#), msg("unknown escape", 2, 3));
        assert_eq!(
            one_err(r#""\400""#),
            msg("octal escape value 256 > 255", 5, 5)
        );
        assert_eq!(
            one_err(r#""\uD800""#),
            msg("escape is invalid Unicode code point U+D800", 7, 7)
        );
        assert_eq!(
            one_err(r#""\U00110000""#),
            msg("escape is invalid Unicode code point U+110000", 11, 11)
        );
        assert_eq!(
            one_err(r#""\x4g""#),
            msg("invalid character 'g' in hexadecimal escape", 4, 5)
        );
        assert_eq!(
            one_err(r#"'\18'"#),
            msg("invalid character '8' in octal escape", 3, 4)
        );
        assert_eq!(
            errs("\"\\x4\n"),
            vec![
                msg("invalid character '\\n' in hexadecimal escape", 4, 5),
                msg("newline in string", 4, 4),
            ]
        );
    }

    #[test]
    fn number_errors() {
        let cases = [
            ("09", "invalid digit '9' in octal literal", 1, 2),
            ("0778", "invalid digit '8' in octal literal", 3, 4),
            ("0b12", "invalid digit '2' in binary literal", 3, 4),
            ("0o8", "invalid digit '8' in octal literal", 2, 3),
            ("1__2", "'_' must separate successive digits", 2, 3),
            ("1_", "'_' must separate successive digits", 1, 2),
            ("0x_", "hexadecimal literal has no digits", 3, 3),
            ("1e", "exponent has no digits", 2, 2),
            ("1e+", "exponent has no digits", 3, 3),
            ("0x1p", "exponent has no digits", 4, 4),
            ("0x", "hexadecimal literal has no digits", 2, 2),
            ("0o", "octal literal has no digits", 2, 2),
            ("0b", "binary literal has no digits", 2, 2),
            ("0x.p1", "hexadecimal literal has no digits", 3, 3),
            (
                "0x1.8",
                "hexadecimal mantissa requires a 'p' exponent",
                5,
                5,
            ),
            ("0x.8", "hexadecimal mantissa requires a 'p' exponent", 4, 4),
            ("0b1.0", "invalid radix point in binary literal", 3, 4),
            ("0o7.1", "invalid radix point in octal literal", 3, 4),
            ("1p3", "'p' exponent requires hexadecimal mantissa", 1, 2),
            ("0b1e3", "'e' exponent requires decimal mantissa", 3, 4),
            ("0o1E3", "'E' exponent requires decimal mantissa", 3, 4),
        ];
        for (src, message, start, end) in cases {
            assert_eq!(one_err(src), msg(message, start, end), "{src}");
            // Still one literal token.
            assert_eq!(toks_lossy(src).len(), 2, "{src}");
        }
    }

    #[test]
    fn separator_before_identifier() {
        assert_eq!(
            one_err("0_x"),
            msg("'_' must separate successive digits", 1, 2)
        );
        assert_eq!(toks_lossy("0_x"), vec![Int("0_"), Ident("x"), EOF]);
    }

    #[test]
    fn legacy_octal_digit_error_has_help() {
        let (_, errors) = tokenize("09");
        assert!(errors[0].help().is_some());
        let (_, errors) = tokenize("0b2");
        assert!(errors[0].help().is_none());
    }

    #[test]
    fn error_codes_are_stable() {
        let cases = [
            ("\"a", "gom::syntax::unterminated_string"),
            ("\"a\n", "gom::syntax::newline_in_string"),
            ("/*", "gom::syntax::unterminated_comment"),
            ("@", "gom::syntax::invalid_character"),
            ("\0", "gom::syntax::invalid_nul"),
            (r#""\q""#, "gom::syntax::unknown_escape"),
            ("09", "gom::syntax::invalid_digit"),
            ("1__0", "gom::syntax::invalid_digit_separator"),
        ];
        for (src, code) in cases {
            let (_, errors) = tokenize(src);
            let found = errors[0].code().map(|c| c.to_string());
            assert_eq!(found.as_deref(), Some(code), "{src}");
        }
    }

    #[test]
    fn several_errors_in_order() {
        let src = "x := 09 @ \"\\q\"\ny := '' + 0x\nz := \"abc";
        let messages: Vec<String> = errs(src).into_iter().map(|(m, _, _)| m).collect();
        assert_eq!(
            messages,
            vec![
                "invalid digit '9' in octal literal",
                "invalid character U+0040 '@'",
                "unknown escape",
                "empty rune literal or unescaped '",
                "hexadecimal literal has no digits",
                "string not terminated",
            ]
        );
        // The statements are still all there.
        let semis = toks_lossy(src)
            .iter()
            .filter(|t| matches!(t, Semi(_)))
            .count();
        assert_eq!(semis, 3);
    }

    #[test]
    fn huge_nesting_is_fast_and_flat() {
        let src = format!("{}{}", "{".repeat(200_000), "}".repeat(200_000));
        let (tokens, errors) = tokenize(&src);
        assert_eq!(tokens.len(), 400_001);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn nesting_limit() {
        let ok = "(".repeat(MAX_NESTING);
        assert!(tokenize(&ok).1.is_empty());
        let deep = format!("x = {}", "[".repeat(MAX_NESTING + 5));
        let errors = errs(&deep);
        let limit = 4 + MAX_NESTING as u32;
        assert_eq!(
            errors,
            vec![msg(
                "too deeply nested: more than 1000 levels of brackets",
                limit,
                limit + 1
            )]
        );
        let mixed = "({[".repeat(400);
        assert_eq!(errs(&mixed).len(), 1);
    }

    /// A small deterministic PRNG (xorshift64*), so the fuzz tests need no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    /// Checks what must hold for any input: spans in order and in bounds, on char boundaries.
    fn check_invariants(src: &str) {
        let (tokens, errors) = tokenize(src);
        let mut last_end = 0;
        for (start, token, end) in &tokens {
            assert!(
                start <= end && *end as usize <= src.len(),
                "{token:?} in {src:?}"
            );
            assert!(*start >= last_end, "{token:?} overlaps in {src:?}");
            assert!(src.is_char_boundary(*start as usize) && src.is_char_boundary(*end as usize));
            last_end = *end;
        }
        for error in &errors {
            let span = error.span();
            assert!(
                span.start <= span.end && span.end as usize <= src.len(),
                "{error:?}"
            );
        }
    }

    #[test]
    fn random_bytes_do_not_panic() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Bytes biased towards Go's interesting characters, plus arbitrary ones.
        let alphabet = b"0123456789abcdefxobpeEiP_.+-*/%&|^<>=!~:;,()[]{}'\"`\\\n\r\t ux@$\0";
        for _ in 0..3000 {
            let len = (rng.next() % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = rng.next();
                    if r % 4 == 0 {
                        (r >> 8) as u8
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            check_invariants(&String::from_utf8_lossy(&bytes));
        }
    }

    const PROGRAM: &str = r#"package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

// Inc adds one.
func (c *Counter) Inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[key]++
}

func main() {
	c := Counter{n: make(map[string]int)}
	ch := make(chan int, 10)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ch <- i * 0x10
		}(i)
	}
	wg.Wait()
	close(ch)
	for v := range ch {
		if v%2 == 0 && v != 0b11 {
			c.Inc("even")
		} else if x := []int{v}; len(x) > 0 {
			c.Inc(`odd`)
		} else {
			fmt.Println('\n', 1.5e3, 2i)
		}
	}
	select {
	case v := <-ch:
		fmt.Printf("%d\n", v)
	default:
	}
	/* done */
	fmt.Println(c.n["even"], &^ 0)
}
"#;

    #[test]
    fn realistic_program() {
        let tokens = toks(PROGRAM);
        assert_eq!(tokens.iter().filter(|t| **t == LBody).count(), 5);
        assert_eq!(tokens.last(), Some(&NL));
    }

    #[test]
    fn truncated_programs_do_not_panic() {
        for (i, _) in PROGRAM.char_indices() {
            check_invariants(&PROGRAM[..i]);
        }
    }
}
