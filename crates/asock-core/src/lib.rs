//! The socket vocabulary of Python's `socket` module, for Rust.
//!
//! asock-core holds the values every socket program names: address families
//! ([`AddressFamily`]), socket kinds ([`SocketKind`]), protocols ([`Protocol`]), `MSG_*` flag
//! sets ([`MsgFlags`]), every integer constant of Python's module under its Python name
//! ([`consts`]), the address of every family ([`SockAddr`]), the `inet_*` conversions and
//! byte-order helpers, and the one [`Error`] type.
//! It makes no system calls beyond the C library's conversion functions (and `if_nametoindex` for a named IPv6 zone); the `asock` crate
//! builds sockets on it.
//!
//! ```
//! use asock_core::{consts, AddressFamily, SockAddr, SocketKind};
//!
//! assert_eq!(AddressFamily::AF_INET6.raw(), consts::AF_INET6);
//! assert_eq!(format!("{:?}", SocketKind::SOCK_STREAM), "SOCK_STREAM");
//! let addr: SockAddr = "[::1]:80".parse()?;
//! assert_eq!(addr.family(), AddressFamily::AF_INET6);
//! # Ok::<(), asock_core::Error>(())
//! ```
#![deny(missing_docs, missing_debug_implementations)]
#![doc(test(attr(deny(warnings))))]
#![cfg(target_os = "linux")]

#[macro_use]
mod macros;

mod addr;
mod byteorder;
pub mod consts;
mod error;
mod family;
mod inet;
mod kind;
mod msg_flags;
mod protocol;
mod sys;

pub use addr::{
    CanAddr, NetlinkAddr, OtherAddr, PacketAddr, RawSockAddr, SockAddr, TipcAddr, UnixAddr,
    VsockAddr,
};
pub use byteorder::{htonl, htons, ntohl, ntohs};
pub use error::{Error, ErrorKind, Result};
pub use family::AddressFamily;
pub use inet::{inet_aton, inet_ntoa, inet_ntop, inet_pton};
pub use kind::SocketKind;
pub use msg_flags::MsgFlags;
pub use protocol::Protocol;
