//! The universe scope: predeclared types, constants, `nil` and builtins (Go spec "Predeclared
//! identifiers"), and the handful of types the checker needs by id.

use super::basic::BasicKind;
use super::constant::Value;
use super::tast::Builtin;
use super::types::{IMethod, Signature, Type, TypeId, TypeTable};
use super::{Checker, ObjKind};
use crate::source::Span;

/// Types the checker refers to constantly.
#[derive(Clone)]
pub struct Common {
    pub bool_: TypeId,
    pub int: TypeId,
    /// The aliases `byte` and `rune`: identical to `uint8` and `int32`, printed as written.
    pub byte: TypeId,
    pub rune: TypeId,
    pub string: TypeId,
    pub untyped_bool: TypeId,
    pub untyped_int: TypeId,
    pub untyped_rune: TypeId,
    pub untyped_float: TypeId,
    pub untyped_complex: TypeId,
    pub untyped_string: TypeId,
    pub untyped_nil: TypeId,
    /// `interface{}` / `any`.
    pub empty_interface: TypeId,
    /// The predeclared `error` type.
    pub error: TypeId,
    /// `()`: the type of a call with no results.
    pub no_value: TypeId,
}

impl Common {
    pub fn new(t: &mut TypeTable) -> Common {
        let string = t.basic(BasicKind::String);
        let error = t.new_named("error", "");
        let error_sig = t.intern(Type::Func(Signature {
            params: Vec::new(),
            results: vec![string],
            variadic: false,
        }));
        let error_iface = t.intern(Type::Interface(vec![IMethod {
            name: "Error".to_string(),
            sig: error_sig,
        }]));
        t.set_underlying(error, error_iface);
        Common {
            bool_: t.basic(BasicKind::Bool),
            int: t.basic(BasicKind::Int),
            byte: t.new_alias(BasicKind::Uint8),
            rune: t.new_alias(BasicKind::Int32),
            string,
            untyped_bool: t.basic(BasicKind::UntypedBool),
            untyped_int: t.basic(BasicKind::UntypedInt),
            untyped_rune: t.basic(BasicKind::UntypedRune),
            untyped_float: t.basic(BasicKind::UntypedFloat),
            untyped_complex: t.basic(BasicKind::UntypedComplex),
            untyped_string: t.basic(BasicKind::UntypedString),
            untyped_nil: t.basic(BasicKind::UntypedNil),
            empty_interface: t.intern(Type::Interface(Vec::new())),
            error,
            no_value: t.intern(Type::Tuple(Vec::new())),
        }
    }
}

const BASIC_TYPES: &[(&str, BasicKind)] = &[
    ("bool", BasicKind::Bool),
    ("int", BasicKind::Int),
    ("int8", BasicKind::Int8),
    ("int16", BasicKind::Int16),
    ("int32", BasicKind::Int32),
    ("int64", BasicKind::Int64),
    ("uint", BasicKind::Uint),
    ("uint8", BasicKind::Uint8),
    ("uint16", BasicKind::Uint16),
    ("uint32", BasicKind::Uint32),
    ("uint64", BasicKind::Uint64),
    ("uintptr", BasicKind::Uintptr),
    ("float32", BasicKind::Float32),
    ("float64", BasicKind::Float64),
    ("complex64", BasicKind::Complex64),
    ("complex128", BasicKind::Complex128),
    ("string", BasicKind::String),
];

const BUILTINS: &[(&str, Builtin)] = &[
    ("append", Builtin::Append),
    ("cap", Builtin::Cap),
    ("clear", Builtin::Clear),
    ("close", Builtin::Close),
    ("complex", Builtin::Complex),
    ("copy", Builtin::Copy),
    ("delete", Builtin::Delete),
    ("imag", Builtin::Imag),
    ("len", Builtin::Len),
    ("make", Builtin::Make),
    ("max", Builtin::Max),
    ("min", Builtin::Min),
    ("new", Builtin::New),
    ("panic", Builtin::Panic),
    ("print", Builtin::Print),
    ("println", Builtin::Println),
    ("real", Builtin::Real),
    ("recover", Builtin::Recover),
];

impl Checker {
    pub(super) fn declare_universe(&mut self) {
        let universe = self.universe;
        let none = Span::default();
        for &(name, kind) in BASIC_TYPES {
            let ty = self.types.basic(kind);
            let id = self.new_object(name, ObjKind::TypeName, ty, none);
            self.declare_in(universe, id);
        }
        // Aliases: identical to uint8 and int32, but printed as spelled.
        let named = [
            ("byte", self.common.byte),
            ("rune", self.common.rune),
            ("any", self.common.empty_interface),
            ("error", self.common.error),
        ];
        for (name, ty) in named {
            let id = self.new_object(name, ObjKind::TypeName, ty, none);
            self.declare_in(universe, id);
        }
        // `comparable` is only a constraint; generics are not supported, so it is declared as
        // an (unusable) empty interface to give a clear error at use.
        let comparable = self.common.empty_interface;
        let id = self.new_object("comparable", ObjKind::TypeName, comparable, none);
        self.declare_in(universe, id);
        let consts = [("true", true), ("false", false)];
        for (name, value) in consts {
            let ty = self.common.untyped_bool;
            let id = self.new_object(name, ObjKind::Const(Value::Bool(value)), ty, none);
            self.declare_in(universe, id);
        }
        let ty = self.common.untyped_int;
        let id = self.new_object("iota", ObjKind::Iota, ty, none);
        self.declare_in(universe, id);
        let ty = self.common.untyped_nil;
        let id = self.new_object("nil", ObjKind::Nil, ty, none);
        self.declare_in(universe, id);
        for &(name, builtin) in BUILTINS {
            let id = self.new_object(name, ObjKind::Builtin(builtin), TypeId::INVALID, none);
            self.declare_in(universe, id);
        }
    }
}
