//! Go string and rune literals: `strconv.Quote`, `QuoteToASCII`, `QuoteToGraphic`,
//! `QuoteRune*`, `CanBackquote`, `IsPrint` and `IsGraphic`, written from the rules of the Go
//! spec's string literals and `strconv`'s documentation:
//!
//! * a rune is kept as it is when it is printable (Unicode categories L, M, N, P, S, or the
//!   ASCII space); `ToASCII` keeps only printable ASCII; `ToGraphic` also keeps the Unicode
//!   space separators (Zs);
//! * the quote character and the backslash are always escaped;
//! * other runes become the shortest standard escape: `\a \b \f \n \r \t \v`, `\xNN` for
//!   the remaining C0 controls and DEL, `\uNNNN` below U+10000, `\UNNNNNNNN` above;
//! * bytes that are not valid UTF-8 become `\xNN`; invalid runes in a rune literal become
//!   U+FFFD.

use super::isprint::{IS_GRAPHIC, IS_NOT_PRINT16, IS_NOT_PRINT32, IS_PRINT16, IS_PRINT32};
use super::utf8::{is_valid, push_rune, runes, REPLACEMENT};

/// Whether `r` falls in one of the inclusive `[lo, hi]` pairs of a sorted flat range table:
/// an odd count of bounds below `r` means `r` is strictly inside a pair.
fn in_range_table<T: Ord + Copy>(table: &[T], r: T) -> bool {
    let bounds_below = table.partition_point(|&bound| bound < r);
    bounds_below % 2 == 1 || table.get(bounds_below) == Some(&r)
}

/// `unicode.IsPrint` / `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// the ASCII space.
pub fn is_print(r: u32) -> bool {
    if let Ok(small) = u16::try_from(r) {
        return in_range_table(IS_PRINT16, small) && IS_NOT_PRINT16.binary_search(&small).is_err();
    }
    if !in_range_table(IS_PRINT32, r) {
        return false;
    }
    // The exception list of the 32-bit table only covers plane 1, stored as offsets.
    match u16::try_from(r - 0x10000) {
        Ok(offset) => IS_NOT_PRINT32.binary_search(&offset).is_err(),
        Err(_) => true,
    }
}

/// `unicode.IsGraphic` / `strconv.IsGraphic`: printable, or a Unicode space separator.
pub fn is_graphic(r: u32) -> bool {
    is_print(r) || u16::try_from(r).is_ok_and(|small| IS_GRAPHIC.binary_search(&small).is_ok())
}

/// Which runes a quoted literal may show unescaped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum QuoteMode {
    /// `strconv.Quote`: printable runes.
    Printable,
    /// `strconv.QuoteToASCII`: printable ASCII only.
    Ascii,
    /// `strconv.QuoteToGraphic`: printable runes and Unicode spaces.
    Graphic,
}

impl QuoteMode {
    fn shows(self, r: u32) -> bool {
        match self {
            QuoteMode::Printable => is_print(r),
            QuoteMode::Ascii => r < 0x80 && is_print(r),
            QuoteMode::Graphic => is_graphic(r),
        }
    }
}

/// Appends `prefix` and `value` as exactly `digits` lowercase hex digits.
fn push_hex_escape(out: &mut Vec<u8>, prefix: &str, value: u32, digits: usize) {
    out.extend_from_slice(format!("{prefix}{value:0digits$x}").as_bytes());
}

/// The single-letter escape of a control character, if it has one.
fn letter_escape(r: u32) -> Option<u8> {
    Some(match r {
        0x07 => b'a',
        0x08 => b'b',
        0x0C => b'f',
        0x0A => b'n',
        0x0D => b'r',
        0x09 => b't',
        0x0B => b'v',
        _ => return None,
    })
}

/// Appends one rune of a literal delimited by `delim`.
fn push_literal_rune(out: &mut Vec<u8>, r: u32, delim: u8, mode: QuoteMode) {
    if r == u32::from(delim) || r == u32::from(b'\\') {
        out.push(b'\\');
        push_rune(out, r);
    } else if mode.shows(r) {
        push_rune(out, r);
    } else if let Some(letter) = letter_escape(r) {
        out.extend_from_slice(&[b'\\', letter]);
    } else if r < 0x20 || r == 0x7F {
        push_hex_escape(out, "\\x", r, 2);
    } else if !is_valid(r) {
        push_hex_escape(out, "\\u", REPLACEMENT, 4);
    } else if r < 0x10000 {
        push_hex_escape(out, "\\u", r, 4);
    } else {
        push_hex_escape(out, "\\U", r, 8);
    }
}

/// Appends `s` as a double-quoted Go string literal.
pub fn push_quoted(out: &mut Vec<u8>, s: &[u8], mode: QuoteMode) {
    out.push(b'"');
    let mut rest = s;
    for (r, len) in runes(s) {
        if r == REPLACEMENT && len == 1 {
            push_hex_escape(out, "\\x", u32::from(rest[0]), 2);
        } else {
            push_literal_rune(out, r, b'"', mode);
        }
        rest = &rest[len..];
    }
    out.push(b'"');
}

/// Appends `r` as a single-quoted Go rune literal (invalid runes as U+FFFD).
pub fn push_quoted_rune(out: &mut Vec<u8>, r: u32, mode: QuoteMode) {
    let r = if is_valid(r) { r } else { REPLACEMENT };
    out.push(b'\'');
    push_literal_rune(out, r, b'\'', mode);
    out.push(b'\'');
}

/// `strconv.Quote`.
pub fn quote(s: &[u8]) -> String {
    quote_with(s, QuoteMode::Printable)
}

/// `strconv.Quote`, `QuoteToASCII` or `QuoteToGraphic`, by `mode`.
pub fn quote_with(s: &[u8], mode: QuoteMode) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    push_quoted(&mut out, s, mode);
    // Every invalid byte was escaped, so this conversion is lossless.
    String::from_utf8_lossy(&out).into_owned()
}

/// `strconv.QuoteRune` and its `ToASCII`/`ToGraphic` forms; `r` is a Go `rune` (int32).
pub fn quote_rune(r: i32, mode: QuoteMode) -> String {
    let mut out = Vec::new();
    push_quoted_rune(&mut out, u32::try_from(r).unwrap_or(REPLACEMENT), mode);
    String::from_utf8_lossy(&out).into_owned()
}

/// `strconv.CanBackquote`: whether a raw string literal can hold `s` unchanged and
/// visibly: no invalid UTF-8, no control characters but tab, no backquote, no BOM.
pub fn can_backquote(s: &[u8]) -> bool {
    runes(s).all(|(r, len)| match len {
        1 => r != REPLACEMENT && (r >= 0x20 || r == 0x09) && r != u32::from(b'`') && r != 0x7F,
        _ => r != 0xFEFF,
    })
}
