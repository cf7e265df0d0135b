//! `strconv.FormatFloat`: Go's textual layouts of a float, built on Rust's own exact digit
//! generation.
//!
//! Rust's `{:e}` prints the shortest digits that read back as the same value (what Go
//! prints when the precision is -1), and `{:.N}` / `{:.Ne}` print correctly rounded digits
//! (ties to even on the exact binary value), as Go does for an explicit precision. This
//! module turns those digits into Go's layouts:
//!
//! * `e`/`E`: `d.ddde±XX`, at least two exponent digits;
//! * `f`: positional, no exponent;
//! * `g`/`G`: `%e` when the decimal exponent is below -4 or at least the precision (6 for
//!   shortest output), else `%f`; trailing zeros are dropped;
//! * `b`: decimal mantissa and binary exponent, `4503599627370496p-52`;
//! * `x`/`X`: hexadecimal mantissa `1.hhh` and binary exponent, `0x1.8p+01`.

/// Significant decimal digits and the power of ten of the first one: the value is
/// `d0.d1d2... × 10^exp`. No digits means zero.
struct Decimal {
    digits: Vec<u8>,
    exp: i32,
}

impl Decimal {
    /// Reads Rust's `{:e}` text of a non-negative finite number (`1.25e-7`).
    fn from_sci(text: &str) -> Decimal {
        let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
        let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        Decimal {
            digits,
            exp: exp.parse().unwrap_or(0),
        }
    }

    /// The shortest digits that identify `v` among floats of its width.
    fn shortest(v: f64, is32: bool) -> Decimal {
        if is32 {
            Decimal::from_sci(&format!("{:e}", v as f32))
        } else {
            Decimal::from_sci(&format!("{v:e}"))
        }
    }

    /// `v` rounded to `count` (at least 1) significant digits, trailing zeros dropped.
    fn significant(v: f64, count: usize) -> Decimal {
        let after_point = count.max(1) - 1;
        Decimal::from_sci(&format!("{v:.after_point$e}"))
    }

    fn len(&self) -> i32 {
        i32::try_from(self.digits.len()).unwrap_or(i32::MAX)
    }

    /// The digit at position `i` (0 is the leading one), zero outside the stored digits.
    fn digit(&self, i: i32) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.digits.get(i).copied())
            .unwrap_or(b'0')
    }

    /// `d.ddd` with `frac` digits after the point, then the exponent.
    fn push_scientific(&self, out: &mut Vec<u8>, frac: i32, e_char: u8) {
        out.push(self.digit(0));
        if frac > 0 {
            out.push(b'.');
            out.extend((1..=frac).map(|i| self.digit(i)));
        }
        let exp = if self.digits.is_empty() { 0 } else { self.exp };
        push_exponent(out, e_char, exp);
    }

    /// Positional notation with `frac` digits after the point.
    fn push_positional(&self, out: &mut Vec<u8>, frac: i32) {
        // Digit i has weight 10^(exp - i); the units digit is digit `exp`.
        let units = if self.digits.is_empty() { -1 } else { self.exp };
        if units < 0 {
            out.push(b'0');
        } else {
            out.extend((0..=units).map(|i| self.digit(i)));
        }
        if frac > 0 {
            out.push(b'.');
            out.extend((1..=frac).map(|k| self.digit(units + k)));
        }
    }

    /// The number of digits after the point needed to show every stored digit.
    fn fraction_len(&self) -> i32 {
        let units = if self.digits.is_empty() { -1 } else { self.exp };
        (self.len() - 1 - units).max(0)
    }

    /// `%g`: scientific when the exponent is below -4 or reaches `limit`.
    fn push_general(&self, out: &mut Vec<u8>, limit: i32, e_char: u8) {
        let exp = if self.digits.is_empty() { -1 } else { self.exp };
        if exp < -4 || exp >= limit {
            self.push_scientific(out, (self.len() - 1).max(0), e_char);
        } else {
            self.push_positional(out, self.fraction_len());
        }
    }
}

/// `e±XX`: the exponent with its sign and at least two digits.
fn push_exponent(out: &mut Vec<u8>, e_char: u8, exp: i32) {
    out.push(e_char);
    out.push(if exp < 0 { b'-' } else { b'+' });
    out.extend_from_slice(format!("{:02}", exp.unsigned_abs()).as_bytes());
}

/// Go's `strconv.FormatFloat(v, fmt, prec, bits)`. `bits` is 32 or 64; with 32 the value is
/// first rounded to float32. An unknown format gives `%` followed by the format byte.
pub fn format_float(v: f64, fmt: u8, prec: i32, bits: u32) -> String {
    let mut out = Vec::new();
    append_float(&mut out, v, fmt, prec, bits);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`format_float`] appending to `out` (`strconv.AppendFloat`).
pub fn append_float(out: &mut Vec<u8>, v: f64, fmt: u8, prec: i32, bits: u32) {
    let is32 = bits == 32;
    let v = if is32 { f64::from(v as f32) } else { v };
    if v.is_nan() {
        return out.extend_from_slice(b"NaN");
    }
    if v.is_infinite() {
        return out.extend_from_slice(if v > 0.0 { b"+Inf" } else { b"-Inf" });
    }
    if !matches!(fmt, b'e' | b'E' | b'f' | b'g' | b'G' | b'b' | b'x' | b'X') {
        out.push(b'%');
        return out.push(fmt);
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let magnitude = v.abs();
    // A negative precision asks for the shortest exact representation.
    let explicit = usize::try_from(prec).ok();
    match (fmt, explicit) {
        (b'e' | b'E', None) => {
            let d = Decimal::shortest(magnitude, is32);
            d.push_scientific(out, (d.len() - 1).max(0), fmt);
        }
        (b'e' | b'E', Some(frac)) => {
            let d = Decimal::significant(magnitude, frac + 1);
            d.push_scientific(out, prec, fmt);
        }
        (b'f', None) => {
            let d = Decimal::shortest(magnitude, is32);
            d.push_positional(out, d.fraction_len());
        }
        (b'f', Some(frac)) => out.extend_from_slice(format!("{magnitude:.frac$}").as_bytes()),
        (b'g' | b'G', None) => {
            let e_char = fmt - b'g' + b'e';
            Decimal::shortest(magnitude, is32).push_general(out, 6, e_char);
        }
        (b'g' | b'G', Some(count)) => {
            let e_char = fmt - b'g' + b'e';
            let d = Decimal::significant(magnitude, count);
            d.push_general(out, prec.max(1), e_char);
        }
        (b'b', _) => push_binary_exponent(out, magnitude, is32),
        _ => push_hex(out, magnitude, explicit, fmt == b'X'),
    }
}

/// `%b`: the integer mantissa of the stored bits and the power of two scaling it.
fn push_binary_exponent(out: &mut Vec<u8>, magnitude: f64, is32: bool) {
    let (mantissa, exp) = if is32 {
        let bits = (magnitude as f32).to_bits();
        split_ieee(u64::from(bits), 23, 8)
    } else {
        split_ieee(magnitude.to_bits(), 52, 11)
    };
    let sign = if exp >= 0 { "+" } else { "" };
    out.extend_from_slice(format!("{mantissa}p{sign}{exp}").as_bytes());
}

/// Splits IEEE bits (sign ignored) into an integer mantissa and a binary exponent with
/// `value = mantissa × 2^exp`.
fn split_ieee(bits: u64, mantissa_bits: u32, exp_bits: u32) -> (u64, i32) {
    let fraction = bits & ((1u64 << mantissa_bits) - 1);
    let biased = i32::try_from((bits >> mantissa_bits) & ((1u64 << exp_bits) - 1)).unwrap_or(0);
    let bias = (1i32 << (exp_bits - 1)) - 1;
    let shift = i32::try_from(mantissa_bits).unwrap_or(0);
    if biased == 0 {
        // Subnormal: no implicit leading bit, smallest exponent.
        (fraction, 1 - bias - shift)
    } else {
        (fraction | (1u64 << mantissa_bits), biased - bias - shift)
    }
}

/// `%x`: `0x1.hhhp±XX` with the value normalized so the leading hex digit is 1 (0 for zero).
/// `digits` is the count of hex digits after the point; `None` shows all significant ones.
/// Float32 values need no special case: they are exact in float64 and their extra
/// mantissa bits are zero, so the shortest form is the same.
fn push_hex(out: &mut Vec<u8>, magnitude: f64, digits: Option<usize>, upper: bool) {
    const FRAC_BITS: u32 = 52;
    let (mut lead, mut frac, mut exp) = (0u64, 0u64, 0i32);
    if magnitude != 0.0 {
        let (mantissa, e) = split_ieee(magnitude.to_bits(), FRAC_BITS, 11);
        // Normalize subnormals: move the top set bit up to bit 52.
        let lift = mantissa.leading_zeros() - (63 - FRAC_BITS);
        let normalized = mantissa << lift;
        lead = 1;
        frac = normalized & ((1u64 << FRAC_BITS) - 1);
        exp = e + i32::try_from(FRAC_BITS).unwrap_or(0) - i32::try_from(lift).unwrap_or(0);
    }
    let available = (FRAC_BITS / 4) as usize; // 13 hex digits of fraction
    let mut hex = format!("{frac:013x}");
    match digits {
        None => hex.truncate(hex.trim_end_matches('0').len()),
        Some(n) if n >= available => hex.extend(std::iter::repeat_n('0', n - available)),
        Some(n) => {
            let dropped_bits = u32::try_from(available - n).unwrap_or(0) * 4;
            let mut kept = frac >> dropped_bits;
            let rest = frac & ((1u64 << dropped_bits) - 1);
            let half = 1u64 << (dropped_bits - 1);
            // Ties go to the even last digit; with no fraction digits that is the lead 1.
            let last_odd = if n == 0 { lead & 1 == 1 } else { kept & 1 == 1 };
            if rest > half || (rest == half && last_odd) {
                kept += 1;
            }
            if n == 0 && kept > 0 || n > 0 && kept >> (4 * n) != 0 {
                // Rounded up to 2.0: renormalize.
                kept = 0;
                exp += 1;
            }
            hex = if n == 0 {
                String::new()
            } else {
                format!("{kept:0n$x}")
            };
        }
    }
    let mut text = format!("0x{lead}");
    if !hex.is_empty() {
        text.push('.');
        text.push_str(&hex);
    }
    if upper {
        text.make_ascii_uppercase();
    }
    out.extend_from_slice(text.as_bytes());
    push_exponent(out, if upper { b'P' } else { b'p' }, exp);
}
