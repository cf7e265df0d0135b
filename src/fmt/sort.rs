//! Map key ordering for printing, ported from Go's `internal/fmtsort`: numbers numerically
//! (NaN first), strings bytewise, `false < true`, pointers/chans by address (nil first),
//! structs and arrays field by field, interfaces nil first then by dynamic type then value.

use std::cmp::Ordering;

use super::FmtValue;

/// The entries of a map in the order Go's `fmt` prints them. The sort is stable, as Go's is.
pub(super) fn sorted_entries(entries: &[(FmtValue, FmtValue)]) -> Vec<&(FmtValue, FmtValue)> {
    let mut sorted: Vec<&(FmtValue, FmtValue)> = entries.iter().collect();
    sorted.sort_by(|a, b| compare(&a.0, &b.0));
    sorted
}

/// `cmp.Compare` for floats: NaN sorts before everything and equals itself.
fn compare_f64(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

fn compare_seq(a: &[FmtValue], b: &[FmtValue]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| compare(x, y))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// Orders two keys of the same map. Keys of an interface-typed map may differ in type;
/// Go then orders by the address of the type descriptor, which is not observable, so this
/// engine orders by type name instead (a documented divergence).
fn compare(a: &FmtValue, b: &FmtValue) -> Ordering {
    use FmtValue as V;
    let (a, b) = (a.bare(), b.bare());
    if let (Some(ta), Some(tb)) = (a.type_name(), b.type_name()) {
        if ta != tb {
            return ta.cmp(tb);
        }
    }
    match (a, b) {
        (V::NilInterface { .. }, V::NilInterface { .. }) => Ordering::Equal,
        (V::NilInterface { .. }, _) => Ordering::Less,
        (_, V::NilInterface { .. }) => Ordering::Greater,
        (V::Int { v: x, .. }, V::Int { v: y, .. }) => x.cmp(y),
        (V::Uint { v: x, .. }, V::Uint { v: y, .. }) => x.cmp(y),
        (V::String { v: x, .. }, V::String { v: y, .. }) => x.cmp(y),
        (V::Float { v: x, .. }, V::Float { v: y, .. }) => compare_f64(*x, *y),
        (V::Complex { re: ar, im: ai, .. }, V::Complex { re: br, im: bi, .. }) => {
            compare_f64(*ar, *br).then_with(|| compare_f64(*ai, *bi))
        }
        (V::Bool { v: x, .. }, V::Bool { v: y, .. }) => x.cmp(y),
        (V::Pointer { addr: x, .. }, V::Pointer { addr: y, .. })
        | (V::UnsafePointer { addr: x, .. }, V::UnsafePointer { addr: y, .. })
        | (V::Chan { addr: x, .. }, V::Chan { addr: y, .. }) => x.cmp(y),
        (V::Struct { fields: x, .. }, V::Struct { fields: y, .. }) => x
            .iter()
            .zip(y)
            .map(|((_, p), (_, q))| compare(p, q))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
        (V::Array { elems: x, .. }, V::Array { elems: y, .. }) => compare_seq(x, y),
        (V::Bytes { v: x, .. }, V::Bytes { v: y, .. }) => x.cmp(y),
        // Not valid map keys (slices, maps, funcs) or mismatched kinds: keep input order.
        _ => Ordering::Equal,
    }
}
