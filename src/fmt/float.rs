//! `strconv.FormatFloat`, ported from Go's `strconv/ftoa.go`.
//!
//! Digit generation is delegated to Rust's formatter, which is exact: `{:e}` yields the
//! shortest digits that round-trip (what Go's Ryu path computes) and `{:.N}`/`{:.Ne}` yield
//! correctly rounded digits with ties to even on the exact binary value (what Go's decimal
//! path computes). This module only reproduces Go's *layout* of those digits.

/// A decimal digit string `0.d1d2d3... × 10^dp`, without trailing zeros; `nd == 0` is zero.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    fn nd(&self) -> i32 {
        i32::try_from(self.d.len()).unwrap_or(i32::MAX)
    }

    /// Parses Rust's `{:e}` output for a non-negative finite number, e.g. `1.25e-7`.
    fn from_exp(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        Digits::normalize(d, exp + 1)
    }

    /// Parses Rust's `{:.N}` output for a non-negative finite number, e.g. `0.0012`.
    fn from_fixed(s: &str) -> Digits {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let dp = i32::try_from(int.len()).unwrap_or(i32::MAX);
        let d: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        Digits::normalize(d, dp)
    }

    /// Drops leading zeros (adjusting the decimal point) and trailing zeros.
    fn normalize(mut d: Vec<u8>, mut dp: i32) -> Digits {
        let lead = d.iter().take_while(|&&c| c == b'0').count();
        d.drain(..lead);
        dp -= i32::try_from(lead).unwrap_or(0);
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            dp = 0;
        }
        Digits { d, dp }
    }
}

/// Go's `strconv.FormatFloat(v, fmt, prec, bits)`. `bits` is 32 or 64; for 32 the value is
/// first rounded to float32 as Go does. Unknown formats give `%` followed by the format byte.
pub fn format_float(v: f64, fmt: u8, prec: i32, bits: u32) -> String {
    let mut out = Vec::new();
    append_float(&mut out, v, fmt, prec, bits);
    String::from_utf8_lossy(&out).into_owned()
}

/// Appending form of [`format_float`] (`strconv.AppendFloat`).
pub fn append_float(dst: &mut Vec<u8>, v: f64, fmt: u8, prec: i32, bits: u32) {
    let is32 = bits == 32;
    let v = if is32 { f64::from(v as f32) } else { v };
    if v.is_nan() {
        dst.extend_from_slice(b"NaN");
        return;
    }
    if v.is_infinite() {
        dst.extend_from_slice(if v < 0.0 { b"-Inf" } else { b"+Inf" });
        return;
    }
    let neg = v.is_sign_negative();
    match fmt {
        b'b' => return fmt_b(dst, v, is32),
        b'x' | b'X' => return fmt_x(dst, v, is32, prec, fmt),
        _ => {}
    }
    let a = v.abs();
    if a == 0.0 {
        let zero = Digits {
            d: Vec::new(),
            dp: 0,
        };
        return fmt_efg(dst, neg, &zero, prec, fmt, prec < 0);
    }
    if prec < 0 {
        // Shortest digits that round-trip at the requested width.
        let s = if is32 {
            format!("{:e}", a as f32)
        } else {
            format!("{a:e}")
        };
        let digs = Digits::from_exp(&s);
        let (nd, dp) = (digs.nd(), digs.dp);
        let prec = match fmt {
            b'e' | b'E' => (nd - 1).max(0),
            b'f' => (nd - dp).max(0),
            _ => nd,
        };
        return fmt_efg(dst, neg, &digs, prec, fmt, true);
    }
    let p = usize::try_from(prec).unwrap_or(0);
    let (digs, prec) = match fmt {
        b'e' | b'E' => (Digits::from_exp(&format!("{a:.p$e}")), prec),
        b'f' => (Digits::from_fixed(&format!("{a:.p$}")), prec),
        b'g' | b'G' => {
            let prec = prec.max(1);
            let p = usize::try_from(prec - 1).unwrap_or(0);
            (Digits::from_exp(&format!("{a:.p$e}")), prec)
        }
        _ => (
            Digits {
                d: Vec::new(),
                dp: 0,
            },
            prec,
        ),
    };
    fmt_efg(dst, neg, &digs, prec, fmt, false)
}

/// Go's `fmtEFG`: lays out `digs` as %e, %f or %g (which picks one of the two).
fn fmt_efg(dst: &mut Vec<u8>, neg: bool, digs: &Digits, mut prec: i32, fmt: u8, shortest: bool) {
    let (nd, dp) = (digs.nd(), digs.dp);
    let mut fmt = fmt;
    if fmt == b'g' || fmt == b'G' {
        let mut eprec = prec;
        if eprec > nd && nd >= dp {
            eprec = nd;
        }
        // %e is used if the exponent is < -4 or >= the precision; with shortest
        // formatting Go decides as if the precision were 6.
        if shortest {
            eprec = 6;
        }
        let exp = dp - 1;
        if exp < -4 || exp >= eprec {
            prec = prec.min(nd) - 1;
            fmt = fmt + b'e' - b'g';
        } else {
            if prec > dp {
                prec = nd;
            }
            prec = (prec - dp).max(0);
            fmt = b'f';
        }
    }
    match fmt {
        b'e' | b'E' => fmt_e(dst, neg, digs, prec, fmt),
        b'f' => fmt_f(dst, neg, digs, prec),
        _ => {
            dst.push(b'%');
            dst.push(fmt);
        }
    }
}

fn digit_at(digs: &Digits, i: i32) -> u8 {
    usize::try_from(i)
        .ok()
        .and_then(|i| digs.d.get(i).copied())
        .unwrap_or(b'0')
}

/// `-d.ddddde±dd`: `prec` digits after the point, at least two exponent digits.
fn fmt_e(dst: &mut Vec<u8>, neg: bool, digs: &Digits, prec: i32, fmt: u8) {
    if neg {
        dst.push(b'-');
    }
    dst.push(digit_at(digs, 0));
    if prec > 0 {
        dst.push(b'.');
        for i in 1..=prec {
            dst.push(digit_at(digs, i));
        }
    }
    dst.push(fmt);
    // Zero has exponent 0, not dp-1.
    let mut exp = if digs.d.is_empty() { 0 } else { digs.dp - 1 };
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 10 {
        dst.push(b'0');
    }
    dst.extend_from_slice(exp.to_string().as_bytes());
}

/// `-ddddddd.ddddd`: `prec` digits after the point.
fn fmt_f(dst: &mut Vec<u8>, neg: bool, digs: &Digits, prec: i32) {
    if neg {
        dst.push(b'-');
    }
    if digs.dp > 0 {
        for i in 0..digs.dp {
            dst.push(digit_at(digs, i));
        }
    } else {
        dst.push(b'0');
    }
    if prec > 0 {
        dst.push(b'.');
        for i in 0..prec {
            dst.push(digit_at(digs, digs.dp + i));
        }
    }
}

/// Mantissa and binary exponent (with the implicit bit applied) for the given width.
fn decompose(v: f64, is32: bool) -> (u64, i32, i32) {
    if is32 {
        let b = (v as f32).to_bits();
        let exp = ((b >> 23) & 0xFF) as i32;
        let mant = u64::from(b & ((1 << 23) - 1));
        let (mant, exp) = if exp == 0 {
            (mant, 1)
        } else {
            (mant | (1 << 23), exp)
        };
        (mant, exp - 127, 23)
    } else {
        let b = v.to_bits();
        let exp = ((b >> 52) & 0x7FF) as i32;
        let mant = b & ((1 << 52) - 1);
        let (mant, exp) = if exp == 0 {
            (mant, 1)
        } else {
            (mant | (1 << 52), exp)
        };
        (mant, exp - 1023, 52)
    }
}

/// `%b`: `-ddddp±ddd`, decimal mantissa and binary exponent.
fn fmt_b(dst: &mut Vec<u8>, v: f64, is32: bool) {
    let (mant, exp, mant_bits) = decompose(v, is32);
    if v.is_sign_negative() {
        dst.push(b'-');
    }
    dst.extend_from_slice(mant.to_string().as_bytes());
    dst.push(b'p');
    let e = exp - mant_bits;
    if e >= 0 {
        dst.push(b'+');
    }
    dst.extend_from_slice(e.to_string().as_bytes());
}

/// `%x`: `-0x1.hhhhp±dd`, hexadecimal mantissa rounded to `prec` hex digits.
fn fmt_x(dst: &mut Vec<u8>, v: f64, is32: bool, prec: i32, fmt: u8) {
    let (mut mant, mut exp, mant_bits) = decompose(v, is32);
    if mant == 0 {
        exp = 0;
    }
    // Shift the leading 1 to bit 60 so each hex digit is a 4-bit group below it.
    mant <<= 60 - mant_bits;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        // Round half to even.
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    if v.is_sign_negative() {
        dst.push(b'-');
    }
    dst.extend_from_slice(&[b'0', fmt, b'0' + ((mant >> 60) & 1) as u8]);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        dst.push(b'.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push(b'.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { b'P' } else { b'p' });
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 10 {
        dst.push(b'0');
    }
    dst.extend_from_slice(exp.to_string().as_bytes());
}
