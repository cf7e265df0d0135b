//! Expressions: names, literals, operators, indexing, slicing, composite and func literals.
//!
//! Input: an AST expression. Output: an [`Operand`]: what the expression is (a value, a
//! constant, a type, a builtin, nothing) with its type and its typed-AST form. Untyped
//! constants stay untyped here; the context converts them ([`Checker::assign_to`],
//! [`Checker::default_value`]).

use super::basic::BasicKind;
use super::constant::{self, Value};
use super::tast::{self, Builtin, ExprKind as T, Place, VarRef};
use super::types::{Type, TypeId};
use super::{Checker, ObjId, ObjKind};
use crate::source::Span;
use crate::syntax::ast::{self, BinaryOp, ExprKind, UnaryOp};

#[derive(Clone, Debug)]
pub(crate) enum Mode {
    /// Already reported; anything goes.
    Invalid,
    /// A call with no results.
    NoValue,
    Value,
    /// A variable (or other addressable place: `*p`, `a[i]` of an addressable array, ...).
    Var,
    /// `m[k]`: assignable but not addressable, and has a comma-ok form.
    MapIndex,
    Const(Value),
    Type,
    Builtin(Builtin),
}

pub(crate) struct Operand {
    pub mode: Mode,
    pub ty: TypeId,
    pub expr: tast::Expr,
    /// For a variable operand, how to assign to it.
    pub place: Option<Place>,
    /// The expression has a comma-ok form (map index, type assertion, receive).
    pub comma_ok: bool,
}

impl Operand {
    pub fn invalid(span: Span) -> Operand {
        Operand::value(T::Zero, TypeId::INVALID, span).with_mode(Mode::Invalid)
    }

    pub fn value(kind: T, ty: TypeId, span: Span) -> Operand {
        Operand {
            mode: Mode::Value,
            ty,
            expr: tast::Expr { kind, ty, span },
            place: None,
            comma_ok: false,
        }
    }

    pub fn with_mode(mut self, mode: Mode) -> Operand {
        self.mode = mode;
        self
    }

    pub fn constant(&self) -> Option<&Value> {
        match &self.mode {
            Mode::Const(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self.mode, Mode::Invalid)
    }

    pub fn span(&self) -> Span {
        self.expr.span
    }
}

impl Checker {
    /// Checks any expression (also types and builtins, for the callers that accept them).
    pub(crate) fn check_expr(&mut self, e: &ast::Expr) -> Operand {
        match &e.kind {
            ExprKind::Name(id) => self.name(id, e.span),
            ExprKind::Lit(lit) => self.literal(lit, e.span),
            ExprKind::Paren(inner) => {
                let mut op = self.check_expr(inner);
                op.expr.span = e.span;
                op
            }
            ExprKind::Composite { ty, elems } => self.composite(ty.as_deref(), elems, e.span, None),
            ExprKind::FuncLit { sig, body } => self.func_lit(sig, body, e.span),
            ExprKind::Selector { x, sel } => self.selector(x, sel, e.span),
            ExprKind::Index { x, indices } => self.index(x, indices, e.span),
            ExprKind::Slice { x, lo, hi, max, .. } => {
                self.slice_expr(x, lo.as_deref(), hi.as_deref(), max.as_deref(), e.span)
            }
            ExprKind::TypeAssert { x, ty } => self.type_assert(x, ty.as_deref(), e.span),
            ExprKind::Call { func, args, spread } => self.call(func, args, *spread, e.span),
            ExprKind::Star(x) => self.star(x, e.span),
            ExprKind::Unary { op, x } => self.unary(*op, x, e.span),
            ExprKind::Binary { op, x, y } => self.binary(*op, x, y, e.span),
            ExprKind::ArrayType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. }
            | ExprKind::FuncType(_)
            | ExprKind::StructType { .. }
            | ExprKind::InterfaceType { .. } => {
                let ty = self.resolve_type(e);
                Operand::value(T::Zero, ty, e.span).with_mode(Mode::Type)
            }
            ExprKind::Ellipsis(_) => {
                self.error("misplaced_variadic", e.span, "invalid use of ...");
                Operand::invalid(e.span)
            }
            ExprKind::Bad => Operand::invalid(e.span),
        }
    }

    /// Checks an expression that must be a single value (or constant).
    pub(crate) fn value(&mut self, e: &ast::Expr) -> Operand {
        let op = self.check_expr(e);
        self.require_value(op)
    }

    pub(crate) fn require_value(&mut self, op: Operand) -> Operand {
        let span = op.span();
        let text = self.text(span);
        match op.mode {
            Mode::Type => {
                self.error_labeled(
                    "not_an_expression",
                    span,
                    format!("{text} (type) is not an expression"),
                    "a type",
                );
                Operand::invalid(span)
            }
            Mode::NoValue => {
                self.error_labeled(
                    "no_value",
                    span,
                    format!("{text} (no value) used as value"),
                    "returns nothing",
                );
                Operand::invalid(span)
            }
            Mode::Builtin(_) => {
                self.error_labeled(
                    "builtin_value",
                    span,
                    format!("{text} (built-in) must be called"),
                    "not called",
                );
                Operand::invalid(span)
            }
            _ if matches!(self.types.get(op.ty), Type::Tuple(items) if items.len() > 1) => {
                let n = match self.types.get(op.ty) {
                    Type::Tuple(items) => items.len(),
                    _ => 0,
                };
                self.error_labeled(
                    "multi_value",
                    span,
                    format!(
                        "multiple-value {text} (value of type {}) in single-value context",
                        self.type_name(op.ty)
                    ),
                    format!("returns {n} values"),
                );
                Operand::invalid(span)
            }
            _ => op,
        }
    }

    // ---- Names ---------------------------------------------------------------------------------

    fn name(&mut self, id: &ast::Ident, span: Span) -> Operand {
        if id.name == "_" {
            self.error_labeled("blank_value", span, "cannot use _ as value", "write-only");
            return Operand::invalid(span);
        }
        let Some(obj) = self.lookup(&id.name) else {
            self.error_labeled(
                "undefined",
                span,
                format!("undefined: {}", id.name),
                "not declared",
            );
            return Operand::invalid(span);
        };
        self.object_operand(obj, span, true)
    }

    /// The operand for a resolved name; `read` marks variables as used.
    pub(crate) fn object_operand(&mut self, obj: ObjId, span: Span, read: bool) -> Operand {
        self.resolve(obj);
        self.record_dep(obj);
        if read {
            self.obj_mut(obj).used = true;
        }
        let o = self.obj(obj).clone();
        match o.kind {
            ObjKind::Const(value) => {
                Operand::value(T::Const(value.clone()), o.ty, span).with_mode(Mode::Const(value))
            }
            ObjKind::TypeName => Operand::value(T::Zero, o.ty, span).with_mode(Mode::Type),
            // A package variable in an initialisation cycle (reported by the ordering).
            ObjKind::Var(_) if o.ty == TypeId::INVALID => Operand::invalid(span),
            ObjKind::Var(_) => {
                let var = self.var_ref(obj);
                let mut op = Operand::value(T::Var(var), o.ty, span).with_mode(Mode::Var);
                op.place = Some(Place::Var(var));
                op
            }
            ObjKind::Func(func) => Operand::value(T::Func(func), o.ty, span),
            ObjKind::Builtin(b) => {
                Operand::value(T::Zero, TypeId::INVALID, span).with_mode(Mode::Builtin(b))
            }
            ObjKind::Package(_) => {
                self.error_labeled(
                    "package_value",
                    span,
                    format!("use of package {} without selector", o.name),
                    "a package",
                );
                Operand::invalid(span)
            }
            ObjKind::Nil => Operand::value(T::Zero, self.common.untyped_nil, span),
            ObjKind::Iota => match self.iota {
                Some(n) => {
                    let v = Value::int(n as i64);
                    Operand::value(T::Const(v.clone()), self.common.untyped_int, span)
                        .with_mode(Mode::Const(v))
                }
                None => {
                    self.error_labeled(
                        "iota",
                        span,
                        "cannot use iota outside constant declaration",
                        "not in a const declaration",
                    );
                    Operand::invalid(span)
                }
            },
        }
    }

    /// How the current function reaches a variable: directly, or as a capture of an enclosing
    /// function's variable (which is then boxed there).
    pub(crate) fn var_ref(&mut self, obj: ObjId) -> VarRef {
        let ObjKind::Var(var) = self.obj(obj).kind else {
            return VarRef::Capture(u32::MAX);
        };
        let level = self.obj(obj).level;
        if matches!(var, VarRef::Global(_)) || level == 0 || level >= self.fctx.len() {
            return var;
        }
        self.capture_at(obj, var, level, self.fctx.len())
    }

    /// The reference to `obj` (declared at function level `declared`) from level `at`.
    fn capture_at(&mut self, obj: ObjId, var: VarRef, declared: usize, at: usize) -> VarRef {
        if at == declared {
            if let VarRef::Local(local) = var {
                let func = self.fctx[declared - 1].func;
                if let Some(l) = self.funcs[func.0 as usize].locals.get_mut(local.0 as usize) {
                    l.boxed = true;
                }
            }
            return var;
        }
        let ctx = &self.fctx[at - 1];
        if let Some(i) = ctx.captures.iter().position(|(o, _)| *o == obj) {
            return VarRef::Capture(i as u32);
        }
        let outer = self.capture_at(obj, var, declared, at - 1);
        let ctx = &mut self.fctx[at - 1];
        ctx.captures.push((obj, outer));
        VarRef::Capture(ctx.captures.len() as u32 - 1)
    }

    // ---- Literals ----------------------------------------------------------------------------

    fn literal(&mut self, lit: &ast::BasicLit, span: Span) -> Operand {
        let ty = match lit.kind {
            ast::LitKind::Int => self.common.untyped_int,
            ast::LitKind::Float => self.common.untyped_float,
            ast::LitKind::Imag => self.common.untyped_complex,
            ast::LitKind::Rune(_) => self.common.untyped_rune,
            ast::LitKind::Str(_) => self.common.untyped_string,
        };
        match Value::from_literal(&lit.kind, &lit.raw) {
            Ok(v) => Operand::value(T::Const(v.clone()), ty, span).with_mode(Mode::Const(v)),
            Err(message) => {
                self.error("malformed_constant", span, message);
                Operand::invalid(span)
            }
        }
    }

    // ---- Unary and binary operators ------------------------------------------------------------

    fn star(&mut self, x: &ast::Expr, span: Span) -> Operand {
        let op = self.check_expr(x);
        match op.mode {
            Mode::Invalid => op,
            Mode::Type => {
                let ty = self.types.intern(Type::Pointer(op.ty));
                Operand::value(T::Zero, ty, span).with_mode(Mode::Type)
            }
            _ => {
                let op = self.require_value(op);
                if op.is_invalid() {
                    return op;
                }
                if self.types.is_untyped(op.ty) && self.is_basic(op.ty, BasicKind::UntypedNil) {
                    self.error(
                        "invalid_indirect",
                        span,
                        "invalid operation: cannot indirect nil",
                    );
                    return Operand::invalid(span);
                }
                match self.types.under(op.ty).clone() {
                    Type::Pointer(elem) => {
                        let pointer = op.expr.clone();
                        let mut r = Operand::value(T::Deref(Box::new(op.expr)), elem, span)
                            .with_mode(Mode::Var);
                        r.place = Some(Place::Deref(Box::new(pointer)));
                        r
                    }
                    _ => {
                        let text = self.text(x.span);
                        let desc = self.describe(&op, &text);
                        self.error_labeled(
                            "invalid_indirect",
                            span,
                            format!("invalid operation: cannot indirect {desc}"),
                            "not a pointer",
                        );
                        Operand::invalid(span)
                    }
                }
            }
        }
    }

    fn unary(&mut self, op: UnaryOp, x: &ast::Expr, span: Span) -> Operand {
        match op {
            UnaryOp::Addr => return self.address_of(x, span),
            UnaryOp::Recv => return self.receive(x, span),
            UnaryOp::Tilde => {
                self.error(
                    "generics_unsupported",
                    span,
                    "cannot use ~ outside of interface or type constraint",
                );
                return Operand::invalid(span);
            }
            _ => {}
        }
        let operand = self.value(x);
        if operand.is_invalid() {
            return operand;
        }
        let kind = self.types.basic_kind(operand.ty);
        let allowed = match op {
            UnaryOp::Pos | UnaryOp::Neg => kind.is_some_and(BasicKind::is_numeric),
            UnaryOp::Not => kind.is_some_and(BasicKind::is_boolean),
            UnaryOp::Complement => kind.is_some_and(BasicKind::is_integer),
            _ => false,
        };
        if !allowed {
            let text = self.text(x.span);
            let desc = self.describe(&operand, &text);
            let sym = match op {
                UnaryOp::Pos => "+",
                UnaryOp::Neg => "-",
                UnaryOp::Not => "!",
                _ => "^",
            };
            self.error_labeled(
                "invalid_operator",
                span,
                format!("invalid operation: operator {sym} not defined on {desc}"),
                "operator not defined here",
            );
            return Operand::invalid(span);
        }
        if let Some(value) = operand.constant() {
            let kind = kind.unwrap_or(BasicKind::UntypedInt);
            return match constant::unary(op, value, kind) {
                Ok(v) => {
                    Operand::value(T::Const(v.clone()), operand.ty, span).with_mode(Mode::Const(v))
                }
                Err(e) => {
                    let text = self.text(span);
                    let message = self.const_error_message(&e, &text, operand.ty);
                    self.error("constant_overflow", span, message);
                    Operand::invalid(span)
                }
            };
        }
        let ty = operand.ty;
        Operand::value(
            T::Unary {
                op,
                x: Box::new(operand.expr),
            },
            ty,
            span,
        )
    }

    fn address_of(&mut self, x: &ast::Expr, span: Span) -> Operand {
        let inner = crate::syntax::build::unparen(x);
        if let ExprKind::Composite { ty, elems } = &inner.kind {
            let lit = self.composite(ty.as_deref(), elems, inner.span, None);
            if lit.is_invalid() {
                return lit;
            }
            let ptr = self.types.intern(Type::Pointer(lit.ty));
            return Operand::value(T::New(Box::new(lit.expr)), ptr, span);
        }
        let op = self.value(x);
        if op.is_invalid() {
            return op;
        }
        let Some(place) = op.place.clone().filter(|_| matches!(op.mode, Mode::Var)) else {
            let text = self.text(x.span);
            let desc = self.describe_plain(&op, &text);
            self.error_labeled(
                "unaddressable",
                span,
                format!("invalid operation: cannot take address of {desc}"),
                "not addressable",
            );
            return Operand::invalid(span);
        };
        if let Place::Var(var) = &place {
            self.box_var(*var);
        }
        let ptr = self.types.intern(Type::Pointer(op.ty));
        Operand::value(T::AddrOf(Box::new(place)), ptr, span)
    }

    fn receive(&mut self, x: &ast::Expr, span: Span) -> Operand {
        let ch = self.value(x);
        if ch.is_invalid() {
            return ch;
        }
        let text = self.text(x.span);
        match self.types.under(ch.ty).clone() {
            Type::Chan(dir, elem) => {
                if dir == ast::ChanDir::Send {
                    let desc = self.describe(&ch, &text);
                    self.error_labeled(
                        "receive_from_send_only",
                        span,
                        format!("invalid operation: cannot receive from send-only channel {desc}"),
                        "send-only channel",
                    );
                    return Operand::invalid(span);
                }
                let mut op = Operand::value(
                    T::Recv {
                        chan: Box::new(ch.expr),
                        comma_ok: false,
                    },
                    elem,
                    span,
                );
                op.comma_ok = true;
                op
            }
            _ => {
                let desc = self.describe(&ch, &text);
                self.error_labeled(
                    "receive_non_chan",
                    span,
                    format!("invalid operation: cannot receive from non-channel {desc}"),
                    "not a channel",
                );
                Operand::invalid(span)
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, x: &ast::Expr, y: &ast::Expr, span: Span) -> Operand {
        let left = self.value(x);
        let right = self.value(y);
        if left.is_invalid() || right.is_invalid() {
            return Operand::invalid(span);
        }
        if matches!(op, BinaryOp::Shl | BinaryOp::Shr) {
            return self.shift(op, left, right, span);
        }
        // Comparability is judged on the operands as written, before `nil` or a value
        // compared with an interface takes the other side's type.
        let original = [left.ty, right.ty];
        let (left, right) = match self.match_operands(left, right, span, op) {
            Some(pair) => pair,
            None => return Operand::invalid(span),
        };
        if is_comparison(op) {
            return self.comparison(op, left, right, original, span);
        }
        let ty = left.ty;
        if !self.operator_allowed(op, ty) {
            let text = self.text(x.span);
            let desc = self.describe(&left, &text);
            self.error_labeled(
                "invalid_operator",
                span,
                format!(
                    "invalid operation: operator {} not defined on {desc}",
                    op.symbol()
                ),
                "operator not defined here",
            );
            return Operand::invalid(span);
        }
        if let (Some(a), Some(b)) = (left.constant(), right.constant()) {
            let kind = self.types.basic_kind(ty).unwrap_or(BasicKind::UntypedInt);
            return match constant::binary(a, op, b, kind) {
                Ok(v) => Operand::value(T::Const(v.clone()), ty, span).with_mode(Mode::Const(v)),
                Err(e) => {
                    let text = self.text(span);
                    let code = if matches!(e, constant::ConstError::DivisionByZero) {
                        "division_by_zero"
                    } else {
                        "constant_overflow"
                    };
                    let message = self.const_error_message(&e, &text, ty);
                    self.error(code, span, message);
                    Operand::invalid(span)
                }
            };
        }
        if matches!(op, BinaryOp::Div | BinaryOp::Rem)
            && self.types.basic_kind(ty).is_some_and(BasicKind::is_integer)
            && right.constant().is_some_and(Value::is_zero)
        {
            self.error(
                "division_by_zero",
                y.span,
                "invalid operation: division by zero",
            );
            return Operand::invalid(span);
        }
        let kind = T::Binary {
            op,
            x: Box::new(left.expr),
            y: Box::new(right.expr),
        };
        Operand::value(kind, ty, span)
    }

    /// Whether `op` applies to operands of type `ty` (Go spec "Arithmetic operators").
    fn operator_allowed(&self, op: BinaryOp, ty: TypeId) -> bool {
        let Some(k) = self.types.basic_kind(ty) else {
            return false;
        };
        match op {
            BinaryOp::Add => k.is_numeric() || k.is_string(),
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => k.is_numeric(),
            BinaryOp::Rem | BinaryOp::And | BinaryOp::Or | BinaryOp::Xor | BinaryOp::AndNot => {
                k.is_integer()
            }
            BinaryOp::AndAnd | BinaryOp::OrOr => k.is_boolean(),
            _ => false,
        }
    }

    /// Brings two operands to one type, as Go does for binary operators: an untyped operand
    /// takes the other's type; two untyped constants take the larger kind.
    fn match_operands(
        &mut self,
        left: Operand,
        right: Operand,
        span: Span,
        op: BinaryOp,
    ) -> Option<(Operand, Operand)> {
        let lu = self.types.is_untyped(left.ty);
        let ru = self.types.is_untyped(right.ty);
        if lu && ru {
            let (lk, rk) = (
                self.types.basic_kind(left.ty)?,
                self.types.basic_kind(right.ty)?,
            );
            if lk == rk {
                return Some((left, right));
            }
            let nil = lk == BasicKind::UntypedNil || rk == BasicKind::UntypedNil;
            let numeric = lk.is_numeric() && rk.is_numeric();
            if nil || !numeric {
                self.mismatch(&left, &right, span, op);
                return None;
            }
            let kind = constant::larger_kind(lk, rk);
            let ty = self.types.basic(kind);
            let left = self.retype_untyped(left, ty);
            let right = self.retype_untyped(right, ty);
            return Some((left, right));
        }
        if lu {
            let target = right.ty;
            let left = self.convert_untyped_for_op(left, target, &right, span, op)?;
            return Some((left, right));
        }
        if ru {
            let target = left.ty;
            let right = self.convert_untyped_for_op(right, target, &left, span, op)?;
            return Some((left, right));
        }
        if !self.types.identical(left.ty, right.ty)
            && !self.types.is_invalid(left.ty)
            && !self.types.is_invalid(right.ty)
        {
            // Comparisons also allow a value and an interface it implements.
            if is_comparison(op)
                && (self.types.is_interface(left.ty) || self.types.is_interface(right.ty))
            {
                if let Some(pair) = self.interface_comparison(left, right) {
                    return Some(pair);
                }
                return None;
            }
            // ... and operands of which one is assignable to the other's type (`<-chan T` and
            // `chan T`; a defined type and its unnamed underlying type): same representation.
            if is_comparison(op)
                && (self.assignable_structurally(left.ty, right.ty)
                    || self.assignable_structurally(right.ty, left.ty))
            {
                return Some((left, right));
            }
            self.mismatch(&left, &right, span, op);
            return None;
        }
        Some((left, right))
    }

    fn interface_comparison(
        &mut self,
        left: Operand,
        right: Operand,
    ) -> Option<(Operand, Operand)> {
        if self.types.is_interface(left.ty) && self.implements(right.ty, left.ty) {
            let ty = left.ty;
            let right = self.convert_to_interface(right, ty);
            return Some((left, right));
        }
        if self.types.is_interface(right.ty) && self.implements(left.ty, right.ty) {
            let ty = right.ty;
            let left = self.convert_to_interface(left, ty);
            return Some((left, right));
        }
        let span = left.span().to(right.span());
        let text = self.text(span);
        let message = format!(
            "invalid operation: {text} (mismatched types {} and {})",
            self.type_name(left.ty),
            self.type_name(right.ty)
        );
        self.error_labeled("mismatched_types", span, message, "types differ");
        None
    }

    fn convert_untyped_for_op(
        &mut self,
        op: Operand,
        target: TypeId,
        other: &Operand,
        span: Span,
        bop: BinaryOp,
    ) -> Option<Operand> {
        if self.types.is_invalid(target) {
            return Some(op);
        }
        if self.is_basic(op.ty, BasicKind::UntypedNil) {
            if self.nil_assignable(target) {
                return Some(Operand::value(T::Zero, target, op.span()));
            }
            let text = self.text(span);
            let message = format!(
                "invalid operation: {text} (mismatched types {} and untyped nil)",
                self.type_name(target)
            );
            self.error_labeled(
                "mismatched_types",
                span,
                message,
                "nil is not a value of this type",
            );
            return None;
        }
        match self.implicit_convert(op, target) {
            Ok(op) => Some(op),
            Err(failed) => {
                let (op, why) = *failed;
                let (l, r) = if other.span().start < op.span().start {
                    (other, &op)
                } else {
                    (&op, other)
                };
                if why.is_none() {
                    self.mismatch(l, r, span, bop);
                } else {
                    let message = self.conversion_failure(&op, why, target);
                    self.error("constant_overflow", op.span(), message);
                }
                None
            }
        }
    }

    fn mismatch(&mut self, left: &Operand, right: &Operand, span: Span, _op: BinaryOp) {
        let text = self.text(span);
        let message = format!(
            "invalid operation: {text} (mismatched types {} and {})",
            self.type_name(left.ty),
            self.type_name(right.ty)
        );
        self.error_labeled("mismatched_types", span, message, "operand types differ");
    }

    fn comparison(
        &mut self,
        op: BinaryOp,
        left: Operand,
        right: Operand,
        original: [TypeId; 2],
        span: Span,
    ) -> Operand {
        if let Some(why) = self.comparison_cause(op, original) {
            let text = self.text(span);
            self.error_labeled(
                "invalid_comparison",
                span,
                format!("invalid operation: {text} ({why})"),
                "cannot compare",
            );
            return Operand::invalid(span);
        }
        let result_ty = self.common.untyped_bool;
        if let (Some(a), Some(b)) = (left.constant(), right.constant()) {
            if let Ok(v) = constant::compare(a, op, b) {
                let v = Value::Bool(v);
                return Operand::value(T::Const(v.clone()), result_ty, span)
                    .with_mode(Mode::Const(v));
            }
        }
        let left = self.default_value(left);
        let right = self.default_value(right);
        let kind = T::Binary {
            op,
            x: Box::new(left.expr),
            y: Box::new(right.expr),
        };
        Operand::value(kind, result_ty, span)
    }

    /// Why `left op right` is not defined, in Go's words (`types2` `comparison`), or `None`.
    fn comparison_cause(&self, op: BinaryOp, [left, right]: [TypeId; 2]) -> Option<String> {
        let is_nil = |t: TypeId| self.is_basic(t, BasicKind::UntypedNil);
        let undefined = |t: TypeId| {
            format!(
                "operator {} not defined on {}",
                op.symbol(),
                self.kind_string(t)
            )
        };
        if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
            if is_nil(left) || is_nil(right) {
                let other = if is_nil(left) { right } else { left };
                let ok = !is_nil(other) && self.nil_assignable(other);
                return (!ok).then(|| undefined(right));
            }
            return [left, right]
                .into_iter()
                .find(|t| !self.types.comparable(*t))
                .map(|t| self.incomparable_cause(t));
        }
        let ordered = |t: TypeId| {
            self.types
                .basic_kind(t)
                .is_some_and(|k| k.is_integer() || k.is_float() || k.is_string())
        };
        [left, right]
            .into_iter()
            .find(|t| !ordered(*t))
            .map(undefined)
    }

    /// Go's message for a failed constant operation; a typed result that does not fit is
    /// described with its value (`k * 2 (constant 200 of type int8) overflows int8`).
    fn const_error_message(&self, e: &constant::ConstError, text: &str, ty: TypeId) -> String {
        match e {
            constant::ConstError::Typed { value, kind, .. } => {
                let operand = constant::describe_operand(text, value, *kind, &self.type_name(ty));
                e.message(&operand)
            }
            _ => e.message(text),
        }
    }

    /// Go's `kindString`: `slice`, `struct`, ... for composite types, else the type itself.
    fn kind_string(&self, ty: TypeId) -> String {
        match self.types.under(ty) {
            Type::Array(..) => "array".into(),
            Type::Slice(_) => "slice".into(),
            Type::Struct(_) => "struct".into(),
            Type::Pointer(_) => "pointer".into(),
            Type::Func(_) => "func".into(),
            Type::Interface(_) => "interface".into(),
            Type::Map(..) => "map".into(),
            Type::Chan(..) => "chan".into(),
            _ => self.type_name(ty),
        }
    }

    /// Why a type is not comparable (`types2` `incomparableCause`).
    fn incomparable_cause(&self, ty: TypeId) -> String {
        match self.types.under(ty) {
            Type::Slice(_) | Type::Map(..) | Type::Func(_) => {
                format!("{} can only be compared to nil", self.kind_string(ty))
            }
            Type::Struct(fields) => {
                let field = fields.iter().find(|f| !self.types.comparable(f.ty));
                let field = field.map_or_else(String::new, |f| self.type_name(f.ty));
                format!("struct containing {field} cannot be compared")
            }
            _ => format!("{} cannot be compared", self.type_name(ty)),
        }
    }

    fn shift(&mut self, op: BinaryOp, left: Operand, right: Operand, span: Span) -> Operand {
        let count_kind = self.types.basic_kind(right.ty);
        let count_ok = count_kind.is_some_and(|k| {
            k.is_integer()
                || k == BasicKind::UntypedFloat
                    && right.constant().is_some_and(|v| v.to_int().is_some())
        });
        if !count_ok {
            let text = self.text(right.span());
            let desc = self.describe(&right, &text);
            self.error_labeled(
                "invalid_shift",
                right.span(),
                format!("invalid operation: shift count {desc} must be integer"),
                "not an integer",
            );
            return Operand::invalid(span);
        }
        if let Some(v) = right.constant() {
            if v.to_int()
                .is_some_and(|n| n.sign() == num_bigint::Sign::Minus)
            {
                let text = self.text(right.span());
                self.error(
                    "invalid_shift",
                    right.span(),
                    format!(
                        "invalid operation: negative shift count {}",
                        self.describe(&right, &text)
                    ),
                );
                return Operand::invalid(span);
            }
        }
        let left_kind = self.types.basic_kind(left.ty);
        let left_int = left_kind.is_some_and(BasicKind::is_integer)
            || left_kind.is_some_and(BasicKind::is_untyped)
                && left.constant().is_some_and(|v| v.to_int().is_some());
        if !left_int {
            let text = self.text(left.span());
            let desc = self.describe(&left, &text);
            let sym = op.symbol();
            self.error_labeled(
                "invalid_shift",
                span,
                format!("invalid operation: shifted operand {desc} must be integer"),
                format!("{sym} needs an integer"),
            );
            return Operand::invalid(span);
        }
        if let (Some(a), Some(b)) = (left.constant(), right.constant()) {
            let kind = left_kind.unwrap_or(BasicKind::UntypedInt);
            let ty = if kind == BasicKind::UntypedFloat {
                self.common.untyped_int
            } else {
                left.ty
            };
            let kind = if kind == BasicKind::UntypedFloat {
                BasicKind::UntypedInt
            } else {
                kind
            };
            return match constant::shift(
                a,
                op,
                b,
                count_kind.unwrap_or(BasicKind::UntypedInt),
                kind,
            ) {
                Ok(v) => Operand::value(T::Const(v.clone()), ty, span).with_mode(Mode::Const(v)),
                Err(e) => {
                    let text = self.text(span);
                    let message = self.const_error_message(&e, &text, ty);
                    self.error("invalid_shift", span, message);
                    Operand::invalid(span)
                }
            };
        }
        // A non-constant shift of an untyped constant: the constant becomes an int (Go uses the
        // context's type; int is what that is in almost every program).
        let left = if self.types.is_untyped(left.ty) {
            self.default_value(left)
        } else {
            left
        };
        let right = if self.types.is_untyped(right.ty) {
            let uint = self.types.basic(BasicKind::Uint);
            self.convert_or_report(right, uint)
        } else {
            right
        };
        let ty = left.ty;
        Operand::value(
            T::Binary {
                op,
                x: Box::new(left.expr),
                y: Box::new(right.expr),
            },
            ty,
            span,
        )
    }

    // ---- Func literals ---------------------------------------------------------------------

    fn func_lit(&mut self, sig: &ast::FuncType, body: &ast::Block, span: Span) -> Operand {
        let (ty, variadic) = self.resolve_signature(sig, None);
        // Go's names: `main.main.func1`, and `main.main.func1.1` for a literal inside a
        // literal; literals in package-level initialisers belong to `main.init`.
        let parent = self.fctx.last().map(|ctx| ctx.func);
        let in_literal = parent.is_some_and(|f| self.func_lit_display.contains_key(&f));
        let parent = parent
            .and_then(|f| self.funcs.get(f.0 as usize))
            .map(|f| f.name.clone())
            .unwrap_or_else(|| format!("{}.init", self.packages[self.pkg].path));
        let prefix = if in_literal {
            format!("{parent}.")
        } else {
            format!("{parent}.func")
        };
        let count = self
            .funcs
            .iter()
            .filter_map(|f| f.name.strip_prefix(&prefix))
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .count();
        let name = format!("{prefix}{}", count + 1);
        let func = self.new_func(name, ty, span);
        self.funcs[func.0 as usize].variadic = variadic;
        let display = self.func_lit_display_of(sig, ty, variadic, span);
        self.func_lit_display.insert(func, display);
        let captures = self.check_func_lit_body(func, sig, body);
        Operand::value(T::Closure { func, captures }, ty, span)
    }

    /// Go's spelling of a func literal in messages: the source of its signature with the body
    /// elided, and its type with the parameter names (`func(a int, b int) (x int)`).
    fn func_lit_display_of(
        &self,
        sig: &ast::FuncType,
        ty: TypeId,
        variadic: bool,
        span: Span,
    ) -> (String, String) {
        let head = Span {
            end: sig.span.end.max(span.start),
            ..span
        };
        let expr = format!("{} {{…}}", self.text(head).trim_end());
        let Some(resolved) = self.types.signature(ty).cloned() else {
            return (expr, self.type_name(ty));
        };
        let names = |fields: &[ast::Field]| -> Vec<Option<String>> {
            fields
                .iter()
                .flat_map(|f| {
                    if f.names.is_empty() {
                        vec![None]
                    } else {
                        f.names.iter().map(|n| Some(n.name.clone())).collect()
                    }
                })
                .collect()
        };
        let list = |names: Vec<Option<String>>, types: &[TypeId], variadic: bool| -> Vec<String> {
            types
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    let mut t_text = self.type_name(t);
                    if variadic && i + 1 == types.len() {
                        t_text = match self.types.get(t) {
                            Type::Slice(elem) => format!("...{}", self.type_name(*elem)),
                            _ => t_text,
                        };
                    }
                    match names.get(i).cloned().flatten() {
                        Some(n) => format!("{n} {t_text}"),
                        None => t_text,
                    }
                })
                .collect()
        };
        let params = list(names(&sig.params), &resolved.params, variadic);
        let result_names = names(&sig.results);
        let named_results = result_names.iter().any(Option::is_some);
        let results = list(result_names, &resolved.results, false);
        let mut text = format!("func({})", params.join(", "));
        match results.as_slice() {
            [] => {}
            [one] if !named_results => text = format!("{text} {one}"),
            many => text = format!("{text} ({})", many.join(", ")),
        }
        (expr, text)
    }

    // ---- Helpers ------------------------------------------------------------------------------

    /// Go's operand description: `x (variable of type int)`, `1 (untyped int constant)`.
    pub(crate) fn describe(&self, op: &Operand, text: &str) -> String {
        if let T::Closure { func, .. } = &op.expr.kind {
            if let Some((expr, ty)) = self.func_lit_display.get(func) {
                return format!("{expr} (value of type {ty})");
            }
        }
        let ty = self.type_name(op.ty);
        let kind_word = self.kind_word(op.ty);
        match &op.mode {
            Mode::Const(v) => {
                if self.types.is_untyped(op.ty) {
                    // Go adds the value unless it reads exactly as the expression.
                    if text == v.to_string() {
                        format!("{text} ({ty} constant)")
                    } else {
                        format!("{text} ({ty} constant {v})")
                    }
                } else if text == v.to_string() {
                    format!("{text} (constant of {kind_word}type {ty})")
                } else {
                    format!("{text} (constant {v} of {kind_word}type {ty})")
                }
            }
            Mode::Var => format!("{text} (variable of {kind_word}type {ty})"),
            Mode::MapIndex => format!("{text} (map index expression of {kind_word}type {ty})"),
            _ if self.types.is_untyped(op.ty) && self.is_basic(op.ty, BasicKind::UntypedNil) => {
                "untyped nil".to_string()
            }
            _ if self.types.is_untyped(op.ty) => format!("{text} ({ty} value)"),
            _ if matches!(op.expr.kind, T::TypeAssert { .. } | T::Recv { .. }) => {
                format!("{text} (comma, ok expression of {kind_word}type {ty})")
            }
            _ => format!("{text} (value of {kind_word}type {ty})"),
        }
    }

    /// Go says `variable of struct type T` for defined types whose underlying type is a
    /// composite (but not for basic types or `error`).
    fn kind_word(&self, ty: TypeId) -> &'static str {
        if !self.types.is_named(ty) || ty == self.common.error {
            return "";
        }
        match self.types.under(ty) {
            Type::Struct(_) => "struct ",
            Type::Interface(_) => "interface ",
            Type::Pointer(_) => "pointer ",
            Type::Slice(_) => "slice ",
            Type::Array(..) => "array ",
            Type::Map(..) => "map ",
            Type::Chan(..) => "chan ",
            Type::Func(_) => "func ",
            _ => "",
        }
    }

    /// `x (variable of type int)` without the kind word for composite defined types.
    pub(crate) fn describe_plain(&self, op: &Operand, text: &str) -> String {
        self.describe(op, text)
    }
}

pub(crate) fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}
