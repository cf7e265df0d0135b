//! Flags, width/precision and the leaf formatters (integers, floats, strings, runes),
//! ported from Go's `fmt/format.go`. Everything here writes into a caller's buffer.

use super::float::append_float;
use super::quote::{
    append_quoted, append_quoted_rune, append_rune, can_backquote, decode_rune, is_print,
    rune_count, QuoteMode, MAX_RUNE, RUNE_ERROR,
};

pub(super) const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
pub(super) const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// The flags of one verb (`fmtFlags`). `plus_v`/`sharp_v` replace `plus`/`sharp` for `%v`.
#[derive(Clone, Copy, Default)]
pub(super) struct Flags {
    pub wid_present: bool,
    pub prec_present: bool,
    pub minus: bool,
    pub plus: bool,
    pub sharp: bool,
    pub space: bool,
    pub zero: bool,
    pub plus_v: bool,
    pub sharp_v: bool,
}

/// Go's `fmt` struct: the current verb's flags, width and precision.
#[derive(Clone, Copy, Default)]
pub(super) struct Fmt {
    pub flags: Flags,
    pub wid: i64,
    pub prec: i64,
}

impl Fmt {
    pub fn clear(&mut self) {
        *self = Fmt::default();
    }

    /// Writes `n` padding bytes: zeros only for left padding with the `0` flag.
    fn write_padding(&self, buf: &mut Vec<u8>, n: i64) {
        let Ok(n) = usize::try_from(n) else { return };
        let pad = if self.flags.zero && !self.flags.minus {
            b'0'
        } else {
            b' '
        };
        buf.resize(buf.len() + n, pad);
    }

    /// Writes `b` padded to the width, which counts runes, not bytes.
    pub fn pad(&self, buf: &mut Vec<u8>, b: &[u8]) {
        if !self.flags.wid_present || self.wid == 0 {
            buf.extend_from_slice(b);
            return;
        }
        let width = self.wid - i64::try_from(rune_count(b)).unwrap_or(i64::MAX);
        if self.flags.minus {
            buf.extend_from_slice(b);
            self.write_padding(buf, width);
        } else {
            self.write_padding(buf, width);
            buf.extend_from_slice(b);
        }
    }

    /// `pad` with the zero flag suppressed (Go never zero-pads these forms).
    fn pad_no_zero(&mut self, buf: &mut Vec<u8>, b: &[u8]) {
        let old = self.flags.zero;
        self.flags.zero = false;
        self.pad(buf, b);
        self.flags.zero = old;
    }

    pub fn fmt_boolean(&self, buf: &mut Vec<u8>, v: bool) {
        self.pad(buf, if v { b"true" } else { b"false" });
    }

    /// `%U`: `U+0041`, with `#` also `U+0041 'A'` for printable runes.
    pub fn fmt_unicode(&mut self, buf: &mut Vec<u8>, u: u64) {
        let mut prec = 4;
        if self.flags.prec_present && self.prec > 4 {
            prec = self.prec;
        }
        let mut hex = Vec::new();
        let mut v = u;
        loop {
            hex.push(UDIGITS[(v & 0xF) as usize]);
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        while i64::try_from(hex.len()).unwrap_or(i64::MAX) < prec {
            hex.push(b'0');
        }
        hex.extend_from_slice(b"+U");
        hex.reverse();
        if self.flags.sharp {
            if let Ok(r) = u32::try_from(u) {
                if r <= MAX_RUNE && is_print(r) {
                    hex.extend_from_slice(b" '");
                    append_rune(&mut hex, r);
                    hex.push(b'\'');
                }
            }
        }
        self.pad_no_zero(buf, &hex);
    }

    /// Formats an integer (`fmtInteger`); `u` holds the two's-complement bits when signed.
    pub fn fmt_integer(
        &mut self,
        buf: &mut Vec<u8>,
        u: u64,
        base: u64,
        signed: bool,
        verb: u32,
        digits: &[u8; 17],
    ) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };
        let mut prec: i64 = 0;
        if self.flags.prec_present {
            prec = self.prec;
            // Precision 0 and value 0 means "print nothing but padding".
            if prec == 0 && u == 0 {
                let old = self.flags.zero;
                self.flags.zero = false;
                self.write_padding(buf, self.wid);
                self.flags.zero = old;
                return;
            }
        } else if self.flags.zero && !self.flags.minus && self.flags.wid_present {
            // Zero padding is done as precision so the sign goes before the zeros.
            prec = self.wid;
            if negative || self.flags.plus || self.flags.space {
                prec -= 1;
            }
        }
        // Digits are produced backwards and reversed at the end.
        let mut out: Vec<u8> = Vec::with_capacity(24);
        loop {
            out.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while i64::try_from(out.len()).unwrap_or(i64::MAX) < prec {
            out.push(b'0');
        }
        if self.flags.sharp {
            match base {
                2 => out.extend_from_slice(b"b0"),
                8 if out.last() != Some(&b'0') => out.push(b'0'),
                16 => {
                    out.push(digits[16]);
                    out.push(b'0');
                }
                _ => {}
            }
        }
        if verb == u32::from(b'O') {
            out.extend_from_slice(b"o0");
        }
        if negative {
            out.push(b'-');
        } else if self.flags.plus {
            out.push(b'+');
        } else if self.flags.space {
            out.push(b' ');
        }
        out.reverse();
        self.pad_no_zero(buf, &out);
    }

    /// Truncates `s` to the precision, counted in runes.
    fn truncate<'a>(&self, s: &'a [u8]) -> &'a [u8] {
        if !self.flags.prec_present {
            return s;
        }
        let mut n = self.prec;
        let mut i = 0;
        while i < s.len() {
            n -= 1;
            if n < 0 {
                return &s[..i];
            }
            i += decode_rune(&s[i..]).1.max(1);
        }
        s
    }

    /// `%s` of a string or byte slice.
    pub fn fmt_s(&self, buf: &mut Vec<u8>, s: &[u8]) {
        self.pad(buf, self.truncate(s));
    }

    /// `%x`/`%X` of a string or byte slice (`fmtSbx`).
    pub fn fmt_sbx(&self, buf: &mut Vec<u8>, s: &[u8], digits: &[u8; 17]) {
        let mut length = s.len();
        if self.flags.prec_present {
            if let Ok(p) = usize::try_from(self.prec) {
                length = length.min(p);
            }
        }
        // Compute the encoded width to pad around it.
        let mut width = 2 * length;
        if width > 0 {
            if self.flags.space {
                if self.flags.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.flags.sharp {
                width += 2;
            }
        } else {
            if self.flags.wid_present {
                self.write_padding(buf, self.wid);
            }
            return;
        }
        let width = i64::try_from(width).unwrap_or(i64::MAX);
        if self.flags.wid_present && self.wid > width && !self.flags.minus {
            self.write_padding(buf, self.wid - width);
        }
        if self.flags.sharp {
            buf.extend_from_slice(&[b'0', digits[16]]);
        }
        for (i, &c) in s[..length].iter().enumerate() {
            if self.flags.space && i > 0 {
                buf.push(b' ');
                if self.flags.sharp {
                    buf.extend_from_slice(&[b'0', digits[16]]);
                }
            }
            buf.push(digits[usize::from(c >> 4)]);
            buf.push(digits[usize::from(c & 0xF)]);
        }
        if self.flags.wid_present && self.wid > width && self.flags.minus {
            self.write_padding(buf, self.wid - width);
        }
    }

    /// `%q` of a string: Go-quoted, backquoted with `#` when possible, ASCII-only with `+`.
    pub fn fmt_q(&self, buf: &mut Vec<u8>, s: &[u8]) {
        let s = self.truncate(s);
        if self.flags.sharp && can_backquote(s) {
            let mut q = Vec::with_capacity(s.len() + 2);
            q.push(b'`');
            q.extend_from_slice(s);
            q.push(b'`');
            self.pad(buf, &q);
            return;
        }
        let mut q = Vec::with_capacity(s.len() + 2);
        let mode = if self.flags.plus {
            QuoteMode::Ascii
        } else {
            QuoteMode::Printable
        };
        append_quoted(&mut q, s, b'"', mode);
        self.pad(buf, &q);
    }

    /// `%c`: the rune, U+FFFD when out of range.
    pub fn fmt_c(&self, buf: &mut Vec<u8>, c: u64) {
        let mut b = Vec::with_capacity(4);
        append_rune(&mut b, to_rune(c));
        self.pad(buf, &b);
    }

    /// `%q` of an integer: a quoted rune literal.
    pub fn fmt_qc(&self, buf: &mut Vec<u8>, c: u64) {
        let mut b = Vec::with_capacity(8);
        let mode = if self.flags.plus {
            QuoteMode::Ascii
        } else {
            QuoteMode::Printable
        };
        append_quoted_rune(&mut b, to_rune(c), mode);
        self.pad(buf, &b);
    }

    /// Formats a float (`fmtFloat`): `verb` is a strconv format byte, `prec` the default
    /// precision (-1 for shortest), both overridden by an explicit precision.
    pub fn fmt_float(&mut self, buf: &mut Vec<u8>, v: f64, size: u32, verb: u8, prec: i64) {
        let prec = if self.flags.prec_present {
            self.prec
        } else {
            prec
        };
        // num[0] is reserved for the sign so it can be moved in front of zero padding.
        let mut num = vec![b'+'];
        append_float(
            &mut num,
            v,
            verb,
            i32::try_from(prec).unwrap_or(i32::MAX),
            size,
        );
        if num[1] == b'-' || num[1] == b'+' {
            num.remove(0);
        }
        if self.flags.space && num[0] == b'+' && !self.flags.plus {
            num[0] = b' ';
        }
        // Infinities and NaN are never zero-padded; NaN gets a sign only if asked for.
        if num[1] == b'I' || num[1] == b'N' {
            if num[1] == b'N' && !self.flags.space && !self.flags.plus {
                num.remove(0);
            }
            self.pad_no_zero(buf, &num);
            return;
        }
        if self.flags.sharp && verb != b'b' {
            sharp_float(&mut num, verb, prec);
        }
        if self.flags.plus || num[0] != b'+' {
            // Sign first, then the zero padding.
            if self.flags.zero && !self.flags.minus && self.flags.wid_present {
                let len = i64::try_from(num.len()).unwrap_or(i64::MAX);
                if self.wid > len {
                    buf.push(num[0]);
                    self.write_padding(buf, self.wid - len);
                    buf.extend_from_slice(&num[1..]);
                    return;
                }
            }
            self.pad(buf, &num);
            return;
        }
        // No sign to show (positive number without the plus flag).
        self.pad(buf, &num[1..]);
    }
}

/// The `#` flag for floats: always print a decimal point, and for %g keep trailing zeros.
fn sharp_float(num: &mut Vec<u8>, verb: u8, prec: i64) {
    let mut digits: i64 = match verb {
        b'v' | b'g' | b'G' | b'x' => {
            if prec == -1 {
                6
            } else {
                prec
            }
        }
        _ => 0,
    };
    // The exponent part is put aside and reattached after the padding zeros.
    let mut tail: Vec<u8> = Vec::new();
    let mut has_point = false;
    let mut saw_nonzero = false;
    let mut i = 1;
    while i < num.len() {
        match num[i] {
            b'.' => has_point = true,
            b'p' | b'P' => {
                tail = num.split_off(i);
                break;
            }
            b'e' | b'E' if verb != b'x' && verb != b'X' => {
                tail = num.split_off(i);
                break;
            }
            c => {
                if c != b'0' {
                    saw_nonzero = true;
                }
                // Count significant digits only once a nonzero digit has been seen.
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
        i += 1;
    }
    if !has_point {
        // Leading digit 0 should contribute once to digits.
        if num.len() == 2 && num[1] == b'0' {
            digits -= 1;
        }
        num.push(b'.');
    }
    while digits > 0 {
        num.push(b'0');
        digits -= 1;
    }
    num.extend_from_slice(&tail);
}

/// Go's `rune(c)` with the `c > MaxRune` guard of `fmtC`/`fmtQc`: truncates to int32 and
/// maps anything out of range to U+FFFD.
fn to_rune(c: u64) -> u32 {
    if c > u64::from(MAX_RUNE) {
        return RUNE_ERROR;
    }
    u32::try_from(c).unwrap_or(RUNE_ERROR)
}
