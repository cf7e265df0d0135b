//! Leaf formatters for numbers and runes: integers in any base, `%c`, `%q` and `%U` of a
//! code point, and the decoration of `strconv`'s float text (sign, `#`, zero padding).

use super::float::append_float;
use super::quote::{is_print, push_quoted_rune, QuoteMode};
use super::spec::Spec;
use super::utf8::{push_rune, MAX_CODE_POINT, REPLACEMENT};

/// How an integer is spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Radix {
    Binary,
    Octal,
    /// `%O`: octal with a `0o` prefix.
    OctalPrefixed,
    Decimal,
    Hex,
    HexUpper,
}

impl Radix {
    fn digits(self, n: u64) -> String {
        match self {
            Radix::Binary => format!("{n:b}"),
            Radix::Octal | Radix::OctalPrefixed => format!("{n:o}"),
            Radix::Decimal => n.to_string(),
            Radix::Hex => format!("{n:x}"),
            Radix::HexUpper => format!("{n:X}"),
        }
    }

    /// The prefix the `#` flag adds (octal's depends on the digits).
    fn alt_prefix(self, digits: &str) -> &'static str {
        match self {
            Radix::Binary => "0b",
            Radix::Octal | Radix::OctalPrefixed if !digits.starts_with('0') => "0",
            Radix::Hex => "0x",
            Radix::HexUpper => "0X",
            _ => "",
        }
    }
}

/// An integer as sign and magnitude.
#[derive(Clone, Copy)]
pub(super) struct Integer {
    pub negative: bool,
    pub magnitude: u64,
}

impl Integer {
    pub fn signed(v: i64) -> Integer {
        Integer {
            negative: v < 0,
            magnitude: v.unsigned_abs(),
        }
    }

    pub fn unsigned(v: u64) -> Integer {
        Integer {
            negative: false,
            magnitude: v,
        }
    }
}

/// The sign character the flags ask for, if any.
fn sign(spec: &Spec, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if spec.flags.plus {
        "+"
    } else if spec.flags.space {
        " "
    } else {
        ""
    }
}

/// `%d %b %o %O %x %X` (and `%v`). The precision is a minimum digit count; with the `0`
/// flag and no precision the width becomes one, so zeros go between sign and digits.
pub(super) fn push_integer(out: &mut Vec<u8>, spec: &Spec, n: Integer, radix: Radix) {
    let sign = sign(spec, n.negative);
    let min_digits = match spec.prec {
        // An explicit zero precision prints zero as nothing at all.
        Some(0) if n.magnitude == 0 => return spec.pad_blank(out, b""),
        Some(p) => p,
        None if spec.zero_fill() => spec.width.unwrap_or(0).saturating_sub(sign.len()),
        None => 0,
    };
    let mut digits = radix.digits(n.magnitude);
    if digits.len() < min_digits {
        digits.insert_str(0, &"0".repeat(min_digits - digits.len()));
    }
    let alt = if spec.flags.alt {
        radix.alt_prefix(&digits)
    } else {
        ""
    };
    let o_prefix = if radix == Radix::OctalPrefixed {
        "0o"
    } else {
        ""
    };
    let text = format!("{sign}{o_prefix}{alt}{digits}");
    spec.pad_blank(out, text.as_bytes());
}

/// A code point from an integer operand: anything past U+10FFFF is U+FFFD.
fn code_point(n: Integer) -> u32 {
    match u32::try_from(n.magnitude) {
        Ok(r) if !n.negative && r <= MAX_CODE_POINT => r,
        _ => REPLACEMENT,
    }
}

/// `%c`: the character.
pub(super) fn push_char(out: &mut Vec<u8>, spec: &Spec, n: Integer) {
    let mut text = Vec::with_capacity(4);
    push_rune(&mut text, code_point(n));
    spec.pad(out, &text);
}

/// `%q` of an integer: a rune literal, ASCII-only with `+`.
pub(super) fn push_rune_literal(out: &mut Vec<u8>, spec: &Spec, n: Integer) {
    let mode = if spec.flags.plus {
        QuoteMode::Ascii
    } else {
        QuoteMode::Printable
    };
    let mut text = Vec::with_capacity(8);
    push_quoted_rune(&mut text, code_point(n), mode);
    spec.pad(out, &text);
}

/// `%U`: `U+` and at least four (or the precision's count of) uppercase hex digits; with
/// `#`, followed by the quoted character when it is printable.
pub(super) fn push_unicode(out: &mut Vec<u8>, spec: &Spec, n: Integer) {
    // Go formats the operand's bits as unsigned here.
    let bits = if n.negative {
        n.magnitude.wrapping_neg()
    } else {
        n.magnitude
    };
    let min_digits = spec.prec.unwrap_or(0).max(4);
    let mut text = format!("U+{bits:0min_digits$X}").into_bytes();
    if spec.flags.alt {
        if let Some(r) = u32::try_from(bits).ok().filter(|&r| r <= MAX_CODE_POINT) {
            if is_print(r) {
                text.extend_from_slice(b" '");
                push_rune(&mut text, r);
                text.push(b'\'');
            }
        }
    }
    spec.pad_blank(out, &text);
}

/// A float verb after `%v`/`%F` have been mapped onto `strconv`'s formats.
pub(super) fn push_float(out: &mut Vec<u8>, spec: &Spec, v: f64, bits: u32, fmt: u8, prec: i32) {
    let prec = spec
        .prec
        .map_or(prec, |p| i32::try_from(p).unwrap_or(i32::MAX));
    let mut body = Vec::with_capacity(24);
    append_float(&mut body, v, fmt, prec, bits);
    let negative = body.first() == Some(&b'-');
    if negative {
        body.remove(0);
    } else if body.first() == Some(&b'+') {
        body.remove(0); // +Inf: the sign is decided below
    }
    if body == b"Inf" || body == b"NaN" {
        return push_non_finite(out, spec, negative, &body);
    }
    if spec.flags.alt && fmt != b'b' {
        force_point(&mut body, fmt, prec);
    }
    let sign = sign(spec, negative);
    let width = spec.width.unwrap_or(0);
    if spec.zero_fill() && width > sign.len() + body.len() {
        // Zeros go between the sign and the digits.
        out.extend_from_slice(sign.as_bytes());
        spec.push_fill(out, width - sign.len() - body.len());
        out.extend_from_slice(&body);
        return;
    }
    let mut text = sign.as_bytes().to_vec();
    text.extend_from_slice(&body);
    spec.pad(out, &text);
}

/// `Inf` always has a sign (`+` unless a flag says otherwise), `NaN` only when a flag
/// asks; neither is zero-padded.
fn push_non_finite(out: &mut Vec<u8>, spec: &Spec, negative: bool, body: &[u8]) {
    let sign = if negative {
        "-"
    } else if spec.flags.plus {
        "+"
    } else if spec.flags.space {
        " "
    } else if body == b"Inf" {
        "+"
    } else {
        ""
    };
    let mut text = sign.as_bytes().to_vec();
    text.extend_from_slice(body);
    spec.pad_blank(out, &text);
}

/// The `#` flag on a float: the mantissa always has a decimal point, and `%g` (also `%v`
/// and, as in Go, `%x` but not `%X`) keeps trailing zeros up to the precision (6 when
/// shortest) significant characters.
fn force_point(body: &mut Vec<u8>, fmt: u8, prec: i32) {
    let hex = matches!(fmt, b'x' | b'X');
    let mantissa_len = body
        .iter()
        .position(|&c| matches!(c, b'p' | b'P') || (!hex && matches!(c, b'e' | b'E')))
        .unwrap_or(body.len());
    let exponent = body.split_off(mantissa_len);
    let wanted = match fmt {
        b'g' | b'G' | b'x' => usize::try_from(if prec < 0 { 6 } else { prec }).unwrap_or(0),
        _ => 0,
    };
    // Significant characters: everything but the point from the first non-'0' on
    // (a bare "0" counts as one).
    let significant = match body.iter().position(|&c| c != b'0' && c != b'.') {
        Some(first) => body[first..].iter().filter(|&&c| c != b'.').count(),
        None if body.as_slice() == b"0" => 1,
        None => 0,
    };
    if !body.contains(&b'.') {
        body.push(b'.');
    }
    body.resize(body.len() + wanted.saturating_sub(significant), b'0');
    body.extend_from_slice(&exponent);
}
