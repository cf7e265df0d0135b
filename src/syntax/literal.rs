//! Escape sequences and literal values.
//!
//! Input: the raw text of a string or rune literal, as the lexer put it in a [`Token`]
//! (quotes included). Output: the literal's value. The lexer validates literals with
//! [`parse_escape`] and reports what is wrong; the decoders here ([`string_value`],
//! [`rune_value`]) use the same function, so validation and decoding cannot disagree. The
//! decoders are infallible: on input the lexer already rejected they return a best-effort value
//! (an invalid escape is dropped, an unterminated literal is decoded up to its end).
//!
//! [`Token`]: super::token::Token

/// The value of one escape sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscapeValue {
    /// `\x..` and octal escapes: one byte in a string (`"\xff"` is not UTF-8), its value in a rune.
    Byte(u8),
    /// `\n`, `\u....`, `\U........` and the other escapes: a Unicode code point.
    Char(char),
}

impl EscapeValue {
    /// The value as a rune literal sees it.
    pub fn code(self) -> u32 {
        match self {
            EscapeValue::Byte(b) => u32::from(b),
            EscapeValue::Char(c) => u32::from(c),
        }
    }
}

/// Why an escape sequence is invalid. Messages are Go's (`cmd/compile/internal/syntax`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscapeError {
    /// `\q`, or `\'` in a string, or `\"` in a rune.
    Unknown,
    /// A character that is not a digit of the escape's base, e.g. `\x4g`.
    InvalidDigit { found: char, base: u32 },
    /// `\400`: an octal escape above 255.
    OctalTooBig(u32),
    /// `\uD800` or `\U00110000`: a surrogate half or beyond U+10FFFF.
    InvalidCodePoint(u32),
    /// The input ended inside the escape; the caller reports the unterminated literal.
    Eof,
}

/// The outcome of [`parse_escape`]: how many bytes it consumed, and the value or the error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Escape {
    /// Bytes consumed after the backslash. On an error this stops before the offending
    /// character (as Go's scanner does), so the caller can go on scanning from there.
    pub len: usize,
    pub result: Result<EscapeValue, EscapeError>,
}

/// Parses the escape sequence at the start of `rest` (the text after a backslash).
/// `quote` is the literal's quote character (`'` or `"`), the only quote that may be escaped.
pub fn parse_escape(rest: &str, quote: char) -> Escape {
    let mut chars = rest.chars();
    let Some(first) = chars.next() else {
        return Escape {
            len: 0,
            result: Err(EscapeError::Eof),
        };
    };
    let simple = match first {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        c if c == quote => Some(c),
        _ => None,
    };
    if let Some(c) = simple {
        return Escape {
            len: 1,
            result: Ok(EscapeValue::Char(c)),
        };
    }
    // (digit count, base, bytes of the escape letter before the digits)
    let (digits, base, skip) = match first {
        '0'..='7' => (3, 8, 0),
        'x' => (2, 16, 1),
        'u' => (4, 16, 1),
        'U' => (8, 16, 1),
        _ => {
            return Escape {
                len: 0,
                result: Err(EscapeError::Unknown),
            }
        }
    };
    let mut value: u32 = 0;
    let mut len = skip;
    for c in rest[skip..].chars().take(digits) {
        let Some(d) = c.to_digit(base) else {
            return Escape {
                len,
                result: Err(EscapeError::InvalidDigit { found: c, base }),
            };
        };
        // At most 8 hex digits: fits in u32.
        value = value * base + d;
        len += 1;
    }
    if len - skip < digits {
        return Escape {
            len,
            result: Err(EscapeError::Eof),
        };
    }
    let result = if base == 8 || first == 'x' {
        u8::try_from(value)
            .map(EscapeValue::Byte)
            .map_err(|_| EscapeError::OctalTooBig(value))
    } else {
        // `char::from_u32` rejects exactly what Go rejects: surrogates and values > U+10FFFF.
        char::from_u32(value)
            .map(EscapeValue::Char)
            .ok_or(EscapeError::InvalidCodePoint(value))
    };
    Escape { len, result }
}

/// The bytes of an interpreted (`"..."`) or raw (`` `...` ``) string literal.
/// Raw strings lose their carriage returns, as the Go spec requires.
pub fn string_value(raw: &str) -> Vec<u8> {
    if let Some(body) = raw.strip_prefix('`') {
        let body = body.strip_suffix('`').unwrap_or(body);
        return body.bytes().filter(|&b| b != b'\r').collect();
    }
    let body = raw.strip_prefix('"').unwrap_or(raw);
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '"' => break,
            '\\' => {
                let escape = parse_escape(rest, '"');
                rest = &rest[escape.len..];
                match escape.result {
                    Ok(EscapeValue::Byte(b)) => out.push(b),
                    Ok(EscapeValue::Char(c)) => push_char(&mut out, c),
                    // Already reported by the lexer: drop the broken escape.
                    Err(_) => {}
                }
            }
            c => push_char(&mut out, c),
        }
    }
    out
}

/// The value of a rune literal (`'a'`, `'\n'`, `'\377'`, `'\U0010FFFF'`); 0 for an empty one.
pub fn rune_value(raw: &str) -> u32 {
    let body = raw.strip_prefix('\'').unwrap_or(raw);
    let mut chars = body.chars();
    match chars.next() {
        Some('\\') => parse_escape(chars.as_str(), '\'')
            .result
            .map_or(0, EscapeValue::code),
        Some('\'') | None => 0,
        Some(c) => u32::from(c),
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, quote: char) -> Escape {
        parse_escape(s, quote)
    }

    #[test]
    fn simple_escapes() {
        for (s, c) in [
            ("a", '\u{7}'),
            ("b", '\u{8}'),
            ("f", '\u{c}'),
            ("n", '\n'),
            ("r", '\r'),
            ("t", '\t'),
            ("v", '\u{b}'),
            ("\\", '\\'),
        ] {
            assert_eq!(esc(s, '"').result, Ok(EscapeValue::Char(c)), "{s}");
            assert_eq!(esc(s, '"').len, 1);
        }
    }

    #[test]
    fn quotes_depend_on_literal_kind() {
        assert_eq!(esc("'", '\'').result, Ok(EscapeValue::Char('\'')));
        assert_eq!(esc("\"", '"').result, Ok(EscapeValue::Char('"')));
        assert_eq!(esc("'", '"').result, Err(EscapeError::Unknown));
        assert_eq!(esc("\"", '\'').result, Err(EscapeError::Unknown));
        assert_eq!(esc("q", '"').len, 0);
    }

    #[test]
    fn numeric_escapes() {
        assert_eq!(
            esc("x41rest", '"'),
            Escape {
                len: 3,
                result: Ok(EscapeValue::Byte(0x41))
            }
        );
        assert_eq!(esc("101", '"').result, Ok(EscapeValue::Byte(0o101)));
        assert_eq!(esc("377", '"').result, Ok(EscapeValue::Byte(255)));
        assert_eq!(esc("u1234", '"').result, Ok(EscapeValue::Char('\u{1234}')));
        assert_eq!(
            esc("U00101234", '"').result,
            Ok(EscapeValue::Char('\u{101234}'))
        );
        assert_eq!(esc("U00101234", '"').len, 9);
    }

    #[test]
    fn numeric_escape_errors() {
        assert_eq!(
            esc("400", '"'),
            Escape {
                len: 3,
                result: Err(EscapeError::OctalTooBig(256))
            }
        );
        assert_eq!(
            esc("uD800", '"').result,
            Err(EscapeError::InvalidCodePoint(0xD800))
        );
        assert_eq!(
            esc("U00110000", '"').result,
            Err(EscapeError::InvalidCodePoint(0x110000))
        );
        assert_eq!(
            esc("x4g", '"'),
            Escape {
                len: 2,
                result: Err(EscapeError::InvalidDigit {
                    found: 'g',
                    base: 16
                })
            }
        );
        assert_eq!(
            esc("18", '"').result,
            Err(EscapeError::InvalidDigit {
                found: '8',
                base: 8
            })
        );
        assert_eq!(
            esc("x4", '"'),
            Escape {
                len: 2,
                result: Err(EscapeError::Eof)
            }
        );
        assert_eq!(
            esc("", '"'),
            Escape {
                len: 0,
                result: Err(EscapeError::Eof)
            }
        );
    }

    #[test]
    fn strings() {
        assert_eq!(string_value(r#""a\n""#), b"a\n");
        assert_eq!(string_value(r#""\xff\377""#), vec![0xff, 0xff]);
        assert_eq!(string_value(r#""\u00e9""#), "é".as_bytes());
        assert_eq!(string_value(r#""\"\\""#), b"\"\\");
        assert_eq!(string_value("\"日本\""), "日本".as_bytes());
        assert_eq!(string_value("\"\""), b"");
        assert_eq!(string_value("`a\\n\r\nb`"), b"a\\n\nb");
    }

    #[test]
    fn broken_strings_decode_best_effort() {
        assert_eq!(string_value("\"abc"), b"abc");
        assert_eq!(string_value("\""), b"");
        assert_eq!(string_value(r#""a\qb""#), b"aqb");
        assert_eq!(string_value(r#""\x4g""#), b"g");
        assert_eq!(string_value("\"\\"), b"");
        assert_eq!(string_value("`abc"), b"abc");
        assert_eq!(string_value("`"), b"");
        assert_eq!(string_value(""), b"");
    }

    #[test]
    fn runes() {
        assert_eq!(rune_value("'a'"), 'a' as u32);
        assert_eq!(rune_value("'é'"), 0xe9);
        assert_eq!(rune_value(r"'\n'"), 10);
        assert_eq!(rune_value(r"'\''"), '\'' as u32);
        assert_eq!(rune_value(r"'\u00e9'"), 0xe9);
        assert_eq!(rune_value(r"'\377'"), 255);
        assert_eq!(rune_value(r"'\xff'"), 255);
        assert_eq!(rune_value(r"'\U0010FFFF'"), 0x10FFFF);
    }

    #[test]
    fn broken_runes_decode_best_effort() {
        assert_eq!(rune_value("''"), 0);
        assert_eq!(rune_value("'"), 0);
        assert_eq!(rune_value(""), 0);
        assert_eq!(rune_value("'ab'"), 'a' as u32);
        assert_eq!(rune_value(r"'\q'"), 0);
        assert_eq!(rune_value(r"'\400'"), 0);
    }
}
