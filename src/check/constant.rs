//! Placeholder: exact constant arithmetic is being written.
