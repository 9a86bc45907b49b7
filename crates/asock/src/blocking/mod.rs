//! Blocking sockets and functions: Python's `socket` module without a runtime.
pub use crate::resolve::blocking::*;
