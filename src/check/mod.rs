//! The type checker (being built): Go's static semantics.
//!
//! Input: parsed files of one package. Output: the package's objects and types, with the type
//! of every expression, or Go's compile errors.

pub mod basic;
pub mod constant;
