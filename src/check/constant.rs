//! Exact constant arithmetic: Go's untyped-constant semantics (spec "Constants", "Constant
//! expressions"), modelled on `go/constant` and the constant parts of `types2`.
//!
//! Input: literal tokens ([`Value::from_literal`]) and the checker's requests to fold operations
//! ([`unary`], [`binary`], [`compare`], [`shift`]), to fit a constant to a type
//! ([`representable`]) or to convert it ([`convert`]). Output: exact [`Value`]s, or the reason an
//! operation fails ([`ConstError`], [`Repr`], [`ConvertError`]) with helpers that format Go's
//! messages; the checker supplies the operand text (`h + 1`, `300`) those messages quote.
//!
//! Representation, as in `go/constant`:
//! - integers are arbitrary-precision [`BigInt`]s (untyped rune constants are integers too: the
//!   checker tracks the kind, the value does not);
//! - floats are exact fractions while numerator and denominator stay below 4096 bits, and
//!   otherwise binary floats with a 512-bit mantissa and a 32-bit exponent (`big.Float`'s range),
//!   so `1e1000000000` is rejected quickly instead of being expanded;
//! - complex numbers are pairs of floats.
//!
//! Where Go's result depends on the operand type (integer division, `^x` of unsigned types,
//! overflow of typed results) the functions take the operation's [`BasicKind`].
//!
//! Known approximation: string quoting decides "printable" with Rust's character classes, which
//! differ from Go's `unicode.IsPrint` for rare code points (unassigned and private-use ones).

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::basic::BasicKind;
use crate::syntax::ast::{BinaryOp, LitKind, UnaryOp};

/// Mantissa bits of a float that is no longer an exact fraction (`go/constant`'s `prec`).
const PREC: u64 = 512;
/// Fractions whose numerator or denominator reach this many bits become binary floats.
const MAX_RAT_BITS: u64 = 4096;
/// Untyped integer results wider than this are a "constant overflow" (types2's limit).
const MAX_INT_BITS: u64 = 512;
/// Exponent range of a binary float, as `big.Float`'s (value = 0.m × 2^exp, 0.5 <= 0.m < 1).
const MAX_EXP: i64 = i32::MAX as i64;
const MIN_EXP: i64 = i32::MIN as i64;
/// Literals longer than this are rejected before conversion (types2's limit).
const MAX_LITERAL_LEN: usize = 10_000;
/// Largest constant shift count: enough to express the smallest float64 (types2's bound).
const MAX_SHIFT: u64 = 1023 - 1 + 52;

// ---------------------------------------------------------------------------------------------
// Values

/// The value of a Go constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    /// The bytes of the string: Go strings need not be UTF-8.
    String(Arc<[u8]>),
    Int(BigInt),
    Float(Float),
    Complex(Float, Float),
}

impl Value {
    /// The value of a literal token; `raw` is its source text. Errors are Go's messages
    /// (`malformed constant: 1e1000000000`).
    pub fn from_literal(kind: &LitKind, raw: &str) -> Result<Value, String> {
        if matches!(kind, LitKind::Int | LitKind::Float | LitKind::Imag)
            && raw.len() > MAX_LITERAL_LEN
        {
            let head: String = raw.chars().take(10).collect();
            return Err(format!(
                "excessively long constant: {head}... ({} chars)",
                raw.len()
            ));
        }
        let malformed = || format!("malformed constant: {raw}");
        match kind {
            LitKind::Int => parse_int(raw).map(Value::Int).ok_or_else(malformed),
            LitKind::Float => parse_float(raw)
                .ok_or_else(malformed)?
                .map(Value::Float)
                .map_err(|_| malformed()),
            LitKind::Imag => {
                let body = raw.strip_suffix('i').ok_or_else(malformed)?;
                // `0x10i`, `0b1i`, `0o7i` are integers; `0123i` is decimal 123i (not octal).
                let im = match parse_prefixed_int(body) {
                    Some(i) => Float::from_int(&i),
                    None => parse_float(body)
                        .ok_or_else(malformed)?
                        .map_err(|_| malformed())?,
                };
                Ok(Value::Complex(Float::zero(), im))
            }
            LitKind::Rune(code) => Ok(Value::Int(BigInt::from(*code))),
            LitKind::Str(bytes) => Ok(Value::string(bytes)),
        }
    }

    pub fn string(bytes: &[u8]) -> Value {
        Value::String(Arc::from(bytes))
    }

    pub fn int(i: i64) -> Value {
        Value::Int(BigInt::from(i))
    }

    /// The exact value of a finite float; `None` for infinities and NaN.
    pub fn from_f64(f: f64) -> Option<Value> {
        Float::from_f64(f).map(Value::Float)
    }

    /// The integer value, if `self` is an integer or a float or complex number with an integral
    /// value (`go/constant.ToInt`: `2.0` is `2`, `1.5` is not an integer).
    pub fn to_int(&self) -> Option<BigInt> {
        match self {
            Value::Int(i) => Some(i.clone()),
            Value::Float(f) => f.to_int(),
            Value::Complex(re, im) if im.is_zero() => re.to_int(),
            _ => None,
        }
    }

    /// The value as a float, if it is numeric with a zero imaginary part.
    pub fn to_float(&self) -> Option<Float> {
        match self {
            Value::Int(i) => Some(Float::from_int(i)),
            Value::Float(f) => Some(f.clone()),
            Value::Complex(re, im) if im.is_zero() => Some(re.clone()),
            _ => None,
        }
    }

    /// The value as a complex number, if it is numeric.
    pub fn to_complex(&self) -> Option<(Float, Float)> {
        match self {
            Value::Complex(re, im) => Some((re.clone(), im.clone())),
            other => other.to_float().map(|re| (re, Float::zero())),
        }
    }

    /// The exact `i64`, if the value is an integer (or integral float) that fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.to_int()?.to_i64()
    }

    /// The exact `u64`, if the value is an integer (or integral float) that fits.
    pub fn to_u64(&self) -> Option<u64> {
        self.to_int()?.to_u64()
    }

    /// The nearest `f64` of a real value; `None` if it is out of `f64`'s range or not real.
    /// After [`representable`] to `float64` or `float32` the result is exact.
    pub fn to_f64(&self) -> Option<f64> {
        let f = self.to_float()?.to_f64();
        f.is_finite().then_some(f)
    }

    /// The nearest `(re, im)` pair of `f64`s of a numeric value.
    pub fn to_complex_f64(&self) -> Option<(f64, f64)> {
        let (re, im) = self.to_complex()?;
        let (re, im) = (re.to_f64(), im.to_f64());
        (re.is_finite() && im.is_finite()).then_some((re, im))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether a numeric value is zero (false for non-numeric values).
    pub fn is_zero(&self) -> bool {
        match self {
            Value::Int(i) => i.is_zero(),
            Value::Float(f) => f.is_zero(),
            Value::Complex(re, im) => re.is_zero() && im.is_zero(),
            _ => false,
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Float(_) | Value::Complex(..))
    }

    /// Rank used to bring two numeric operands to a common representation.
    fn rank(&self) -> u8 {
        match self {
            Value::Int(_) => 1,
            Value::Float(_) => 2,
            Value::Complex(..) => 3,
            _ => 0,
        }
    }

    /// `self` in the representation of rank `rank` (never lowers the rank).
    fn promote(&self, rank: u8) -> Value {
        match (self, rank) {
            (Value::Int(i), 2) => Value::Float(Float::from_int(i)),
            (Value::Int(_) | Value::Float(_), 3) => match self.to_complex() {
                Some((re, im)) => Value::Complex(re, im),
                None => self.clone(),
            },
            _ => self.clone(),
        }
    }
}

/// Formats as Go's compiler shows constants in messages (`go/constant`'s `String`): `300`,
/// `1.5`, `1e+1000`, `0.333333`, `"hi"`, `true`, `(1 + 2i)`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::String(s) => f.write_str(&short_quote(s)),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&x.go_string()),
            Value::Complex(re, im) => write!(f, "({} + {}i)", re.go_string(), im.go_string()),
        }
    }
}

/// The untyped kind of a mixed untyped operation: the "larger" of the two
/// (int < rune < float < complex). For other pairs it returns `a`.
pub fn larger_kind(a: BasicKind, b: BasicKind) -> BasicKind {
    fn rank(k: BasicKind) -> u8 {
        match k {
            BasicKind::UntypedInt => 1,
            BasicKind::UntypedRune => 2,
            BasicKind::UntypedFloat => 3,
            BasicKind::UntypedComplex => 4,
            _ => 0,
        }
    }
    if rank(a) > 0 && rank(b) > rank(a) {
        b
    } else {
        a
    }
}

// ---------------------------------------------------------------------------------------------
// Errors and message helpers

/// Why a constant does not fit a type (types2's error codes for `representable`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repr {
    /// A numeric value out of the type's range (also float-to-float).
    Overflow,
    /// A non-integer source (float, complex) for an integer type, including `1e100` to `int`.
    Truncated,
    /// The value's kind does not fit at all (a string as an int, ...).
    Invalid,
}

impl Repr {
    /// The suffix of an assignment message: `cannot use X as T value in C (overflows)`.
    pub fn assign_suffix(self) -> &'static str {
        match self {
            Repr::Overflow => " (overflows)",
            Repr::Truncated => " (truncated)",
            Repr::Invalid => "",
        }
    }

    /// The message of an implicit conversion or typed-result failure, e.g.
    /// `h + 1 (constant 256 of type uint8) overflows uint8`; `operand` as [`describe_operand`].
    pub fn message(self, operand: &str, target: &str) -> String {
        match self {
            Repr::Overflow => format!("{operand} overflows {target}"),
            Repr::Truncated => format!("{operand} truncated to {target}"),
            Repr::Invalid => format!("cannot convert {operand} to type {target}"),
        }
    }
}

/// `cannot use 300 (untyped int constant) as int8 value in assignment (overflows)`.
pub fn assign_message(operand: &str, target: &str, context: &str, why: Repr) -> String {
    format!(
        "cannot use {operand} as {target} value in {context}{}",
        why.assign_suffix()
    )
}

/// How types2 prints a constant operand: `300 (untyped int constant)`,
/// `1 << 64 (untyped int constant 18446744073709551616)`, `h + 1 (constant 256 of type uint8)`.
/// `type_name` is the spelling of a typed operand's type (`byte`, `uint8`); it is ignored for
/// untyped kinds.
pub fn describe_operand(expr: &str, value: &Value, kind: BasicKind, type_name: &str) -> String {
    let shown = value.to_string();
    let val = if shown == expr {
        String::new()
    } else {
        format!(" {shown}")
    };
    if kind.is_untyped() {
        format!("{expr} ({} constant{val})", kind.name())
    } else {
        format!("{expr} (constant{val} of type {type_name})")
    }
}

/// Why folding a constant operation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstError {
    /// `invalid operation: division by zero`.
    DivisionByZero,
    /// An untyped integer result beyond 512 bits: `constant shift overflow`; the payload is the
    /// operation's name (`addition`, `multiplication`, ...), empty when Go names none.
    Overflow(&'static str),
    /// A float result beyond the exponent range: `constant result is not representable`.
    NotRepresentable,
    /// `invalid operation: negative shift count <count operand>`.
    NegativeShiftCount,
    /// `invalid operation: invalid shift count <count operand>` (above 1074 or not a `uint`).
    InvalidShiftCount,
    /// An untyped shift count that is not representable as `uint`:
    /// `<count operand> overflows uint` / `1.5 (untyped float constant) truncated to uint`.
    ShiftCount(Repr),
    /// `invalid operation: shifted operand <operand> must be integer`.
    ShiftedOperandNotInteger,
    /// A typed result that does not fit its type: `<result operand> overflows uint8`. The
    /// result is kept so the caller can describe it (`h + 1 (constant 256 of type uint8)`).
    Typed {
        why: Repr,
        value: Box<Value>,
        kind: BasicKind,
    },
    /// The operator is not defined on these values; the checker should have rejected it.
    InvalidOperation,
}

impl ConstError {
    /// Go's message. `operand` is the described operand the message quotes (see
    /// [`describe_operand`]): the shift count for the shift-count errors, the shifted operand
    /// for [`ConstError::ShiftedOperandNotInteger`], the result for [`ConstError::Typed`]; it
    /// is unused by the others.
    pub fn message(&self, operand: &str) -> String {
        match self {
            ConstError::DivisionByZero => "invalid operation: division by zero".to_string(),
            ConstError::Overflow("") => "constant overflow".to_string(),
            ConstError::Overflow(op) => format!("constant {op} overflow"),
            ConstError::NotRepresentable => "constant result is not representable".to_string(),
            ConstError::NegativeShiftCount => {
                format!("invalid operation: negative shift count {operand}")
            }
            ConstError::InvalidShiftCount => {
                format!("invalid operation: invalid shift count {operand}")
            }
            ConstError::ShiftCount(why) => why.message(operand, "uint"),
            ConstError::ShiftedOperandNotInteger => {
                format!("invalid operation: shifted operand {operand} must be integer")
            }
            ConstError::Typed { why, kind, .. } => why.message(operand, kind.name()),
            ConstError::InvalidOperation => "invalid constant operation".to_string(),
        }
    }
}

/// Why an explicit conversion `T(c)` of a constant failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertError {
    /// Integer to integer out of range: `constant 256 overflows uint8` ([`Self::message`]).
    Overflows,
    /// Anything else: `cannot convert 1.5 (untyped float constant) to type int`.
    Cannot,
}

impl ConvertError {
    /// Go's message; `operand` as [`describe_operand`], `target` the type's spelling.
    pub fn message(self, value: &Value, operand: &str, target: &str) -> String {
        match self {
            ConvertError::Overflows => format!("constant {value} overflows {target}"),
            ConvertError::Cannot => format!("cannot convert {operand} to type {target}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Operations

/// Folds `op x` (`+ - ! ^`). `kind` is the operand's type: `^x` of an unsigned type is masked
/// to its size (`^uint8(0)` is 255), of anything else it is `-x-1`.
pub fn unary(op: UnaryOp, x: &Value, kind: BasicKind) -> Result<Value, ConstError> {
    let v = match (op, x) {
        (UnaryOp::Pos, v) if v.is_numeric() => v.clone(),
        (UnaryOp::Neg, Value::Int(i)) => Value::Int(-i),
        (UnaryOp::Neg, Value::Float(f)) => Value::Float(f.neg()),
        (UnaryOp::Neg, Value::Complex(re, im)) => Value::Complex(re.neg(), im.neg()),
        (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
        (UnaryOp::Complement, Value::Int(i)) => {
            let not = !i;
            match kind.bits().filter(|_| kind.is_unsigned()) {
                Some(bits) => Value::Int(not & ((BigInt::one() << bits) - 1)),
                None => Value::Int(not),
            }
        }
        _ => return Err(ConstError::InvalidOperation),
    };
    let name = if op == UnaryOp::Complement {
        "bitwise complement"
    } else {
        ""
    };
    check_result(v, kind, name)
}

/// Folds `x op y` for the arithmetic, bitwise and logical operators (not comparisons, not
/// shifts). `kind` is the operation's type (after untyped operands were converted, or
/// [`larger_kind`] for two untyped ones): `/` truncates for integer kinds and is exact otherwise,
/// and typed results must be representable in `kind`.
pub fn binary(x: &Value, op: BinaryOp, y: &Value, kind: BasicKind) -> Result<Value, ConstError> {
    if matches!(op, BinaryOp::Div | BinaryOp::Rem) && is_zero_divisor(y) {
        return Err(ConstError::DivisionByZero);
    }
    let rank = x.rank().max(y.rank());
    let (x, y) = (x.promote(rank), y.promote(rank));
    let v = match (&x, &y) {
        (Value::Bool(a), Value::Bool(b)) => match op {
            BinaryOp::AndAnd => Value::Bool(*a && *b),
            BinaryOp::OrOr => Value::Bool(*a || *b),
            _ => return Err(ConstError::InvalidOperation),
        },
        (Value::String(a), Value::String(b)) if op == BinaryOp::Add => {
            Value::String(a.iter().chain(b.iter()).copied().collect())
        }
        (Value::Int(a), Value::Int(b)) => int_op(a, op, b, kind)?,
        (Value::Float(a), Value::Float(b)) => Value::Float(float_op(a, op, b)?),
        (Value::Complex(a, b), Value::Complex(c, d)) => complex_op((a, b), op, (c, d))?,
        _ => return Err(ConstError::InvalidOperation),
    };
    check_result(v, kind, op_name(op))
}

/// A divisor Go rejects: zero, or a complex number whose squared magnitude is zero.
fn is_zero_divisor(y: &Value) -> bool {
    y.is_zero()
}

/// The operation names types2 uses in `constant <name> overflow`.
fn op_name(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "addition",
        BinaryOp::Sub => "subtraction",
        BinaryOp::Xor => "bitwise XOR",
        BinaryOp::Mul => "multiplication",
        BinaryOp::Shl => "shift",
        _ => "",
    }
}

fn int_op(a: &BigInt, op: BinaryOp, b: &BigInt, kind: BasicKind) -> Result<Value, ConstError> {
    let r = match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        // Integer kinds truncate; `/` on integer values of a float kind is exact.
        BinaryOp::Div if kind.is_integer() => a / b,
        BinaryOp::Div => {
            let q = BigRational::new(a.clone(), b.clone());
            return Ok(Value::Float(Float::from_rat(q)));
        }
        // BigInt's `%` takes the dividend's sign, as Go's does.
        BinaryOp::Rem => a % b,
        BinaryOp::And => a & b,
        BinaryOp::Or => a | b,
        BinaryOp::Xor => a ^ b,
        BinaryOp::AndNot => a & !b,
        _ => return Err(ConstError::InvalidOperation),
    };
    Ok(Value::Int(r))
}

fn float_op(a: &Float, op: BinaryOp, b: &Float) -> Result<Float, ConstError> {
    match op {
        BinaryOp::Add => a.add(b),
        BinaryOp::Sub => a.sub(b),
        BinaryOp::Mul => a.mul(b),
        BinaryOp::Div => a.div(b),
        _ => Err(ConstError::InvalidOperation),
    }
}

fn complex_op(
    (a, b): (&Float, &Float),
    op: BinaryOp,
    (c, d): (&Float, &Float),
) -> Result<Value, ConstError> {
    let (re, im) = match op {
        BinaryOp::Add => (a.add(c)?, b.add(d)?),
        BinaryOp::Sub => (a.sub(c)?, b.sub(d)?),
        BinaryOp::Mul => (a.mul(c)?.sub(&b.mul(d)?)?, b.mul(c)?.add(&a.mul(d)?)?),
        BinaryOp::Div => {
            // (a+bi)/(c+di) = ((ac+bd) + (bc-ad)i) / (c²+d²), as go/constant computes it.
            let s = c.mul(c)?.add(&d.mul(d)?)?;
            if s.is_zero() {
                return Err(ConstError::DivisionByZero);
            }
            let re = a.mul(c)?.add(&b.mul(d)?)?.div(&s)?;
            let im = b.mul(c)?.sub(&a.mul(d)?)?.div(&s)?;
            (re, im)
        }
        _ => return Err(ConstError::InvalidOperation),
    };
    Ok(Value::Complex(re, im))
}

/// After each operation: typed results must be representable in their type (and are rounded
/// to it, e.g. float32); untyped integers must not grow beyond 512 bits.
fn check_result(v: Value, kind: BasicKind, op: &'static str) -> Result<Value, ConstError> {
    if !kind.is_untyped() {
        return representable(&v, kind).map_err(|why| ConstError::Typed {
            why,
            value: Box::new(v.clone()),
            kind,
        });
    }
    match &v {
        Value::Int(i) if i.bits() > MAX_INT_BITS => Err(ConstError::Overflow(op)),
        _ => Ok(v),
    }
}

/// Evaluates the comparison `x op y` (`== != < <= > >=`).
pub fn compare(x: &Value, op: BinaryOp, y: &Value) -> Result<bool, ConstError> {
    let rank = x.rank().max(y.rank());
    let (x, y) = (x.promote(rank), y.promote(rank));
    let ord = match (&x, &y) {
        (Value::Bool(a), Value::Bool(b)) => equality_only(a == b, op)?,
        (Value::Complex(a, b), Value::Complex(c, d)) => {
            let eq = a.cmp_value(c) == Ordering::Equal && b.cmp_value(d) == Ordering::Equal;
            equality_only(eq, op)?
        }
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Int(a), Value::Int(b)) => a.cmp(b),
        (Value::Float(a), Value::Float(b)) => a.cmp_value(b),
        _ => return Err(ConstError::InvalidOperation),
    };
    Ok(match op {
        BinaryOp::Eq => ord == Ordering::Equal,
        BinaryOp::Ne => ord != Ordering::Equal,
        BinaryOp::Lt => ord == Ordering::Less,
        BinaryOp::Le => ord != Ordering::Greater,
        BinaryOp::Gt => ord == Ordering::Greater,
        BinaryOp::Ge => ord != Ordering::Less,
        _ => return Err(ConstError::InvalidOperation),
    })
}

/// For values with only `==` and `!=`: an ordering that answers those two correctly.
fn equality_only(eq: bool, op: BinaryOp) -> Result<Ordering, ConstError> {
    match op {
        BinaryOp::Eq | BinaryOp::Ne if eq => Ok(Ordering::Equal),
        BinaryOp::Eq | BinaryOp::Ne => Ok(Ordering::Less),
        _ => Err(ConstError::InvalidOperation),
    }
}

/// Folds `x << count` or `x >> count`. `x` must have an integral value (`2.0 << 3` is 16);
/// `count_kind` is the count's kind (an untyped count must be representable as `uint`);
/// `kind` is the result's type (untyped float operands give `untyped int`, as in Go).
pub fn shift(
    x: &Value,
    op: BinaryOp,
    count: &Value,
    count_kind: BasicKind,
    kind: BasicKind,
) -> Result<Value, ConstError> {
    let xi = x.to_int().ok_or(ConstError::ShiftedOperandNotInteger)?;
    if count.to_int().is_some_and(|c| c.is_negative()) {
        return Err(ConstError::NegativeShiftCount);
    }
    if count_kind.is_untyped() {
        representable(count, BasicKind::Uint).map_err(ConstError::ShiftCount)?;
    }
    let s = count
        .to_u64()
        .filter(|&s| s <= MAX_SHIFT)
        .ok_or(ConstError::InvalidShiftCount)?;
    let r = match op {
        BinaryOp::Shl => xi << s,
        // BigInt's `>>` rounds toward negative infinity, like Go's arithmetic shift.
        BinaryOp::Shr => xi >> s,
        _ => return Err(ConstError::InvalidOperation),
    };
    let kind = if kind.is_integer() || !kind.is_untyped() {
        kind
    } else {
        BasicKind::UntypedInt
    };
    check_result(Value::Int(r), kind, op_name(op))
}

// ---------------------------------------------------------------------------------------------
// Representability and conversions

/// Whether `v` is representable by a value of type `target` (spec "Representability"), and the
/// value it becomes: floats are rounded to float32/float64, integral floats become integers.
/// Untyped targets accept any value of a fitting kind.
pub fn representable(v: &Value, target: BasicKind) -> Result<Value, Repr> {
    let fits = fit(v, target);
    fits.ok_or_else(|| {
        if v.is_numeric() && target.is_numeric() {
            if !matches!(v, Value::Int(_)) && target.is_integer() {
                Repr::Truncated
            } else {
                Repr::Overflow
            }
        } else {
            Repr::Invalid
        }
    })
}

fn fit(v: &Value, target: BasicKind) -> Option<Value> {
    if target.is_integer() {
        let i = v.to_int()?;
        return int_fits(&i, target).then_some(Value::Int(i));
    }
    if target.is_float() {
        let f = v.to_float()?;
        return round_float(f, target).map(Value::Float);
    }
    if target.is_complex() {
        let (re, im) = v.to_complex()?;
        let part = match target {
            BasicKind::Complex64 => BasicKind::Float32,
            BasicKind::Complex128 => BasicKind::Float64,
            _ => BasicKind::UntypedFloat,
        };
        return Some(Value::Complex(
            round_float(re, part)?,
            round_float(im, part)?,
        ));
    }
    match (v, target.is_string(), target.is_boolean()) {
        (Value::String(_), true, _) | (Value::Bool(_), _, true) => Some(v.clone()),
        _ => None,
    }
}

fn int_fits(i: &BigInt, target: BasicKind) -> bool {
    let Some(bits) = target.bits() else {
        return true; // untyped int and rune: any size
    };
    if target.is_unsigned() {
        !i.is_negative() && i.bits() <= u64::from(bits)
    } else {
        let limit = BigInt::one() << (bits - 1);
        *i >= -&limit && *i < limit
    }
}

/// `f` rounded to the float type `target`, or `None` if it overflows it.
fn round_float(f: Float, target: BasicKind) -> Option<Float> {
    let rounded = match target {
        BasicKind::Float32 => f64::from(f.to_f32()),
        BasicKind::Float64 => f.to_f64(),
        _ => return Some(f),
    };
    Float::from_f64(rounded)
}

/// The constant conversion `T(v)` (spec "Conversions"): a representable value (rounded), or an
/// integer to a string type (`string(65)` is `"A"`, an invalid code point gives `"\uFFFD"`).
/// `from` is the operand's kind.
pub fn convert(v: &Value, from: BasicKind, to: BasicKind) -> Result<Value, ConvertError> {
    if let Ok(r) = representable(v, to) {
        return Ok(r);
    }
    if from.is_integer() && to.is_string() {
        let c = v
            .to_u64()
            .and_then(|u| u32::try_from(u).ok())
            .and_then(char::from_u32)
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        return Ok(Value::string(c.to_string().as_bytes()));
    }
    if from.is_integer() && to.is_integer() {
        return Err(ConvertError::Overflows);
    }
    Err(ConvertError::Cannot)
}

// ---------------------------------------------------------------------------------------------
// Floats

/// An exact or 512-bit floating-point number.
#[derive(Clone, Debug)]
pub struct Float(FloatRepr);

#[derive(Clone, Debug)]
enum FloatRepr {
    /// Exact; numerator and denominator below [`MAX_RAT_BITS`] bits. Zero is always `Rat`.
    Rat(BigRational),
    /// Rounded: once a value leaves the fractions it stays a binary float (as in go/constant).
    Big(BigFloat),
}

impl PartialEq for Float {
    fn eq(&self, other: &Float) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl Float {
    pub fn zero() -> Float {
        Float(FloatRepr::Rat(BigRational::zero()))
    }

    pub fn from_int(i: &BigInt) -> Float {
        Float::from_rat(BigRational::from_integer(i.clone()))
    }

    /// The exact value of a finite `f64` (`-0` becomes `0`).
    pub fn from_f64(f: f64) -> Option<Float> {
        if !f.is_finite() {
            return None;
        }
        let (neg, mant, exp) = f64_parts(f);
        let mag = BigInt::from(mant);
        let mag = if neg { -mag } else { mag };
        let r = if exp >= 0 {
            BigRational::from_integer(mag << exp)
        } else {
            BigRational::new(mag, BigInt::one() << exp.unsigned_abs())
        };
        Some(Float::from_rat(r))
    }

    /// A fraction, or a rounded binary float if its parts are too large (go's `makeRat`).
    fn from_rat(r: BigRational) -> Float {
        if r.numer().bits() < MAX_RAT_BITS && r.denom().bits() < MAX_RAT_BITS {
            return Float(FloatRepr::Rat(r));
        }
        let neg = r.is_negative();
        let (n, d) = (r.numer().magnitude(), r.denom().magnitude());
        match BigFloat::from_ratio(neg, n, d).checked() {
            Ok(f) => f,
            // Unreachable for fractions of this size; keep the exact value rather than fail.
            Err(_) => Float(FloatRepr::Rat(r)),
        }
    }

    pub fn is_zero(&self) -> bool {
        match &self.0 {
            FloatRepr::Rat(r) => r.is_zero(),
            FloatRepr::Big(_) => false,
        }
    }

    pub fn is_negative(&self) -> bool {
        match &self.0 {
            FloatRepr::Rat(r) => r.is_negative(),
            FloatRepr::Big(b) => b.neg,
        }
    }

    pub fn neg(&self) -> Float {
        match &self.0 {
            FloatRepr::Rat(r) => Float(FloatRepr::Rat(-r)),
            FloatRepr::Big(b) => Float(FloatRepr::Big(BigFloat {
                neg: !b.neg,
                ..b.clone()
            })),
        }
    }

    /// The binary-float form; `None` for zero.
    fn to_big(&self) -> Option<BigFloat> {
        match &self.0 {
            FloatRepr::Rat(r) if r.is_zero() => None,
            FloatRepr::Rat(r) => Some(BigFloat::from_ratio(
                r.is_negative(),
                r.numer().magnitude(),
                r.denom().magnitude(),
            )),
            FloatRepr::Big(b) => Some(b.clone()),
        }
    }

    /// Applies `rat` when both operands are exact, else `big` on their binary forms.
    fn combine(
        &self,
        other: &Float,
        rat: impl Fn(&BigRational, &BigRational) -> BigRational,
        big: impl Fn(Option<BigFloat>, Option<BigFloat>) -> Option<BigFloat>,
    ) -> Result<Float, ConstError> {
        if let (FloatRepr::Rat(a), FloatRepr::Rat(b)) = (&self.0, &other.0) {
            return Ok(Float::from_rat(rat(a, b)));
        }
        big(self.to_big(), other.to_big())
            .map_or(Ok(Float::zero()), BigFloat::checked)
            .map_err(|_| ConstError::NotRepresentable)
    }

    pub fn add(&self, other: &Float) -> Result<Float, ConstError> {
        self.combine(other, |a, b| a + b, BigFloat::add_opt)
    }

    pub fn sub(&self, other: &Float) -> Result<Float, ConstError> {
        self.add(&other.neg())
    }

    pub fn mul(&self, other: &Float) -> Result<Float, ConstError> {
        self.combine(other, |a, b| a * b, |a, b| Some(a?.mul(&b?)))
    }

    pub fn div(&self, other: &Float) -> Result<Float, ConstError> {
        if other.is_zero() {
            return Err(ConstError::DivisionByZero);
        }
        self.combine(other, |a, b| a / b, |a, b| Some(a?.div(&b?)))
    }

    /// Numeric comparison.
    pub fn cmp_value(&self, other: &Float) -> Ordering {
        if let (FloatRepr::Rat(a), FloatRepr::Rat(b)) = (&self.0, &other.0) {
            return a.cmp(b);
        }
        // Exact differences are never rounded to zero, so the sign of the rounded difference
        // is the sign of the exact one.
        match BigFloat::add_opt(self.to_big(), other.neg().to_big()) {
            None => Ordering::Equal,
            Some(d) if d.neg => Ordering::Less,
            Some(_) => Ordering::Greater,
        }
    }

    /// Whether the value is an integer.
    pub fn is_int(&self) -> bool {
        match &self.0 {
            FloatRepr::Rat(r) => r.is_integer(),
            FloatRepr::Big(b) => b.is_int(),
        }
    }

    /// The integer value, if integral (go's `ToInt`, including its tolerance for binary floats
    /// that are within a few ulps of an integer).
    pub fn to_int(&self) -> Option<BigInt> {
        match &self.0 {
            FloatRepr::Rat(r) => r.is_integer().then(|| r.to_integer()),
            FloatRepr::Big(b) => b.to_int(),
        }
    }

    /// The nearest `f64` (±infinity beyond its range), correctly rounded.
    pub fn to_f64(&self) -> f64 {
        self.to_binary(&F64)
    }

    /// The nearest `f32` (±infinity beyond its range), correctly rounded.
    pub fn to_f32(&self) -> f32 {
        // The f64 holds an exact float32 value, so the cast is exact.
        self.to_binary(&F32) as f32
    }

    fn to_binary(&self, format: &BinaryFormat) -> f64 {
        match &self.0 {
            FloatRepr::Rat(r) => ratio_to_float(
                r.is_negative(),
                r.numer().magnitude(),
                r.denom().magnitude(),
                format,
            ),
            FloatRepr::Big(b) => b.to_binary(format),
        }
    }

    /// `(m, e)` with `self = m × 2^e`, `0.5 <= |m| < 1` (approximately, `m` being an f64);
    /// `(0, 0)` for zero. Used to print values outside `f64`'s range.
    fn frexp(&self) -> (f64, i64) {
        let Some(b) = self.to_big() else {
            return (0.0, 0);
        };
        let top = b.top();
        let bits = b.mag.bits();
        let m = ratio_to_float(b.neg, &b.mag, &(BigUint::one() << bits), &F64);
        (m, top)
    }

    /// go/constant's `String` for floats: `%.6g` when in `f64` range (shortest `%g` if that
    /// would hide a fraction), else an approximate `m e±x` computed without big formatting.
    fn go_string(&self) -> String {
        let x = self.to_f64();
        if x.is_finite() && self.is_zero() == (x == 0.0) {
            let s = format_g(x, Some(6));
            if !self.is_int() && !s.contains('.') {
                return format_g(x, None);
            }
            return s;
        }
        let (mant, exp) = self.frexp();
        let d = exp as f64 * (std::f64::consts::LN_2 / std::f64::consts::LN_10);
        let mut e = d as i64; // truncates toward zero, as Go's int64(d)
        let mut m = mant * 10f64.powf(d - e as f64);
        let am = m.abs();
        if am < 1.0 - 0.5e-6 {
            m *= 10.0;
            e -= 1;
        } else if am >= 10.0 {
            m /= 10.0;
            e += 1;
        }
        format!("{}e{e:+}", format_g(m, Some(6)))
    }
}

/// A nonzero binary float: `(-1)^neg × mag × 2^exp` with `mag` at most [`PREC`] bits.
#[derive(Clone, Debug)]
struct BigFloat {
    neg: bool,
    mag: BigUint,
    exp: i64,
}

/// Why a binary float cannot be a constant: its exponent is beyond `big.Float`'s range.
#[derive(Debug)]
struct ExponentOverflow;

impl BigFloat {
    /// `(-1)^neg × mag × 2^exp` rounded half-to-even to [`PREC`] bits; `sticky` says the exact
    /// value is a little larger in magnitude than `mag × 2^exp` (a nonzero remainder was cut).
    fn round(neg: bool, mag: BigUint, exp: i64, sticky: bool) -> Option<BigFloat> {
        if mag.is_zero() {
            return None;
        }
        let bits = mag.bits();
        if bits <= PREC {
            return Some(BigFloat { neg, mag, exp });
        }
        let drop = bits - PREC;
        let mut kept = &mag >> drop;
        let rem = mag - (&kept << drop);
        let half = BigUint::one() << (drop - 1);
        let up = match rem.cmp(&half) {
            Ordering::Greater => true,
            Ordering::Equal => sticky || kept.is_odd(),
            Ordering::Less => false,
        };
        if up {
            kept += 1u32;
        }
        Some(BigFloat {
            neg,
            mag: kept,
            exp: exp + drop as i64,
        })
    }

    /// The correctly rounded quotient `n / d` (both nonzero).
    fn from_ratio(neg: bool, n: &BigUint, d: &BigUint) -> BigFloat {
        // Enough quotient bits that rounding sees the guard bit.
        let shift = (PREC + 2 + d.bits()).saturating_sub(n.bits());
        let (q, r) = (n << shift).div_rem(d);
        let exp = -(shift as i64);
        Self::round(neg, q, exp, !r.is_zero()).unwrap_or(BigFloat {
            neg,
            mag: BigUint::one(),
            exp,
        })
    }

    /// The exponent of the leading bit plus one (`big.Float`'s `MantExp`).
    fn top(&self) -> i64 {
        self.exp + self.mag.bits() as i64
    }

    /// Range check: overflow is an error, underflow is zero.
    fn checked(self) -> Result<Float, ExponentOverflow> {
        if self.top() > MAX_EXP {
            Err(ExponentOverflow)
        } else if self.top() < MIN_EXP {
            Ok(Float::zero())
        } else {
            Ok(Float(FloatRepr::Big(self)))
        }
    }

    fn signed(&self) -> BigInt {
        let sign = if self.neg { Sign::Minus } else { Sign::Plus };
        BigInt::from_biguint(sign, self.mag.clone())
    }

    fn add_opt(a: Option<BigFloat>, b: Option<BigFloat>) -> Option<BigFloat> {
        match (a, b) {
            (Some(a), Some(b)) => a.add(&b),
            (a, None) => a,
            (None, b) => b,
        }
    }

    fn add(&self, other: &BigFloat) -> Option<BigFloat> {
        let (hi, lo) = if self.top() >= other.top() {
            (self, other)
        } else {
            (other, self)
        };
        // A far smaller addend moves the exact sum by less than a quarter ulp of `hi`, so the
        // rounded sum is `hi`; skipping it avoids shifting by up to 2^32 bits.
        if hi.top() - lo.top() > PREC as i64 + 4 {
            return Some(hi.clone());
        }
        let e = self.exp.min(other.exp);
        let sum =
            (self.signed() << (self.exp - e) as u64) + (other.signed() << (other.exp - e) as u64);
        Self::round(sum.is_negative(), sum.into_parts().1, e, false)
    }

    fn mul(&self, other: &BigFloat) -> BigFloat {
        let mag = &self.mag * &other.mag;
        let (neg, exp) = (self.neg != other.neg, self.exp + other.exp);
        Self::round(neg, mag, exp, false).unwrap_or(BigFloat {
            neg,
            mag: BigUint::one(),
            exp,
        })
    }

    fn div(&self, other: &BigFloat) -> BigFloat {
        let mut q = Self::from_ratio(self.neg != other.neg, &self.mag, &other.mag);
        q.exp += self.exp - other.exp;
        q
    }

    fn is_int(&self) -> bool {
        self.exp >= 0 || self.mag.trailing_zeros().unwrap_or(0) >= self.exp.unsigned_abs()
    }

    fn to_int(&self) -> Option<BigInt> {
        // Like go's smallFloat: only values of "reasonable" size become integers.
        let top = self.top();
        if top >= MAX_RAT_BITS as i64 || top <= -(MAX_RAT_BITS as i64) {
            return None;
        }
        if self.is_int() {
            return Some(self.to_int_exact());
        }
        // go/constant accepts values a few ulps off an integer: round to PREC-4 bits toward
        // zero and away from zero and take whichever is integral.
        const DELTA: u64 = 4;
        let bits = self.mag.bits();
        if bits <= PREC - DELTA {
            return None;
        }
        let drop = bits - (PREC - DELTA);
        let down = &self.mag >> drop;
        let inexact = down.clone() << drop != self.mag;
        for mag in [down.clone(), down + u32::from(inexact)] {
            let f = BigFloat {
                neg: self.neg,
                mag,
                exp: self.exp + drop as i64,
            };
            if f.is_int() {
                return Some(f.to_int_exact());
            }
        }
        None
    }

    /// The integer value of an integral float.
    fn to_int_exact(&self) -> BigInt {
        let sign = if self.neg { Sign::Minus } else { Sign::Plus };
        let mag = if self.exp >= 0 {
            &self.mag << self.exp as u64
        } else {
            &self.mag >> self.exp.unsigned_abs()
        };
        BigInt::from_biguint(sign, mag)
    }

    fn to_binary(&self, format: &BinaryFormat) -> f64 {
        // Decide far-out values without materialising 2^exp.
        let top = self.top();
        if top > format.max_top + 1 {
            return if self.neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
        if top < format.min_lsb - 2 {
            return if self.neg { -0.0 } else { 0.0 };
        }
        let (n, d) = if self.exp >= 0 {
            (&self.mag << self.exp as u64, BigUint::one())
        } else {
            (self.mag.clone(), BigUint::one() << self.exp.unsigned_abs())
        };
        ratio_to_float(self.neg, &n, &d, format)
    }

    /// `10^k` (k >= 0), by repeated squaring with rounding, as `big.Float` computes powers.
    fn pow10(k: u64) -> BigFloat {
        let mut result = BigFloat {
            neg: false,
            mag: BigUint::one(),
            exp: 0,
        };
        let mut base = BigFloat {
            neg: false,
            mag: BigUint::from(10u32),
            exp: 0,
        };
        let mut k = k;
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base);
            }
            k >>= 1;
            if k > 0 {
                base = base.mul(&base);
            }
        }
        result
    }
}

/// Parameters of an IEEE binary format.
struct BinaryFormat {
    mant_bits: u64,
    /// Exponent of the least significant bit of the smallest subnormal.
    min_lsb: i64,
    /// Values at or above `2^max_top` overflow.
    max_top: i64,
}

const F64: BinaryFormat = BinaryFormat {
    mant_bits: 53,
    min_lsb: -1074,
    max_top: 1024,
};

const F32: BinaryFormat = BinaryFormat {
    mant_bits: 24,
    min_lsb: -149,
    max_top: 128,
};

/// The correctly rounded (half-to-even) value of `±n/d` in `format`, returned as an `f64`
/// (exact for float32 values too); ±infinity on overflow.
fn ratio_to_float(neg: bool, n: &BigUint, d: &BigUint, format: &BinaryFormat) -> f64 {
    let signed = |x: f64| if neg { -x } else { x };
    if n.is_zero() || d.is_zero() {
        return signed(0.0);
    }
    // e = floor(log2(n/d)): the bit-length difference, or one less.
    let mut e = n.bits() as i64 - d.bits() as i64;
    let at_least = if e >= 0 {
        *n >= d << e as u64
    } else {
        n << e.unsigned_abs() >= *d
    };
    if !at_least {
        e -= 1;
    }
    if e >= format.max_top {
        return signed(f64::INFINITY);
    }
    let lsb = (e - (format.mant_bits as i64 - 1)).max(format.min_lsb);
    let (num, den) = if lsb >= 0 {
        (n.clone(), d << lsb as u64)
    } else {
        (n << lsb.unsigned_abs(), d.clone())
    };
    let (mut q, r) = num.div_rem(&den);
    let twice = r << 1u8;
    if twice > den || (twice == den && q.is_odd()) {
        q += 1u32;
    }
    if q.bits() as i64 + lsb > format.max_top {
        return signed(f64::INFINITY);
    }
    // q has at most mant_bits + 1 <= 54 bits: exact in an f64, and so is the scaled product.
    let qf = q.to_u64().map_or(f64::INFINITY, |q| q as f64);
    signed(qf * pow2(lsb))
}

/// `2^e` for `-1074 <= e <= 1023`, built from its bits.
fn pow2(e: i64) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

/// `(negative, mantissa, exponent)` with `|f| = mantissa × 2^exponent`.
fn f64_parts(f: f64) -> (bool, u64, i64) {
    let bits = f.to_bits();
    let neg = bits >> 63 != 0;
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if biased == 0 {
        (neg, frac, -1074)
    } else {
        (neg, frac | (1u64 << 52), biased - 1075)
    }
}

// ---------------------------------------------------------------------------------------------
// Literals

/// An integer literal: decimal, `0x`, `0o`, `0b`, or legacy octal `017`; `_` separators.
fn parse_int(raw: &str) -> Option<BigInt> {
    if let Some(i) = parse_prefixed_int(raw) {
        return Some(i);
    }
    let digits: String = raw.chars().filter(|&c| c != '_').collect();
    let radix = if digits.len() > 1 && digits.starts_with('0') {
        8
    } else {
        10
    };
    BigInt::parse_bytes(digits.as_bytes(), radix)
}

/// An integer with an explicit `0x`, `0o` or `0b` prefix.
fn parse_prefixed_int(raw: &str) -> Option<BigInt> {
    let digits: String = raw.chars().filter(|&c| c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let (radix, rest) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else {
        return None;
    };
    if rest.is_empty() || rest.contains(['.', 'p']) {
        return None;
    }
    BigInt::parse_bytes(rest.as_bytes(), radix)
}

/// A float literal (decimal or hexadecimal, `_` separators): `None` if malformed, `Some(Err)`
/// if its exponent is beyond the float range.
fn parse_float(raw: &str) -> Option<Result<Float, ExponentOverflow>> {
    let text: String = raw.chars().filter(|&c| c != '_').collect();
    let lower = text.to_ascii_lowercase();
    // value = mant × 2^e2 × 10^e10
    let (mant, e2, e10) = match lower.strip_prefix("0x") {
        Some(hex) => {
            let (m, frac, exp) = split_number(hex, 'p', 16)?;
            (m, exp.saturating_sub(4 * frac), 0)
        }
        None => {
            let (m, frac, exp) = split_number(&lower, 'e', 10)?;
            (m, 0, exp.saturating_sub(frac))
        }
    };
    Some(scale(mant, e2, e10))
}

/// Splits `digits[.digits][<exp_char>[+-]digits]` into (all mantissa digits as an integer,
/// number of fraction digits, exponent). Huge exponents saturate.
fn split_number(s: &str, exp_char: char, radix: u32) -> Option<(BigUint, i64, i64)> {
    let (mantissa, exp) = match s.split_once(exp_char) {
        Some((m, e)) => (m, parse_exponent(e)?),
        None => (s, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int_part}{frac_part}");
    if all.is_empty() {
        return None;
    }
    let mant = BigUint::parse_bytes(all.as_bytes(), radix)?;
    Some((mant, frac_part.len() as i64, exp))
}

fn parse_exponent(e: &str) -> Option<i64> {
    let (neg, digits) = match e.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, e.strip_prefix('+').unwrap_or(e)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Anything beyond 2^40 is far outside the float range either way.
    let v = digits.parse::<i64>().unwrap_or(i64::MAX).min(1 << 40);
    Some(if neg { -v } else { v })
}

/// `mant × 2^e2 × 10^e10`: exact when the exponents are moderate, else a binary float.
fn scale(mant: BigUint, e2: i64, e10: i64) -> Result<Float, ExponentOverflow> {
    if mant.is_zero() {
        return Ok(Float::zero());
    }
    if e10.abs() <= 1500 && e2.abs() <= 6000 {
        let ten = BigUint::from(10u32);
        let mut n = mant;
        let mut d = BigUint::one();
        if e10 >= 0 {
            n *= ten.pow(e10 as u32);
        } else {
            d *= ten.pow(e10.unsigned_abs() as u32);
        }
        if e2 >= 0 {
            n <<= e2 as u64;
        } else {
            d <<= e2.unsigned_abs();
        }
        let r = BigRational::new(BigInt::from(n), BigInt::from(d));
        return Ok(Float::from_rat(r));
    }
    // Estimate the magnitude first so absurd exponents cost nothing.
    let estimate = mant.bits() as f64 + e2 as f64 + e10 as f64 * std::f64::consts::LOG2_10;
    if estimate > MAX_EXP as f64 + 64.0 {
        return Err(ExponentOverflow);
    }
    if estimate < MIN_EXP as f64 - 64.0 {
        return Ok(Float::zero());
    }
    let m = BigFloat::round(false, mant, e2, false).ok_or(ExponentOverflow)?;
    let p = BigFloat::pow10(e10.unsigned_abs());
    let v = if e10 >= 0 { m.mul(&p) } else { m.div(&p) };
    v.checked()
}

// ---------------------------------------------------------------------------------------------
// Formatting

/// Decimal digits `0.d1d2... × 10^dp` of a non-negative number; no trailing zeros.
struct Decimal {
    digits: Vec<u8>,
    dp: i64,
}

impl Decimal {
    /// The shortest digits that round-trip `|x|` (Rust's and Go's shortest agree).
    fn shortest(x: f64) -> Decimal {
        let s = format!("{:e}", x.abs());
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        Decimal::trimmed(digits, exp + 1)
    }

    /// All digits of `|x|` (exact: every f64 is a finite decimal).
    fn exact(x: f64) -> Decimal {
        let (_, mant, exp) = f64_parts(x);
        if mant == 0 {
            return Decimal {
                digits: Vec::new(),
                dp: 0,
            };
        }
        let (n, frac_digits) = if exp >= 0 {
            (BigUint::from(mant) << exp as u64, 0)
        } else {
            // m / 2^k = m × 5^k / 10^k
            let k = exp.unsigned_abs();
            (
                BigUint::from(mant) * BigUint::from(5u32).pow(k as u32),
                k as i64,
            )
        };
        let digits = n.to_str_radix(10).into_bytes();
        let dp = digits.len() as i64 - frac_digits;
        Decimal::trimmed(digits, dp)
    }

    fn trimmed(mut digits: Vec<u8>, dp: i64) -> Decimal {
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        let lead = digits.iter().take_while(|&&d| d == b'0').count();
        digits.drain(..lead);
        let dp = if digits.is_empty() {
            0
        } else {
            dp - lead as i64
        };
        Decimal { digits, dp }
    }

    /// Rounds to `n` significant digits, half to even (strconv's rule).
    fn round(mut self, n: usize) -> Decimal {
        if self.digits.len() <= n {
            return self;
        }
        let next = self.digits[n];
        let rest_nonzero = self.digits[n + 1..].iter().any(|&d| d != b'0');
        let prev_odd = n > 0 && (self.digits[n - 1] - b'0') % 2 == 1;
        let up = next > b'5' || (next == b'5' && (rest_nonzero || prev_odd));
        self.digits.truncate(n);
        if up {
            let mut i = n;
            loop {
                if i == 0 {
                    self.digits.insert(0, b'1');
                    self.dp += 1;
                    break;
                }
                i -= 1;
                if self.digits[i] == b'9' {
                    self.digits[i] = b'0';
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        Decimal::trimmed(self.digits, self.dp)
    }

    fn digit(&self, i: i64) -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.digits.get(i))
            .map_or('0', |&d| char::from(d))
    }
}

/// Go's `%g` (`prec` None: shortest) or `%.<prec>g` of a finite `f64`.
fn format_g(x: f64, prec: Option<usize>) -> String {
    let d = match prec {
        None => Decimal::shortest(x),
        Some(p) => Decimal::exact(x).round(p.max(1)),
    };
    let nd = d.digits.len() as i64;
    let shortest = prec.is_none();
    let mut prec = prec.map_or(nd, |p| p.max(1) as i64);
    let mut eprec = prec;
    if eprec > nd && nd >= d.dp {
        eprec = nd;
    }
    if shortest {
        eprec = 6;
    }
    let exp = d.dp - 1;
    let mut out = String::new();
    if x.is_sign_negative() && x != 0.0 {
        out.push('-');
    }
    if exp < -4 || exp >= eprec {
        prec = prec.min(nd) - 1;
        out.push(d.digit(0));
        if prec > 0 {
            out.push('.');
            (1..=prec).for_each(|i| out.push(d.digit(i)));
        }
        let e = if nd == 0 { 0 } else { exp };
        let sign = if e < 0 { '-' } else { '+' };
        out.push_str(&format!("e{sign}{:02}", e.abs()));
    } else {
        if prec > d.dp {
            prec = nd;
        }
        let frac = (prec - d.dp).max(0);
        if d.dp > 0 {
            (0..d.dp).for_each(|i| out.push(d.digit(i)));
        } else {
            out.push('0');
        }
        if frac > 0 {
            out.push('.');
            (0..frac).for_each(|i| out.push(d.digit(d.dp + i)));
        }
    }
    out
}

/// Go's `strconv.Quote`, shortened to 72 characters with `...` as go/constant does.
fn short_quote(bytes: &[u8]) -> String {
    const MAX_LEN: usize = 72;
    let q = quote(bytes);
    if q.chars().count() > MAX_LEN {
        let head: String = q.chars().take(MAX_LEN - 3).collect();
        return head + "...";
    }
    q
}

/// Go's `strconv.Quote` of arbitrary bytes: invalid UTF-8 bytes become `\xNN`.
pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        chunk.valid().chars().for_each(|c| quote_char(&mut out, c));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

fn quote_char(out: &mut String, c: char) {
    match c {
        '"' | '\\' => {
            out.push('\\');
            out.push(c);
        }
        c if is_print(c) => out.push(c),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// An approximation of Go's `unicode.IsPrint`: graphic characters and the ASCII space.
fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let format_char = matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e000}'..='\u{f8ff}'
    );
    !c.is_control() && !c.is_whitespace() && !format_char
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Every expected value and message here was checked against real Go 1.27.
    use super::*;
    use BasicKind::*;

    fn lit(kind: LitKind, raw: &str) -> Value {
        Value::from_literal(&kind, raw).unwrap()
    }
    fn int(raw: &str) -> Value {
        lit(LitKind::Int, raw)
    }
    fn float(raw: &str) -> Value {
        lit(LitKind::Float, raw)
    }
    fn imag(raw: &str) -> Value {
        lit(LitKind::Imag, raw)
    }
    fn bin(x: &Value, op: BinaryOp, y: &Value, kind: BasicKind) -> Value {
        binary(x, op, y, kind).unwrap()
    }
    fn show(v: &Value) -> std::string::String {
        v.to_string()
    }

    #[test]
    fn integer_literals() {
        assert_eq!(int("1_000_000").to_i64(), Some(1_000_000));
        assert_eq!(int("0b1010").to_i64(), Some(10));
        assert_eq!(int("0o17").to_i64(), Some(15));
        assert_eq!(int("017").to_i64(), Some(15));
        assert_eq!(int("0xFF").to_i64(), Some(255));
        assert_eq!(int("0").to_i64(), Some(0));
        assert_eq!(
            show(&int("340282366920938463463374607431768211456")),
            "340282366920938463463374607431768211456"
        );
    }

    #[test]
    fn float_and_imaginary_literals() {
        assert_eq!(float("0x1p-2").to_f64(), Some(0.25));
        assert_eq!(float("0x1.8p1").to_f64(), Some(3.0));
        assert_eq!(float("1_0.5e1").to_f64(), Some(105.0));
        assert_eq!(float(".5").to_f64(), Some(0.5));
        assert_eq!(show(&imag("1e3i")), "(0 + 1000i)");
        assert_eq!(show(&imag("0123i")), "(0 + 123i)"); // decimal, not octal
        assert_eq!(show(&imag("0x10i")), "(0 + 16i)");
        assert_eq!(show(&imag("1.5i")), "(0 + 1.5i)");
        assert_eq!(lit(LitKind::Rune(97), "'a'"), Value::int(97));
        assert_eq!(
            lit(LitKind::Str(b"hi".to_vec()), "\"hi\""),
            Value::string(b"hi")
        );
    }

    #[test]
    fn huge_float_literals_are_fast() {
        // Go: `malformed constant: 1e1000000000`; 1e-1000000000 == 0; 1e646456992 is fine.
        assert_eq!(
            Value::from_literal(&LitKind::Float, "1e1000000000"),
            Err("malformed constant: 1e1000000000".to_string())
        );
        assert!(float("1e-1000000000").is_zero());
        assert_eq!(show(&float("1e+646456992")), "1e+646456992");
        assert_eq!(show(&float("1e1000")), "1e+1000");
        let neg = unary(UnaryOp::Neg, &float("1e1000"), UntypedFloat).unwrap();
        assert_eq!(show(&neg), "-1e+1000");
        // 1e300000000 * 1e300000000 is still in big.Float's range.
        let x = float("1e300000000");
        assert!(binary(&x, BinaryOp::Mul, &x, UntypedFloat).is_ok());
        let long = "1".repeat(10_001);
        assert_eq!(
            Value::from_literal(&LitKind::Int, &long),
            Err("excessively long constant: 1111111111... (10001 chars)".to_string())
        );
    }

    #[test]
    fn big_and_exact_arithmetic() {
        let big = shift(
            &int("1"),
            BinaryOp::Shl,
            &int("100"),
            UntypedInt,
            UntypedInt,
        )
        .unwrap();
        let four = shift(&big, BinaryOp::Shr, &int("98"), UntypedInt, UntypedInt).unwrap();
        assert_eq!(four, Value::int(4));
        // 1.0/3*3 == 1 exactly.
        let third = bin(&float("1.0"), BinaryOp::Div, &int("3"), UntypedFloat);
        let one = bin(&third, BinaryOp::Mul, &int("3"), UntypedFloat);
        assert!(compare(&one, BinaryOp::Eq, &int("1")).unwrap());
        assert_eq!(show(&third), "0.333333");
        // 0.1 + 0.2 == 0.3 for constants.
        let sum = bin(&float("0.1"), BinaryOp::Add, &float("0.2"), UntypedFloat);
        assert!(compare(&sum, BinaryOp::Eq, &float("0.3")).unwrap());
        // 1e300*1e300/1e300 prints 1e+300.
        let e300 = float("1e300");
        let sq = bin(&e300, BinaryOp::Mul, &e300, UntypedFloat);
        assert_eq!(
            show(&bin(&sq, BinaryOp::Div, &e300, UntypedFloat)),
            "1e+300"
        );
    }

    #[test]
    fn integer_division_and_bit_operations() {
        let (seven, two, three) = (int("7"), int("2"), int("3"));
        let minus7 = unary(UnaryOp::Neg, &seven, UntypedInt).unwrap();
        assert_eq!(bin(&seven, BinaryOp::Div, &two, UntypedInt), Value::int(3));
        assert_eq!(
            bin(&minus7, BinaryOp::Div, &two, UntypedInt),
            Value::int(-3)
        );
        assert_eq!(
            bin(&minus7, BinaryOp::Rem, &three, UntypedInt),
            Value::int(-1)
        );
        assert_eq!(
            show(&bin(&float("7.0"), BinaryOp::Div, &two, UntypedFloat)),
            "3.5"
        );
        assert_eq!(
            bin(&int("5"), BinaryOp::AndNot, &three, UntypedInt),
            Value::int(4)
        );
        let minus6 = Value::int(-6);
        assert_eq!(
            bin(&minus6, BinaryOp::And, &three, UntypedInt),
            Value::int(2)
        );
        assert_eq!(
            bin(&minus6, BinaryOp::Or, &three, UntypedInt),
            Value::int(-5)
        );
        assert_eq!(
            bin(&minus6, BinaryOp::Xor, &three, UntypedInt),
            Value::int(-7)
        );
        assert_eq!(
            binary(&seven, BinaryOp::Div, &int("0"), UntypedInt),
            Err(ConstError::DivisionByZero)
        );
        let err = binary(&float("1.0"), BinaryOp::Div, &float("0.0"), UntypedFloat).unwrap_err();
        assert_eq!(err.message(""), "invalid operation: division by zero");
    }

    #[test]
    fn mixed_kinds() {
        assert_eq!(larger_kind(UntypedInt, UntypedFloat), UntypedFloat);
        assert_eq!(larger_kind(UntypedRune, UntypedInt), UntypedRune);
        assert_eq!(larger_kind(UntypedComplex, UntypedRune), UntypedComplex);
        let a = lit(LitKind::Rune(97), "'a'");
        assert_eq!(
            bin(&a, BinaryOp::Add, &int("1"), UntypedRune),
            Value::int(98)
        );
        assert_eq!(
            show(&bin(&int("1"), BinaryOp::Add, &float("2.5"), UntypedFloat)),
            "3.5"
        );
        let z = bin(&int("1"), BinaryOp::Add, &imag("2i"), UntypedComplex);
        let w = bin(&int("3"), BinaryOp::Add, &imag("4i"), UntypedComplex);
        assert_eq!(
            show(&bin(&z, BinaryOp::Mul, &w, UntypedComplex)),
            "(-5 + 10i)"
        );
        assert_eq!(
            show(&bin(&z, BinaryOp::Div, &w, UntypedComplex)),
            "(0.44 + 0.08i)"
        );
        let s = bin(
            &Value::string(b"a"),
            BinaryOp::Add,
            &Value::string(b"b"),
            UntypedString,
        );
        assert!(compare(&s, BinaryOp::Lt, &Value::string(b"ab\0")).unwrap());
    }

    #[test]
    fn shifts_and_their_errors() {
        let one = int("1");
        assert_eq!(
            shift(
                &float("2.0"),
                BinaryOp::Shl,
                &int("3"),
                UntypedInt,
                UntypedFloat
            ),
            Ok(Value::int(16))
        );
        assert_eq!(
            shift(&Value::int(-5), BinaryOp::Shr, &one, UntypedInt, UntypedInt),
            Ok(Value::int(-3))
        );
        let err = shift(&one, BinaryOp::Shl, &int("600"), UntypedInt, UntypedInt).unwrap_err();
        assert_eq!(err.message(""), "constant shift overflow");
        let err = shift(&one, BinaryOp::Shl, &int("1075"), UntypedInt, UntypedInt).unwrap_err();
        assert_eq!(
            err.message("1075 (untyped int constant)"),
            "invalid operation: invalid shift count 1075 (untyped int constant)"
        );
        let err = shift(&one, BinaryOp::Shl, &Value::int(-1), UntypedInt, UntypedInt).unwrap_err();
        assert_eq!(
            err.message("-1 (untyped int constant)"),
            "invalid operation: negative shift count -1 (untyped int constant)"
        );
        let err = shift(&one, BinaryOp::Shl, &float("1.5"), UntypedFloat, UntypedInt).unwrap_err();
        assert_eq!(
            err.message("1.5 (untyped float constant)"),
            "1.5 (untyped float constant) truncated to uint"
        );
        let count = shift(&one, BinaryOp::Shl, &int("70"), UntypedInt, UntypedInt).unwrap();
        let err = shift(&one, BinaryOp::Shl, &count, UntypedInt, UntypedInt).unwrap_err();
        assert_eq!(err, ConstError::ShiftCount(Repr::Overflow));
        assert_eq!(
            shift(&float("1.5"), BinaryOp::Shl, &one, UntypedInt, UntypedFloat),
            Err(ConstError::ShiftedOperandNotInteger)
        );
        // Typed: int8(64) << 1 overflows int8.
        let err = shift(&Value::int(64), BinaryOp::Shl, &one, UntypedInt, Int8).unwrap_err();
        assert_eq!(
            err.message("x << 1 (constant 128 of type int8)"),
            "x << 1 (constant 128 of type int8) overflows int8"
        );
    }

    #[test]
    fn complement() {
        let five = int("5");
        assert_eq!(
            unary(UnaryOp::Complement, &five, UntypedInt),
            Ok(Value::int(-6))
        );
        assert_eq!(unary(UnaryOp::Complement, &five, Int8), Ok(Value::int(-6)));
        assert_eq!(
            unary(UnaryOp::Complement, &int("0"), Uint8),
            Ok(Value::int(255))
        );
        assert_eq!(
            unary(UnaryOp::Complement, &int("1"), Uint64)
                .unwrap()
                .to_u64(),
            Some(18446744073709551614)
        );
        assert_eq!(
            unary(UnaryOp::Not, &Value::Bool(true), UntypedBool),
            Ok(Value::Bool(false))
        );
    }

    #[test]
    fn typed_results_must_fit() {
        // const h uint8 = 255; h + 1: "h + 1 (constant 256 of type uint8) overflows uint8".
        let err = binary(&int("255"), BinaryOp::Add, &int("1"), Uint8).unwrap_err();
        let ConstError::Typed { ref value, .. } = err else {
            panic!("{err:?}");
        };
        let operand = describe_operand("h + 1", value, Uint8, "uint8");
        assert_eq!(operand, "h + 1 (constant 256 of type uint8)");
        assert_eq!(
            err.message(&operand),
            "h + 1 (constant 256 of type uint8) overflows uint8"
        );
        // float32 arithmetic rounds: float32(1)/3 prints 0.33333334.
        let q = bin(&int("1"), BinaryOp::Div, &int("3"), Float32);
        assert_eq!(q.to_f64().map(|f| f as f32), Some(1.0f32 / 3.0));
        let big = shift(
            &int("1"),
            BinaryOp::Shl,
            &int("511"),
            UntypedInt,
            UntypedInt,
        )
        .unwrap();
        let err = binary(&big, BinaryOp::Add, &big, UntypedInt).unwrap_err();
        assert_eq!(err.message(""), "constant addition overflow");
    }

    #[test]
    fn representability_of_sized_integers() {
        let cases: [(BasicKind, &str, &str); 6] = [
            (Int8, "-128", "127"),
            (Int16, "-32768", "32767"),
            (Int32, "-2147483648", "2147483647"),
            (Int64, "-9223372036854775808", "9223372036854775807"),
            (Uint8, "0", "255"),
            (Uint32, "0", "4294967295"),
        ];
        for (kind, lo, hi) in cases {
            let lo_v = if let Some(d) = lo.strip_prefix('-') {
                unary(UnaryOp::Neg, &int(d), UntypedInt).unwrap()
            } else {
                int(lo)
            };
            let hi_v = int(hi);
            assert!(representable(&lo_v, kind).is_ok(), "{lo} {kind:?}");
            assert!(representable(&hi_v, kind).is_ok(), "{hi} {kind:?}");
            let below = bin(&lo_v, BinaryOp::Sub, &int("1"), UntypedInt);
            let above = bin(&hi_v, BinaryOp::Add, &int("1"), UntypedInt);
            assert_eq!(representable(&below, kind), Err(Repr::Overflow), "{kind:?}");
            assert_eq!(representable(&above, kind), Err(Repr::Overflow), "{kind:?}");
        }
        let max_u64 = int("18446744073709551615");
        assert_eq!(
            representable(&max_u64, Uint64).unwrap().to_u64(),
            Some(u64::MAX)
        );
        assert_eq!(
            representable(&int("18446744073709551616"), Uint64),
            Err(Repr::Overflow)
        );
        assert_eq!(representable(&Value::int(-1), Uint), Err(Repr::Overflow));
        assert_eq!(representable(&int("300"), UntypedInt), Ok(int("300")));
    }

    #[test]
    fn representability_messages() {
        let v = int("300");
        let operand = describe_operand("300", &v, UntypedInt, "");
        assert_eq!(operand, "300 (untyped int constant)");
        let why = representable(&v, Int8).unwrap_err();
        assert_eq!(
            assign_message(&operand, "int8", "variable declaration", why),
            "cannot use 300 (untyped int constant) as int8 value in variable declaration (overflows)"
        );
        let why = representable(&float("1.5"), Int).unwrap_err();
        assert_eq!(why, Repr::Truncated);
        // Go calls an integral but too large float "truncated" too.
        assert_eq!(representable(&float("1e100"), Int), Err(Repr::Truncated));
        assert_eq!(representable(&float("2.0"), Int), Ok(Value::int(2)));
        assert_eq!(representable(&Value::string(b"x"), Int), Err(Repr::Invalid));
        let big = float("1e39");
        assert_eq!(
            describe_operand("1e39", &big, UntypedFloat, ""),
            "1e39 (untyped float constant 1e+39)"
        );
        let shifted = shift(&int("1"), BinaryOp::Shl, &int("64"), UntypedInt, UntypedInt).unwrap();
        assert_eq!(
            describe_operand("1 << 64", &shifted, UntypedInt, ""),
            "1 << 64 (untyped int constant 18446744073709551616)"
        );
    }

    #[test]
    fn representability_of_floats() {
        let max32 = float("0x1p127");
        let max32 = bin(&max32, BinaryOp::Mul, &float("0x1.fffffep0"), UntypedFloat);
        assert_eq!(
            representable(&max32, Float32).unwrap().to_f64(),
            Some(f64::from(f32::MAX))
        );
        let half_ulp = float("0x1p103");
        let midpoint = bin(&max32, BinaryOp::Add, &half_ulp, UntypedFloat);
        assert_eq!(representable(&midpoint, Float32), Err(Repr::Overflow));
        let below = bin(&midpoint, BinaryOp::Sub, &float("0x1p-900"), UntypedFloat);
        assert!(representable(&below, Float32).is_ok());
        assert_eq!(representable(&float("1e39"), Float32), Err(Repr::Overflow));
        assert!(representable(&float("1e39"), Float64).is_ok());
        assert_eq!(
            representable(&float("1e1000"), Float64),
            Err(Repr::Overflow)
        );
        assert_eq!(
            representable(&float("1e-50"), Float32).map(|v| v.is_zero()),
            Ok(true)
        );
        let tenth = representable(&float("0.1"), Float32).unwrap();
        assert_eq!(tenth.to_f64(), Some(0.10000000149011612));
        assert_eq!(
            representable(&int("16777217"), Float32).unwrap().to_f64(),
            Some(16777216.0)
        );
        let c = bin(&int("1"), BinaryOp::Add, &imag("2i"), UntypedComplex);
        assert_eq!(
            representable(&c, Complex64).unwrap().to_complex_f64(),
            Some((1.0, 2.0))
        );
        assert_eq!(representable(&c, Float64), Err(Repr::Overflow));
        assert_eq!(representable(&c, Int), Err(Repr::Truncated));
    }

    #[test]
    fn conversions() {
        let s = |v: Value| convert(&v, UntypedInt, String).unwrap();
        assert_eq!(s(Value::int(65)), Value::string(b"A"));
        assert_eq!(s(Value::int(-1)), Value::string("\u{FFFD}".as_bytes()));
        assert_eq!(
            s(Value::int(0x110000)),
            Value::string("\u{FFFD}".as_bytes())
        );
        assert_eq!(s(Value::int(0xD800)), Value::string("\u{FFFD}".as_bytes()));
        let v = int("256");
        let err = convert(&v, UntypedInt, Uint8).unwrap_err();
        assert_eq!(err.message(&v, "", "uint8"), "constant 256 overflows uint8");
        let v = float("1.5");
        let err = convert(&v, UntypedFloat, Int).unwrap_err();
        assert_eq!(
            err.message(&v, "1.5 (untyped float constant)", "int"),
            "cannot convert 1.5 (untyped float constant) to type int"
        );
        assert_eq!(
            convert(&float("1e1000"), UntypedFloat, Float64),
            Err(ConvertError::Cannot)
        );
        assert_eq!(
            convert(&float("2.0"), UntypedFloat, Int64),
            Ok(Value::int(2))
        );
        assert_eq!(
            convert(&Value::int(-1), Int64, Uint32),
            Err(ConvertError::Overflows)
        );
        assert_eq!(
            convert(&int("9007199254740993"), UntypedInt, Float64)
                .unwrap()
                .to_f64(),
            Some(9007199254740992.0)
        );
    }

    #[test]
    fn formatting() {
        let cases = [
            ("0.1", "0.1"),
            ("1e-7", "1e-07"),
            ("1e100", "1e+100"),
            ("123456789.0", "1.23457e+08"),
            ("1e21", "1e+21"),
            ("2.5e-300", "2.5e-300"),
            ("1e-1000", "1e-1000"),
            ("1e6", "1e+06"),
            ("100000.0", "100000"),
            ("0.000123", "0.000123"),
            ("7e-5", "7e-05"),
            ("0x1p-1074", "4.94066e-324"),
            ("0x1p-1080", "0.771978e-325"),
            ("3.0", "3"),
            ("12345.5", "12345.5"),
            ("1234565.0", "1.23456e+06"),
        ];
        for (raw, want) in cases {
            assert_eq!(show(&float(raw)), want, "{raw}");
        }
        let neg_zero = unary(UnaryOp::Neg, &float("0.0"), UntypedFloat).unwrap();
        assert_eq!(show(&neg_zero), "0");
        let v = bin(&float("1e6"), BinaryOp::Add, &float("0.5"), UntypedFloat);
        assert_eq!(show(&v), "1.0000005e+06");
        assert_eq!(show(&Value::int(-300)), "-300");
        assert_eq!(show(&Value::Bool(true)), "true");
        assert_eq!(show(&Value::string(b"hello\xff\n\"")), r#""hello\xff\n\"""#);
        assert_eq!(show(&Value::string("é\u{200b}".as_bytes())), "\"é\\u200b\"");
        let long = "0123456789".repeat(7) + "xyz";
        assert_eq!(
            show(&Value::string(long.as_bytes())),
            "\"01234567890123456789012345678901234567890123456789012345678901234567..."
        );
        let sq = bin(&imag("2i"), BinaryOp::Mul, &imag("2i"), UntypedComplex);
        assert_eq!(show(&sq), "(-4 + 0i)");
    }

    #[test]
    fn float_overflow() {
        // const k = 1e600000000 * 1e600000000: "constant result is not representable".
        let x = float("1e600000000");
        let err = binary(&x, BinaryOp::Mul, &x, UntypedFloat).unwrap_err();
        assert_eq!(err.message(""), "constant result is not representable");
        // const f float64 = 1e308; f * 10: "f * 10 (constant 1e+309 of type float64) ...".
        let err = binary(&float("1e308"), BinaryOp::Mul, &int("10"), Float64).unwrap_err();
        let ConstError::Typed { ref value, .. } = err else {
            panic!("{err:?}");
        };
        let operand = describe_operand("f * 10", value, Float64, "float64");
        assert_eq!(
            err.message(&operand),
            "f * 10 (constant 1e+309 of type float64) overflows float64"
        );
        // const h = 1 << 511 * 4: "constant multiplication overflow".
        let big = shift(
            &int("1"),
            BinaryOp::Shl,
            &int("511"),
            UntypedInt,
            UntypedInt,
        )
        .unwrap();
        let err = binary(&big, BinaryOp::Mul, &int("4"), UntypedInt).unwrap_err();
        assert_eq!(err, ConstError::Overflow("multiplication"));
    }

    #[test]
    fn exact_extraction() {
        assert_eq!(int("9223372036854775807").to_i64(), Some(i64::MAX));
        assert_eq!(int("9223372036854775808").to_i64(), None);
        assert_eq!(Value::int(-1).to_u64(), None);
        assert_eq!(float("2.0").to_i64(), Some(2));
        assert_eq!(float("2.5").to_i64(), None);
        assert_eq!(float("1e1000").to_f64(), None);
        assert_eq!(float("0.1").to_f64(), Some(0.1));
        assert_eq!(Value::from_f64(f64::NAN), None);
    }
}
