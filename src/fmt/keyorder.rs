//! The order in which `fmt` prints map entries (Go documents it under "Printing maps"):
//! numbers ascending with NaN first, strings bytewise, `false` before `true`, pointers and
//! channels by address, structs and arrays element by element, interface keys nil first,
//! then grouped by dynamic type, then by value.
//!
//! Go groups differently typed interface keys by an unobservable type address; this
//! engine groups them by type name instead (a documented divergence).

use std::cmp::Ordering;

use super::FmtValue;

/// The entries of a map in printing order (a stable sort, so equal keys keep input order).
pub(super) fn in_print_order(entries: &[(FmtValue, FmtValue)]) -> Vec<&(FmtValue, FmtValue)> {
    let mut ordered: Vec<_> = entries.iter().collect();
    ordered.sort_by(|x, y| key_order(&x.0, &y.0));
    ordered
}

/// Floats with NaN below every number (NaNs equal to each other).
fn float_order(x: f64, y: f64) -> Ordering {
    x.partial_cmp(&y)
        .unwrap_or_else(|| y.is_nan().cmp(&x.is_nan()))
}

/// The first difference between two element lists.
fn lexicographic<'a>(pairs: impl Iterator<Item = (&'a FmtValue, &'a FmtValue)>) -> Ordering {
    pairs
        .map(|(x, y)| key_order(x, y))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn key_order(x: &FmtValue, y: &FmtValue) -> Ordering {
    use FmtValue as V;
    let (x, y) = (x.bare(), y.bare());
    let by_type = match (x.type_name(), y.type_name()) {
        (Some(tx), Some(ty)) => tx.cmp(ty),
        // A nil interface key sorts first.
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
    };
    if by_type.is_ne() {
        return by_type;
    }
    match (x, y) {
        (V::Int { v: a, .. }, V::Int { v: b, .. }) => a.cmp(b),
        (V::Uint { v: a, .. }, V::Uint { v: b, .. }) => a.cmp(b),
        (V::Float { v: a, .. }, V::Float { v: b, .. }) => float_order(*a, *b),
        (V::Complex { re: ar, im: ai, .. }, V::Complex { re: br, im: bi, .. }) => {
            float_order(*ar, *br).then(float_order(*ai, *bi))
        }
        (V::String { v: a, .. }, V::String { v: b, .. })
        | (V::Bytes { v: a, .. }, V::Bytes { v: b, .. }) => a.cmp(b),
        (V::Bool { v: a, .. }, V::Bool { v: b, .. }) => a.cmp(b),
        (V::Pointer { addr: a, .. }, V::Pointer { addr: b, .. })
        | (V::UnsafePointer { addr: a, .. }, V::UnsafePointer { addr: b, .. })
        | (V::Chan { addr: a, .. }, V::Chan { addr: b, .. }) => a.cmp(b),
        (V::Struct { fields: a, .. }, V::Struct { fields: b, .. }) => {
            lexicographic(a.iter().map(|f| &f.1).zip(b.iter().map(|f| &f.1)))
        }
        (V::Array { elems: a, .. }, V::Array { elems: b, .. }) => lexicographic(a.iter().zip(b)),
        // Not comparable as map keys: keep the input order.
        _ => Ordering::Equal,
    }
}
