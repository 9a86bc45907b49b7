//! The operating-system layer: one nonblocking system call per function; the crate's only
//! `unsafe`.
pub(crate) mod resolve;
