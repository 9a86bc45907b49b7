//! Typed sockets with tokio's signatures: [`TcpListener`], [`TcpStream`], [`UdpSocket`],
//! [`UnixListener`], [`UnixStream`], [`UnixDatagram`].
//!
//! Each is an [`AsyncSocket`] whose kind and family are known, with the methods of its
//! `tokio::net` namesake: `bind(addr).await`, `accept()`, `connect(addr).await`, `local_addr()`
//! as a `std::net::SocketAddr`, `readable()` / `try_read`, `send_to` / `recv_from`, tokio's and
//! futures' `AsyncRead` / `AsyncWrite` on the streams. Code written for `tokio::net` moves to
//! asock by changing its imports:
//!
//! ```
//! use asock::net::{TcpListener, TcpStream};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     tokio::spawn(async move {
//!         let (mut socket, _) = listener.accept().await?;
//!         let mut buf = [0; 1024];
//!         loop {
//!             let n = socket.read(&mut buf).await?;
//!             if n == 0 {
//!                 return Ok::<_, std::io::Error>(());
//!             }
//!             socket.write_all(&buf[..n]).await?;
//!         }
//!     });
//!     let mut client = TcpStream::connect(addr).await?;
//!     client.write_all(b"echo").await?;
//!     let mut reply = [0; 4];
//!     client.read_exact(&mut reply).await?;
//!     assert_eq!(&reply, b"echo");
//!     Ok(())
//! }
//! ```
//!
//! What asock adds:
//!
//! - **Any executor.** Inside a tokio runtime the sockets wait on tokio's reactor; anywhere
//!   else (`asock::block_on`, `futures::executor::block_on`, smol) on asock's own. Binding
//!   needs no runtime at all: a socket registers at its first wait.
//! - **Happy Eyeballs.** [`TcpStream::connect`] to a name races its IPv6 and IPv4 addresses
//!   (RFC 8305, [`create_connection`](crate::create_connection)); `connect_with` takes
//!   [`ConnectOptions`](crate::connect::ConnectOptions).
//! - **Modes.** The operation futures (`accept`, `recv_from`, `send_to`, `readable`, `peek`,
//!   ...) take `.timeout(d)`, `.deadline(t)`, `.nonblocking()`, `.blocking()` for one call,
//!   and `set_timeout` gives the socket Python's `settimeout`. Any other future (an `async`
//!   `connect`, `read_exact`, a whole exchange) is bounded with [`ModeExt`](crate::ModeExt).
//! - **The socket object underneath.** [`as_socket`](TcpStream::as_socket) is the
//!   `AsyncSocket`, with every operation (`send_all`, `recv_msg`, `send_fds`, `send_file`,
//!   ...), and [`options`](TcpStream::options) every option, raw or typed.
//! - **Errors** are [`asock::Error`](crate::Error): Python's text (`[Errno 111] Connection
//!   refused`, `timed out`), converted losslessly to `io::Error` by `?`.
//!
//! Addresses: the IP sockets take any [`ToSocketAddrs`] (an address, a list, `"host:port"`,
//! `(host, port)`); a host name is resolved by asock (numeric text at once, names on a
//! blocking thread, never the executor's). The UNIX sockets take a path (`impl AsRef<Path>`,
//! a leading NUL byte for Linux's abstract namespace, as tokio and Python have it) or a
//! [`UnixAddr`] (`bind_addr`, `connect_addr`), and report [`UnixAddr`]s.
//!
//! Conversions: each type converts to and from [`AsyncSocket`] (`TryFrom` checks the kind,
//! family and protocol), its `std` and `tokio::net` namesakes, and `socket2::Socket`.
//!
//! With the `hyper` feature, [`TcpStream`] and [`UnixStream`] implement hyper's `Read` /
//! `Write` and hyper-util's `Connection`, and `net::hyper` has connectors for hyper-util's
//! `Client`.

mod addr;
mod common;
mod datagram_methods;
mod future;
#[cfg(feature = "hyper")]
pub mod hyper;
mod listener_methods;
mod readiness;
#[cfg(any(feature = "tokio", feature = "futures-io"))]
mod stream_io;
mod stream_methods;
mod tcp_listener;
mod tcp_stream;
mod udp;
mod udp_batch;
mod udp_send_to;
mod unix_datagram;
mod unix_listener;
mod unix_stream;

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

pub use addr::{lookup_host, ToSocketAddrs};
pub use future::NetFuture;
pub use tcp_listener::TcpListener;
pub use tcp_stream::TcpStream;
pub use udp::UdpSocket;
pub use udp_send_to::UdpSendToFuture;
pub use unix_datagram::UnixDatagram;
pub use unix_listener::UnixListener;
pub use unix_stream::UnixStream;

use crate::async_socket::AsyncSocket;
use asock_core::{AddressFamily, Error, Result, SockAddr, UnixAddr};

/// The IP address of a TCP or UDP socket's `SockAddr`.
fn ip_addr(addr: SockAddr) -> Result<SocketAddr> {
    addr.as_socket().ok_or_else(|| Error::from_errno(libc::EAFNOSUPPORT))
}

/// The UNIX address of a UNIX socket's `SockAddr`.
fn unix_addr(addr: SockAddr) -> Result<UnixAddr> {
    match addr {
        SockAddr::Unix(addr) => Ok(addr),
        _ => Err(Error::from_errno(libc::EAFNOSUPPORT)),
    }
}

/// A path as a UNIX address, Python's way: a leading NUL byte names the abstract namespace,
/// an empty path is unnamed (binding it autobinds).
fn unix_addr_of_path(path: &Path) -> UnixAddr {
    UnixAddr::from_python_bytes(OsStr::as_bytes(path.as_os_str()))
}

/// `IP_TTL`, or `IPV6_UNICAST_HOPS` on an IPv6 socket.
fn ttl(sock: &AsyncSocket) -> Result<u32> {
    match sock.family() {
        AddressFamily::AF_INET6 => sock.options().unicast_hops_v6(),
        _ => sock.options().ttl(),
    }
}

fn set_ttl(sock: &AsyncSocket, ttl: u32) -> Result<()> {
    match sock.family() {
        AddressFamily::AF_INET6 => sock.options().set_unicast_hops_v6(ttl),
        _ => sock.options().set_ttl(ttl),
    }
}
