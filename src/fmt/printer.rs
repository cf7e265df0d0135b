//! The format-string interpreter and value walker, ported from Go's `fmt/print.go`
//! (`doPrintf`, `printArg`, `printValue`, `handleMethods`, `badVerb`, ...).

use super::format::{Fmt, LDIGITS, UDIGITS};
use super::quote::{append_rune, decode_rune};
use super::sort::sorted_entries;
use super::{FmtValue, MethodCall, MethodHost, MethodResult, Methods};

const PERCENT_BANG: &[u8] = b"%!";
const NIL_ANGLE: &[u8] = b"<nil>";
const NIL_PAREN: &[u8] = b"(nil)";

fn v(c: u8) -> u32 {
    u32::from(c)
}

/// Which method `handle_methods` settled on.
#[derive(Clone, Copy)]
enum MethodKind {
    Error,
    String,
    GoString,
}

impl MethodKind {
    fn label(self) -> &'static [u8] {
        match self {
            MethodKind::Error => b"Error",
            MethodKind::String => b"String",
            MethodKind::GoString => b"GoString",
        }
    }
}

/// Go's `pp`: the output buffer plus per-call state.
pub(super) struct Printer<'h> {
    pub buf: Vec<u8>,
    f: Fmt,
    host: &'h mut dyn MethodHost,
    /// Inside `badVerb`: methods are not called while printing the offending value.
    erroring: bool,
    /// `Errorf` mode: `%w` accepts error operands.
    wrap_errs: bool,
    pub wrapped_errs: Vec<usize>,
    /// The format used an explicit `[n]` index (suppresses the EXTRA report).
    reordered: bool,
    good_arg_num: bool,
}

impl<'h> Printer<'h> {
    pub fn new(host: &'h mut dyn MethodHost, wrap_errs: bool) -> Self {
        Printer {
            buf: Vec::new(),
            f: Fmt::default(),
            host,
            erroring: false,
            wrap_errs,
            wrapped_errs: Vec::new(),
            reordered: false,
            good_arg_num: true,
        }
    }

    fn write(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    fn write_rune(&mut self, r: u32) {
        append_rune(&mut self.buf, r);
    }

    // ----- Print / Println -----

    pub fn do_print(&mut self, args: &[FmtValue]) {
        let mut prev_string = false;
        for (i, arg) in args.iter().enumerate() {
            let is_string = matches!(arg.bare(), FmtValue::String { .. });
            // A space is added between operands when neither is a string.
            if i > 0 && !is_string && !prev_string {
                self.buf.push(b' ');
            }
            self.print_arg(arg, v(b'v'));
            prev_string = is_string;
        }
    }

    pub fn do_println(&mut self, args: &[FmtValue]) {
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.buf.push(b' ');
            }
            self.print_arg(arg, v(b'v'));
        }
        self.buf.push(b'\n');
    }

    // ----- Printf -----

    pub fn do_printf(&mut self, format: &[u8], args: &[FmtValue]) {
        let end = format.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0;
        'format: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && format[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.write(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // skip %
            self.f.clear();
            // Flags, with a fast path for a plain lowercase verb.
            while i < end {
                let c = format[i];
                match c {
                    b'#' => self.f.flags.sharp = true,
                    b'0' => self.f.flags.zero = true,
                    b'+' => self.f.flags.plus = true,
                    b'-' => self.f.flags.minus = true,
                    b' ' => self.f.flags.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < args.len() {
                            if c == b'w' {
                                self.wrapped_errs.push(arg_num);
                            }
                            if c == b'v' || c == b'w' {
                                self.move_v_flags();
                            }
                            self.print_arg(&args[arg_num], v(c));
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Argument index, then width.
            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, args.len());
            if i < end && format[i] == b'*' {
                i += 1;
                let (n, ok, next) = int_from_arg(args, arg_num);
                (self.f.wid, self.f.flags.wid_present, arg_num) = (n, ok, next);
                if !ok {
                    self.write(b"%!(BADWIDTH)");
                }
                // A negative width means left-justify.
                if self.f.wid < 0 {
                    self.f.wid = -self.f.wid;
                    self.f.flags.minus = true;
                    self.f.flags.zero = false;
                }
                after_index = false;
            } else {
                let (n, ok, next) = parse_num(format, i, end);
                (self.f.wid, self.f.flags.wid_present, i) = (n, ok, next);
                if after_index && ok {
                    // "%[3]2d" is not allowed.
                    self.good_arg_num = false;
                }
            }

            // Precision.
            if i + 1 < end && format[i] == b'.' {
                i += 1;
                if after_index {
                    // "%[3].2d" is not allowed.
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, args.len());
                if i < end && format[i] == b'*' {
                    i += 1;
                    let (n, ok, next) = int_from_arg(args, arg_num);
                    (self.f.prec, self.f.flags.prec_present, arg_num) = (n, ok, next);
                    // A negative precision means no precision.
                    if self.f.prec < 0 {
                        self.f.prec = 0;
                        self.f.flags.prec_present = false;
                    }
                    // Go reports a negative precision as BADPREC too (the flag is cleared).
                    if !self.f.flags.prec_present {
                        self.write(b"%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (n, ok, next) = parse_num(format, i, end);
                    (self.f.prec, self.f.flags.prec_present, i) = (n, ok, next);
                    // "%.d" means precision 0.
                    if !ok {
                        self.f.prec = 0;
                        self.f.flags.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, args.len());
            }

            if i >= end {
                self.write(b"%!(NOVERB)");
                break;
            }

            let (verb, size) = decode_rune(&format[i..]);
            i += size.max(1);

            if verb == v(b'%') {
                // Percent does not absorb operands and ignores width and precision.
                self.buf.push(b'%');
            } else if !self.good_arg_num {
                self.bad_arg_num(verb);
            } else if arg_num >= args.len() {
                self.missing_arg(verb);
            } else {
                if verb == v(b'w') {
                    self.wrapped_errs.push(arg_num);
                }
                if verb == v(b'v') || verb == v(b'w') {
                    self.move_v_flags();
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }

        // Report leftover operands unless the format reordered them on purpose.
        if !self.reordered && arg_num < args.len() {
            self.f.clear();
            self.write(b"%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.write(b", ");
                }
                match arg.type_name() {
                    None => self.write(NIL_ANGLE),
                    Some(ty) => {
                        self.write(ty.as_bytes());
                        self.buf.push(b'=');
                        self.print_arg(arg, v(b'v'));
                    }
                }
            }
            self.buf.push(b')');
        }
    }

    /// For `%v` the `#` and `+` flags mean Go syntax / field names, not their usual sense.
    fn move_v_flags(&mut self) {
        self.f.flags.sharp_v = self.f.flags.sharp;
        self.f.flags.sharp = false;
        self.f.flags.plus_v = self.f.flags.plus;
        self.f.flags.plus = false;
    }

    /// Parses an optional `[n]` operand index at `format[i..]` (`argNumber`).
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok {
            if let Some(index) = index.filter(|&n| n < num_args) {
                return (index, i + wid, true);
            }
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn bad_arg_num(&mut self, verb: u32) {
        self.write(PERCENT_BANG);
        self.write_rune(verb);
        self.write(b"(BADINDEX)");
    }

    fn missing_arg(&mut self, verb: u32) {
        self.write(PERCENT_BANG);
        self.write_rune(verb);
        self.write(b"(MISSING)");
    }

    /// `%!verb(type=value)`, printed without calling methods.
    fn bad_verb(&mut self, value: &FmtValue, verb: u32) {
        self.erroring = true;
        self.write(PERCENT_BANG);
        self.write_rune(verb);
        self.buf.push(b'(');
        match value.type_name() {
            Some(ty) => {
                self.write(ty.as_bytes());
                self.buf.push(b'=');
                self.print_arg(value, v(b'v'));
            }
            None => self.write(NIL_ANGLE),
        }
        self.buf.push(b')');
        self.erroring = false;
    }

    // ----- operands -----

    /// Formats a top-level operand (`printArg`).
    fn print_arg(&mut self, arg: &FmtValue, verb: u32) {
        if let FmtValue::NilInterface { .. } = arg {
            // Go's untyped nil operand.
            if verb == v(b'T') || verb == v(b'v') {
                self.f.pad(&mut self.buf, NIL_ANGLE);
            } else {
                self.bad_verb(arg, verb);
            }
            return;
        }
        if verb == v(b'T') {
            let ty = arg.type_name().unwrap_or("<nil>").to_owned();
            self.f.fmt_s(&mut self.buf, ty.as_bytes());
            return;
        }
        if verb == v(b'p') {
            self.fmt_pointer(arg.bare(), verb);
            return;
        }
        if let FmtValue::Methods { methods, inner } = arg {
            if self.handle_methods(methods, inner, verb) {
                return;
            }
            return self.print_arg_bare(inner, verb);
        }
        self.print_arg_bare(arg, verb);
    }

    /// `printArg` after methods: the exact type `[]byte` keeps its spelling in `%#v`.
    fn print_arg_bare(&mut self, arg: &FmtValue, verb: u32) {
        match arg {
            FmtValue::Methods { inner, .. } => self.print_arg_bare(inner, verb),
            FmtValue::Bytes {
                v: b,
                ty,
                array: false,
                nil,
            } if &**ty == "[]uint8" => {
                let b = if *nil { None } else { Some(&b[..]) };
                self.fmt_bytes(b, verb, b"[]byte");
            }
            FmtValue::Slice {
                elems,
                ty,
                nil,
                byte_elems: true,
                ..
            } if &**ty == "[]uint8" => {
                let bytes = elems_to_bytes(elems);
                let b = if *nil { None } else { Some(&bytes[..]) };
                self.fmt_bytes(b, verb, b"[]byte");
            }
            _ => self.print_value(arg, verb, 0),
        }
    }

    /// Go's `handleMethods`: uses `Error`/`String`/`GoString` when the verb calls for it.
    /// Returns whether the value has been printed.
    fn handle_methods(&mut self, methods: &Methods, inner: &FmtValue, verb: u32) -> bool {
        if self.erroring {
            return false;
        }
        let mut verb = verb;
        if verb == v(b'w') {
            // %w is only meaningful in Errorf, and only for errors.
            if methods.error.is_none() || !self.wrap_errs {
                self.bad_verb(inner, verb);
                return true;
            }
            verb = v(b'v');
        }
        if self.f.flags.sharp_v {
            if let Some(call) = &methods.go_string {
                let result = self.call(call);
                match result {
                    Ok(s) => self.f.fmt_s(&mut self.buf, &s),
                    Err(p) => self.method_panic(inner, verb, MethodKind::GoString, &p),
                }
                return true;
            }
            return false;
        }
        if ![b'v', b's', b'x', b'X', b'q'].map(v).contains(&verb) {
            return false;
        }
        let (call, kind) = match (&methods.error, &methods.string) {
            (Some(call), _) => (call, MethodKind::Error),
            (None, Some(call)) => (call, MethodKind::String),
            (None, None) => return false,
        };
        match self.call(call) {
            Ok(s) => {
                let as_string = FmtValue::String {
                    v: s,
                    ty: "string".into(),
                };
                self.fmt_string(&as_string, verb);
            }
            Err(p) => self.method_panic(inner, verb, kind, &p),
        }
        true
    }

    fn call(&mut self, call: &MethodCall) -> MethodResult {
        match call {
            MethodCall::Ready(r) => r.clone(),
            MethodCall::Deferred(id) => self.host.call(*id),
        }
    }

    /// Go's `catchPanic`: a nil pointer receiver prints `<nil>`, anything else a PANIC marker.
    fn method_panic(&mut self, inner: &FmtValue, verb: u32, kind: MethodKind, msg: &[u8]) {
        if let FmtValue::Pointer { addr: 0, .. } = inner.bare() {
            self.write(NIL_ANGLE);
            return;
        }
        self.write(PERCENT_BANG);
        self.write_rune(verb);
        self.write(b"(PANIC=");
        self.write(kind.label());
        self.write(b" method: ");
        self.write(msg);
        self.buf.push(b')');
    }

    /// Formats a value found at `depth` (`printValue`); depth 0 is a top-level operand whose
    /// methods have already been considered.
    fn print_value(&mut self, value: &FmtValue, verb: u32, depth: usize) {
        use FmtValue as V;
        match value {
            V::Methods { methods, inner } => {
                if depth > 0 && self.handle_methods(methods, inner, verb) {
                    return;
                }
                self.print_value(inner, verb, depth);
            }
            V::Bool { v: b, .. } => self.fmt_bool(value, *b, verb),
            V::Int { v: n, .. } => self.fmt_integer(value, *n as u64, true, verb),
            V::Uint { v: n, .. } => self.fmt_integer(value, *n, false, verb),
            V::Float { v: x, bits, .. } => self.fmt_float(value, *x, *bits, verb),
            V::Complex { re, im, bits, .. } => self.fmt_complex(value, *re, *im, *bits, verb),
            V::String { .. } => self.fmt_string(value, verb),
            V::Map {
                entries, ty, nil, ..
            } => self.print_map(entries, ty, *nil, verb, depth),
            V::Struct { fields, ty } => self.print_struct(fields, ty, verb, depth),
            V::NilInterface { ty } => {
                if self.f.flags.sharp_v {
                    self.write(ty.as_bytes());
                    self.write(NIL_PAREN);
                } else {
                    self.write(NIL_ANGLE);
                }
            }
            V::Bytes {
                v: b,
                ty,
                array,
                nil,
            } => {
                if [b's', b'q', b'x', b'X'].map(v).contains(&verb) {
                    return self.fmt_bytes(Some(b), verb, ty.as_bytes());
                }
                let elem_ty: super::TypeName = "uint8".into();
                let elems: Vec<FmtValue> = b
                    .iter()
                    .map(|&c| V::Uint {
                        v: u64::from(c),
                        ty: elem_ty.clone(),
                    })
                    .collect();
                self.print_list(&elems, ty, !*array && *nil, verb, depth);
            }
            V::Slice {
                elems,
                ty,
                nil,
                byte_elems,
                ..
            } => self.print_seq(elems, ty, *nil, *byte_elems, verb, depth),
            V::Array {
                elems,
                ty,
                byte_elems,
            } => self.print_seq(elems, ty, false, *byte_elems, verb, depth),
            V::Pointer { addr, to, .. } => {
                // Only a top-level pointer to a composite prints its pointee, as &{...}.
                if depth == 0 && *addr != 0 {
                    if let Some(to) = to {
                        self.buf.push(b'&');
                        return self.print_value(to, verb, depth + 1);
                    }
                }
                self.fmt_pointer(value, verb);
            }
            V::UnsafePointer { .. } | V::Func { .. } | V::Chan { .. } => {
                self.fmt_pointer(value, verb)
            }
        }
    }

    fn fmt_bool(&mut self, value: &FmtValue, b: bool, verb: u32) {
        if verb == v(b't') || verb == v(b'v') {
            self.f.fmt_boolean(&mut self.buf, b);
        } else {
            self.bad_verb(value, verb);
        }
    }

    /// `%#x`-style hex used for unsigned `%#v` and pointers.
    fn fmt_0x64(&mut self, u: u64, leading_0x: bool) {
        let sharp = self.f.flags.sharp;
        self.f.flags.sharp = leading_0x;
        self.f
            .fmt_integer(&mut self.buf, u, 16, false, v(b'v'), LDIGITS);
        self.f.flags.sharp = sharp;
    }

    fn fmt_integer(&mut self, value: &FmtValue, u: u64, signed: bool, verb: u32) {
        let buf = &mut self.buf;
        match u8::try_from(verb).unwrap_or(0) {
            b'v' if self.f.flags.sharp_v && !signed => self.fmt_0x64(u, true),
            b'v' | b'd' => self.f.fmt_integer(buf, u, 10, signed, verb, LDIGITS),
            b'b' => self.f.fmt_integer(buf, u, 2, signed, verb, LDIGITS),
            b'o' | b'O' => self.f.fmt_integer(buf, u, 8, signed, verb, LDIGITS),
            b'x' => self.f.fmt_integer(buf, u, 16, signed, verb, LDIGITS),
            b'X' => self.f.fmt_integer(buf, u, 16, signed, verb, UDIGITS),
            b'c' => self.f.fmt_c(buf, u),
            b'q' => self.f.fmt_qc(buf, u),
            b'U' => self.f.fmt_unicode(buf, u),
            _ => self.bad_verb(value, verb),
        }
    }

    fn fmt_float(&mut self, value: &FmtValue, x: f64, size: u32, verb: u32) {
        let buf = &mut self.buf;
        match u8::try_from(verb).unwrap_or(0) {
            b'v' => self.f.fmt_float(buf, x, size, b'g', -1),
            c @ (b'b' | b'g' | b'G' | b'x' | b'X') => self.f.fmt_float(buf, x, size, c, -1),
            c @ (b'f' | b'e' | b'E') => self.f.fmt_float(buf, x, size, c, 6),
            b'F' => self.f.fmt_float(buf, x, size, b'f', 6),
            _ => self.bad_verb(value, verb),
        }
    }

    fn fmt_complex(&mut self, value: &FmtValue, re: f64, im: f64, size: u32, verb: u32) {
        if ![b'v', b'b', b'g', b'G', b'x', b'X', b'f', b'F', b'e', b'E']
            .map(v)
            .contains(&verb)
        {
            return self.bad_verb(value, verb);
        }
        let old_plus = self.f.flags.plus;
        self.buf.push(b'(');
        self.fmt_float(value, re, size / 2, verb);
        // The imaginary part always carries its sign.
        self.f.flags.plus = true;
        self.fmt_float(value, im, size / 2, verb);
        self.write(b"i)");
        self.f.flags.plus = old_plus;
    }

    fn fmt_string(&mut self, value: &FmtValue, verb: u32) {
        let FmtValue::String { v: s, .. } = value.bare() else {
            return self.bad_verb(value, verb);
        };
        let buf = &mut self.buf;
        match u8::try_from(verb).unwrap_or(0) {
            b'v' if self.f.flags.sharp_v => self.f.fmt_q(buf, s),
            b'v' | b's' => self.f.fmt_s(buf, s),
            b'x' => self.f.fmt_sbx(buf, s, LDIGITS),
            b'X' => self.f.fmt_sbx(buf, s, UDIGITS),
            b'q' => self.f.fmt_q(buf, s),
            _ => self.bad_verb(value, verb),
        }
    }

    /// Byte slices and arrays (`fmtBytes`); `None` is a nil slice.
    fn fmt_bytes(&mut self, b: Option<&[u8]>, verb: u32, type_string: &[u8]) {
        let bytes = b.unwrap_or(&[]);
        match u8::try_from(verb).unwrap_or(0) {
            b'v' | b'd' => {
                if self.f.flags.sharp_v {
                    self.write(type_string);
                    if b.is_none() {
                        return self.write(NIL_PAREN);
                    }
                    self.buf.push(b'{');
                    for (i, &c) in bytes.iter().enumerate() {
                        if i > 0 {
                            self.write(b", ");
                        }
                        self.fmt_0x64(u64::from(c), true);
                    }
                    self.buf.push(b'}');
                } else {
                    self.buf.push(b'[');
                    for (i, &c) in bytes.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(b' ');
                        }
                        self.f
                            .fmt_integer(&mut self.buf, u64::from(c), 10, false, verb, LDIGITS);
                    }
                    self.buf.push(b']');
                }
            }
            b's' => self.f.fmt_s(&mut self.buf, bytes),
            b'x' => self.f.fmt_sbx(&mut self.buf, bytes, LDIGITS),
            b'X' => self.f.fmt_sbx(&mut self.buf, bytes, UDIGITS),
            b'q' => self.f.fmt_q(&mut self.buf, bytes),
            _ => {
                let value = FmtValue::Bytes {
                    v: bytes.to_vec(),
                    ty: String::from_utf8_lossy(type_string).as_ref().into(),
                    array: false,
                    nil: b.is_none(),
                };
                self.print_value(&value, verb, 0);
            }
        }
    }

    /// Pointers, funcs, chans, maps and slices as addresses (`fmtPointer`).
    fn fmt_pointer(&mut self, value: &FmtValue, verb: u32) {
        use FmtValue as V;
        let (u, ty) = match value {
            V::Pointer { addr, ty, .. }
            | V::UnsafePointer { addr, ty }
            | V::Func { addr, ty }
            | V::Chan { addr, ty }
            | V::Map { addr, ty, .. }
            | V::Slice { addr, ty, .. } => (*addr, ty.clone()),
            V::Bytes {
                array: false, ty, ..
            } => (0, ty.clone()),
            _ => return self.bad_verb(value, verb),
        };
        match u8::try_from(verb).unwrap_or(0) {
            b'v' if self.f.flags.sharp_v => {
                self.buf.push(b'(');
                self.write(ty.as_bytes());
                self.write(b")(");
                if u == 0 {
                    self.write(b"nil");
                } else {
                    self.fmt_0x64(u, true);
                }
                self.buf.push(b')');
            }
            b'v' if u == 0 => self.f.pad(&mut self.buf, NIL_ANGLE),
            b'v' | b'p' => self.fmt_0x64(u, !self.f.flags.sharp),
            b'b' | b'o' | b'd' | b'x' | b'X' => self.fmt_integer(value, u, false, verb),
            _ => self.bad_verb(value, verb),
        }
    }

    fn print_map(
        &mut self,
        entries: &[(FmtValue, FmtValue)],
        ty: &str,
        nil: bool,
        verb: u32,
        depth: usize,
    ) {
        let sharp_v = self.f.flags.sharp_v;
        if sharp_v {
            self.write(ty.as_bytes());
            if nil {
                return self.write(NIL_PAREN);
            }
            self.buf.push(b'{');
        } else {
            self.write(b"map[");
        }
        for (i, (k, val)) in sorted_entries(entries).into_iter().enumerate() {
            if i > 0 {
                self.write(if sharp_v { b", " } else { b" " });
            }
            self.print_value(k, verb, depth + 1);
            self.buf.push(b':');
            self.print_value(val, verb, depth + 1);
        }
        self.buf.push(if sharp_v { b'}' } else { b']' });
    }

    fn print_struct(&mut self, fields: &[(String, FmtValue)], ty: &str, verb: u32, depth: usize) {
        let sharp_v = self.f.flags.sharp_v;
        if sharp_v {
            self.write(ty.as_bytes());
        }
        self.buf.push(b'{');
        for (i, (name, val)) in fields.iter().enumerate() {
            if i > 0 {
                self.write(if sharp_v { b", " } else { b" " });
            }
            if (self.f.flags.plus_v || sharp_v) && !name.is_empty() {
                self.write(name.as_bytes());
                self.buf.push(b':');
            }
            self.print_value(val, verb, depth + 1);
        }
        self.buf.push(b'}');
    }

    /// Slices and arrays; byte-element ones go to `fmt_bytes` for `%s %q %x %X`.
    fn print_seq(
        &mut self,
        elems: &[FmtValue],
        ty: &str,
        nil: bool,
        byte_elems: bool,
        verb: u32,
        depth: usize,
    ) {
        if byte_elems && [b's', b'q', b'x', b'X'].map(v).contains(&verb) {
            let bytes = elems_to_bytes(elems);
            return self.fmt_bytes(Some(&bytes), verb, ty.as_bytes());
        }
        self.print_list(elems, ty, nil, verb, depth);
    }

    /// `[a b c]`, or `T{a, b, c}` / `T(nil)` for `%#v`.
    fn print_list(&mut self, elems: &[FmtValue], ty: &str, nil: bool, verb: u32, depth: usize) {
        let sharp_v = self.f.flags.sharp_v;
        if sharp_v {
            self.write(ty.as_bytes());
            if nil {
                return self.write(NIL_PAREN);
            }
            self.buf.push(b'{');
        } else {
            self.buf.push(b'[');
        }
        for (i, e) in elems.iter().enumerate() {
            if i > 0 {
                self.write(if sharp_v { b", " } else { b" " });
            }
            self.print_value(e, verb, depth + 1);
        }
        self.buf.push(if sharp_v { b'}' } else { b']' });
    }
}

/// The bytes of a `uint8`-kind slice or array given element by element.
fn elems_to_bytes(elems: &[FmtValue]) -> Vec<u8> {
    elems
        .iter()
        .map(|e| match e.bare() {
            FmtValue::Uint { v: n, .. } => *n as u8,
            FmtValue::Int { v: n, .. } => *n as u8,
            _ => 0,
        })
        .collect()
}

/// Go's `tooLarge`: widths and precisions beyond ±1e6 are rejected.
fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Parses a decimal number at `s[start..end]` (`parsenum`): (value, found, next index).
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let (mut num, mut isnum) = (0i64, false);
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end); // Overflow; crazy long number most likely.
        }
        num = num * 10 + i64::from(s[i] - b'0');
        isnum = true;
        i += 1;
    }
    (num, isnum, i)
}

/// Parses `[n]` at the start of `s` (`parseArgNumber`): (zero-based index, bytes consumed, ok).
fn parse_arg_number(s: &[u8]) -> (Option<usize>, usize, bool) {
    if s.len() < 3 {
        return (None, 1, false);
    }
    for i in 1..s.len() {
        if s[i] == b']' {
            let (width, ok, newi) = parse_num(s, 1, i);
            if !ok || newi != i {
                return (None, i + 1, false);
            }
            // Arg numbers are one-indexed; [0] is out of range.
            let index = usize::try_from(width - 1).ok();
            return (index, i + 1, true);
        }
    }
    (None, 1, false)
}

/// Takes a `*` width or precision from `args[arg_num]` (`intFromArg`): any integer kind that
/// fits in an int and is within ±1e6. Returns (value, ok, next arg index).
fn int_from_arg(args: &[FmtValue], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (num, is_int) = match arg.bare() {
        FmtValue::Int { v: n, .. } => (*n, true),
        FmtValue::Uint { v: n, .. } => match i64::try_from(*n) {
            Ok(n) => (n, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if too_large(num) {
        return (0, false, arg_num + 1);
    }
    (num, is_int, arg_num + 1)
}
