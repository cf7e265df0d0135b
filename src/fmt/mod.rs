//! Go's `fmt` formatting engine: `Sprintf`, `Sprint`, `Sprintln`, `Errorf`'s text, plus the
//! `strconv` pieces they rest on (`FormatFloat`, `Quote`, `QuoteRune`, `IsPrint`).
//!
//! # Contract
//!
//! * Output is byte-for-byte what Go 1.27's `fmt` prints for the same operands. The engine
//!   is written from Go's documented behaviour (package docs of `fmt` and `strconv`) and
//!   checked against a table of cases whose expected text real Go printed
//!   (`testdata/gen_cases.go`, see `tests.rs`).
//! * Layout: `spec` reads directives and pads; `render` walks operands by kind and decides
//!   on methods; `number` and `text` are the leaf formatters; `float` is `FormatFloat`
//!   over Rust's exact digit generation; `quote` is Go literal quoting; `keyorder` orders
//!   map keys; `utf8` decodes with Go's treatment of bad bytes; `isprint` is Unicode data.
//! * Operands are [`FmtValue`] trees: plain data, no VM types. The VM converts each argument
//!   (an `any`, so with its dynamic type) into one.
//! * User methods (`Error`, `String`, `GoString`) are the VM's business. A value whose type
//!   has them is wrapped in [`FmtValue::Methods`]; the engine decides, with Go's rules
//!   (see `render`), whether to use one, and then takes its result either from the wrapper
//!   ([`MethodCall::Ready`]) or by asking a [`MethodHost`] ([`MethodCall::Deferred`]), which
//!   lets the VM run methods lazily exactly when Go would.
//! * Maps are printed sorted by key (`keyorder`); the VM may pass entries in any order.
//! * The engine never panics on any input: bad verbs, missing operands and bad widths produce
//!   Go's `%!` markers.
//!
//! # What the VM must supply
//!
//! * `ty` on every value: Go's `reflect.Type.String()` of the value's dynamic type
//!   (`"int"`, `"main.Celsius"`, `"[]interface {}"`, `"map[string]int"`, `"*main.T"`,
//!   `"func(int) string"`). It is printed by `%T`, `%#v`, and inside `%!verb(type=value)`.
//! * [`FmtValue::Methods`] around a value exactly when Go's `fmt` would see the
//!   method: the dynamic type's method set contains `Error() string` / `String() string` /
//!   `GoString() string`, *and* the value is reachable through exported struct fields only
//!   (Go cannot call methods on values read through unexported fields, so those print raw).
//!   Elements of slices/arrays/maps and pointees count as reachable.
//! * For top-level pointer operands, `to`: the pointee when it is a struct, array, slice or
//!   map (Go prints `&{1 2}`, `&[1 2]`, `&map[a:1]`). Nested pointers print as addresses, so
//!   their `to` may be `None` (it only shows inside a `%!verb(*T=&{...})` marker, e.g. `%s` of
//!   a struct with a pointer field; with `None` the marker shows the address instead), which
//!   also keeps cyclic data finite.
//! * Floats print as Go does: `%v` is `%g` with shortest digits, so `1e+06`, `1e+21`, `1e-07`
//!   (the exponent threshold of `%v` is 21 only in `encoding/json` and JavaScript, not `fmt`).
//! * Interface-typed elements/fields holding a value: just the dynamic value. Holding nil:
//!   [`FmtValue::NilInterface`] with the interface's type name (for `%#v`: `error(nil)`).
//!
//! Not supported: user `Format(fmt.State, rune)` methods (`fmt.Formatter`); `%p` of a
//! [`FmtValue::Bytes`] slice prints `0x0` (use [`FmtValue::Slice`] when the address matters);
//! map keys of interface type with different dynamic types are ordered by type name, where Go
//! uses the (unobservable) address of the type descriptor.

#![forbid(unsafe_code)]

mod float;
mod isprint;
mod keyorder;
mod number;
mod quote;
mod render;
mod spec;
#[cfg(test)]
mod tests;
mod text;
mod utf8;

use std::sync::Arc;

pub use float::format_float;
pub use quote::{can_backquote, is_graphic, is_print, quote, quote_rune, quote_with, QuoteMode};

/// Go's `reflect.Type.String()` for a value's dynamic type, shared cheaply between values.
pub type TypeName = Arc<str>;

/// A Go value as `fmt` sees it. See the module docs for what the VM must put in it.
#[derive(Clone, Debug)]
pub enum FmtValue {
    /// A boolean (`bool` or a named bool type).
    Bool { v: bool, ty: TypeName },
    /// Any signed integer kind (`int`, `int8` .. `int64`, `rune`, named ints).
    Int { v: i64, ty: TypeName },
    /// Any unsigned integer kind (`uint`, `uint8` .. `uint64`, `uintptr`, named uints).
    Uint { v: u64, ty: TypeName },
    /// `float32` (`bits == 32`) or `float64` (`bits == 64`).
    Float { v: f64, bits: u32, ty: TypeName },
    /// `complex64` (`bits == 64`) or `complex128` (`bits == 128`).
    Complex {
        re: f64,
        im: f64,
        bits: u32,
        ty: TypeName,
    },
    /// A string (any bytes; Go strings need not be UTF-8).
    String { v: Vec<u8>, ty: TypeName },
    /// A slice or array whose element kind is `uint8` and whose elements have no methods: the
    /// compact form of `[]byte`/`[N]byte`. `ty` is `"[]uint8"` for `[]byte`.
    Bytes {
        v: Vec<u8>,
        ty: TypeName,
        /// `true` for an array (never nil); `false` for a slice.
        array: bool,
        /// A nil slice (`%#v` prints `[]byte(nil)`).
        nil: bool,
    },
    /// A slice. `addr` is the address of the first element (for `%p`), 0 when nil.
    Slice {
        elems: Vec<FmtValue>,
        ty: TypeName,
        nil: bool,
        /// The element kind is `uint8` (so `%s %q %x %X` treat it as bytes).
        byte_elems: bool,
        addr: u64,
    },
    /// An array.
    Array {
        elems: Vec<FmtValue>,
        ty: TypeName,
        /// The element kind is `uint8` (so `%s %q %x %X` treat it as bytes).
        byte_elems: bool,
    },
    /// A map, entries in any order. `addr` identifies the map for `%p`, 0 when nil.
    Map {
        entries: Vec<(FmtValue, FmtValue)>,
        ty: TypeName,
        nil: bool,
        addr: u64,
    },
    /// A struct: field names (embedded fields use their type name) and values.
    Struct {
        fields: Vec<(String, FmtValue)>,
        ty: TypeName,
    },
    /// A pointer (`addr == 0` is nil). `to` is the pointee when it is a struct, array, slice
    /// or map; it is only printed for top-level operands (`&{1 2}`).
    Pointer {
        addr: u64,
        ty: TypeName,
        to: Option<Box<FmtValue>>,
    },
    /// An `unsafe.Pointer`.
    UnsafePointer { addr: u64, ty: TypeName },
    /// A func value (`addr == 0` is nil).
    Func { addr: u64, ty: TypeName },
    /// A channel (`addr == 0` is nil).
    Chan { addr: u64, ty: TypeName },
    /// A nil interface. As a top-level operand it is Go's untyped `nil` (`<nil>`), and `ty` is
    /// ignored. Nested (struct field, slice element, map value) `ty` is the interface type,
    /// printed by `%#v` as `error(nil)` or `interface {}(nil)`.
    NilInterface { ty: TypeName },
    /// A value whose type has `Error`, `String` and/or `GoString` methods.
    Methods {
        methods: Box<Methods>,
        inner: Box<FmtValue>,
    },
}

/// The formatting methods a value has. `None` means the method set lacks it.
#[derive(Clone, Debug, Default)]
pub struct Methods {
    /// `Error() string` (takes precedence over `String`).
    pub error: Option<MethodCall>,
    /// `String() string`.
    pub string: Option<MethodCall>,
    /// `GoString() string` (used by `%#v` only).
    pub go_string: Option<MethodCall>,
}

/// The outcome of calling a method: the returned string, or, if the method panicked, the
/// panic value as `%v` prints it (Go writes `%!v(PANIC=String method: <that>)`).
pub type MethodResult = Result<Vec<u8>, Vec<u8>>;

/// How the engine obtains a method's result.
#[derive(Clone, Debug)]
pub enum MethodCall {
    /// Already computed by the VM (exact as long as the method has no side effects).
    Ready(MethodResult),
    /// Ask the [`MethodHost`] with this id, only if Go would call the method.
    Deferred(u64),
}

/// Runs deferred methods for the engine (implemented by the VM).
pub trait MethodHost {
    /// Calls the method registered under `id`; a panic inside it must be caught and returned
    /// as `Err(panic value printed with %v)`.
    fn call(&mut self, id: u64) -> MethodResult;
}

/// A host for callers that only use [`MethodCall::Ready`].
pub struct NoHost;

impl MethodHost for NoHost {
    fn call(&mut self, _id: u64) -> MethodResult {
        Err(b"gom: deferred method without a host".to_vec())
    }
}

impl FmtValue {
    /// The dynamic type name (`reflect.TypeOf(x).String()`); `None` for a nil interface.
    pub fn type_name(&self) -> Option<&str> {
        use FmtValue as V;
        match self {
            V::Bool { ty, .. }
            | V::Int { ty, .. }
            | V::Uint { ty, .. }
            | V::Float { ty, .. }
            | V::Complex { ty, .. }
            | V::String { ty, .. }
            | V::Bytes { ty, .. }
            | V::Slice { ty, .. }
            | V::Array { ty, .. }
            | V::Map { ty, .. }
            | V::Struct { ty, .. }
            | V::Pointer { ty, .. }
            | V::UnsafePointer { ty, .. }
            | V::Func { ty, .. }
            | V::Chan { ty, .. } => Some(ty),
            V::NilInterface { .. } => None,
            V::Methods { inner, .. } => inner.type_name(),
        }
    }

    /// The value without its method wrapper(s).
    pub fn bare(&self) -> &FmtValue {
        match self {
            FmtValue::Methods { inner, .. } => inner.bare(),
            v => v,
        }
    }
}

/// `fmt.Sprintf` with operands whose methods (if any) are [`MethodCall::Ready`].
pub fn sprintf(format: &[u8], args: &[FmtValue]) -> Vec<u8> {
    sprintf_with(&mut NoHost, format, args)
}

/// `fmt.Sprintf`, calling deferred methods through `host`.
pub fn sprintf_with(host: &mut dyn MethodHost, format: &[u8], args: &[FmtValue]) -> Vec<u8> {
    let mut engine = render::Engine::new(host, false);
    engine.printf(format, args);
    engine.out
}

/// The text of `fmt.Errorf(format, args...)` and the indices of the operands named by `%w`
/// (in format order), from which the VM builds the error value.
pub fn errorf_with(
    host: &mut dyn MethodHost,
    format: &[u8],
    args: &[FmtValue],
) -> (Vec<u8>, Vec<usize>) {
    let mut engine = render::Engine::new(host, true);
    engine.printf(format, args);
    (engine.out, engine.wrapped)
}

/// `fmt.Sprint`: operands formatted with `%v`, a space between two operands when neither
/// is a string.
pub fn sprint(args: &[FmtValue]) -> Vec<u8> {
    sprint_with(&mut NoHost, args)
}

/// `fmt.Sprint`, calling deferred methods through `host`.
pub fn sprint_with(host: &mut dyn MethodHost, args: &[FmtValue]) -> Vec<u8> {
    let mut engine = render::Engine::new(host, false);
    engine.print(args);
    engine.out
}

/// `fmt.Sprintln`: operands formatted with `%v`, always space-separated, then a newline.
pub fn sprintln(args: &[FmtValue]) -> Vec<u8> {
    sprintln_with(&mut NoHost, args)
}

/// `fmt.Sprintln`, calling deferred methods through `host`.
pub fn sprintln_with(host: &mut dyn MethodHost, args: &[FmtValue]) -> Vec<u8> {
    let mut engine = render::Engine::new(host, false);
    engine.println(args);
    engine.out
}
