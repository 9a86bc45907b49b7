//! Python's `socket` module as async Rust.
//!
//! asock gives the BSD socket model the way Python's `socket` module presents it: the same
//! families, kinds, protocols and constants ([`consts`]), the same functions (`getaddrinfo`,
//! `create_connection`, `create_server`, ...), and the socket object's three modes (blocking,
//! non-blocking, timeout), for blocking code ([`blocking::Socket`], Python's names) and async
//! code ([`AsyncSocket`], Rust's signatures, and the typed sockets of [`net`] — [`TcpListener`],
//! [`TcpStream`], [`UdpSocket`], [`UnixListener`], [`UnixStream`], [`UnixDatagram`] — with
//! tokio's), on tokio's reactor inside a tokio runtime and on asock's own mio reactor anywhere
//! else.
//!
//! Cargo feature `async-io` (off by default): outside tokio and `asock::block_on`, wait on
//! async-io's reactor (smol's), so that asock under smol pays no thread hop per event.
//!
//! ```
//! use asock::{AddressFamily, SockAddr};
//!
//! let addr: SockAddr = "127.0.0.1:0".parse()?;
//! assert_eq!(addr.family(), AddressFamily::AF_INET);
//! # Ok::<(), asock::Error>(())
//! ```
#![deny(missing_docs, missing_debug_implementations)]
#![doc(test(attr(deny(warnings))))]
#![cfg(target_os = "linux")]

pub use asock_core::*;

pub mod ancillary;
pub mod async_socket;
pub(crate) mod ops;

pub mod blocking;
pub mod connect;
pub mod happy_eyeballs;
pub mod mode;
pub mod net;
pub mod reactor;
pub mod resolve;
pub mod time;

mod server;
mod sys;

pub use async_socket::AsyncSocket;
pub use connect::{create_connection, create_connection_with};
pub use mode::{
    default_mode, default_timeout, set_default_timeout, set_default_timeout_secs, Mode, ModeExt,
    Operation,
};
pub use net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};
pub use ops::batch;
pub use ops::options::{OptionValue, SocketOptions, TcpInfo};
pub use reactor::{block_on, sleep, sleep_until};
pub use resolve::lookup::*;
pub use server::{create_server, has_dualstack_ipv6, ServerOptions};
pub use sys::buf::RecvBuf;

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// docs/batched-udp.md's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/batched-udp.md")]
struct BatchedUdpDoctests;
