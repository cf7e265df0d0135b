//! Natives: the body-less functions of gom's standard library, bound by qualified name
//! (`fmt.Println`, `os.(*File).Write`, `math.Sqrt`).
//!
//! A native receives its arguments as words (typed by its Go signature) and returns its
//! results as [`Words`] (up to three in place: a call allocates nothing), or unwinds (a Go
//! panic, `os.Exit`). fmt's natives turn their `any` operands into
//! [`crate::fmt::FmtValue`] trees; `String()`/`Error()` methods are run when the engine asks
//! for them, as frames of the calling goroutine while the engine waits on its own stack
//! (`task.rs`, `coro.rs`).

use super::coro::Job;
use super::heap::Obj;
use super::task::Then;
use super::{Goroutine, Unwind, Vm};
use crate::check::types::{Type, TypeId};
use crate::fmt::{self as gofmt, FmtValue, MethodCall, Methods};
use std::io::Write;
use std::sync::Arc;

pub(crate) type Native = fn(&mut Vm, &mut Goroutine, &[u64]) -> Result<Words, Unwind>;

/// The results of a native: up to three words in place, so the common call allocates nothing
/// for them; more (or a list built at run time) in a Vec. Reads as a slice of words.
pub(crate) enum Words {
    /// A word-sized count keeps every field word-aligned, so moving the value copies whole
    /// words (a byte count made the copies straddle the native's stores and stall).
    Inline(usize, [u64; 3]),
    Heap(Vec<u64>),
}

impl Words {
    pub(crate) fn into_vec(self) -> Vec<u64> {
        match self {
            Words::Heap(v) => v,
            w => w.to_vec(),
        }
    }
}

impl std::ops::Deref for Words {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        match self {
            Words::Inline(n, w) => &w[..(*n).min(w.len())],
            Words::Heap(v) => v,
        }
    }
}

impl From<Vec<u64>> for Words {
    fn from(v: Vec<u64>) -> Words {
        Words::Heap(v)
    }
}

/// `words![a, b]`: a native's results, as `vec!` builds a Vec.
macro_rules! words {
    () => {
        $crate::vm::natives::Words::Inline(0, [0; 3])
    };
    ($a:expr) => {
        $crate::vm::natives::Words::Inline(1, [$a, 0, 0])
    };
    ($a:expr, $b:expr) => {
        $crate::vm::natives::Words::Inline(2, [$a, $b, 0])
    };
    ($a:expr, $b:expr, $c:expr) => {
        $crate::vm::natives::Words::Inline(3, [$a, $b, $c])
    };
    ($($x:expr),+ $(,)?) => {
        $crate::vm::natives::Words::Heap(vec![$($x),+])
    };
}
pub(crate) use words;

/// The Rust implementation of a body-less stdlib function, from whichever module has it.
pub(crate) fn bind(name: &str) -> Option<Native> {
    super::rtnatives::lookup(name)
        .or_else(|| super::syncnatives::lookup(name))
        .or_else(|| super::signal::lookup(name))
        .or_else(|| lookup(name))
}

/// The native implementing a body-less function, by its qualified name.
pub(crate) fn lookup(name: &str) -> Option<Native> {
    Some(match name {
        "runtime.Error.Error" => |_, _, a| Ok(words![a[0]]),
        // The randomly seeded generator behind math/rand's top-level functions.
        "math/rand.runtime_rand" | "math/rand/v2.runtime_rand" => {
            |vm, _, _| Ok(words![vm.random()])
        }
        "runtime.(*PanicNilError).Error" => |vm, _, _| {
            Ok(words![vm
                .heap
                .string(b"runtime error: panic called with nil argument")])
        },
        "runtime.(*PanicNilError).RuntimeError" => |_, _, _| Ok(words![]),
        "fmt.Println" => |vm, g, a| {
            vm.fmt_print(g, a, Mode::Println, Sink::Stdout)
                .map(Words::from)
        },
        "fmt.Print" => |vm, g, a| {
            vm.fmt_print(g, a, Mode::Print, Sink::Stdout)
                .map(Words::from)
        },
        "fmt.Printf" => |vm, g, a| {
            vm.fmt_print(g, a, Mode::Printf, Sink::Stdout)
                .map(Words::from)
        },
        "fmt.Sprintln" => |vm, g, a| {
            vm.fmt_print(g, a, Mode::Println, Sink::String)
                .map(Words::from)
        },
        "fmt.Sprint" => |vm, g, a| {
            vm.fmt_print(g, a, Mode::Print, Sink::String)
                .map(Words::from)
        },
        "fmt.Sprintf" => |vm, g, a| {
            vm.fmt_print(g, a, Mode::Printf, Sink::String)
                .map(Words::from)
        },
        "fmt.Fprintln" => |vm, g, a| vm.fmt_fprint(g, a, Mode::Println).map(Words::from),
        "fmt.Fprint" => |vm, g, a| vm.fmt_fprint(g, a, Mode::Print).map(Words::from),
        "fmt.Fprintf" => |vm, g, a| vm.fmt_fprint(g, a, Mode::Printf).map(Words::from),
        "fmt.sprintfw" => |vm, g, a| vm.fmt_sprintfw(g, a).map(Words::from),
        "os.Exit" => |_, _, a| Err(Unwind::Exit(a.first().copied().unwrap_or(0) as i64 as i32)),
        "os.runtime_args" => |vm, _, _| {
            let words: Vec<u64> = std::env::args()
                .skip(2)
                .map(|s| vm.heap.string(s.as_bytes()))
                .collect();
            Ok(words![vm.slice_from(words)])
        },
        "os.newStdFile" => |vm, _, a| {
            let file = vm.heap.cells(vec![a[0], a[1]]);
            Ok(words![file])
        },
        "os.Getenv" => |vm, _, a| {
            let key = String::from_utf8_lossy(vm.heap.str_bytes(a[0])).into_owned();
            let value = std::env::var(key).unwrap_or_default();
            Ok(words![vm.heap.string(value.as_bytes())])
        },
        "math.Sqrt" => |_, _, a| Ok(words![f(a, 0).sqrt().to_bits()]),
        "math.Floor" => |_, _, a| Ok(words![f(a, 0).floor().to_bits()]),
        "math.Ceil" => |_, _, a| Ok(words![f(a, 0).ceil().to_bits()]),
        "math.Trunc" => |_, _, a| Ok(words![f(a, 0).trunc().to_bits()]),
        "math.Abs" => |_, _, a| Ok(words![f(a, 0).abs().to_bits()]),
        "math.Pow" => |_, _, a| Ok(words![f(a, 0).powf(f(a, 1)).to_bits()]),
        "math.Exp" => |_, _, a| Ok(words![f(a, 0).exp().to_bits()]),
        "math.Log" => |_, _, a| Ok(words![f(a, 0).ln().to_bits()]),
        "math.Log2" => |_, _, a| Ok(words![f(a, 0).log2().to_bits()]),
        "math.Log10" => |_, _, a| Ok(words![f(a, 0).log10().to_bits()]),
        "math.Sin" => |_, _, a| Ok(words![f(a, 0).sin().to_bits()]),
        "math.Cos" => |_, _, a| Ok(words![f(a, 0).cos().to_bits()]),
        "math.Mod" => |_, _, a| Ok(words![(f(a, 0) % f(a, 1)).to_bits()]),
        "math.Round" => |_, _, a| Ok(words![f(a, 0).round().to_bits()]),
        "math.Max" => |_, _, a| Ok(words![go_max(f(a, 0), f(a, 1)).to_bits()]),
        "math.Min" => |_, _, a| Ok(words![go_min(f(a, 0), f(a, 1)).to_bits()]),
        "math.Hypot" => |_, _, a| Ok(words![f(a, 0).hypot(f(a, 1)).to_bits()]),
        "math.Inf" => |_, _, a| {
            Ok(words![if (a[0] as i64) >= 0 {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }
            .to_bits()])
        },
        "math.NaN" => |_, _, _| Ok(words![f64::NAN.to_bits()]),
        "math.Float64bits" | "math.Float64frombits" => |_, _, a| Ok(words![a[0]]),
        "runtime.NumGoroutine" => |_, _, _| Ok(words![1]),
        "runtime.NumCPU" => |_, _, _| {
            Ok(words![
                std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
            ])
        },
        "runtime.GOMAXPROCS" => |_, _, _| {
            Ok(words![
                std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
            ])
        },
        "runtime.Gosched" | "runtime.GC" => |_, _, _| Ok(words![]),
        // gom keeps no per-thread state a goroutine could depend on (no cgo, no thread-local
        // OS calls), so wiring a goroutine to its thread changes nothing observable.
        "runtime.LockOSThread" | "runtime.UnlockOSThread" => |_, _, _| Ok(words![]),
        "sort.swapElems" => |vm, _, a| {
            let slice = vm.iface_value(a[0]);
            let (i, j) = (a[1] as i64, a[2] as i64);
            let x = vm.index(slice, i, crate::bytecode::SeqKind::Slice)?;
            let y = vm.index(slice, j, crate::bytecode::SeqKind::Slice)?;
            vm.set_index(slice, i, y, crate::bytecode::SeqKind::Slice)?;
            vm.set_index(slice, j, x, crate::bytecode::SeqKind::Slice)?;
            Ok(words![])
        },
        "sort.sliceLen" => |vm, _, a| {
            let slice = vm.iface_value(a[0]);
            Ok(words![vm.len(slice, crate::bytecode::SeqKind::Slice) as u64])
        },
        "errors.comparable" => |vm, _, a| Ok(words![u64::from(vm.iface_comparable(a[0]))]),
        "errors.checkAsTarget" => |_, _, _| Ok(words![]),
        "strconv.parseFloat" => |vm, _, a| {
            let text = String::from_utf8_lossy(vm.heap.str_bytes(a[0])).into_owned();
            let (f, status) = parse_go_float(&text, a[1] as i64);
            Ok(words![f.to_bits(), status])
        },
        "math.Nextafter" => |_, _, a| Ok(words![next_after(f(a, 0), f(a, 1)).to_bits()]),
        "math.FMA" => |_, _, a| Ok(words![f(a, 0).mul_add(f(a, 1), f(a, 2)).to_bits()]),
        "math.Copysign" => |_, _, a| Ok(words![f(a, 0).copysign(f(a, 1)).to_bits()]),
        "math.RoundToEven" => |_, _, a| Ok(words![f(a, 0).round_ties_even().to_bits()]),
        "math.Signbit" => |_, _, a| Ok(words![u64::from(f(a, 0).is_sign_negative())]),
        "math.Cbrt" => |_, _, a| Ok(words![f(a, 0).cbrt().to_bits()]),
        "math.Tan" => |_, _, a| Ok(words![f(a, 0).tan().to_bits()]),
        "math.Atan" => |_, _, a| Ok(words![f(a, 0).atan().to_bits()]),
        "math.Atan2" => |_, _, a| Ok(words![f(a, 0).atan2(f(a, 1)).to_bits()]),
        "math.Asin" => |_, _, a| Ok(words![f(a, 0).asin().to_bits()]),
        "math.Acos" => |_, _, a| Ok(words![f(a, 0).acos().to_bits()]),
        "math.Exp2" => |_, _, a| Ok(words![f(a, 0).exp2().to_bits()]),
        "math.Log1p" => |_, _, a| Ok(words![f(a, 0).ln_1p().to_bits()]),
        "math.Expm1" => |_, _, a| Ok(words![f(a, 0).exp_m1().to_bits()]),
        "math.Sinh" => |_, _, a| Ok(words![f(a, 0).sinh().to_bits()]),
        "math.Cosh" => |_, _, a| Ok(words![f(a, 0).cosh().to_bits()]),
        "math.Tanh" => |_, _, a| Ok(words![f(a, 0).tanh().to_bits()]),
        "math.Dim" => |_, _, a| Ok(words![(f(a, 0) - f(a, 1)).max(0.0).to_bits()]),
        "math.Remainder" => |_, _, a| {
            let (x, y) = (f(a, 0), f(a, 1));
            Ok(words![(x - (x / y).round_ties_even() * y).to_bits()])
        },
        "math.Float32bits" => |_, _, a| Ok(words![u64::from((f(a, 0) as f32).to_bits())]),
        "math.Float32frombits" => {
            |_, _, a| Ok(words![f64::from(f32::from_bits(a[0] as u32)).to_bits()])
        }
        "unicode.IsLetter" => |_, _, a| Ok(words![u64::from(is_letter(rune(a)))]),
        "unicode.IsDigit" => |_, _, a| Ok(words![u64::from(is_decimal_digit(rune(a)))]),
        "unicode.IsNumber" => |_, _, a| Ok(words![u64::from(rune(a).is_numeric())]),
        "unicode.IsUpper" => |_, _, a| {
            Ok(words![u64::from(
                rune(a).is_uppercase() && is_letter(rune(a)),
            )])
        },
        "unicode.IsLower" => |_, _, a| {
            Ok(words![u64::from(
                rune(a).is_lowercase() && is_letter(rune(a)),
            )])
        },
        // Title case exists only outside ASCII (e.g. U+01C5); gom has no title-case table.
        "unicode.IsTitle" => |_, _, a| {
            Ok(words![u64::from(matches!(
                a[0],
                0x1C5 | 0x1C8 | 0x1CB | 0x1F2
            ))])
        },
        "unicode.IsPunct" => |_, _, a| Ok(words![u64::from(is_punct(rune(a)))]),
        "unicode.IsSymbol" => |_, _, a| Ok(words![u64::from(is_symbol(rune(a)))]),
        "unicode.IsControl" => |_, _, a| Ok(words![u64::from(rune(a).is_control())]),
        "unicode.IsPrint" => |_, _, a| Ok(words![u64::from(gofmt::is_print(a[0] as u32))]),
        "unicode.IsGraphic" => |_, _, a| Ok(words![u64::from(gofmt::is_graphic(a[0] as u32))]),
        "unicode.IsMark" => |_, _, a| Ok(words![u64::from(is_mark(rune(a)))]),
        "unicode.ToUpper" => |_, _, a| Ok(words![u64::from(to_case(rune(a), Case::Upper) as u32)]),
        "unicode.ToTitle" => |_, _, a| Ok(words![u64::from(to_case(rune(a), Case::Title) as u32)]),
        "unicode.ToLower" => |_, _, a| Ok(words![u64::from(to_case(rune(a), Case::Lower) as u32)]),
        "unicode.SimpleFold" => |_, _, a| Ok(words![u64::from(simple_fold(a[0] as u32))]),
        "errors.assignTo" => |vm, _, a| Ok(words![u64::from(vm.assign_to_target(a[0], a[1])?)]),
        "strconv.unquote" => |vm, _, a| {
            let text = String::from_utf8_lossy(vm.heap.str_bytes(a[0])).into_owned();
            // Go accepts the empty rune literal `''` as the empty string.
            if text == "''" {
                return Ok(words![0, 1]);
            }
            match unquote_literal(&text) {
                Some(bytes) => Ok(words![vm.heap.string(&bytes), 1]),
                None => Ok(words![0, 0]),
            }
        },
        "strconv.QuoteToASCII" => |vm, _, a| {
            let s = gofmt::quote_with(vm.heap.str_bytes(a[0]), gofmt::QuoteMode::Ascii);
            Ok(words![vm.heap.string(s.as_bytes())])
        },
        "strconv.QuoteRune" => |vm, _, a| {
            let s = gofmt::quote_rune(a[0] as i32, gofmt::QuoteMode::Printable);
            Ok(words![vm.heap.string(s.as_bytes())])
        },
        "strconv.QuoteRuneToASCII" => |vm, _, a| {
            let s = gofmt::quote_rune(a[0] as i32, gofmt::QuoteMode::Ascii);
            Ok(words![vm.heap.string(s.as_bytes())])
        },
        "strconv.CanBackquote" => |vm, _, a| {
            Ok(words![u64::from(gofmt::can_backquote(
                vm.heap.str_bytes(a[0]),
            ))])
        },
        "strconv.IsGraphic" => |_, _, a| Ok(words![u64::from(gofmt::is_graphic(a[0] as u32))]),
        "strconv.IsPrint" => |_, _, a| Ok(words![u64::from(gofmt::is_print(a[0] as u32))]),
        "math.Frexp" => |_, _, a| {
            let (frac, exp) = frexp(f(a, 0));
            Ok(words![frac.to_bits(), exp as u64])
        },
        "math.Ldexp" => |_, _, a| Ok(words![ldexp(f(a, 0), a[1] as i64).to_bits()]),
        "math.Modf" => |_, _, a| {
            let x = f(a, 0);
            let int = x.trunc();
            Ok(words![int.to_bits(), (x - int).to_bits()])
        },
        "strconv.FormatFloat" => |vm, _, a| {
            let s = gofmt::format_float(f(a, 0), a[1] as u8, a[2] as i64 as i32, a[3] as u32);
            Ok(words![vm.heap.string(s.as_bytes())])
        },
        "strconv.Quote" => |vm, _, a| {
            let s = gofmt::quote(vm.heap.str_bytes(a[0]));
            Ok(words![vm.heap.string(s.as_bytes())])
        },
        "syscall.Errno.Error" => |vm, _, a| {
            Ok(words![vm
                .heap
                .string(super::osfiles::errno_text(a[0]).as_bytes())])
        },
        _ => return super::osfiles::lookup(name),
    })
}

/// The next float64 after `x` towards `y` (Go's `math.Nextafter`).
fn next_after(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == y {
        return x;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    // Moving away from zero increments the magnitude's bits; towards zero decrements them.
    if (y > x) == (x > 0.0) {
        f64::from_bits(bits + 1)
    } else {
        f64::from_bits(bits - 1)
    }
}

/// The concrete type Go uses for a runtime error (`%T` of a recovered value).
fn runtime_error_type_name(text: &[u8]) -> &'static str {
    let bounds = text.starts_with(b"runtime error: index out of range")
        || text.starts_with(b"runtime error: slice bounds");
    if bounds {
        "runtime.boundsError"
    } else if text.starts_with(b"interface conversion") {
        "*runtime.TypeAssertionError"
    } else {
        "runtime.errorString"
    }
}

/// Decodes one Go string, raw string or rune literal with gom's own lexer.
fn unquote_literal(text: &str) -> Option<Vec<u8>> {
    use crate::syntax::token::Token;
    let (tokens, errors) = crate::syntax::lexer::tokenize(text);
    let literal = match tokens.as_slice() {
        [(0, token, end), rest @ ..]
            if errors.is_empty()
                && *end as usize == text.len()
                && rest.iter().all(|(_, t, _)| matches!(t, Token::Semi(_))) =>
        {
            token.clone()
        }
        _ => return None,
    };
    match literal {
        Token::Str(raw) => Some(crate::syntax::literal::string_value(raw)),
        Token::Rune(raw) => {
            let r = crate::syntax::literal::rune_value(raw);
            char::from_u32(r).map(|c| c.to_string().into_bytes())
        }
        _ => None,
    }
}

/// Go's `math.Frexp`: `f == frac × 2^exp` with `frac` in [½, 1).
fn frexp(f: f64) -> (f64, i64) {
    if f == 0.0 || f.is_nan() || f.is_infinite() {
        return (f, 0);
    }
    let exp = f.abs().log2().floor() as i64 + 1;
    let frac = f / 2f64.powi(exp as i32);
    // Correct rounding at the edges of the log2 estimate.
    if frac.abs() >= 1.0 {
        (frac / 2.0, exp + 1)
    } else if frac.abs() < 0.5 {
        (frac * 2.0, exp - 1)
    } else {
        (frac, exp)
    }
}

/// Go's `math.Ldexp`: `frac × 2^exp`.
fn ldexp(frac: f64, exp: i64) -> f64 {
    let e = exp.clamp(-2100, 2100) as i32;
    frac * 2f64.powi(e / 2) * 2f64.powi(e - e / 2)
}

/// The first argument as a rune (invalid code points become U+FFFD).
fn rune(a: &[u64]) -> char {
    char::from_u32(a.first().copied().unwrap_or(0) as u32).unwrap_or('\u{FFFD}')
}

/// Go's simple case mapping: one rune to one rune (multi-rune mappings leave it unchanged).
fn single_case(c: char, upper: bool) -> char {
    let mut mapped: Vec<char> = if upper {
        c.to_uppercase().collect()
    } else {
        c.to_lowercase().collect()
    };
    if mapped.len() == 1 {
        mapped.pop().unwrap_or(c)
    } else {
        c
    }
}

/// Runes whose simple case folding is not their simple lowercase (or that no lowercase
/// mapping reaches from their orbit): `(rune, fold)`.
const SPECIAL_FOLDS: &[(char, char)] = &[
    ('\u{17F}', 's'),
    ('\u{212A}', 'k'),
    ('\u{212B}', '\u{E5}'),
    ('\u{2126}', '\u{3C9}'),
    ('\u{B5}', '\u{3BC}'),
    ('\u{3C2}', '\u{3C3}'),
    ('\u{3D0}', '\u{3B2}'),
    ('\u{3D1}', '\u{3B8}'),
    ('\u{3D5}', '\u{3C6}'),
    ('\u{3D6}', '\u{3C0}'),
    ('\u{3F0}', '\u{3BA}'),
    ('\u{3F1}', '\u{3C1}'),
    ('\u{3F5}', '\u{3B5}'),
    ('\u{345}', '\u{3B9}'),
    ('\u{1FBE}', '\u{3B9}'),
    ('\u{1E9B}', '\u{1E61}'),
    ('\u{1E9E}', '\u{DF}'),
    ('\u{1C5}', '\u{1C6}'),
    ('\u{1C8}', '\u{1C9}'),
    ('\u{1CB}', '\u{1CC}'),
    ('\u{1F2}', '\u{1F3}'),
    ('\u{131}', '\u{131}'),
    ('\u{130}', '\u{130}'),
];

/// A rune's simple case folding (approximated by its single-rune lowercase).
fn case_fold(c: char) -> char {
    match SPECIAL_FOLDS.iter().find(|(r, _)| *r == c) {
        Some((_, fold)) => *fold,
        None => single_case(c, false),
    }
}

/// `unicode.SimpleFold`: the next rune after `r` in its case-folding orbit, wrapping around
/// to the smallest.
fn simple_fold(r: u32) -> u32 {
    let Some(c) = char::from_u32(r) else {
        return r;
    };
    let fold = case_fold(c);
    let mut orbit: Vec<char> = vec![c, fold, single_case(fold, true), single_case(c, true)];
    orbit.extend(
        SPECIAL_FOLDS
            .iter()
            .filter(|(_, f)| *f == fold)
            .map(|(r, _)| *r),
    );
    orbit.retain(|x| case_fold(*x) == fold);
    orbit.sort_unstable();
    orbit.dedup();
    let next = orbit.iter().find(|x| **x > c).or(orbit.first());
    next.map_or(r, |x| *x as u32)
}

/// `unicode.IsLetter` (category L): the host's Alphabetic property minus the letter-like
/// numbers (Nl) and marks it includes.
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric() && !is_mark(c)
}

/// `unicode.IsDigit` (category Nd): decimal digits come in runs of exactly ten numeric
/// code points (0-9 of one script); other numbers (superscripts, fractions, Roman numerals)
/// do not.
fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() || !c.is_numeric() {
        return c.is_ascii_digit();
    }
    let numeric = |cp: u32| char::from_u32(cp).is_some_and(char::is_numeric);
    let cp = c as u32;
    (0..10).any(|offset| {
        let Some(zero) = cp.checked_sub(offset) else {
            return false;
        };
        (zero..zero + 10).all(numeric) && !numeric(zero.wrapping_sub(1)) && !numeric(zero + 10)
    })
}

/// `unicode.IsMark` (category M), for the common combining blocks.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x300..=0x36F | 0x483..=0x489 | 0x591..=0x5BD | 0x5BF | 0x5C1..=0x5C2 | 0x5C4..=0x5C5
        | 0x5C7 | 0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6DC | 0x6DF..=0x6E4
        | 0x6E7..=0x6E8 | 0x6EA..=0x6ED | 0x900..=0x903 | 0x93A..=0x93C | 0x93E..=0x94F
        | 0x951..=0x957 | 0x962..=0x963 | 0x981..=0x983 | 0x9BC | 0x9BE..=0x9CD
        | 0xE31 | 0xE34..=0xE3A | 0xE47..=0xE4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20F0 | 0x302A..=0x302F | 0x3099..=0x309A | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F | 0xE0100..=0xE01EF)
}

/// `unicode.IsSymbol` (category S): exact for ASCII; elsewhere, graphic runes that are no
/// letter, number, space, punctuation or mark.
fn is_symbol(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    gofmt::is_graphic(c as u32)
        && !c.is_alphanumeric()
        && !c.is_whitespace()
        && !is_punct(c)
        && !is_mark(c)
}

#[derive(Clone, Copy, PartialEq)]
enum Case {
    Upper,
    Lower,
    Title,
}

/// `unicode.ToUpper`/`ToLower`/`ToTitle`: Go's single-rune mappings.
fn to_case(c: char, case: Case) -> char {
    // The Latin digraphs have three cases: upper, title (the middle one) and lower.
    const DIGRAPHS: [[u32; 3]; 4] = [
        [0x1C4, 0x1C5, 0x1C6],
        [0x1C7, 0x1C8, 0x1C9],
        [0x1CA, 0x1CB, 0x1CC],
        [0x1F1, 0x1F2, 0x1F3],
    ];
    if let Some(triple) = DIGRAPHS.iter().find(|t| t.contains(&(c as u32))) {
        let index = match case {
            Case::Upper => 0,
            Case::Title => 1,
            Case::Lower => 2,
        };
        return char::from_u32(triple[index]).unwrap_or(c);
    }
    if c == '\u{130}' && case == Case::Lower {
        return 'i';
    }
    single_case(c, case != Case::Lower)
}

/// `unicode.IsPunct` for ASCII exactly; general punctuation approximated.
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '¡' | '§' | '«' | '¶' | '·' | '»' | '¿')
}

/// `strconv.ParseFloat`'s parsing: Go's syntax (underscores only with a base prefix, hex
/// floats, `inf`/`nan`); status 0 ok, 1 syntax error, 2 out of range.
fn parse_go_float(text: &str, bits: i64) -> (f64, u64) {
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    let negative = lower.starts_with('-');
    let special = match unsigned {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        if lower.len() - unsigned.len() <= 1 {
            return (if negative { -v } else { v }, 0);
        }
    }
    if lower.len() - unsigned.len() > 1 || !underscores_ok(unsigned) {
        return (0.0, 1);
    }
    let digits: String = unsigned.chars().filter(|&c| c != '_').collect();
    let magnitude = match digits.strip_prefix("0x") {
        Some(hex) => parse_hex_float(hex),
        None => parse_decimal_float(&digits),
    };
    let Some(v) = magnitude else {
        return (0.0, 1);
    };
    let v = if negative { -v } else { v };
    let v = if bits == 32 { f64::from(v as f32) } else { v };
    if v.is_infinite() {
        return (v, 2);
    }
    (v, 0)
}

/// Go's rule for `_` in numbers: only between digits, or right after a base prefix.
fn underscores_ok(s: &str) -> bool {
    let (prefix, body) = match s.strip_prefix("0x") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let bytes = body.as_bytes();
    bytes.iter().enumerate().all(|(i, &c)| {
        if c != b'_' {
            return true;
        }
        let before_ok = if i == 0 {
            prefix
        } else {
            bytes[i - 1].is_ascii_hexdigit() && (prefix || bytes[i - 1].is_ascii_digit())
        };
        let after_ok = bytes
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_hexdigit() && (prefix || b.is_ascii_digit()));
        before_ok && after_ok
    })
}

/// A decimal float without sign or underscores: digits, optional fraction and exponent.
fn parse_decimal_float(s: &str) -> Option<f64> {
    let valid = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
        && !s.starts_with(['e', '+', '-']);
    if !valid {
        return None;
    }
    s.parse::<f64>().ok()
}

/// A hexadecimal float after `0x`: hex digits with an optional point, then a mandatory
/// binary exponent `p±N`.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exponent) = s.split_once('p')?;
    let exponent: i64 = exponent.parse().ok()?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    let mut scale: i64 = exponent;
    let mut sticky = false;
    for (i, c) in int_part.chars().chain(frac_part.chars()).enumerate() {
        let d = u64::from(c.to_digit(16)?);
        let fractional = i >= int_part.len();
        if value >> 58 == 0 {
            value = value * 16 + d;
            if fractional {
                scale -= 4;
            }
        } else {
            // Digits beyond 64 bits only matter for rounding.
            sticky |= d != 0;
            if !fractional {
                scale += 4;
            }
        }
    }
    let value = value | u64::from(sticky);
    Some(ldexp(value as f64, scale))
}

fn f(a: &[u64], i: usize) -> f64 {
    f64::from_bits(a.get(i).copied().unwrap_or(0))
}

fn go_max(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else {
        x.max(y)
    }
}

fn go_min(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else {
        x.min(y)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Print,
    Println,
    Printf,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sink {
    Stdout,
    String,
}

impl Vm {
    pub(crate) fn write_fd(&mut self, fd: u64, bytes: &[u8]) {
        if fd == 2 {
            self.flush();
            let _ = std::io::stderr().write_all(bytes);
        } else {
            let _ = self.out.write_all(bytes);
        }
    }

    /// The operands of a fmt native as the engine sees them, and the methods it may call.
    fn fmt_operands(&self, slice: u64) -> (Vec<FmtValue>, Vec<(u32, u64)>) {
        let words = self.slice_words(slice);
        let mut calls = Vec::new();
        let values = words
            .iter()
            .map(|w| self.fmt_iface(*w, true, &mut calls, 0))
            .collect();
        (values, calls)
    }

    /// The job of a print native: `(format,) args...` per `mode`.
    fn fmt_print_job(&self, args: &[u64], mode: Mode) -> (Job, Vec<(u32, u64)>) {
        match mode {
            Mode::Printf => {
                let format = self.heap.str_bytes(args[0]).to_vec();
                let (values, calls) = self.fmt_operands(args[1]);
                (Job::Printf(format, values), calls)
            }
            Mode::Print => {
                let (values, calls) = self.fmt_operands(args[0]);
                (Job::Print(values), calls)
            }
            Mode::Println => {
                let (values, calls) = self.fmt_operands(args[0]);
                (Job::Println(values), calls)
            }
        }
    }

    fn fmt_print(
        &mut self,
        _g: &mut Goroutine,
        args: &[u64],
        mode: Mode,
        sink: Sink,
    ) -> Result<Vec<u64>, Unwind> {
        let (job, calls) = self.fmt_print_job(args, mode);
        let then = match sink {
            Sink::Stdout => Then::Stdout,
            Sink::String => Then::String,
        };
        self.fmt_job(job, calls, then)
    }

    fn fmt_fprint(
        &mut self,
        _g: &mut Goroutine,
        args: &[u64],
        mode: Mode,
    ) -> Result<Vec<u64>, Unwind> {
        let Some(Obj::Iface { ty, value }) = self.heap.get(args[0]) else {
            return Err(self.runtime("invalid memory address or nil pointer dereference"));
        };
        let (ty, recv) = (*ty, *value);
        let Some(func) = self.find_method(TypeId(ty), "Write") else {
            return Err(Unwind::Fatal("gom: writer has no Write method".to_string()));
        };
        let (job, calls) = self.fmt_print_job(&args[1..], mode);
        self.fmt_job(job, calls, Then::Write { func, recv })
    }

    fn fmt_sprintfw(&mut self, _g: &mut Goroutine, args: &[u64]) -> Result<Vec<u64>, Unwind> {
        let format = self.heap.str_bytes(args[0]).to_vec();
        let (values, calls) = self.fmt_operands(args[1]);
        self.fmt_job(Job::Errorf(format, values), calls, Then::Errorf)
    }

    /// Runs a Go function to completion on a nested goroutine and returns its results.
    pub(crate) fn invoke(&mut self, func: u32, args: Vec<u64>) -> Result<Vec<u64>, Unwind> {
        let mut g = Goroutine::new();
        g.rt.id = u64::MAX;
        if self.program.functions[func as usize].native.is_some() {
            return self.call_native(&mut g, func, &args);
        }
        self.push_frame(&mut g, func, &args, 0, 0, false)?;
        g.frames[0].discard = false;
        self.run(&mut g)?;
        Ok(std::mem::take(&mut self.last_results))
    }

    fn type_name(&self, ty: u32) -> Arc<str> {
        if ty == self.rt_error {
            return Arc::from("runtime.Error");
        }
        Arc::from(self.type_string(TypeId(ty)).as_str())
    }

    /// An interface word as fmt sees it.
    fn fmt_iface(&self, word: u64, top: bool, calls: &mut Vec<(u32, u64)>, depth: u32) -> FmtValue {
        match self.heap.get(word) {
            Some(Obj::Iface { ty, value }) if *ty == self.rt_error => {
                let text = self.heap.str_bytes(*value).to_vec();
                let methods = Methods {
                    error: Some(MethodCall::Ready(Ok(text.clone()))),
                    string: None,
                    go_string: None,
                };
                FmtValue::Methods {
                    methods: Box::new(methods),
                    inner: Box::new(FmtValue::String {
                        ty: Arc::from(runtime_error_type_name(&text)),
                        v: text,
                    }),
                }
            }
            Some(Obj::Iface { ty, value }) => {
                self.fmt_value(*value, TypeId(*ty), top, calls, depth)
            }
            _ => FmtValue::NilInterface {
                ty: Arc::from("interface {}"),
            },
        }
    }

    /// A value of static type `ty` as fmt sees it.
    fn fmt_value(
        &self,
        v: u64,
        ty: TypeId,
        top: bool,
        calls: &mut Vec<(u32, u64)>,
        depth: u32,
    ) -> FmtValue {
        let inner = self.fmt_plain(v, ty, top, calls, depth);
        let mut methods = Methods::default();
        for (name, slot) in [
            ("Error", &mut methods.error),
            ("String", &mut methods.string),
            ("GoString", &mut methods.go_string),
        ] {
            if let Some(func) = self.find_method(ty, name) {
                if self.is_string_method(func) {
                    calls.push((func, v));
                    *slot = Some(MethodCall::Deferred(calls.len() as u64 - 1));
                }
            }
        }
        if methods.error.is_none() && methods.string.is_none() && methods.go_string.is_none() {
            return inner;
        }
        FmtValue::Methods {
            methods: Box::new(methods),
            inner: Box::new(inner),
        }
    }

    /// Whether a method has the signature `func() string`.
    fn is_string_method(&self, func: u32) -> bool {
        let f = &self.program.functions[func as usize];
        f.nparams == 1 && f.nresults == 1
    }

    fn fmt_plain(
        &self,
        v: u64,
        ty: TypeId,
        top: bool,
        calls: &mut Vec<(u32, u64)>,
        depth: u32,
    ) -> FmtValue {
        use crate::check::basic::BasicKind as K;
        let name = self.type_name(ty.0);
        if depth > 64 {
            return FmtValue::String {
                v: b"...".to_vec(),
                ty: name,
            };
        }
        let types = &self.program.types;
        match types.under(ty).clone() {
            Type::Basic(k) => match k {
                K::Bool | K::UntypedBool => FmtValue::Bool {
                    v: v != 0,
                    ty: name,
                },
                K::String | K::UntypedString => FmtValue::String {
                    v: self.heap.str_bytes(v).to_vec(),
                    ty: name,
                },
                K::Float32 => FmtValue::Float {
                    v: f64::from_bits(v),
                    bits: 32,
                    ty: name,
                },
                K::Float64 | K::UntypedFloat => FmtValue::Float {
                    v: f64::from_bits(v),
                    bits: 64,
                    ty: name,
                },
                k if k.is_unsigned() => FmtValue::Uint { v, ty: name },
                _ => FmtValue::Int {
                    v: v as i64,
                    ty: name,
                },
            },
            Type::Pointer(elem) => {
                let to = if top
                    && v != 0
                    && matches!(types.under(elem), Type::Struct(_) | Type::Array(..))
                {
                    Some(Box::new(self.fmt_value(v, elem, false, calls, depth + 1)))
                } else {
                    None
                };
                FmtValue::Pointer {
                    addr: self.address(v),
                    ty: name,
                    to,
                }
            }
            Type::Slice(elem) => {
                let words = self.slice_words(v);
                let byte_elems =
                    types.basic_kind(elem) == Some(K::Uint8) && types.named(elem).is_none();
                if byte_elems {
                    return FmtValue::Bytes {
                        v: words.iter().map(|w| *w as u8).collect(),
                        ty: name,
                        array: false,
                        nil: v == 0,
                    };
                }
                let elems = words
                    .iter()
                    .map(|w| self.fmt_elem(*w, elem, calls, depth))
                    .collect();
                FmtValue::Slice {
                    elems,
                    ty: name,
                    nil: v == 0,
                    byte_elems: false,
                    addr: self.address(v),
                }
            }
            Type::Array(n, elem) => {
                let elems = (0..n as usize)
                    .map(|i| self.fmt_elem(self.load_word(v, i).unwrap_or(0), elem, calls, depth))
                    .collect();
                FmtValue::Array {
                    elems,
                    ty: name,
                    byte_elems: types.basic_kind(elem) == Some(K::Uint8),
                }
            }
            Type::Map(k, val) => {
                let entries = self
                    .map_entries(v)
                    .into_iter()
                    .map(|(kw, vw)| {
                        (
                            self.fmt_elem(kw, k, calls, depth),
                            self.fmt_elem(vw, val, calls, depth),
                        )
                    })
                    .collect();
                FmtValue::Map {
                    entries,
                    ty: name,
                    nil: v == 0,
                    addr: self.address(v),
                }
            }
            Type::Struct(fields) => {
                let values = fields
                    .iter()
                    .enumerate()
                    .map(|(i, fl)| {
                        let w = self.load_word(v, i).unwrap_or(0);
                        let exported = fl.name.starts_with(|c: char| c.is_uppercase());
                        let value = if exported {
                            self.fmt_elem(w, fl.ty, calls, depth)
                        } else {
                            self.fmt_raw(w, fl.ty, calls, depth)
                        };
                        (fl.name.clone(), value)
                    })
                    .collect();
                FmtValue::Struct {
                    fields: values,
                    ty: name,
                }
            }
            Type::Interface(_) => {
                if v == 0 {
                    FmtValue::NilInterface { ty: name }
                } else {
                    self.fmt_iface(v, false, calls, depth + 1)
                }
            }
            Type::Func(_) => FmtValue::Func {
                addr: self.address(v),
                ty: name,
            },
            Type::Chan(..) => FmtValue::Chan {
                addr: self.address(v),
                ty: name,
            },
            _ => FmtValue::String {
                v: b"?".to_vec(),
                ty: name,
            },
        }
    }

    fn fmt_elem(&self, w: u64, ty: TypeId, calls: &mut Vec<(u32, u64)>, depth: u32) -> FmtValue {
        self.fmt_value(w, ty, false, calls, depth + 1)
    }

    /// Values read through unexported fields print without their methods, as in Go.
    fn fmt_raw(&self, w: u64, ty: TypeId, calls: &mut Vec<(u32, u64)>, depth: u32) -> FmtValue {
        self.fmt_plain(w, ty, false, calls, depth + 1)
    }

    /// A stable, Go-looking address for a reference (for `%p` and pointer printing).
    fn address(&self, v: u64) -> u64 {
        if v == 0 {
            0
        } else {
            0x00c0_0000_0000 + v * 16
        }
    }

    /// The dynamic value held by an interface word (0 for nil).
    pub(crate) fn iface_value(&self, v: u64) -> u64 {
        match self.heap.get(v) {
            Some(Obj::Iface { value, .. }) => *value,
            _ => 0,
        }
    }

    fn iface_comparable(&self, v: u64) -> bool {
        match self.heap.get(v) {
            Some(Obj::Iface { ty, .. }) if *ty != self.rt_error => {
                self.program.types.comparable(TypeId(*ty))
            }
            _ => true,
        }
    }

    /// The text after `panic: ` for a panic value, as Go prints it.
    pub(crate) fn panic_value_text(&mut self, v: u64) -> String {
        let Some(Obj::Iface { ty, value }) = self.heap.get(v) else {
            return "nil".to_string();
        };
        let (ty, value) = (*ty, *value);
        if ty == self.rt_error {
            return String::from_utf8_lossy(self.heap.str_bytes(value)).into_owned();
        }
        for method in ["Error", "String"] {
            if let Some(func) = self.find_method(TypeId(ty), method) {
                if let Ok(results) = self.invoke(func, vec![value]) {
                    let text = String::from_utf8_lossy(
                        self.heap.str_bytes(results.first().copied().unwrap_or(0)),
                    )
                    .into_owned();
                    return text;
                }
            }
        }
        let mut calls = Vec::new();
        let fv = self.fmt_plain(value, TypeId(ty), true, &mut calls, 0);
        let name = self.type_string(TypeId(ty));
        match self.program.types.under(TypeId(ty)) {
            Type::Basic(k) if k.is_string() => {
                let s = String::from_utf8_lossy(self.heap.str_bytes(value)).into_owned();
                if self.program.types.is_named(TypeId(ty)) {
                    format!("{name}({:?})", s)
                } else {
                    s
                }
            }
            Type::Basic(k) if k.is_float() => {
                let text = String::from_utf8_lossy(&gofmt::sprint(&[fv])).into_owned();
                if self.program.types.is_named(TypeId(ty)) {
                    format!("{name}({text})")
                } else {
                    text
                }
            }
            Type::Basic(_) => {
                let text = String::from_utf8_lossy(&gofmt::sprint(&[fv])).into_owned();
                if self.program.types.is_named(TypeId(ty)) {
                    format!("{name}({text})")
                } else {
                    text
                }
            }
            _ => format!(
                "({name}) {}",
                String::from_utf8_lossy(&gofmt::sprintf(b"%p", &[fv]))
            ),
        }
    }

    /// `print`/`println` as Go's runtime formats them (to stderr).
    pub(crate) fn builtin_print(&mut self, words: &[u64], types: &[u32], newline: bool) {
        use crate::check::basic::BasicKind as K;
        let mut out = String::new();
        for (i, (w, t)) in words.iter().zip(types).enumerate() {
            if newline && i > 0 {
                out.push(' ');
            }
            let ty = TypeId(*t);
            let text = match self.program.types.under(ty) {
                Type::Basic(K::Bool) => (if *w != 0 { "true" } else { "false" }).to_string(),
                Type::Basic(k) if k.is_string() => {
                    String::from_utf8_lossy(self.heap.str_bytes(*w)).into_owned()
                }
                Type::Basic(k) if k.is_float() => go_print_float(f64::from_bits(*w)),
                Type::Basic(k) if k.is_unsigned() => w.to_string(),
                Type::Basic(_) => (*w as i64).to_string(),
                Type::Interface(_) => match self.heap.get(*w) {
                    Some(Obj::Iface { ty, value }) => format!(
                        "({}) {:#x}",
                        self.type_string(TypeId(*ty)),
                        self.address(*value)
                    ),
                    _ => "(0x0,0x0)".to_string(),
                },
                _ => format!("{:#x}", self.address(*w)),
            };
            out.push_str(&text);
        }
        if newline {
            out.push('\n');
        }
        self.flush();
        let _ = std::io::stderr().write_all(out.as_bytes());
    }
}

/// Go's runtime float printing: `+1.500000e+000`.
fn go_print_float(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".to_string()
        } else {
            "-Inf".to_string()
        };
    }
    let s = format!("{x:.6e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if mantissa.starts_with('-') { "" } else { "+" };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}e{esign}{:03}", exp.abs())
}

/// Body-less standard-library functions whose natives come with later work (goroutines,
/// timers, sync, files, scanning, ...). A program that calls one stops with
/// `gom: native function NAME is not implemented yet`.
#[cfg(test)]
const PENDING: &[&str] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast;

    /// Qualified native names of every body-less function in the embedded standard library:
    /// `pkg.F`, `pkg.(*T).M`, `pkg.T.M`.
    fn declared_natives() -> Vec<String> {
        let mut names = Vec::new();
        for path in crate::check::stdlib::packages() {
            for (file, text) in crate::check::stdlib::package_files(path) {
                let source = crate::source::SourceFile::new(file, text);
                let Ok(parsed) = crate::syntax::parse_file(&source) else {
                    continue;
                };
                for decl in &parsed.decls {
                    let ast::Decl::Func(f) = decl else { continue };
                    if f.body.is_some() {
                        continue;
                    }
                    names.push(native_name(path, f));
                }
            }
        }
        names
    }

    fn native_name(path: &str, f: &ast::FuncDecl) -> String {
        let Some(recv) = &f.recv else {
            return format!("{path}.{}", f.name.name);
        };
        let (pointer, base) = match &recv.ty.kind {
            ast::ExprKind::Star(inner) => (true, inner.as_ref()),
            _ => (false, &recv.ty),
        };
        let base = match &base.kind {
            ast::ExprKind::Name(id) => id.name.clone(),
            _ => "?".to_string(),
        };
        if pointer {
            format!("{path}.(*{base}).{}", f.name.name)
        } else {
            format!("{path}.{base}.{}", f.name.name)
        }
    }

    fn is_bound(name: &str) -> bool {
        bind(name).is_some()
    }

    #[test]
    fn every_native_is_bound_or_pending() {
        let unbound: Vec<String> = declared_natives()
            .into_iter()
            .filter(|n| !is_bound(n) && !PENDING.contains(&n.as_str()))
            .collect();
        assert!(
            unbound.is_empty(),
            "natives neither bound nor listed in PENDING:\n{}",
            unbound.join("\n")
        );
    }

    /// PENDING lists only what is missing: a name that gets a native must leave the list.
    #[test]
    fn no_pending_native_is_bound() {
        let stale: Vec<&str> = PENDING.iter().copied().filter(|n| is_bound(n)).collect();
        assert!(
            stale.is_empty(),
            "natives listed in PENDING but bound:\n{}",
            stale.join("\n")
        );
    }

    /// Every PENDING name is still declared body-less somewhere in the standard library.
    #[test]
    fn every_pending_native_is_declared() {
        let declared = declared_natives();
        let unknown: Vec<&str> = PENDING
            .iter()
            .copied()
            .filter(|n| !declared.iter().any(|d| d == n))
            .collect();
        assert!(
            unknown.is_empty(),
            "PENDING names no body-less function declares:\n{}",
            unknown.join("\n")
        );
    }
}
