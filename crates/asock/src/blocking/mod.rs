//! Blocking sockets and functions: Python's `socket` module without a runtime.
//!
//! [`Socket`] is Python's socket object: every method, the three modes (blocking,
//! non-blocking, timeout) with CPython's exact semantics, options raw and typed, and
//! conversions to and from `std::net`, `std::os::unix::net` and socket2. Around it:
//! [`socketpair`], [`create_server`] / [`has_dualstack_ipv6`], and the process-wide default
//! timeout ([`set_default_timeout`] / [`default_timeout`]).
//!
//! | Python | asock |
//! |---|---|
//! | `socket.socket(family, type, proto)` | [`Socket::new`] |
//! | `socket.socketpair()` | [`socketpair`], [`Socket::pair`] |
//! | `socket.fromfd(fd, ...)`, `socket(fileno=fd)` | [`Socket::from_fd`], `Socket::from(OwnedFd)` |
//! | `settimeout` / `gettimeout` / `setblocking` / `getblocking` | [`Socket::set_timeout`] / [`Socket::timeout`] / [`Socket::set_blocking`] / [`Socket::is_blocking`] |
//! | `recv` / `recv_into` / `recvfrom` / `recvfrom_into` | [`Socket::recv`] / [`Socket::recv_into`] / [`Socket::recv_from`] / [`Socket::recv_from_into`] |
//! | `send` / `sendall` / `sendto` | [`Socket::send`] / [`Socket::send_all`] / [`Socket::send_to`] |
//! | `getsockname` / `getpeername` | [`Socket::local_addr`] / [`Socket::peer_addr`] |
//! | `getsockopt` / `setsockopt` | [`Socket::options`]: [`SocketOptions::get_option`] / [`SocketOptions::set_option`], typed getters and setters |
//! | `makefile()` | `BufReader::new(&sock)` / `BufWriter::new(&sock)` |
//!
//! ```
//! use std::io::{BufRead, BufReader, Write};
//! use asock::blocking::{create_server, Socket};
//! use asock::{AddressFamily, Protocol, SocketKind};
//!
//! let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
//! let client = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
//! client.set_timeout_secs(Some(5.0))?;
//! client.connect(&server.local_addr()?)?;
//! let (conn, _) = server.accept()?;
//! (&conn).write_all(b"hello\n")?;
//! let mut line = String::new();
//! BufReader::new(&client).read_line(&mut line)?;
//! assert_eq!(line, "hello\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod call;
mod convert;
mod create_connection;
mod endpoint;
mod happy_eyeballs;
mod io;
mod server;
mod socket;
mod socket_msg;
mod socket_network;

pub use crate::mode::{default_timeout, set_default_timeout, set_default_timeout_secs};
pub use crate::ops::options::{OptionValue, SocketOptions, TcpInfo};
pub use crate::resolve::blocking::*;
pub(crate) use create_connection::with_default_timeout;
pub use create_connection::{create_connection, create_connection_to, create_connection_with};
pub use happy_eyeballs::{happy_eyeballs, Happened, Network, Target};
pub use server::{create_server, has_dualstack_ipv6, ServerOptions};
pub use socket::{socketpair, Socket};
pub use socket_network::{SocketNetwork, SuccessPoint};
