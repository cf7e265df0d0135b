//! Go's `strconv` quoting (`Quote`, `QuoteToASCII`, `QuoteRune`, `CanBackquote`, `IsPrint`)
//! and the UTF-8 decoding rules Go applies while doing it. Ported from `strconv/quote.go`.

use super::isprint::{IS_GRAPHIC, IS_NOT_PRINT16, IS_NOT_PRINT32, IS_PRINT16, IS_PRINT32};

/// Unicode's replacement character, which Go substitutes for invalid code points.
pub const RUNE_ERROR: u32 = 0xFFFD;
/// The largest valid code point (`utf8.MaxRune`).
pub const MAX_RUNE: u32 = 0x10FFFF;

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Decodes the first rune of `b` like Go's `utf8.DecodeRune`: an empty input gives
/// `(RUNE_ERROR, 0)`, an invalid or truncated sequence gives `(RUNE_ERROR, 1)`.
pub fn decode_rune(b: &[u8]) -> (u32, usize) {
    if b.is_empty() {
        return (RUNE_ERROR, 0);
    }
    if b[0] < 0x80 {
        return (u32::from(b[0]), 1);
    }
    let chunk = &b[..b.len().min(4)];
    // Rust's UTF-8 validation rejects exactly what Go's decoder rejects (surrogates,
    // overlong forms, code points past U+10FFFF), so the first valid char is Go's rune.
    let valid = match std::str::from_utf8(chunk) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&chunk[..e.valid_up_to()]).unwrap_or(""),
    };
    match valid.chars().next() {
        Some(c) => (u32::from(c), c.len_utf8()),
        None => (RUNE_ERROR, 1),
    }
}

/// Counts runes the way `utf8.RuneCount` does: each invalid byte counts as one rune.
pub fn rune_count(mut b: &[u8]) -> usize {
    let mut n = 0;
    while !b.is_empty() {
        let (_, w) = decode_rune(b);
        b = &b[w.max(1)..];
        n += 1;
    }
    n
}

/// Appends the UTF-8 encoding of `r`, writing U+FFFD for invalid code points (`utf8.AppendRune`).
pub fn append_rune(buf: &mut Vec<u8>, r: u32) {
    let c = char::from_u32(r).unwrap_or('\u{FFFD}');
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

fn valid_rune(r: u32) -> bool {
    r <= MAX_RUNE && !(0xD800..=0xDFFF).contains(&r)
}

/// Index of the first element `>= v` (Go's `bsearch` helper in quote.go).
fn lower_bound<T: Ord + Copy>(s: &[T], v: T) -> usize {
    s.partition_point(|&x| x < v)
}

fn in_ranges<T: Ord + Copy>(ranges: &[T], v: T) -> bool {
    let i = lower_bound(ranges, v);
    i < ranges.len() && ranges[i & !1] <= v && v <= ranges[i | 1]
}

/// `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and U+0020.
pub fn is_print(r: u32) -> bool {
    if r <= 0xFF {
        // Latin-1 fast path; U+00AD (soft hyphen) is the lone non-printable above 0xA0.
        return (0x20..=0x7E).contains(&r) || ((0xA1..=0xFF).contains(&r) && r != 0xAD);
    }
    if let Ok(rr) = u16::try_from(r) {
        return in_ranges(IS_PRINT16, rr) && IS_NOT_PRINT16.binary_search(&rr).is_err();
    }
    if !in_ranges(IS_PRINT32, r) {
        return false;
    }
    if r >= 0x20000 {
        return true;
    }
    match u16::try_from(r - 0x10000) {
        Ok(low) => IS_NOT_PRINT32.binary_search(&low).is_err(),
        Err(_) => true,
    }
}

/// `strconv.IsGraphic`: printable, or one of the Unicode spaces Go lists separately.
pub fn is_graphic(r: u32) -> bool {
    is_print(r) || u16::try_from(r).is_ok_and(|rr| IS_GRAPHIC.binary_search(&rr).is_ok())
}

/// How non-printable runes are treated while quoting.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum QuoteMode {
    /// `strconv.Quote`: keep printable runes as they are.
    Printable,
    /// `strconv.QuoteToASCII`: escape everything outside printable ASCII.
    Ascii,
    /// `strconv.QuoteToGraphic`: also keep Unicode graphic spaces.
    Graphic,
}

fn append_escaped_rune(buf: &mut Vec<u8>, r: u32, quote: u8, mode: QuoteMode) {
    if r == u32::from(quote) || r == u32::from(b'\\') {
        buf.push(b'\\');
        buf.push(quote_byte(r));
        return;
    }
    let keep = match mode {
        QuoteMode::Ascii => r < 0x80 && is_print(r),
        QuoteMode::Printable => is_print(r),
        QuoteMode::Graphic => is_graphic(r),
    };
    if keep {
        append_rune(buf, r);
        return;
    }
    match r {
        0x07 => buf.extend_from_slice(b"\\a"),
        0x08 => buf.extend_from_slice(b"\\b"),
        0x0C => buf.extend_from_slice(b"\\f"),
        0x0A => buf.extend_from_slice(b"\\n"),
        0x0D => buf.extend_from_slice(b"\\r"),
        0x09 => buf.extend_from_slice(b"\\t"),
        0x0B => buf.extend_from_slice(b"\\v"),
        _ if r < 0x20 || r == 0x7F => append_hex(buf, b"\\x", r, 2),
        _ if !valid_rune(r) => append_hex(buf, b"\\u", RUNE_ERROR, 4),
        _ if r < 0x10000 => append_hex(buf, b"\\u", r, 4),
        _ => append_hex(buf, b"\\U", r, 8),
    }
}

/// The quote or backslash byte itself (callers only pass ASCII runes here).
fn quote_byte(r: u32) -> u8 {
    u8::try_from(r).unwrap_or(b'?')
}

fn append_hex(buf: &mut Vec<u8>, prefix: &[u8], r: u32, digits: u32) {
    buf.extend_from_slice(prefix);
    for i in (0..digits).rev() {
        buf.push(LOWER_HEX[((r >> (4 * i)) & 0xF) as usize]);
    }
}

/// Appends `s` as a Go double-quoted literal (`strconv.AppendQuote` and friends).
/// Bytes that are not valid UTF-8 are written as `\xNN`.
pub fn append_quoted(buf: &mut Vec<u8>, mut s: &[u8], quote: u8, mode: QuoteMode) {
    buf.push(quote);
    while !s.is_empty() {
        let (r, w) = decode_rune(s);
        if w == 1 && r == RUNE_ERROR {
            append_hex(buf, b"\\x", u32::from(s[0]), 2);
        } else {
            append_escaped_rune(buf, r, quote, mode);
        }
        s = &s[w.max(1)..];
    }
    buf.push(quote);
}

/// Appends `r` as a Go rune literal (`strconv.AppendQuoteRune`); invalid runes become U+FFFD.
pub fn append_quoted_rune(buf: &mut Vec<u8>, r: u32, mode: QuoteMode) {
    let r = if valid_rune(r) { r } else { RUNE_ERROR };
    buf.push(b'\'');
    append_escaped_rune(buf, r, b'\'', mode);
    buf.push(b'\'');
}

/// `strconv.Quote`.
pub fn quote(s: &[u8]) -> String {
    quote_with(s, QuoteMode::Printable)
}

/// `strconv.Quote` with a choice of mode (`QuoteToASCII`, `QuoteToGraphic`).
pub fn quote_with(s: &[u8], mode: QuoteMode) -> String {
    let mut buf = Vec::with_capacity(s.len() + 2);
    append_quoted(&mut buf, s, b'"', mode);
    // Quoting escapes every invalid byte, so the result is always valid UTF-8.
    String::from_utf8_lossy(&buf).into_owned()
}

/// `strconv.QuoteRune` (and `QuoteRuneToASCII`/`QuoteRuneToGraphic` through `mode`).
/// Takes a Go `rune` (int32); negative or out-of-range values quote as U+FFFD.
pub fn quote_rune(r: i32, mode: QuoteMode) -> String {
    let mut buf = Vec::new();
    append_quoted_rune(&mut buf, u32::try_from(r).unwrap_or(RUNE_ERROR), mode);
    String::from_utf8_lossy(&buf).into_owned()
}

/// `strconv.CanBackquote`: whether `s` can be written as a raw string literal unchanged.
pub fn can_backquote(mut s: &[u8]) -> bool {
    while !s.is_empty() {
        let (r, w) = decode_rune(s);
        s = &s[w.max(1)..];
        if w > 1 {
            // A BOM is invisible, so a raw literal would hide it.
            if r == 0xFEFF {
                return false;
            }
            continue;
        }
        if r == RUNE_ERROR || (r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7F {
            return false;
        }
    }
    true
}
