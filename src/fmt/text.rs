//! Leaf formatters for strings and byte slices: `%s`, `%q`, `%x`/`%X`. The precision
//! limits the input (in runes for `%s`/`%q`, in bytes for `%x`).

use super::quote::{can_backquote, push_quoted, QuoteMode};
use super::spec::Spec;
use super::utf8::first_runes;

/// The part of `s` the precision lets through.
fn clip<'a>(spec: &Spec, s: &'a [u8]) -> &'a [u8] {
    spec.prec.map_or(s, |max| first_runes(s, max))
}

/// `%s`.
pub(super) fn push_plain(out: &mut Vec<u8>, spec: &Spec, s: &[u8]) {
    spec.pad(out, clip(spec, s));
}

/// `%q`: a backquoted raw literal with `#` when possible, else a double-quoted one
/// (ASCII-only with `+`).
pub(super) fn push_quoted_text(out: &mut Vec<u8>, spec: &Spec, s: &[u8]) {
    let s = clip(spec, s);
    let mut text = Vec::with_capacity(s.len() + 2);
    if spec.flags.alt && can_backquote(s) {
        text.push(b'`');
        text.extend_from_slice(s);
        text.push(b'`');
    } else {
        let mode = if spec.flags.plus {
            QuoteMode::Ascii
        } else {
            QuoteMode::Printable
        };
        push_quoted(&mut text, s, mode);
    }
    spec.pad(out, &text);
}

/// `%x`/`%X`: two hex digits a byte; `#` prefixes `0x`, and with the space flag each byte
/// stands alone (`0x01 0x02`), otherwise the prefix appears once.
pub(super) fn push_hex_bytes(out: &mut Vec<u8>, spec: &Spec, s: &[u8], upper: bool) {
    let s = &s[..spec.prec.map_or(s.len(), |max| max.min(s.len()))];
    let prefix: &[u8] = match (spec.flags.alt, upper) {
        (false, _) => b"",
        (true, false) => b"0x",
        (true, true) => b"0X",
    };
    let mut text = Vec::with_capacity(s.len() * 5);
    for (i, byte) in s.iter().enumerate() {
        if i > 0 && spec.flags.space {
            text.push(b' ');
            text.extend_from_slice(prefix);
        } else if i == 0 {
            text.extend_from_slice(prefix);
        }
        let pair = if upper {
            format!("{byte:02X}")
        } else {
            format!("{byte:02x}")
        };
        text.extend_from_slice(pair.as_bytes());
    }
    // Unlike other formatters, an empty result is padded with the fill character too.
    spec.pad(out, &text);
}
