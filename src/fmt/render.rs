//! The engine: runs a format string (or a Print/Println operand list) and formats each
//! operand by its kind, deciding when `Error`/`String`/`GoString` methods stand in for a
//! value.
//!
//! Rules it implements (Go's `fmt` documentation):
//! * `%T` prints the type, `%p` the address; otherwise a value with methods is printed
//!   through `Error()` (or else `String()`) for `%v %s %q %x %X`, through `GoString()` for
//!   `%#v`. This applies to top-level operands and to every element, field, key and
//!   pointee reached while printing, but never inside a `%!verb(...)` marker.
//! * A verb that does not suit the value prints `%!verb(type=value)`.
//! * Composite values print their parts with the same verb and flags: `[a b]`, `{a b}`,
//!   `map[k:v]`, and with `%#v` Go syntax (`[]int{1, 2}`, `main.T{A:1}`).
//! * Only a top-level pointer to a composite shows its pointee (`&{1 2}`).

use super::keyorder::in_print_order;
use super::number::{
    push_char, push_float, push_integer, push_rune_literal, push_unicode, Integer, Radix,
};
use super::spec::{FormatReader, Spec, Target};
use super::text::{push_hex_bytes, push_plain, push_quoted_text};
use super::utf8::push_rune;
use super::{FmtValue, MethodCall, MethodHost, MethodResult, Methods, TypeName};

/// A verb as an ASCII byte, or 0 for any other rune (which no formatter accepts).
fn ascii(verb: u32) -> u8 {
    u8::try_from(verb).ok().filter(u8::is_ascii).unwrap_or(0)
}

/// Which formatting method produced a text (named in panic reports).
#[derive(Clone, Copy)]
enum MethodName {
    Error,
    String,
    GoString,
}

/// One Sprintf/Sprint/Sprintln/Errorf call.
pub(super) struct Engine<'h> {
    pub out: Vec<u8>,
    host: &'h mut dyn MethodHost,
    /// The flags, width and precision of the directive being printed.
    spec: Spec,
    /// Printing the value inside a `%!verb(...)` marker: methods are not called.
    in_marker: bool,
    /// `Errorf`: `%w` accepts errors.
    errorf: bool,
    /// Operand indices named by `%w`, in format order.
    pub wrapped: Vec<usize>,
}

impl<'h> Engine<'h> {
    pub fn new(host: &'h mut dyn MethodHost, errorf: bool) -> Self {
        Engine {
            out: Vec::new(),
            host,
            spec: Spec::default(),
            in_marker: false,
            errorf,
            wrapped: Vec::new(),
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    // ----- entry points -----

    /// `Print`: `%v` each, a space between two operands when neither is a string.
    pub fn print(&mut self, operands: &[FmtValue]) {
        let is_string = |v: &FmtValue| matches!(v.bare(), FmtValue::String { .. });
        for (i, operand) in operands.iter().enumerate() {
            if i > 0 && !is_string(operand) && !is_string(&operands[i - 1]) {
                self.out.push(b' ');
            }
            self.spec = Spec::default();
            self.operand(operand, u32::from(b'v'));
        }
    }

    /// `Println`: `%v` each, spaces between, a newline after.
    pub fn println(&mut self, operands: &[FmtValue]) {
        for (i, operand) in operands.iter().enumerate() {
            if i > 0 {
                self.out.push(b' ');
            }
            self.spec = Spec::default();
            self.operand(operand, u32::from(b'v'));
        }
        self.out.push(b'\n');
    }

    /// `Printf`.
    pub fn printf(&mut self, format: &[u8], operands: &[FmtValue]) {
        let mut reader = FormatReader::new(format, operands.len());
        loop {
            self.put(reader.literal());
            if reader.at_end() {
                break;
            }
            let d = reader.directive(operands, &mut self.out);
            self.spec = d.spec;
            match d.target {
                Target::Percent => self.out.push(b'%'),
                Target::NoVerb => {
                    self.put(b"%!(NOVERB)");
                    break;
                }
                Target::BadIndex => self.verb_marker(d.verb, b"(BADINDEX)"),
                Target::Missing => self.verb_marker(d.verb, b"(MISSING)"),
                Target::Operand(i) => {
                    if d.verb == u32::from(b'w') {
                        self.wrapped.push(i);
                    }
                    if d.verb == u32::from(b'v') || d.verb == u32::from(b'w') {
                        self.spec = self.spec.for_v();
                    }
                    self.operand(&operands[i], d.verb);
                }
            }
        }
        let unused = reader.unused_from();
        if !reader.reordered && unused < operands.len() {
            self.report_extra(&operands[unused..]);
        }
    }

    /// `%!(EXTRA type=value, ...)` for operands the format never used.
    fn report_extra(&mut self, extra: &[FmtValue]) {
        self.spec = Spec::default();
        self.put(b"%!(EXTRA ");
        for (i, operand) in extra.iter().enumerate() {
            if i > 0 {
                self.put(b", ");
            }
            self.type_and_value(operand);
        }
        self.out.push(b')');
    }

    /// `%!verb` followed by `tail`.
    fn verb_marker(&mut self, verb: u32, tail: &[u8]) {
        self.put(b"%!");
        push_rune(&mut self.out, verb);
        self.put(tail);
    }

    /// `type=value` (with `%v`), or `<nil>` for a nil interface.
    fn type_and_value(&mut self, value: &FmtValue) {
        match value.type_name() {
            Some(ty) => {
                self.put(ty.as_bytes());
                self.out.push(b'=');
                self.operand(value, u32::from(b'v'));
            }
            None => self.put(b"<nil>"),
        }
    }

    /// `%!verb(type=value)`: the verb does not suit the value.
    fn wrong_verb(&mut self, value: &FmtValue, verb: u32) {
        self.verb_marker(verb, b"(");
        let outer = std::mem::replace(&mut self.in_marker, true);
        self.type_and_value(value);
        self.in_marker = outer;
        self.out.push(b')');
    }

    // ----- operands -----

    /// A top-level operand.
    fn operand(&mut self, value: &FmtValue, verb: u32) {
        if let FmtValue::NilInterface { .. } = value {
            // The untyped nil.
            return match ascii(verb) {
                b'v' | b'T' => self.spec.pad(&mut self.out, b"<nil>"),
                _ => self.wrong_verb(value, verb),
            };
        }
        match ascii(verb) {
            b'T' => {
                let ty = value.type_name().unwrap_or_default().to_owned();
                push_plain(&mut self.out, &self.spec, ty.as_bytes());
            }
            b'p' => self.address(value.bare(), verb),
            _ => {
                if let FmtValue::Methods { methods, inner } = value {
                    if self.try_methods(methods, inner, verb) {
                        return;
                    }
                }
                self.operand_without_methods(value.bare(), verb);
            }
        }
    }

    /// A top-level operand of the exact type `[]byte` keeps that spelling in `%#v`.
    fn operand_without_methods(&mut self, value: &FmtValue, verb: u32) {
        match value {
            FmtValue::Bytes {
                v,
                ty,
                array: false,
                nil,
            } if &**ty == "[]uint8" => self.byte_slice(v, *nil, verb, "[]byte"),
            FmtValue::Slice {
                elems,
                ty,
                nil,
                byte_elems: true,
                ..
            } if &**ty == "[]uint8" => self.byte_slice(&bytes_of(elems), *nil, verb, "[]byte"),
            _ => self.value(value, verb, true),
        }
    }

    /// Prints through a method when Go would; returns whether it did.
    fn try_methods(&mut self, methods: &Methods, inner: &FmtValue, verb: u32) -> bool {
        if self.in_marker {
            return false;
        }
        let mut verb = verb;
        if verb == u32::from(b'w') {
            if methods.error.is_none() || !self.errorf {
                self.wrong_verb(inner, verb);
                return true;
            }
            verb = u32::from(b'v');
        }
        if self.spec.flags.go_syntax {
            let Some(call) = &methods.go_string else {
                return false;
            };
            match self.run(call) {
                Ok(text) => push_plain(&mut self.out, &self.spec, &text),
                Err(panic) => self.method_panicked(inner, verb, MethodName::GoString, &panic),
            }
            return true;
        }
        if !matches!(ascii(verb), b'v' | b's' | b'x' | b'X' | b'q') {
            return false;
        }
        let (call, name) = match (&methods.error, &methods.string) {
            (Some(call), _) => (call, MethodName::Error),
            (None, Some(call)) => (call, MethodName::String),
            (None, None) => return false,
        };
        match self.run(call) {
            Ok(text) => self.string(&text, verb, None),
            Err(panic) => self.method_panicked(inner, verb, name, &panic),
        }
        true
    }

    fn run(&mut self, call: &MethodCall) -> MethodResult {
        match call {
            MethodCall::Ready(result) => result.clone(),
            MethodCall::Deferred(id) => self.host.call(*id),
        }
    }

    /// A method panicked: a nil pointer receiver prints `<nil>`, anything else
    /// `%!verb(PANIC=Name method: value)`.
    fn method_panicked(&mut self, receiver: &FmtValue, verb: u32, name: MethodName, panic: &[u8]) {
        if let FmtValue::Pointer { addr: 0, .. } = receiver.bare() {
            // Unpadded: the directive's flags do not apply to this stand-in.
            return self.put(b"<nil>");
        }
        let name: &[u8] = match name {
            MethodName::Error => b"Error",
            MethodName::String => b"String",
            MethodName::GoString => b"GoString",
        };
        self.verb_marker(verb, b"(PANIC=");
        self.put(name);
        self.put(b" method: ");
        self.put(panic);
        self.out.push(b')');
    }

    // ----- values by kind -----

    /// Any value; `top` is true for a top-level operand whose methods were considered.
    fn value(&mut self, value: &FmtValue, verb: u32, top: bool) {
        use FmtValue as V;
        match value {
            V::Methods { methods, inner } => {
                if top || !self.try_methods(methods, inner, verb) {
                    self.value(inner, verb, top);
                }
            }
            V::Bool { v, .. } => self.boolean(value, *v, verb),
            V::Int { v, .. } => self.integer(value, Integer::signed(*v), verb),
            V::Uint { v, .. } => self.integer(value, Integer::unsigned(*v), verb),
            V::Float { v, bits, .. } => self.float(value, *v, *bits, verb),
            V::Complex { re, im, bits, .. } => self.complex(value, (*re, *im), *bits / 2, verb),
            V::String { v, ty } => self.string(v, verb, Some(ty)),
            V::Bytes { v, ty, array, nil } => {
                if is_byte_verb(verb) {
                    self.byte_slice(v, false, verb, ty);
                } else {
                    let elems = byte_elements(v);
                    self.sequence(&elems, ty, !*array && *nil, verb);
                }
            }
            V::Slice {
                elems,
                ty,
                nil,
                byte_elems,
                ..
            } => {
                if *byte_elems && is_byte_verb(verb) {
                    self.byte_slice(&bytes_of(elems), false, verb, ty);
                } else {
                    self.sequence(elems, ty, *nil, verb);
                }
            }
            V::Array {
                elems,
                ty,
                byte_elems,
            } => {
                if *byte_elems && is_byte_verb(verb) {
                    self.byte_slice(&bytes_of(elems), false, verb, ty);
                } else {
                    self.sequence(elems, ty, false, verb);
                }
            }
            V::Map {
                entries, ty, nil, ..
            } => self.map(entries, ty, *nil, verb),
            V::Struct { fields, ty } => self.structure(fields, ty, verb),
            V::NilInterface { ty } => {
                if self.spec.flags.go_syntax {
                    self.put(ty.as_bytes());
                    self.put(b"(nil)");
                } else {
                    self.put(b"<nil>");
                }
            }
            V::Pointer {
                addr,
                to: Some(pointee),
                ..
            } if top && *addr != 0 => {
                self.out.push(b'&');
                self.value(pointee, verb, false);
            }
            V::Pointer { .. } | V::UnsafePointer { .. } | V::Func { .. } | V::Chan { .. } => {
                self.address(value, verb)
            }
        }
    }

    fn boolean(&mut self, value: &FmtValue, b: bool, verb: u32) {
        match ascii(verb) {
            b't' | b'v' => {
                let text: &[u8] = if b { b"true" } else { b"false" };
                self.spec.pad(&mut self.out, text);
            }
            _ => self.wrong_verb(value, verb),
        }
    }

    fn integer(&mut self, value: &FmtValue, n: Integer, verb: u32) {
        let (out, spec) = (&mut self.out, &self.spec);
        match ascii(verb) {
            // %#v of an unsigned integer is Go syntax in hex: 0xff.
            b'v' if spec.flags.go_syntax && !is_signed(value) => {
                push_hex_literal(out, spec, n.magnitude);
            }
            b'v' | b'd' => push_integer(out, spec, n, Radix::Decimal),
            b'b' => push_integer(out, spec, n, Radix::Binary),
            b'o' => push_integer(out, spec, n, Radix::Octal),
            b'O' => push_integer(out, spec, n, Radix::OctalPrefixed),
            b'x' => push_integer(out, spec, n, Radix::Hex),
            b'X' => push_integer(out, spec, n, Radix::HexUpper),
            b'c' => push_char(out, spec, n),
            b'q' => push_rune_literal(out, spec, n),
            b'U' => push_unicode(out, spec, n),
            _ => self.wrong_verb(value, verb),
        }
    }

    fn float(&mut self, value: &FmtValue, v: f64, bits: u32, verb: u32) {
        let (out, spec) = (&mut self.out, &self.spec);
        match ascii(verb) {
            b'v' => push_float(out, spec, v, bits, b'g', -1),
            f @ (b'b' | b'g' | b'G' | b'x' | b'X') => push_float(out, spec, v, bits, f, -1),
            f @ (b'e' | b'E' | b'f') => push_float(out, spec, v, bits, f, 6),
            b'F' => push_float(out, spec, v, bits, b'f', 6),
            _ => self.wrong_verb(value, verb),
        }
    }

    /// `(re+imi)`: each part formatted as a float; the imaginary part always has a sign.
    fn complex(&mut self, value: &FmtValue, (re, im): (f64, f64), part_bits: u32, verb: u32) {
        if !matches!(
            ascii(verb),
            b'v' | b'b' | b'g' | b'G' | b'x' | b'X' | b'f' | b'F' | b'e' | b'E'
        ) {
            return self.wrong_verb(value, verb);
        }
        self.out.push(b'(');
        self.float(value, re, part_bits, verb);
        let spec = self.spec;
        self.spec.flags.plus = true;
        self.float(value, im, part_bits, verb);
        self.spec = spec;
        self.put(b"i)");
    }

    /// A string; `ty` is `None` for a method's result (which is never a wrong-verb value).
    fn string(&mut self, s: &[u8], verb: u32, ty: Option<&TypeName>) {
        let (out, spec) = (&mut self.out, &self.spec);
        match ascii(verb) {
            b'v' if spec.flags.go_syntax => push_quoted_text(out, spec, s),
            b'v' | b's' => push_plain(out, spec, s),
            b'x' => push_hex_bytes(out, spec, s, false),
            b'X' => push_hex_bytes(out, spec, s, true),
            b'q' => push_quoted_text(out, spec, s),
            _ => {
                let value = FmtValue::String {
                    v: s.to_vec(),
                    ty: ty.cloned().unwrap_or_else(|| "string".into()),
                };
                self.wrong_verb(&value, verb);
            }
        }
    }

    /// Bytes shown as text (`%s %q %x %X`) or as a list of numbers (`%v %d`).
    fn byte_slice(&mut self, bytes: &[u8], nil: bool, verb: u32, ty: &str) {
        let (out, spec) = (&mut self.out, &self.spec);
        match ascii(verb) {
            b's' => push_plain(out, spec, bytes),
            b'x' => push_hex_bytes(out, spec, bytes, false),
            b'X' => push_hex_bytes(out, spec, bytes, true),
            b'q' => push_quoted_text(out, spec, bytes),
            b'v' | b'd' if spec.flags.go_syntax => {
                out.extend_from_slice(ty.as_bytes());
                if nil {
                    return out.extend_from_slice(b"(nil)");
                }
                out.push(b'{');
                for (i, &byte) in bytes.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    push_hex_literal(out, spec, u64::from(byte));
                }
                out.push(b'}');
            }
            b'v' | b'd' => {
                out.push(b'[');
                for (i, &byte) in bytes.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    push_integer(
                        out,
                        spec,
                        Integer::unsigned(u64::from(byte)),
                        Radix::Decimal,
                    );
                }
                out.push(b']');
            }
            _ => {
                // Any other verb applies to each byte (and is wrong for each).
                let elems = byte_elements(bytes);
                self.sequence(&elems, ty, nil, verb);
            }
        }
    }

    /// Pointers, funcs, chans, maps and slices as addresses: `%p`, `%v` (nil is `<nil>`),
    /// `%#v` as `(T)(0x...)`, and the integer verbs.
    fn address(&mut self, value: &FmtValue, verb: u32) {
        use FmtValue as V;
        let (addr, ty) = match value {
            V::Pointer { addr, ty, .. }
            | V::UnsafePointer { addr, ty }
            | V::Func { addr, ty }
            | V::Chan { addr, ty }
            | V::Map { addr, ty, .. }
            | V::Slice { addr, ty, .. } => (*addr, ty),
            V::Bytes {
                array: false, ty, ..
            } => (0, ty),
            _ => return self.wrong_verb(value, verb),
        };
        let (out, spec) = (&mut self.out, &self.spec);
        match ascii(verb) {
            b'v' if spec.flags.go_syntax => {
                out.push(b'(');
                out.extend_from_slice(ty.as_bytes());
                out.extend_from_slice(b")(");
                if addr == 0 {
                    out.extend_from_slice(b"nil");
                } else {
                    push_hex_literal(out, spec, addr);
                }
                out.push(b')');
            }
            b'v' if addr == 0 => spec.pad(out, b"<nil>"),
            b'v' | b'p' => {
                // `#` drops the 0x prefix.
                let mut bare = *spec;
                bare.flags.alt = !spec.flags.alt;
                push_integer(out, &bare, Integer::unsigned(addr), Radix::Hex);
            }
            b'b' | b'o' | b'd' | b'x' | b'X' => {
                self.integer(value, Integer::unsigned(addr), verb);
            }
            _ => self.wrong_verb(value, verb),
        }
    }

    /// `[a b c]`, or with `%#v` `T{a, b, c}` / `T(nil)`.
    fn sequence(&mut self, elems: &[FmtValue], ty: &str, nil: bool, verb: u32) {
        let go_syntax = self.spec.flags.go_syntax;
        if go_syntax {
            self.put(ty.as_bytes());
            if nil {
                return self.put(b"(nil)");
            }
        }
        self.out.push(if go_syntax { b'{' } else { b'[' });
        for (i, elem) in elems.iter().enumerate() {
            if i > 0 {
                self.put(if go_syntax { b", " } else { b" " });
            }
            self.value(elem, verb, false);
        }
        self.out.push(if go_syntax { b'}' } else { b']' });
    }

    /// `map[k:v k:v]`, or with `%#v` `T{k:v, k:v}` / `T(nil)`; keys in sorted order.
    fn map(&mut self, entries: &[(FmtValue, FmtValue)], ty: &str, nil: bool, verb: u32) {
        let go_syntax = self.spec.flags.go_syntax;
        if go_syntax {
            self.put(ty.as_bytes());
            if nil {
                return self.put(b"(nil)");
            }
            self.out.push(b'{');
        } else {
            self.put(b"map[");
        }
        for (i, (key, val)) in in_print_order(entries).into_iter().enumerate() {
            if i > 0 {
                self.put(if go_syntax { b", " } else { b" " });
            }
            self.value(key, verb, false);
            self.out.push(b':');
            self.value(val, verb, false);
        }
        self.out.push(if go_syntax { b'}' } else { b']' });
    }

    /// `{a b}`, with `%+v` `{A:a B:b}`, with `%#v` `T{A:a, B:b}`.
    fn structure(&mut self, fields: &[(String, FmtValue)], ty: &str, verb: u32) {
        let go_syntax = self.spec.flags.go_syntax;
        let named = go_syntax || self.spec.flags.field_names;
        if go_syntax {
            self.put(ty.as_bytes());
        }
        self.out.push(b'{');
        for (i, (name, val)) in fields.iter().enumerate() {
            if i > 0 {
                self.put(if go_syntax { b", " } else { b" " });
            }
            if named && !name.is_empty() {
                self.put(name.as_bytes());
                self.out.push(b':');
            }
            self.value(val, verb, false);
        }
        self.out.push(b'}');
    }
}

/// `0x` and lowercase hex, padded as an integer (`%#v` of unsigned values and addresses).
fn push_hex_literal(out: &mut Vec<u8>, spec: &Spec, n: u64) {
    let mut with_prefix = *spec;
    with_prefix.flags.alt = true;
    push_integer(out, &with_prefix, Integer::unsigned(n), Radix::Hex);
}

/// Verbs under which a byte slice or array reads as text.
fn is_byte_verb(verb: u32) -> bool {
    matches!(ascii(verb), b's' | b'q' | b'x' | b'X')
}

fn is_signed(value: &FmtValue) -> bool {
    matches!(value.bare(), FmtValue::Int { .. })
}

/// The bytes of a byte-kind slice or array given element by element.
fn bytes_of(elems: &[FmtValue]) -> Vec<u8> {
    elems
        .iter()
        .map(|e| match e.bare() {
            FmtValue::Uint { v, .. } => *v as u8,
            FmtValue::Int { v, .. } => *v as u8,
            _ => 0,
        })
        .collect()
}

/// Bytes as `uint8` values, for printing one by one.
fn byte_elements(bytes: &[u8]) -> Vec<FmtValue> {
    let ty: TypeName = "uint8".into();
    bytes
        .iter()
        .map(|&b| FmtValue::Uint {
            v: u64::from(b),
            ty: ty.clone(),
        })
        .collect()
}
