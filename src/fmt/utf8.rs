//! The few UTF-8 operations the engine needs, with Go's treatment of bad input: Go strings
//! are arbitrary bytes, and every byte that does not start a valid sequence decodes to
//! U+FFFD with length 1.

/// U+FFFD, what invalid input and out-of-range code points become.
pub const REPLACEMENT: u32 = 0xFFFD;
/// The largest Unicode code point.
pub const MAX_CODE_POINT: u32 = 0x10FFFF;

/// The first rune of `bytes` and its length in bytes: `(REPLACEMENT, 0)` for empty input,
/// `(REPLACEMENT, 1)` for a byte that does not start a valid sequence.
pub fn decode_rune(bytes: &[u8]) -> (u32, usize) {
    let Some(&first) = bytes.first() else {
        return (REPLACEMENT, 0);
    };
    if first.is_ascii() {
        return (u32::from(first), 1);
    }
    // A code point takes at most four bytes; Rust's validator rejects the same sequences
    // Go's decoder does (overlong forms, surrogates, values past U+10FFFF).
    let window = &bytes[..bytes.len().min(4)];
    let valid_prefix = match std::str::from_utf8(window) {
        Ok(text) => text,
        Err(err) => std::str::from_utf8(&window[..err.valid_up_to()]).unwrap_or_default(),
    };
    valid_prefix
        .chars()
        .next()
        .map_or((REPLACEMENT, 1), |c| (u32::from(c), c.len_utf8()))
}

/// Iterates over `(rune, byte length)` pairs, each invalid byte on its own.
pub fn runes(mut bytes: &[u8]) -> impl Iterator<Item = (u32, usize)> + '_ {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let (rune, len) = decode_rune(bytes);
        bytes = &bytes[len..];
        Some((rune, len))
    })
}

/// The number of runes in `bytes`, counting each invalid byte as one.
pub fn rune_count(bytes: &[u8]) -> usize {
    runes(bytes).count()
}

/// The longest prefix of `bytes` holding at most `max` runes.
pub fn first_runes(bytes: &[u8], max: usize) -> &[u8] {
    let end: usize = runes(bytes).take(max).map(|(_, len)| len).sum();
    &bytes[..end]
}

/// Whether `r` is a code point a rune may hold (not a surrogate, not past U+10FFFF).
pub fn is_valid(r: u32) -> bool {
    char::from_u32(r).is_some()
}

/// Appends the UTF-8 encoding of `r`; invalid code points are written as U+FFFD.
pub fn push_rune(out: &mut Vec<u8>, r: u32) {
    let c = char::from_u32(r).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut tmp = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}
