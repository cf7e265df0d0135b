//! Assignability, implicit conversions and untyped values (Go spec "Assignability",
//! "Representability", "Constant expressions").
//!
//! Every place a value flows into a typed slot (assignment, argument, return, composite
//! element, send, ...) goes through [`Checker::assign_to`], which reports Go's
//! `cannot use X as T value in CONTEXT` and yields the typed expression with the implicit
//! conversion made explicit.

use super::basic::BasicKind;
use super::constant::{self, Repr, Value};
use super::expr::{Mode, Operand};
use super::tast::{self, ExprKind as T};
use super::types::{Type, TypeId};
use super::Checker;

impl Checker {
    /// Converts `op` for a slot of type `target`, reporting Go's error if it does not fit.
    /// `context` is Go's word for the slot: `assignment`, `argument to f`, `return statement`.
    pub(crate) fn assign_to(&mut self, op: Operand, target: TypeId, context: &str) -> tast::Expr {
        if op.is_invalid() || self.types.is_invalid(target) || self.types.is_invalid(op.ty) {
            let span = op.span();
            return tast::Expr {
                kind: op.expr.kind,
                ty: target,
                span,
            };
        }
        if self.types.is_untyped(op.ty) {
            return self.assign_untyped(op, target, context);
        }
        if self.types.identical(op.ty, target) {
            return op.expr;
        }
        if self.types.is_interface(target) {
            if self.implements(op.ty, target) {
                return self.convert_to_interface(op, target).expr;
            }
            let reason = self.missing_method_reason(op.ty, target);
            self.cannot_use(&op, target, context, &format!(": {reason}"));
            return op.expr;
        }
        if self.assignable_structurally(op.ty, target) {
            let span = op.span();
            return tast::Expr {
                kind: T::Convert(Box::new(op.expr)),
                ty: target,
                span,
            };
        }
        // An interface value holding the target type needs `x.(T)` (Go's hint).
        let hint = if self.types.is_interface(op.ty) && self.implements(target, op.ty) {
            ": need type assertion"
        } else {
            ""
        };
        self.cannot_use(&op, target, context, hint);
        op.expr
    }

    fn cannot_use(&mut self, op: &Operand, target: TypeId, context: &str, suffix: &str) {
        let text = self.text(op.span());
        let desc = self.describe(op, &text);
        let message = format!(
            "cannot use {desc} as {} value in {context}{suffix}",
            self.type_name(target)
        );
        self.error_labeled(
            "cannot_assign",
            op.span(),
            message,
            format!("expected {}", self.type_name(target)),
        );
    }

    /// Rules 2 and 3 of assignability: identical underlying types with at least one side not a
    /// defined type; a bidirectional channel into a directional one. Predeclared types such as
    /// `float64` count as named (Go spec "Types"): `float64` is not assignable to `Celsius`.
    pub(crate) fn assignable_structurally(&self, from: TypeId, to: TypeId) -> bool {
        let (uf, ut) = (self.types.underlying(from), self.types.underlying(to));
        let named = |t| self.types.is_named(t) || self.types.basic_kind(t).is_some();
        let one_unnamed = !named(from) || !named(to);
        if self.types.identical(uf, ut) && one_unnamed {
            return true;
        }
        match (self.types.get(uf), self.types.get(ut)) {
            (Type::Chan(crate::syntax::ast::ChanDir::Both, a), Type::Chan(_, b)) => {
                self.types.identical(*a, *b) && one_unnamed
            }
            _ => false,
        }
    }

    /// Whether a value of type `from` may be assigned to `to` (no untyped values).
    pub(crate) fn assignable_type(&mut self, from: TypeId, to: TypeId) -> bool {
        self.types.identical(from, to)
            || self.types.is_invalid(from)
            || self.types.is_invalid(to)
            || self.types.is_interface(to) && self.implements(from, to)
            || self.assignable_structurally(from, to)
    }

    fn assign_untyped(&mut self, op: Operand, target: TypeId, context: &str) -> tast::Expr {
        let kind = self
            .types
            .basic_kind(op.ty)
            .unwrap_or(BasicKind::UntypedInt);
        if kind == BasicKind::UntypedNil {
            if self.nil_assignable(target) {
                return tast::Expr {
                    kind: T::Zero,
                    ty: target,
                    span: op.span(),
                };
            }
            let message = format!(
                "cannot use nil as {} value in {context}",
                self.type_name(target)
            );
            self.error_labeled(
                "cannot_assign",
                op.span(),
                message,
                "nil is not a value of this type",
            );
            return op.expr;
        }
        if self.types.is_interface(target) {
            let op = self.default_value(op);
            if self.implements(op.ty, target) {
                return self.convert_to_interface(op, target).expr;
            }
            let reason = self.missing_method_reason(op.ty, target);
            self.cannot_use(&op, target, context, &format!(": {reason}"));
            return op.expr;
        }
        match self.implicit_convert(op, target) {
            Ok(op) => op.expr,
            Err(failed) => {
                let (op, why) = *failed;
                let suffix = why.map_or("", Repr::assign_suffix);
                self.cannot_use(&op, target, context, suffix);
                op.expr
            }
        }
    }

    /// Converts an untyped operand to `target` (a non-interface type). On failure returns the
    /// operand and why: empty for a kind mismatch, `overflows`/`truncated` for constants.
    pub(crate) fn implicit_convert(
        &mut self,
        op: Operand,
        target: TypeId,
    ) -> Result<Operand, Box<(Operand, Option<Repr>)>> {
        let Some(from) = self.types.basic_kind(op.ty) else {
            return Err(Box::new((op, None)));
        };
        let Some(to) = self.types.basic_kind(target) else {
            if self.types.is_interface(target) {
                let op = self.default_value(op);
                let iface = target;
                return Ok(self.convert_to_interface(op, iface));
            }
            return Err(Box::new((op, None)));
        };
        let compatible = match from {
            BasicKind::UntypedBool => to.is_boolean(),
            BasicKind::UntypedString => to.is_string(),
            BasicKind::UntypedInt
            | BasicKind::UntypedRune
            | BasicKind::UntypedFloat
            | BasicKind::UntypedComplex => to.is_numeric(),
            _ => false,
        };
        if !compatible {
            return Err(Box::new((op, None)));
        }
        let span = op.span();
        let Some(value) = op.constant().cloned() else {
            // An untyped non-constant (a comparison's bool, a shifted constant): retype it.
            let mut op = op;
            op.expr.ty = target;
            op.ty = target;
            return Ok(op);
        };
        if to.is_untyped() {
            return Ok(self.retype_untyped(op, target));
        }
        match constant::representable(&value, to) {
            Ok(v) => {
                Ok(Operand::value(T::Const(v.clone()), target, span).with_mode(Mode::Const(v)))
            }
            Err(why) => Err(Box::new((op, Some(why)))),
        }
    }

    /// Converts to `target`, reporting a generic error when impossible.
    pub(crate) fn convert_or_report(&mut self, op: Operand, target: TypeId) -> Operand {
        let span = op.span();
        match self.implicit_convert(op, target) {
            Ok(op) => op,
            Err(failed) => {
                let (op, why) = *failed;
                let message = self.conversion_failure(&op, why, target);
                self.error("cannot_convert", span, message);
                Operand::invalid(span)
            }
        }
    }

    /// The message for a failed [`Self::implicit_convert`]: `1.5 (untyped float constant)
    /// truncated to int` (Go names the underlying basic type), or `cannot convert X to type T`
    /// when the kinds do not fit at all.
    pub(crate) fn conversion_failure(
        &self,
        op: &Operand,
        why: Option<Repr>,
        target: TypeId,
    ) -> String {
        let text = self.text(op.span());
        let desc = self.describe(op, &text);
        match why {
            Some(why) => why.message(&desc, &self.type_name(self.types.underlying(target))),
            None => format!("cannot convert {desc} to type {}", self.type_name(target)),
        }
    }

    /// Gives an untyped operand its default type (`untyped int` -> `int`, ...).
    pub(crate) fn default_value(&mut self, op: Operand) -> Operand {
        let Some(kind) = self.types.basic_kind(op.ty).filter(|k| k.is_untyped()) else {
            return op;
        };
        if kind == BasicKind::UntypedNil {
            return op;
        }
        let target = self.default_type_of(kind);
        self.convert_or_report(op, target)
    }

    /// Changes the kind of an untyped constant (`untyped int` to `untyped float`).
    pub(crate) fn retype_untyped(&mut self, mut op: Operand, ty: TypeId) -> Operand {
        if let (Some(value), Some(to)) = (op.constant().cloned(), self.types.basic_kind(ty)) {
            if let Ok(v) = constant::representable(&value, to) {
                op.mode = Mode::Const(v.clone());
                op.expr.kind = T::Const(v);
            }
        }
        op.ty = ty;
        op.expr.ty = ty;
        op
    }

    /// Whether `nil` is a value of the type.
    pub(crate) fn nil_assignable(&self, ty: TypeId) -> bool {
        matches!(
            self.types.under(ty),
            Type::Pointer(_)
                | Type::Slice(_)
                | Type::Map(..)
                | Type::Chan(..)
                | Type::Func(_)
                | Type::Interface(_)
                | Type::Invalid
        ) || self.types.basic_kind(ty) == Some(BasicKind::UnsafePointer)
    }

    /// Boxes a value into an interface type (a no-op node if it is one already of that type).
    pub(crate) fn convert_to_interface(&mut self, op: Operand, iface: TypeId) -> Operand {
        if self.types.identical(op.ty, iface) {
            return op;
        }
        let span = op.span();
        let op = self.default_value(op);
        Operand::value(T::ToInterface(Box::new(op.expr)), iface, span)
    }

    /// A constant's value converted by an explicit conversion `T(c)`.
    pub(crate) fn convert_constant(
        &mut self,
        value: &Value,
        from: TypeId,
        to: TypeId,
    ) -> Result<Value, constant::ConvertError> {
        let from_kind = self.types.basic_kind(from).unwrap_or(BasicKind::UntypedInt);
        let to_kind = self.types.basic_kind(to).unwrap_or(BasicKind::Int);
        constant::convert(value, from_kind, to_kind)
    }
}
