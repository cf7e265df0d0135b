//! Format strings: reading one `%` directive into a [`Spec`] (flags, width, precision,
//! verb) and resolving which operand it formats, plus the padding every formatter shares.
//!
//! Directive grammar (Go's `fmt` documentation): `%` flags* `[n]`? width? (`.` `[n]`?
//! precision?)? `[n]`? verb, where width and precision are decimal numbers or `*` (taken
//! from the next operand, which must be an integer). `[n]` picks operand n (1-based) for
//! what follows. Problems never abort: they become `%!(BADWIDTH)`, `%!(BADPREC)`,
//! `%!v(BADINDEX)`, `%!v(MISSING)` or `%!(NOVERB)` markers.

use super::utf8::{decode_rune, rune_count};
use super::FmtValue;

/// Widths and precisions beyond this magnitude are rejected.
const LIMIT: i64 = 1_000_000;

/// The flags of one directive. For `%v`, `#` and `+` change meaning and are moved to
/// `go_syntax` and `field_names` before formatting.
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct Flags {
    /// `-`: pad on the right.
    pub left: bool,
    /// `+`: always a sign; ASCII-only quoting.
    pub plus: bool,
    /// `#`: alternate form.
    pub alt: bool,
    /// ` `: a space for the sign of positive numbers; spaces between hex bytes.
    pub space: bool,
    /// `0`: pad with zeros (only ever on the left).
    pub zero: bool,
    /// `%#v`: Go syntax.
    pub go_syntax: bool,
    /// `%+v`: struct field names.
    pub field_names: bool,
}

/// One parsed directive.
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct Spec {
    pub flags: Flags,
    pub width: Option<usize>,
    pub prec: Option<usize>,
}

impl Spec {
    /// The spec with `%v`'s reading of `#` and `+`.
    pub fn for_v(mut self) -> Spec {
        self.flags.go_syntax = std::mem::take(&mut self.flags.alt);
        self.flags.field_names = std::mem::take(&mut self.flags.plus);
        self
    }

    /// Whether zeros (rather than spaces) fill the left side.
    pub fn zero_fill(&self) -> bool {
        self.flags.zero && !self.flags.left
    }

    /// Appends `n` fill characters (zeros when the `0` flag applies).
    pub fn push_fill(&self, out: &mut Vec<u8>, n: usize) {
        let fill = if self.zero_fill() { b'0' } else { b' ' };
        out.resize(out.len() + n, fill);
    }

    /// How many fill characters bring `text` (measured in runes) up to the width.
    pub fn shortfall(&self, text: &[u8]) -> usize {
        self.width.unwrap_or(0).saturating_sub(rune_count(text))
    }

    /// Appends `text` padded to the width.
    pub fn pad(&self, out: &mut Vec<u8>, text: &[u8]) {
        let missing = self.shortfall(text);
        if self.flags.left {
            out.extend_from_slice(text);
            self.push_fill(out, missing);
        } else {
            self.push_fill(out, missing);
            out.extend_from_slice(text);
        }
    }

    /// [`Spec::pad`] with spaces only, for texts zeros would garble.
    pub fn pad_blank(&self, out: &mut Vec<u8>, text: &[u8]) {
        let mut blank = *self;
        blank.flags.zero = false;
        blank.pad(out, text);
    }
}

/// What a directive applies to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// `%%`: a literal percent sign.
    Percent,
    /// Operand `n`.
    Operand(usize),
    /// A bad `[n]` index somewhere in the directive.
    BadIndex,
    /// No operand left.
    Missing,
    /// The format ended inside the directive.
    NoVerb,
}

/// A directive ready to print: what to format, how, and with which verb.
pub(super) struct Directive {
    pub spec: Spec,
    pub verb: u32,
    pub target: Target,
}

/// Walks a format string, tracking the next operand.
pub(super) struct FormatReader<'a> {
    format: &'a [u8],
    pos: usize,
    /// The operand the next directive takes by default.
    next_operand: usize,
    operand_count: usize,
    /// An explicit `[n]` was seen: leftover operands are then not reported.
    pub reordered: bool,
}

/// The state of one directive while it is read.
struct Pending {
    spec: Spec,
    index_ok: bool,
    /// The last thing read was a valid `[n]` (a number may not follow it directly).
    just_indexed: bool,
}

impl<'a> FormatReader<'a> {
    pub fn new(format: &'a [u8], operand_count: usize) -> Self {
        FormatReader {
            format,
            pos: 0,
            next_operand: 0,
            operand_count,
            reordered: false,
        }
    }

    /// The operands after the last one consumed.
    pub fn unused_from(&self) -> usize {
        self.next_operand
    }

    /// The literal text up to the next `%` or the end (possibly empty).
    pub fn literal(&mut self) -> &'a [u8] {
        let rest = &self.format[self.pos.min(self.format.len())..];
        let len = rest.iter().position(|&c| c == b'%').unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    /// Whether the whole format has been read.
    pub fn at_end(&self) -> bool {
        self.pos >= self.format.len()
    }

    fn peek(&self) -> Option<u8> {
        self.format.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Reads the directive at the current `%`; `*` operands are read from `operands`, and
    /// `BADWIDTH`/`BADPREC` markers are written to `out` where they occur.
    pub fn directive(&mut self, operands: &[FmtValue], out: &mut Vec<u8>) -> Directive {
        self.pos += 1; // the '%'
        let mut d = Pending {
            spec: Spec::default(),
            index_ok: true,
            just_indexed: false,
        };
        self.read_flags(&mut d.spec.flags);
        self.read_index(&mut d);
        self.read_width(&mut d, operands, out);
        if self.peek() == Some(b'.') && self.pos + 1 < self.format.len() {
            self.pos += 1;
            self.read_precision(&mut d, operands, out);
        }
        if !d.just_indexed {
            self.read_index(&mut d);
        }
        let (verb, len) = decode_rune(&self.format[self.pos.min(self.format.len())..]);
        if len == 0 {
            return Directive {
                spec: d.spec,
                verb: 0,
                target: Target::NoVerb,
            };
        }
        self.pos += len;
        let target = if verb == u32::from(b'%') {
            Target::Percent
        } else if !d.index_ok {
            Target::BadIndex
        } else if self.next_operand >= self.operand_count {
            Target::Missing
        } else {
            self.next_operand += 1;
            Target::Operand(self.next_operand - 1)
        };
        Directive {
            spec: d.spec,
            verb,
            target,
        }
    }

    fn read_flags(&mut self, flags: &mut Flags) {
        while let Some(c) = self.peek() {
            match c {
                b'-' => flags.left = true,
                b'+' => flags.plus = true,
                b'#' => flags.alt = true,
                b' ' => flags.space = true,
                b'0' => flags.zero = true,
                _ => return,
            }
            self.pos += 1;
        }
    }

    /// A decimal number, if digits follow. A number past the limit swallows the rest of
    /// the format (which then lacks a verb).
    fn read_number(&mut self, end: usize) -> Option<i64> {
        let start = self.pos;
        let mut value: i64 = 0;
        while self.pos < end && self.format[self.pos].is_ascii_digit() {
            if value > LIMIT {
                self.pos = end;
                return None;
            }
            value = value * 10 + i64::from(self.format[self.pos] - b'0');
            self.pos += 1;
        }
        (self.pos > start).then_some(value)
    }

    /// An optional `[n]`: selects operand n for what follows.
    fn read_index(&mut self, d: &mut Pending) {
        d.just_indexed = false;
        if self.peek() != Some(b'[') {
            return;
        }
        self.reordered = true;
        let rest = &self.format[self.pos..];
        let close = rest
            .iter()
            .position(|&c| c == b']')
            .filter(|_| rest.len() >= 3);
        let Some(close) = close else {
            // No closing bracket: only the '[' is consumed.
            self.pos += 1;
            d.index_ok = false;
            return;
        };
        let close_pos = self.pos + close;
        self.pos += 1;
        let number = self
            .read_number(close_pos)
            .filter(|_| self.pos == close_pos);
        self.pos = close_pos + 1;
        match number {
            Some(n) if (1..=self.operand_count).contains(&usize::try_from(n).unwrap_or(0)) => {
                self.next_operand = usize::try_from(n - 1).unwrap_or(0);
                d.just_indexed = true;
            }
            Some(_) => {
                d.index_ok = false;
                d.just_indexed = true;
            }
            None => d.index_ok = false,
        }
    }

    /// A `*` operand: an integer within the limit. The operand is consumed even when it is
    /// unusable.
    fn star_operand(&mut self, operands: &[FmtValue]) -> Option<i64> {
        let operand = operands.get(self.next_operand)?;
        self.next_operand += 1;
        let n = match operand.bare() {
            FmtValue::Int { v, .. } => Some(*v),
            FmtValue::Uint { v, .. } => i64::try_from(*v).ok(),
            _ => None,
        };
        n.filter(|n| (-LIMIT..=LIMIT).contains(n))
    }

    fn read_width(&mut self, d: &mut Pending, operands: &[FmtValue], out: &mut Vec<u8>) {
        if self.eat(b'*') {
            match self.star_operand(operands) {
                Some(n) if n < 0 => {
                    // A negative width asks for left alignment.
                    d.spec.flags.left = true;
                    d.spec.flags.zero = false;
                    d.spec.width = usize::try_from(-n).ok();
                }
                Some(n) => d.spec.width = usize::try_from(n).ok(),
                None => out.extend_from_slice(b"%!(BADWIDTH)"),
            }
            d.just_indexed = false;
            return;
        }
        let width = self.read_number(self.format.len());
        if width.is_some() && d.just_indexed {
            // "%[2]5d": a width may not follow an index.
            d.index_ok = false;
        }
        d.spec.width = width.and_then(|n| usize::try_from(n).ok());
    }

    fn read_precision(&mut self, d: &mut Pending, operands: &[FmtValue], out: &mut Vec<u8>) {
        if d.just_indexed {
            // "%[2].3d": a precision may not follow an index.
            d.index_ok = false;
        }
        self.read_index(d);
        if self.eat(b'*') {
            // A negative precision means none.
            d.spec.prec = self
                .star_operand(operands)
                .and_then(|n| usize::try_from(n).ok());
            if d.spec.prec.is_none() {
                out.extend_from_slice(b"%!(BADPREC)");
            }
            d.just_indexed = false;
            return;
        }
        // "%.f" means precision zero.
        let prec = self.read_number(self.format.len()).unwrap_or(0);
        d.spec.prec = usize::try_from(prec).ok();
    }
}
