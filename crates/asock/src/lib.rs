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
//! # Cargo features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `tokio` | on | tokio's reactor and timers inside a tokio runtime (else asock's own); tokio's `AsyncRead` / `AsyncWrite`; `ReadBuf` as a [`RecvBuf`]; conversions to and from `tokio::net`. Without it, no tokio crate is in the dependency graph and every socket waits on asock's own reactor (or async-io's). |
//! | `futures-io` | on | futures' `AsyncRead` / `AsyncWrite` (smol, async-std, futures codecs) on [`AsyncSocket`], its halves and the typed streams |
//! | `async-io` | off | outside tokio and `asock::block_on`, wait on async-io's reactor (smol's), so that asock under smol pays no thread hop per event |
//! | `hyper` | off | hyper's `Read` / `Write`, hyper-util's `Connection` and a connector for the typed streams (turns `tokio` on) |
//!
//! # Platforms
//!
//! asock is Linux-only: it is built on Linux's socket interface (`accept4`, `SOCK_CLOEXEC`,
//! `recvmmsg`, UDP GSO/GRO, abstract UNIX addresses, `TCP_INFO`, ...), and compiling it for
//! another target stops with an error that says so, rather than giving an empty crate.
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
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(target_os = "linux"))]
compile_error!(
    "asock supports Linux only: it is built on Linux's socket interface (accept4, recvmmsg, \
     UDP GSO/GRO, abstract UNIX addresses, TCP_INFO); see the crate docs, \"Platforms\""
);

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
