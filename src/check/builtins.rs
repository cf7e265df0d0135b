//! The predeclared functions (Go spec "Built-in functions"): argument rules, result types, and
//! constant results (`len` of a constant string or of an array).

use super::basic::BasicKind;
use super::constant::Value;
use super::expr::{Mode, Operand};
use super::tast::{self, Builtin, ExprKind as T};
use super::types::{Type, TypeId};
use super::Checker;
use crate::source::Span;
use crate::syntax::ast;

impl Checker {
    pub(crate) fn builtin(
        &mut self,
        b: Builtin,
        args: &[ast::Expr],
        spread: Option<Span>,
        span: Span,
    ) -> Operand {
        let name = builtin_name(b);
        if spread.is_some() && b != Builtin::Append {
            self.error(
                "invalid_spread",
                spread.unwrap_or(span),
                format!("invalid use of ... with built-in {name}"),
            );
            return Operand::invalid(span);
        }
        let (min, max) = arity(b);
        // `make` checks its own count, which depends on the type (Go: "expects 2 or 3").
        let too_many = b != Builtin::Make && max.is_some_and(|m| args.len() > m);
        if args.len() < min || too_many {
            let what = if too_many { "too many" } else { "not enough" };
            let message = format!(
                "invalid operation: {what} arguments for {} (expected {min}, found {})",
                self.text(span),
                args.len()
            );
            self.error_labeled("builtin_args", span, message, format!("{name} takes {min}"));
            return Operand::invalid(span);
        }
        match b {
            Builtin::Len | Builtin::Cap => self.len_cap(b, &args[0], span),
            Builtin::Make => self.make(args, span),
            Builtin::New => self.new_builtin(&args[0], span),
            Builtin::Append => self.append(args, spread, span),
            Builtin::Copy => self.copy_builtin(args, span),
            Builtin::Delete => self.delete(args, span),
            Builtin::Close => self.close(&args[0], span),
            Builtin::Panic => {
                let v = self.value(&args[0]);
                let any = self.common.empty_interface;
                let arg = self.assign_to(v, any, "argument to panic");
                self.builtin_call(b, vec![arg], self.common.no_value, span)
                    .with_mode(Mode::NoValue)
            }
            Builtin::Recover => {
                let any = self.common.empty_interface;
                self.builtin_call(b, Vec::new(), any, span)
            }
            Builtin::Print | Builtin::Println => {
                // `println(f())` of a multi-value f prints each result, as any call `g(f())`.
                let checked = self.check_args(args, None);
                let values = checked
                    .values
                    .into_iter()
                    .map(|v| self.default_value(v).expr)
                    .collect();
                let mut call = self
                    .builtin_call(b, values, self.common.no_value, span)
                    .with_mode(Mode::NoValue);
                if let Some((value, temps)) = checked.unpack {
                    call.expr = tast::Expr {
                        kind: T::Let {
                            temps,
                            value: Box::new(value),
                            body: Box::new(call.expr),
                        },
                        ty: self.common.no_value,
                        span,
                    };
                }
                call
            }
            Builtin::Min | Builtin::Max => self.min_max(b, args, span),
            Builtin::Clear => self.clear(&args[0], span),
            Builtin::Complex | Builtin::Real | Builtin::Imag => {
                self.error(
                    "unsupported",
                    span,
                    format!("gom: built-in {name} (complex numbers) is not supported yet"),
                );
                Operand::invalid(span)
            }
        }
    }

    fn builtin_call(
        &mut self,
        builtin: Builtin,
        args: Vec<tast::Expr>,
        ty: TypeId,
        span: Span,
    ) -> Operand {
        Operand::value(
            T::CallBuiltin {
                builtin,
                args,
                spread: false,
            },
            ty,
            span,
        )
    }

    fn invalid_argument(&mut self, op: &Operand, name: &str) {
        let text = self.text(op.span());
        let desc = self.describe(op, &text);
        self.error_labeled(
            "invalid_argument",
            op.span(),
            format!("invalid argument: {desc} for built-in {name}"),
            "wrong kind of argument",
        );
    }

    fn len_cap(&mut self, b: Builtin, arg: &ast::Expr, span: Span) -> Operand {
        let op = self.value(arg);
        if op.is_invalid() {
            return op;
        }
        let int = self.common.int;
        let under = self.types.under(op.ty).clone();
        let array_len = match &under {
            Type::Array(n, _) => Some(*n),
            Type::Pointer(e) => match self.types.under(*e) {
                Type::Array(n, _) => Some(*n),
                _ => None,
            },
            _ => None,
        };
        let ok = match &under {
            Type::Basic(k) => b == Builtin::Len && k.is_string(),
            Type::Array(..) | Type::Slice(_) | Type::Chan(..) => true,
            Type::Map(..) => b == Builtin::Len,
            Type::Pointer(_) => array_len.is_some(),
            _ => false,
        };
        if !ok {
            self.invalid_argument(&op, builtin_name(b));
            return Operand::invalid(span);
        }
        if let Some(Value::String(bytes)) = op.constant() {
            let v = Value::int(bytes.len() as i64);
            return Operand::value(T::Const(v.clone()), int, span).with_mode(Mode::Const(v));
        }
        // len/cap of an array is constant when the expression has no calls or receives; the
        // compiler evaluates the operand anyway, so only the plain-variable case is folded.
        if let (Some(n), T::Var(_)) = (array_len, &op.expr.kind) {
            let v = Value::int(n as i64);
            return Operand::value(T::Const(v.clone()), int, span).with_mode(Mode::Const(v));
        }
        let op = self.default_value(op);
        self.builtin_call(b, vec![op.expr], int, span)
    }

    fn make(&mut self, args: &[ast::Expr], span: Span) -> Operand {
        let ty = self.resolve_type(&args[0]);
        if self.types.is_invalid(ty) {
            return Operand::invalid(span);
        }
        let (min, max) = match self.types.under(ty) {
            Type::Slice(_) => (2, 3),
            Type::Map(..) | Type::Chan(..) => (1, 2),
            _ => {
                let t = self.type_name(ty);
                self.error_labeled(
                    "invalid_make",
                    args[0].span,
                    format!(
                        "invalid argument: cannot make {t}: type must be slice, map, or channel"
                    ),
                    "not a slice, map or channel",
                );
                return Operand::invalid(span);
            }
        };
        if args.len() < min || args.len() > max {
            let message = format!(
                "invalid operation: {} expects {min} or {max} arguments; found {}",
                self.text(span),
                args.len()
            );
            self.error("builtin_args", span, message);
            return Operand::invalid(span);
        }
        let mut values = Vec::new();
        for a in &args[1..] {
            if let Some(v) = self.size_argument(a, "make") {
                values.push(v);
            }
        }
        if let [len, cap] = values.as_slice() {
            if let (T::Const(l), T::Const(c)) = (&len.kind, &cap.kind) {
                if l.to_i64() > c.to_i64() {
                    let text = self.text(span);
                    self.error(
                        "invalid_make",
                        span,
                        format!("invalid argument: length and capacity swapped in {text}"),
                    );
                }
            }
        }
        self.builtin_call(Builtin::Make, values, ty, span)
            .tap_args_type(ty)
    }

    /// A length, capacity or index argument: an integer (or untyped constant representable as
    /// int), never negative when constant.
    pub(crate) fn size_argument(&mut self, e: &ast::Expr, what: &str) -> Option<tast::Expr> {
        let op = self.value(e);
        if op.is_invalid() {
            return None;
        }
        let text = self.text(e.span);
        if let Some(v) = op.constant() {
            if v.to_int()
                .is_some_and(|n| n.sign() == num_bigint::Sign::Minus)
            {
                self.error("negative_size", e.span, format!("invalid argument: index {text} (constant of type int) must not be negative"));
                return None;
            }
        }
        let int_kind = self
            .types
            .basic_kind(op.ty)
            .is_some_and(BasicKind::is_integer);
        if self.types.is_untyped(op.ty) {
            let int = self.common.int;
            let converted = self.implicit_convert(op, int);
            return match converted {
                Ok(op) => Some(op.expr),
                Err(failed) => {
                    let (op, why) = *failed;
                    let message = self.conversion_failure(&op, why, int);
                    self.error("invalid_size", e.span, message);
                    None
                }
            };
        }
        if !int_kind {
            let desc = self.describe(&op, &text);
            self.error(
                "invalid_size",
                e.span,
                format!("invalid argument: index {desc} must be integer"),
            );
            let _ = what;
            return None;
        }
        Some(op.expr)
    }

    fn new_builtin(&mut self, arg: &ast::Expr, span: Span) -> Operand {
        let op = self.check_expr(arg);
        match op.mode {
            Mode::Invalid => op,
            Mode::Type => {
                let ptr = self.types.intern(Type::Pointer(op.ty));
                let zero = tast::Expr {
                    kind: T::Zero,
                    ty: op.ty,
                    span: arg.span,
                };
                Operand::value(T::New(Box::new(zero)), ptr, span)
            }
            _ => {
                // Go 1.26: new(expr) allocates a copy of the value.
                let op = self.require_value(op);
                if op.is_invalid() {
                    return op;
                }
                let op = self.default_value(op);
                let ptr = self.types.intern(Type::Pointer(op.ty));
                Operand::value(T::New(Box::new(op.expr)), ptr, span)
            }
        }
    }

    fn append(&mut self, args: &[ast::Expr], spread: Option<Span>, span: Span) -> Operand {
        let slice = self.value(&args[0]);
        if slice.is_invalid() {
            return slice;
        }
        if self.is_basic(slice.ty, BasicKind::UntypedNil) {
            self.error(
                "invalid_append",
                args[0].span,
                "invalid append: argument must be a slice; have untyped nil",
            );
            return Operand::invalid(span);
        }
        let Type::Slice(elem) = self.types.under(slice.ty).clone() else {
            let text = self.text(args[0].span);
            let desc = self.describe(&slice, &text);
            self.error(
                "invalid_append",
                args[0].span,
                format!("invalid append: argument must be a slice; have {desc}"),
            );
            return Operand::invalid(span);
        };
        let ty = slice.ty;
        let mut out = vec![slice.expr];
        if spread.is_some() {
            if args.len() != 2 {
                self.error(
                    "invalid_append",
                    span,
                    "can only use ... with final argument in list",
                );
                return Operand::invalid(span);
            }
            let rest = self.value(&args[1]);
            // append([]byte, string...) is allowed.
            let is_bytes_from_string = self.is_basic(elem, BasicKind::Uint8)
                && self
                    .types
                    .basic_kind(rest.ty)
                    .is_some_and(BasicKind::is_string);
            let rest = if is_bytes_from_string {
                self.default_value(rest).expr
            } else {
                self.assign_to(rest, ty, "argument to append")
            };
            out.push(rest);
            return Operand::value(
                T::CallBuiltin {
                    builtin: Builtin::Append,
                    args: out,
                    spread: true,
                },
                ty,
                span,
            );
        }
        for a in &args[1..] {
            let v = self.value(a);
            out.push(self.assign_to(v, elem, "argument to append"));
        }
        Operand::value(
            T::CallBuiltin {
                builtin: Builtin::Append,
                args: out,
                spread: false,
            },
            ty,
            span,
        )
    }

    fn copy_builtin(&mut self, args: &[ast::Expr], span: Span) -> Operand {
        let dst = self.value(&args[0]);
        let src = self.value(&args[1]);
        if dst.is_invalid() || src.is_invalid() {
            return Operand::invalid(span);
        }
        let (Some(dst_elem), Some(src_elem)) = (
            self.copy_operand_elem(&dst, false),
            self.copy_operand_elem(&src, true),
        ) else {
            return Operand::invalid(span);
        };
        if !self.types.identical(dst_elem, src_elem) {
            let (d, s) = (self.text(dst.span()), self.text(src.span()));
            let message = format!(
                "invalid copy: arguments {} and {} have different element types {} and {}",
                self.describe(&dst, &d),
                self.describe(&src, &s),
                self.type_name(dst_elem),
                self.type_name(src_elem)
            );
            self.error("invalid_copy", dst.span(), message);
            return Operand::invalid(span);
        }
        let src = self.default_value(src);
        let int = self.common.int;
        self.builtin_call(Builtin::Copy, vec![dst.expr, src.expr], int, span)
    }

    /// The element type of a `copy` argument (a string source copies bytes); reports others.
    fn copy_operand_elem(&mut self, op: &Operand, source: bool) -> Option<TypeId> {
        match self.types.under(op.ty) {
            Type::Slice(e) => return Some(*e),
            Type::Basic(k) if source && k.is_string() => return Some(self.common.byte),
            _ => {}
        }
        let text = self.text(op.span());
        let desc = self.describe(op, &text);
        self.error(
            "invalid_copy",
            op.span(),
            format!("invalid copy: argument must be a slice; have {desc}"),
        );
        None
    }

    fn delete(&mut self, args: &[ast::Expr], span: Span) -> Operand {
        let m = self.value(&args[0]);
        if m.is_invalid() {
            return m;
        }
        let Type::Map(key, _) = self.types.under(m.ty).clone() else {
            let text = self.text(args[0].span);
            let desc = self.describe(&m, &text);
            self.error(
                "invalid_delete",
                args[0].span,
                format!("invalid argument: {desc} is not a map"),
            );
            return Operand::invalid(span);
        };
        let k = self.value(&args[1]);
        let k = self.assign_to(k, key, "argument to delete");
        self.builtin_call(Builtin::Delete, vec![m.expr, k], self.common.no_value, span)
            .with_mode(Mode::NoValue)
    }

    fn close(&mut self, arg: &ast::Expr, span: Span) -> Operand {
        let ch = self.value(arg);
        if ch.is_invalid() {
            return ch;
        }
        let text = self.text(arg.span);
        match self.types.under(ch.ty).clone() {
            Type::Chan(ast::ChanDir::Recv, _) => {
                let desc = self.describe(&ch, &text);
                self.error(
                    "close_receive_only",
                    arg.span,
                    format!("invalid operation: cannot close receive-only channel {desc}"),
                );
                Operand::invalid(span)
            }
            Type::Chan(..) => self
                .builtin_call(Builtin::Close, vec![ch.expr], self.common.no_value, span)
                .with_mode(Mode::NoValue),
            _ => {
                let desc = self.describe(&ch, &text);
                self.error(
                    "close_non_chan",
                    arg.span,
                    format!("invalid operation: cannot close non-channel {desc}"),
                );
                Operand::invalid(span)
            }
        }
    }

    fn min_max(&mut self, b: Builtin, args: &[ast::Expr], span: Span) -> Operand {
        let mut ops: Vec<Operand> = args.iter().map(|a| self.value(a)).collect();
        if ops.iter().any(Operand::is_invalid) {
            return Operand::invalid(span);
        }
        let Some(ty) = self.min_max_type(&ops) else {
            return Operand::invalid(span);
        };
        let ordered = self
            .types
            .basic_kind(ty)
            .is_some_and(|k| k.is_integer() || k.is_float() || k.is_string());
        if !ordered {
            let desc = self.describe(&ops[0], &self.text(ops[0].span()));
            self.error(
                "invalid_argument",
                ops[0].span(),
                format!("invalid argument: {desc} cannot be ordered"),
            );
            return Operand::invalid(span);
        }
        let all_const = ops.iter().all(|o| o.constant().is_some());
        if all_const
            && (self.types.is_untyped(ty) || ops.iter().all(|o| self.types.identical(o.ty, ty)))
        {
            let op = if b == Builtin::Min {
                ast::BinaryOp::Lt
            } else {
                ast::BinaryOp::Gt
            };
            let mut best = 0;
            for i in 1..ops.len() {
                let (Some(a), Some(c)) = (ops[i].constant(), ops[best].constant()) else {
                    continue;
                };
                if super::constant::compare(a, op, c).unwrap_or(false) {
                    best = i;
                }
            }
            let mut chosen = ops.swap_remove(best);
            // The result is the call, for messages: `max(1, 300) (untyped int constant 300)`.
            chosen.expr.span = span;
            return self.retype_untyped(chosen, ty);
        }
        let mut values = Vec::new();
        for op in ops {
            values.push(self.assign_to(op, ty, &format!("argument to {}", builtin_name(b))));
        }
        let ty = if self.types.is_untyped(ty) {
            let kind = self.types.basic_kind(ty).unwrap_or(BasicKind::UntypedInt);
            self.default_type_of(kind)
        } else {
            ty
        };
        self.builtin_call(b, values, ty, span)
    }

    /// The common type of `min`/`max` operands, matched pairwise left to right as Go does: a
    /// typed operand fixes the type, untyped numeric kinds widen (`1, 2.5` is untyped float).
    fn min_max_type(&mut self, ops: &[Operand]) -> Option<TypeId> {
        let mut ty = ops.first()?.ty;
        for op in &ops[1..] {
            let (prev_untyped, next_untyped) =
                (self.types.is_untyped(ty), self.types.is_untyped(op.ty));
            let kinds = (self.types.basic_kind(ty), self.types.basic_kind(op.ty));
            let matched = match (prev_untyped, next_untyped, kinds) {
                (true, true, (Some(a), Some(b))) => {
                    let wider = super::constant::larger_kind(a, b);
                    let numeric = |k: BasicKind| k.is_numeric();
                    (a == b || numeric(a) && numeric(b)).then(|| self.types.basic(wider))
                }
                (true, false, _) => Some(op.ty),
                (false, true, _) => Some(ty),
                _ => self.types.identical(ty, op.ty).then_some(ty),
            };
            let Some(next) = matched else {
                let text = self.text(op.span());
                let message = format!(
                    "invalid argument: mismatched types {} (previous argument) and {} (type of {text})",
                    self.type_name(ty),
                    self.type_name(op.ty)
                );
                self.error("mismatched_types", op.span(), message);
                return None;
            };
            ty = next;
        }
        Some(ty)
    }

    fn clear(&mut self, arg: &ast::Expr, span: Span) -> Operand {
        let x = self.value(arg);
        if x.is_invalid() {
            return x;
        }
        if !matches!(self.types.under(x.ty), Type::Map(..) | Type::Slice(_)) {
            let text = self.text(arg.span);
            let desc = self.describe(&x, &text);
            self.error(
                "invalid_argument",
                arg.span,
                format!("invalid argument: cannot clear {desc}: argument must be (or constrained by) map or slice"),
            );
            return Operand::invalid(span);
        }
        self.builtin_call(Builtin::Clear, vec![x.expr], self.common.no_value, span)
            .with_mode(Mode::NoValue)
    }
}

trait TapArgs {
    fn tap_args_type(self, ty: TypeId) -> Self;
}

impl TapArgs for Operand {
    /// `make(T, ...)` records its type as its own.
    fn tap_args_type(mut self, ty: TypeId) -> Self {
        self.ty = ty;
        self.expr.ty = ty;
        self
    }
}

fn builtin_name(b: Builtin) -> &'static str {
    match b {
        Builtin::Len => "len",
        Builtin::Cap => "cap",
        Builtin::Make => "make",
        Builtin::New => "new",
        Builtin::Append => "append",
        Builtin::Copy => "copy",
        Builtin::Delete => "delete",
        Builtin::Close => "close",
        Builtin::Panic => "panic",
        Builtin::Recover => "recover",
        Builtin::Print => "print",
        Builtin::Println => "println",
        Builtin::Min => "min",
        Builtin::Max => "max",
        Builtin::Clear => "clear",
        Builtin::Complex => "complex",
        Builtin::Real => "real",
        Builtin::Imag => "imag",
    }
}

/// Minimum and maximum argument counts.
fn arity(b: Builtin) -> (usize, Option<usize>) {
    match b {
        Builtin::Len
        | Builtin::Cap
        | Builtin::New
        | Builtin::Close
        | Builtin::Panic
        | Builtin::Clear
        | Builtin::Real
        | Builtin::Imag => (1, Some(1)),
        Builtin::Make => (1, Some(3)),
        Builtin::Append | Builtin::Min | Builtin::Max => (1, None),
        Builtin::Copy | Builtin::Delete | Builtin::Complex => (2, Some(2)),
        Builtin::Recover => (0, Some(0)),
        Builtin::Print | Builtin::Println => (0, None),
    }
}
