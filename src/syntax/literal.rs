//! Placeholder: literal decoding is being written.
