//! Calls and conversions: `f(x)`, `x.M(y)`, `i.M()`, `T(x)`, `f(g())` with a multi-value `g`,
//! variadic calls (the extra arguments are packed into a slice here, so every call in the typed
//! AST has exactly one argument per parameter).

use super::basic::BasicKind;
use super::expr::{Mode, Operand};
use super::lookup::{Lookup, Selection};
use super::tast::{self, ExprKind as T, FuncId};
use super::types::{Signature, Type, TypeId};
use super::Checker;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind};

/// The arguments of a call, checked, before they are matched to parameters.
pub(crate) struct Args {
    /// One operand per value: a multi-value call `f(g())` is unpacked into temporaries.
    pub values: Vec<Operand>,
    /// `g()` of `f(g())`, with the temporaries its results go to.
    pub unpack: Option<(tast::Expr, Vec<tast::LocalId>)>,
    pub spread: Option<Span>,
}

impl Checker {
    /// Go's `invalid operation: cannot call x (variable of type int): int is not a function`.
    fn not_a_function(&mut self, callee: &Operand, text: &str, span: Span) {
        if self.types.is_invalid(callee.ty) {
            return; // already reported
        }
        let desc = self.describe(callee, text);
        let t = self.type_name(callee.ty);
        self.error_labeled(
            "not_a_function",
            span,
            format!("invalid operation: cannot call {desc}: {t} is not a function"),
            format!("{t} is not a function"),
        );
    }

    pub(crate) fn call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        spread: Option<Span>,
        span: Span,
    ) -> Operand {
        if let ExprKind::Selector { x, sel } = &func.kind {
            if let Some(op) = self.method_call(x, sel, args, spread, span) {
                return op;
            }
        }
        let callee = self.check_expr(func);
        match callee.mode {
            Mode::Invalid => {
                self.check_args(args, spread);
                Operand::invalid(span)
            }
            Mode::Type => self.conversion(callee.ty, args, spread, span),
            Mode::Builtin(b) => self.builtin(b, args, spread, span),
            _ => {
                let callee = self.require_value(callee);
                if callee.is_invalid() {
                    self.check_args(args, spread);
                    return callee;
                }
                let Some(sig) = self.types.signature(callee.ty).cloned() else {
                    let text = self.text(func.span);
                    self.not_a_function(&callee, &text, span);
                    self.check_args(args, spread);
                    return Operand::invalid(span);
                };
                let name = self.text(func.span);
                let checked = self.check_args(args, spread);
                let values = self.match_args(checked, &sig, &name, span);
                let kind = match callee.expr.kind {
                    T::Func(f) => T::CallStatic {
                        func: f,
                        args: values.args,
                    },
                    _ => T::CallDynamic {
                        func: Box::new(callee.expr),
                        args: values.args,
                    },
                };
                self.call_result(kind, &sig, values.unpack, span)
            }
        }
    }

    /// `x.M(args)` where `M` is a method (not a field of func type): a static or interface call.
    fn method_call(
        &mut self,
        x: &ast::Expr,
        sel: &ast::Ident,
        args: &[ast::Expr],
        spread: Option<Span>,
        span: Span,
    ) -> Option<Operand> {
        if let ExprKind::Name(id) = &x.kind {
            let obj = self.lookup(&id.name)?;
            if matches!(
                self.obj(obj).kind,
                super::ObjKind::Package(_) | super::ObjKind::TypeName
            ) {
                return None;
            }
        }
        let base = self.check_expr(x);
        if matches!(base.mode, Mode::Type | Mode::Invalid) {
            if base.is_invalid() {
                self.check_args(args, spread);
                return Some(Operand::invalid(span));
            }
            return None;
        }
        let base = self.require_value(base);
        if base.is_invalid() {
            self.check_args(args, spread);
            return Some(base);
        }
        let name = self.text(x.span.to(sel.span));
        match self.lookup_member(base.ty, &sel.name) {
            Lookup::Found(Selection::Method { path, method }) => {
                let recv = self.follow_path(base, &path);
                let Some(recv) = self.method_receiver(recv, &method, x.span.to(sel.span)) else {
                    self.check_args(args, spread);
                    return Some(Operand::invalid(span));
                };
                let sig = self
                    .types
                    .signature(method.sig)
                    .cloned()
                    .unwrap_or(Signature {
                        params: vec![],
                        results: vec![],
                        variadic: false,
                    });
                let checked = self.check_args(args, spread);
                let mut values = self.match_args(checked, &sig, &name, span);
                values.args.insert(0, recv.expr);
                let kind = T::CallStatic {
                    func: FuncId(method.func),
                    args: values.args,
                };
                Some(self.call_result(kind, &sig, values.unpack, span))
            }
            Lookup::Found(Selection::Interface { path, index, sig }) => {
                let recv = self.follow_path(base, &path);
                let sig = self.types.signature(sig).cloned().unwrap_or(Signature {
                    params: vec![],
                    results: vec![],
                    variadic: false,
                });
                let checked = self.check_args(args, spread);
                let values = self.match_args(checked, &sig, &name, span);
                let kind = T::CallInterface {
                    recv: Box::new(recv.expr),
                    method: index,
                    args: values.args,
                };
                Some(self.call_result(kind, &sig, values.unpack, span))
            }
            Lookup::Found(Selection::Field { path, index, ty }) => {
                // A field of func type: an ordinary dynamic call of the field's value.
                let field = self.follow_path(base, &path);
                let field_span = x.span.to(sel.span);
                let f = self.field_value(field, index, ty, field_span);
                let Some(sig) = self.types.signature(ty).cloned() else {
                    self.not_a_function(&f, &name, span);
                    self.check_args(args, spread);
                    return Some(Operand::invalid(span));
                };
                let checked = self.check_args(args, spread);
                let values = self.match_args(checked, &sig, &name, span);
                let kind = T::CallDynamic {
                    func: Box::new(f.expr),
                    args: values.args,
                };
                Some(self.call_result(kind, &sig, values.unpack, span))
            }
            Lookup::Ambiguous | Lookup::NotFound => None.or_else(|| {
                // Report through the ordinary selector path.
                let _ = self.select_missing(base, sel, span);
                self.check_args(args, spread);
                Some(Operand::invalid(span))
            }),
        }
    }

    fn select_missing(&mut self, base: Operand, sel: &ast::Ident, span: Span) -> Operand {
        let text = self.text(span);
        let _ = text;
        let sel_span = sel.span;
        let expr_text = self.text(base.span().to(sel_span));
        let why = match self.lookup_member(base.ty, &sel.name) {
            Lookup::Ambiguous => format!("ambiguous selector {expr_text}"),
            _ => format!(
                "{expr_text} undefined ({})",
                self.no_member_reason(base.ty, &sel.name)
            ),
        };
        self.error_labeled(
            "missing_field_or_method",
            sel_span,
            why,
            "no such field or method",
        );
        Operand::invalid(span)
    }

    fn field_value(&mut self, x: Operand, index: u32, ty: TypeId, span: Span) -> Operand {
        let through_pointer = matches!(self.types.under(x.ty), Type::Pointer(_));
        let kind = if through_pointer {
            T::PtrField {
                x: Box::new(x.expr),
                index,
            }
        } else {
            T::Field {
                x: Box::new(x.expr),
                index,
            }
        };
        Operand::value(kind, ty, span)
    }

    /// The operand for a call's result: no value, one value, or a tuple.
    fn call_result(
        &mut self,
        kind: T,
        sig: &Signature,
        unpack: Option<(tast::Expr, Vec<tast::LocalId>)>,
        span: Span,
    ) -> Operand {
        let ty = match sig.results.as_slice() {
            [] => self.common.no_value,
            [one] => *one,
            many => self.types.intern(Type::Tuple(many.to_vec())),
        };
        let call = tast::Expr { kind, ty, span };
        let expr = match unpack {
            Some((value, temps)) => tast::Expr {
                kind: T::Let {
                    temps,
                    value: Box::new(value),
                    body: Box::new(call),
                },
                ty,
                span,
            },
            None => call,
        };
        let mode = if sig.results.is_empty() {
            Mode::NoValue
        } else {
            Mode::Value
        };
        Operand {
            mode,
            ty,
            expr,
            place: None,
            comma_ok: false,
        }
    }

    /// Checks call arguments; a single multi-value call is unpacked into temporaries.
    pub(crate) fn check_args(&mut self, args: &[ast::Expr], spread: Option<Span>) -> Args {
        if let [single] = args {
            let op = self.check_expr(single);
            if let Type::Tuple(items) = self.types.get(op.ty).clone() {
                if items.len() > 1 && !matches!(op.mode, Mode::Invalid) {
                    let temps: Vec<tast::LocalId> = items
                        .iter()
                        .map(|t| self.add_local("", *t, single.span))
                        .collect();
                    let values = temps
                        .iter()
                        .zip(&items)
                        .map(|(l, t)| {
                            Operand::value(T::Var(tast::VarRef::Local(*l)), *t, single.span)
                        })
                        .collect();
                    return Args {
                        values,
                        unpack: Some((op.expr, temps)),
                        spread,
                    };
                }
            }
            let op = self.require_value(op);
            return Args {
                values: vec![op],
                unpack: None,
                spread,
            };
        }
        let values = args.iter().map(|a| self.value(a)).collect();
        Args {
            values,
            unpack: None,
            spread,
        }
    }

    /// Matches arguments to parameters: counts (Go's `not enough arguments in call to f`),
    /// assignability, variadic packing.
    pub(crate) fn match_args(
        &mut self,
        args: Args,
        sig: &Signature,
        name: &str,
        span: Span,
    ) -> MatchedArgs {
        let fixed = if sig.variadic {
            sig.params.len().saturating_sub(1)
        } else {
            sig.params.len()
        };
        let n = args.values.len();
        let context = format!("argument to {name}");
        if let (Some(spread), false) = (args.spread, sig.variadic) {
            // Go reports only this: the argument count is not checked against `...`.
            self.error(
                "spread_non_variadic",
                spread,
                format!("cannot use ... in call to non-variadic {name}"),
            );
            let exprs = args.values.into_iter().map(|v| v.expr).collect();
            return MatchedArgs {
                args: exprs,
                unpack: args.unpack,
            };
        }
        let too_few = n < fixed || (args.spread.is_some() && n < sig.params.len());
        let too_many = !sig.variadic && n > fixed || args.spread.is_some() && n > sig.params.len();
        if too_few || too_many {
            self.argument_count_error(&args, sig, name, span, too_few);
            let exprs = args.values.into_iter().map(|v| v.expr).collect();
            return MatchedArgs {
                args: exprs,
                unpack: args.unpack,
            };
        }
        let mut values = args.values.into_iter();
        let mut out = Vec::with_capacity(sig.params.len());
        for &param in &sig.params[..fixed] {
            if let Some(v) = values.next() {
                out.push(self.assign_to(v, param, &context));
            }
        }
        if sig.variadic {
            let slice_ty = sig.params[fixed];
            if args.spread.is_some() {
                if let Some(v) = values.next() {
                    out.push(self.assign_to(v, slice_ty, &context));
                }
            } else {
                let elem = self.types.elem(slice_ty).unwrap_or(TypeId::INVALID);
                let rest: Vec<Operand> = values.collect();
                out.push(self.pack_variadic(rest, elem, slice_ty, &context, span));
            }
        }
        MatchedArgs {
            args: out,
            unpack: args.unpack,
        }
    }

    /// `f(a, b, c)` for `f(xs ...T)`: `[]T{b, c}` (nil when there are none).
    fn pack_variadic(
        &mut self,
        rest: Vec<Operand>,
        elem: TypeId,
        slice_ty: TypeId,
        context: &str,
        span: Span,
    ) -> tast::Expr {
        if rest.is_empty() {
            return tast::Expr {
                kind: T::Zero,
                ty: slice_ty,
                span,
            };
        }
        let start = rest[0].span();
        let len = rest.len() as u64;
        let elems = rest
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i as u64, self.assign_to(v, elem, context)))
            .collect();
        let end = span.end.saturating_sub(1).max(start.start);
        tast::Expr {
            kind: T::ArrayLit { elems, len },
            ty: slice_ty,
            span: Span::new(start.start, end),
        }
    }

    fn argument_count_error(
        &mut self,
        args: &Args,
        sig: &Signature,
        name: &str,
        span: Span,
        too_few: bool,
    ) {
        let have: Vec<String> = args
            .values
            .iter()
            .map(|v| {
                if self.types.is_untyped(v.ty) && v.constant().is_some() {
                    "number".to_string()
                } else {
                    self.type_name(v.ty)
                }
            })
            .collect();
        let want = {
            let mut s = String::new();
            let sig_copy = sig.clone();
            self.types.write_signature(&mut s, &sig_copy, &|_| true);
            s.split(')')
                .next()
                .map(|p| format!("{p})"))
                .unwrap_or_default()
        };
        let what = if too_few { "not enough" } else { "too many" };
        let at = if too_few {
            Span::new(span.end.saturating_sub(1), span.end)
        } else {
            args.values.get(sig.params.len()).map_or(span, |v| v.span())
        };
        let message = format!(
            "{what} arguments in call to {name}\n\thave ({})\n\twant {want}",
            have.join(", ")
        );
        self.error_labeled("argument_count", at, message, format!("{what} arguments"));
    }

    /// `T(x)`: a conversion (Go spec "Conversions").
    fn conversion(
        &mut self,
        target: TypeId,
        args: &[ast::Expr],
        spread: Option<Span>,
        span: Span,
    ) -> Operand {
        let target_name = self.type_name(target);
        if args.len() != 1 || spread.is_some() {
            let what = if args.is_empty() {
                "missing argument in conversion to"
            } else {
                "too many arguments in conversion to"
            };
            self.error("conversion_args", span, format!("{what} {target_name}"));
            self.check_args(args, None);
            return Operand::invalid(span);
        }
        let x = self.value(&args[0]);
        if x.is_invalid() || self.types.is_invalid(target) {
            return Operand::invalid(span);
        }
        if let Some(value) = x.constant().cloned() {
            if self
                .types
                .basic_kind(target)
                .is_some_and(|k| !k.is_untyped())
                && self.types.basic_kind(x.ty).is_some()
            {
                return match self.convert_constant(&value, x.ty, target) {
                    Ok(v) => {
                        Operand::value(T::Const(v.clone()), target, span).with_mode(Mode::Const(v))
                    }
                    Err(e) => {
                        let text = self.text(args[0].span);
                        let desc = self.describe(&x, &text);
                        let message = e.message(&value, &desc, &target_name);
                        self.error("cannot_convert", span, message);
                        Operand::invalid(span)
                    }
                };
            }
        }
        if self.types.is_untyped(x.ty) {
            if self.is_basic(x.ty, BasicKind::UntypedNil) {
                if self.nil_assignable(target) {
                    return Operand::value(T::Zero, target, span);
                }
                self.error(
                    "cannot_convert",
                    span,
                    format!("cannot convert nil to type {target_name}"),
                );
                return Operand::invalid(span);
            }
            let string_to_slice = self.types.basic_kind(x.ty) == Some(BasicKind::UntypedString)
                && matches!(self.types.under(target), Type::Slice(_));
            if !self.types.is_interface(target)
                && self.types.basic_kind(target).is_none()
                && !string_to_slice
            {
                let text = self.text(args[0].span);
                let desc = self.describe(&x, &text);
                self.error(
                    "cannot_convert",
                    span,
                    format!("cannot convert {desc} to type {target_name}"),
                );
                return Operand::invalid(span);
            }
        }
        if self.types.is_interface(target) {
            let expr = self.assign_to(x, target, "conversion");
            return Operand::value(expr.kind, target, span);
        }
        let x = self.default_value(x);
        if !self.convertible(x.ty, target) {
            let text = self.text(args[0].span);
            let desc = self.describe(&x, &text);
            self.error_labeled(
                "cannot_convert",
                span,
                format!("cannot convert {desc} to type {target_name}"),
                "not convertible",
            );
            return Operand::invalid(span);
        }
        Operand::value(T::Convert(Box::new(x.expr)), target, span)
    }

    /// Whether a non-constant value of type `from` converts to `to`.
    /// Go 1.20's conversion of a slice to an array or array pointer of the same element type.
    fn slice_to_array(&self, from: TypeId, to: TypeId) -> bool {
        let Type::Slice(elem) = self.types.under(from) else {
            return false;
        };
        let array = match self.types.under(to) {
            Type::Pointer(a) => *a,
            _ => to,
        };
        match self.types.under(array) {
            Type::Array(_, e) => self.types.identical(*elem, *e),
            _ => false,
        }
    }

    fn convertible(&mut self, from: TypeId, to: TypeId) -> bool {
        if self.assignable_type(from, to)
            || self
                .types
                .identical(self.types.underlying(from), self.types.underlying(to))
        {
            return true;
        }
        if let (Type::Pointer(a), Type::Pointer(b)) =
            (self.types.get(from).clone(), self.types.get(to).clone())
        {
            if self
                .types
                .identical(self.types.underlying(a), self.types.underlying(b))
            {
                return true;
            }
        }
        if self.slice_to_array(from, to) {
            return true;
        }
        let (fk, tk) = (self.types.basic_kind(from), self.types.basic_kind(to));
        if let (Some(f), Some(t)) = (fk, tk) {
            if (f.is_integer() || f.is_float()) && (t.is_integer() || t.is_float())
                || f.is_complex() && t.is_complex()
            {
                return true;
            }
            if f.is_integer() && t.is_string() {
                return true;
            }
        }
        let bytes_or_runes = |c: &Checker, ty: TypeId| match c.types.under(ty) {
            Type::Slice(e) => matches!(
                c.types.basic_kind(*e),
                Some(BasicKind::Uint8 | BasicKind::Int32)
            ),
            _ => false,
        };
        if tk.is_some_and(BasicKind::is_string) && bytes_or_runes(self, from) {
            return true;
        }
        if fk.is_some_and(BasicKind::is_string) && bytes_or_runes(self, to) {
            return true;
        }
        false
    }
}

/// Call arguments matched to parameters.
pub(crate) struct MatchedArgs {
    pub args: Vec<tast::Expr>,
    pub unpack: Option<(tast::Expr, Vec<tast::LocalId>)>,
}
