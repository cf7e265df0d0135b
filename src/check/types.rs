//! The type representation shared by the checker and the compiler.
//!
//! Every type lives in one [`TypeTable`] and is named by a [`TypeId`]. Structural types
//! (pointers, slices, maps, funcs, ...) are interned. Defined (named) types are never
//! interned: each declaration makes a new one, as in Go.
//!
//! The aliases `byte` and `rune` have ids of their own so that messages print them as written
//! (`[]byte`, not `[]uint8`); types mentioning them are identical to, but have other ids than,
//! the same types spelled with `uint8`/`int32`. So during checking identity (Go spec "Type
//! identity") is [`TypeTable::identical`], never `==`. After checking, the checker rewrites
//! every id it hands on to its canonical one, so for the compiler and the VM identity is `==`.

use super::basic::BasicKind;
use super::fxhash::FxHashMap as HashMap;
use crate::syntax::ast::ChanDir;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// A struct field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub ty: TypeId,
    pub embedded: bool,
    pub tag: String,
    /// The package that declared the field, for unexported names (`""` for exported ones).
    pub pkg: String,
}

/// A method of an interface type: name and signature (a [`Type::Func`] without receiver).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IMethod {
    pub name: String,
    pub sig: TypeId,
}

/// A function signature (receivers are not part of it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    pub params: Vec<TypeId>,
    pub results: Vec<TypeId>,
    /// The last parameter is `...T`, stored as `[]T`.
    pub variadic: bool,
}

/// A defined type: `type T underlying`, with its methods.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: String,
    /// Package path (`main`, `time`, `sync`); empty for the predeclared `error`.
    pub pkg: String,
    /// Set once the declaration's right side has been resolved; `Invalid` until then.
    pub underlying: TypeId,
    /// Methods declared on `T` and `*T`, in declaration order.
    pub methods: Vec<Method>,
}

/// A method declared on a defined type.
#[derive(Clone, Debug)]
pub struct Method {
    pub name: String,
    /// The function implementing it (an index into the checked program's functions).
    pub func: u32,
    pub pointer_receiver: bool,
    /// Signature without the receiver.
    pub sig: TypeId,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// The type of something already reported as wrong; it is compatible with everything, so
    /// one mistake does not cascade into many messages.
    Invalid,
    Basic(BasicKind),
    /// A defined type; the index is into [`TypeTable::named`].
    Named(u32),
    Pointer(TypeId),
    Slice(TypeId),
    Array(u64, TypeId),
    Map(TypeId, TypeId),
    Chan(ChanDir, TypeId),
    Struct(Vec<Field>),
    Func(Signature),
    /// Methods sorted by name (embedded interfaces already flattened in).
    Interface(Vec<IMethod>),
    /// The results of a call with several results.
    Tuple(Vec<TypeId>),
}

/// All types of a program.
#[derive(Clone)]
pub struct TypeTable {
    types: Vec<Type>,
    interned: HashMap<Type, TypeId>,
    named: Vec<Named>,
    /// For each type, the identical type with the aliases `byte`/`rune` replaced by
    /// `uint8`/`int32` (itself when it mentions neither): identity is equality of these.
    canon: Vec<TypeId>,
}

impl Default for TypeTable {
    fn default() -> Self {
        TypeTable::new()
    }
}

/// Ids of types every program needs, created first in a fixed order.
impl TypeId {
    pub const INVALID: TypeId = TypeId(0);
}

impl TypeTable {
    pub fn new() -> TypeTable {
        let mut table = TypeTable {
            types: Vec::new(),
            interned: HashMap::default(),
            named: Vec::new(),
            canon: Vec::new(),
        };
        let invalid = table.intern(Type::Invalid);
        debug_assert_eq!(invalid, TypeId::INVALID);
        table
    }

    pub fn get(&self, id: TypeId) -> &Type {
        &self.types[id.0 as usize]
    }

    /// The id of a structural type, creating it on first use.
    pub fn intern(&mut self, ty: Type) -> TypeId {
        if let Some(&id) = self.interned.get(&ty) {
            return id;
        }
        let id = TypeId(self.types.len() as u32);
        self.types.push(ty.clone());
        self.canon.push(id);
        self.interned.insert(ty.clone(), id);
        let canonical = self.map_components(&ty, &|t, c| t.canon[c.0 as usize]);
        if canonical != ty {
            let c = self.intern(canonical);
            self.canon[id.0 as usize] = c;
        }
        id
    }

    /// A second id for the basic type `kind`, printed as `byte` (for `uint8`) or `rune` (for
    /// `int32`) but identical to it.
    pub fn new_alias(&mut self, kind: BasicKind) -> TypeId {
        let target = self.basic(kind);
        let id = TypeId(self.types.len() as u32);
        self.types.push(Type::Basic(kind));
        self.canon.push(target);
        id
    }

    /// Go's type identity (`byte` is `uint8`, `[]rune` is `[]int32`).
    pub fn identical(&self, a: TypeId, b: TypeId) -> bool {
        a == b || self.canonical(a) == self.canonical(b)
    }

    /// The id of the type with aliases spelled as the types they stand for.
    pub fn canonical(&self, id: TypeId) -> TypeId {
        self.canon.get(id.0 as usize).copied().unwrap_or(id)
    }

    /// Whether `id` is the alias `byte` or `rune` itself.
    fn is_alias(&self, id: TypeId) -> bool {
        self.canonical(id) != id && matches!(self.get(id), Type::Basic(_))
    }

    /// `ty` with every component type id replaced by `f(self, id)`.
    fn map_components(&self, ty: &Type, f: &dyn Fn(&Self, TypeId) -> TypeId) -> Type {
        let sig = |s: &Signature| Signature {
            params: s.params.iter().map(|&p| f(self, p)).collect(),
            results: s.results.iter().map(|&r| f(self, r)).collect(),
            variadic: s.variadic,
        };
        match ty {
            Type::Invalid | Type::Basic(_) | Type::Named(_) => ty.clone(),
            Type::Pointer(e) => Type::Pointer(f(self, *e)),
            Type::Slice(e) => Type::Slice(f(self, *e)),
            Type::Array(n, e) => Type::Array(*n, f(self, *e)),
            Type::Map(k, v) => Type::Map(f(self, *k), f(self, *v)),
            Type::Chan(d, e) => Type::Chan(*d, f(self, *e)),
            Type::Struct(fields) => Type::Struct(
                fields
                    .iter()
                    .map(|fl| Field {
                        ty: f(self, fl.ty),
                        ..fl.clone()
                    })
                    .collect(),
            ),
            Type::Func(s) => Type::Func(sig(s)),
            Type::Interface(ms) => Type::Interface(
                ms.iter()
                    .map(|m| IMethod {
                        name: m.name.clone(),
                        sig: f(self, m.sig),
                    })
                    .collect(),
            ),
            Type::Tuple(items) => Type::Tuple(items.iter().map(|&t| f(self, t)).collect()),
        }
    }

    /// Rewrites every type to mention only canonical ids, so that after checking, equal ids
    /// mean identical types (the compiler and the VM compare ids).
    pub fn canonicalize_all(&mut self) {
        for i in 0..self.types.len() {
            let ty = self.types[i].clone();
            self.types[i] = self.map_components(&ty, &|t, c| t.canonical(c));
        }
        for i in 0..self.named.len() {
            let u = self.named[i].underlying;
            self.named[i].underlying = self.canonical(u);
            for m in 0..self.named[i].methods.len() {
                let sig = self.named[i].methods[m].sig;
                self.named[i].methods[m].sig = self.canonical(sig);
            }
        }
    }

    pub fn basic(&mut self, kind: BasicKind) -> TypeId {
        self.intern(Type::Basic(kind))
    }

    /// A new defined type whose underlying type is set later ([`Self::set_underlying`]).
    pub fn new_named(&mut self, name: &str, pkg: &str) -> TypeId {
        let index = self.named.len() as u32;
        self.named.push(Named {
            name: name.to_string(),
            pkg: pkg.to_string(),
            underlying: TypeId::INVALID,
            methods: Vec::new(),
        });
        let id = TypeId(self.types.len() as u32);
        self.types.push(Type::Named(index));
        self.canon.push(id);
        id
    }

    /// The defined type `pkg.name`, if the program declares it.
    pub fn find_named(&self, pkg: &str, name: &str) -> Option<TypeId> {
        (0..self.types.len() as u32).map(TypeId).find(|&id| {
            self.named(id)
                .is_some_and(|n| n.pkg == pkg && n.name == name)
        })
    }

    pub fn named(&self, id: TypeId) -> Option<&Named> {
        match self.get(id) {
            Type::Named(i) => self.named.get(*i as usize),
            _ => None,
        }
    }

    pub fn named_mut(&mut self, id: TypeId) -> Option<&mut Named> {
        match self.types.get(id.0 as usize) {
            Some(Type::Named(i)) => self.named.get_mut(*i as usize),
            _ => None,
        }
    }

    /// Sets the underlying type of a defined type. The underlying type of a defined type is
    /// never itself defined: `type A B` takes B's underlying type.
    pub fn set_underlying(&mut self, named: TypeId, underlying: TypeId) {
        let underlying = self.underlying(underlying);
        if let Some(n) = self.named_mut(named) {
            n.underlying = underlying;
        }
    }

    /// Go's underlying type: itself for all but defined types.
    pub fn underlying(&self, id: TypeId) -> TypeId {
        match self.named(id) {
            Some(n) => n.underlying,
            None => id,
        }
    }

    /// The underlying type's structure.
    pub fn under(&self, id: TypeId) -> &Type {
        self.get(self.underlying(id))
    }

    pub fn is_invalid(&self, id: TypeId) -> bool {
        matches!(self.under(id), Type::Invalid)
    }

    pub fn basic_kind(&self, id: TypeId) -> Option<BasicKind> {
        match self.under(id) {
            Type::Basic(k) => Some(*k),
            _ => None,
        }
    }

    pub fn is_interface(&self, id: TypeId) -> bool {
        matches!(self.under(id), Type::Interface(_))
    }

    pub fn is_named(&self, id: TypeId) -> bool {
        matches!(self.get(id), Type::Named(_))
    }

    pub fn is_untyped(&self, id: TypeId) -> bool {
        self.basic_kind(id).is_some_and(BasicKind::is_untyped)
    }

    pub fn signature(&self, id: TypeId) -> Option<&Signature> {
        match self.under(id) {
            Type::Func(sig) => Some(sig),
            _ => None,
        }
    }

    /// Element type of pointers, slices, arrays, channels and maps (value type).
    pub fn elem(&self, id: TypeId) -> Option<TypeId> {
        match self.under(id) {
            Type::Pointer(e)
            | Type::Slice(e)
            | Type::Array(_, e)
            | Type::Chan(_, e)
            | Type::Map(_, e) => Some(*e),
            _ => None,
        }
    }

    /// Whether values of the type can be compared with `==` (Go spec "Comparison operators").
    pub fn comparable(&self, id: TypeId) -> bool {
        match self.under(id) {
            Type::Slice(_) | Type::Map(..) | Type::Func(_) => false,
            Type::Array(_, e) => self.comparable(*e),
            Type::Struct(fields) => fields.iter().all(|f| self.comparable(f.ty)),
            _ => true,
        }
    }

    /// How Go prints a type in messages and `%T`: `[]int`, `map[string]*main.T`, `func(int) error`.
    /// `qualify` decides whether a defined type gets its package prefix.
    pub fn display(&self, id: TypeId, qualify: &dyn Fn(&str) -> bool) -> String {
        let mut out = String::new();
        self.write(&mut out, id, qualify);
        out
    }

    fn write(&self, out: &mut String, id: TypeId, q: &dyn Fn(&str) -> bool) {
        match self.get(id) {
            Type::Invalid => out.push_str("invalid type"),
            Type::Basic(BasicKind::Uint8) if self.is_alias(id) => out.push_str("byte"),
            Type::Basic(BasicKind::Int32) if self.is_alias(id) => out.push_str("rune"),
            Type::Basic(k) => out.push_str(k.name()),
            Type::Named(i) => {
                let n = &self.named[*i as usize];
                if !n.pkg.is_empty() && q(&n.pkg) {
                    out.push_str(n.pkg.rsplit('/').next().unwrap_or(&n.pkg));
                    out.push('.');
                }
                out.push_str(&n.name);
            }
            Type::Pointer(e) => {
                out.push('*');
                self.write(out, *e, q);
            }
            Type::Slice(e) => {
                out.push_str("[]");
                self.write(out, *e, q);
            }
            Type::Array(n, e) => {
                out.push_str(&format!("[{n}]"));
                self.write(out, *e, q);
            }
            Type::Map(k, v) => {
                out.push_str("map[");
                self.write(out, *k, q);
                out.push(']');
                self.write(out, *v, q);
            }
            Type::Chan(dir, e) => {
                out.push_str(match dir {
                    ChanDir::Both => "chan ",
                    ChanDir::Send => "chan<- ",
                    ChanDir::Recv => "<-chan ",
                });
                let paren =
                    *dir == ChanDir::Both && matches!(self.get(*e), Type::Chan(ChanDir::Recv, _));
                if paren {
                    out.push('(');
                }
                self.write(out, *e, q);
                if paren {
                    out.push(')');
                }
            }
            Type::Struct(fields) => {
                out.push_str("struct{");
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str("; ");
                    }
                    if !f.embedded {
                        out.push_str(&f.name);
                        out.push(' ');
                    }
                    self.write(out, f.ty, q);
                    if !f.tag.is_empty() {
                        out.push_str(&format!(" {:?}", f.tag));
                    }
                }
                out.push('}');
            }
            Type::Func(sig) => {
                out.push_str("func");
                self.write_signature(out, sig, q);
            }
            Type::Interface(methods) => {
                // types2's spelling, like `struct{...}` above: `interface{M(); N() int}`.
                out.push_str("interface{");
                for (i, m) in methods.iter().enumerate() {
                    if i > 0 {
                        out.push_str("; ");
                    }
                    out.push_str(&m.name);
                    if let Type::Func(sig) = self.get(m.sig) {
                        self.write_signature(out, sig, q);
                    }
                }
                out.push('}');
            }
            Type::Tuple(items) => {
                out.push('(');
                for (i, t) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write(out, *t, q);
                }
                out.push(')');
            }
        }
    }

    /// `(int, ...string) (bool, error)`.
    pub fn write_signature(&self, out: &mut String, sig: &Signature, q: &dyn Fn(&str) -> bool) {
        out.push('(');
        for (i, p) in sig.params.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let last = i + 1 == sig.params.len();
            match (sig.variadic && last, self.get(*p)) {
                (true, Type::Slice(e)) => {
                    out.push_str("...");
                    self.write(out, *e, q);
                }
                _ => self.write(out, *p, q),
            }
        }
        out.push(')');
        match sig.results.as_slice() {
            [] => {}
            [one] => {
                out.push(' ');
                self.write(out, *one, q);
            }
            many => {
                out.push_str(" (");
                for (i, r) in many.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write(out, *r, q);
                }
                out.push(')');
            }
        }
    }
}
