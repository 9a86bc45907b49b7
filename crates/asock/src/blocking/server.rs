//! `create_server` and `has_dualstack_ipv6`: Python 3.8's listening-socket helpers.

use super::Socket;
use asock_core::{AddressFamily, Error, Protocol, Result, SockAddr, SocketKind};

/// The keyword arguments of Python's `socket.create_server(address, *, family, backlog,
/// reuse_port, dualstack_ipv6)`.
///
/// ```
/// use asock::blocking::ServerOptions;
///
/// let options = ServerOptions { backlog: Some(16), reuse_port: true, ..Default::default() };
/// assert_eq!(options.family, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerOptions {
    /// The family to create; `None` takes the address's (Python's default is `AF_INET`, which
    /// an IPv4 address gives). A family that does not match the address fails to bind with
    /// `EAFNOSUPPORT`.
    pub family: Option<AddressFamily>,
    /// The `listen` backlog; `None` is `listen()`'s default, `min(SOMAXCONN, 128)`.
    pub backlog: Option<i32>,
    /// Set `SO_REUSEPORT`, so several servers can share the address.
    pub reuse_port: bool,
    /// Accept IPv4 as well as IPv6 on an `AF_INET6` socket (`IPV6_V6ONLY` off); without it an
    /// `AF_INET6` server gets `IPV6_V6ONLY` on, whatever the system default.
    pub dualstack_ipv6: bool,
}

/// A TCP server socket bound to `address` and listening: Python's `socket.create_server`.
///
/// As CPython does on POSIX: `SO_REUSEADDR` is set (quietly skipped if the family refuses
/// it), `SO_REUSEPORT` if asked, `IPV6_V6ONLY` on an `AF_INET6` socket unless dual-stack is
/// asked for; then `bind` and `listen`. The socket is closed on any error. The mode is the
/// default one.
///
/// ```
/// use asock::blocking::{create_server, has_dualstack_ipv6, ServerOptions};
///
/// let v4 = create_server(&"127.0.0.1:0".parse()?, &ServerOptions::default())?;
/// assert!(v4.options().is_listener()?);
///
/// if has_dualstack_ipv6() {
///     let options = ServerOptions { dualstack_ipv6: true, ..Default::default() };
///     let both = create_server(&"[::]:0".parse()?, &options)?;
///     let port = both.local_addr()?.port().unwrap();
///     std::net::TcpStream::connect(("127.0.0.1", port))?; // IPv4 reaches it
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` ("dualstack_ipv6 requires AF_INET6 family") for dual-stack on another
/// family, or when the system has no dual-stack support; `EADDRINUSE`, `EACCES`,
/// `EAFNOSUPPORT` from `bind`; the errors of [`Socket::new`] and [`Socket::listen`].
pub fn create_server(address: &SockAddr, options: &ServerOptions) -> Result<Socket> {
    let family = options.family.unwrap_or(address.family());
    if options.dualstack_ipv6 {
        if family != AddressFamily::AF_INET6 {
            return Err(Error::invalid_input("dualstack_ipv6 requires AF_INET6 family"));
        }
        if !has_dualstack_ipv6() {
            return Err(Error::invalid_input("dualstack_ipv6 not supported on this platform"));
        }
    }
    // Dropping `sock` on any `?` below closes it, as CPython's `except: sock.close()`.
    let sock = Socket::new(family, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    // CPython ignores a failure here (some families have no SO_REUSEADDR).
    let _ = sock.options().set_reuse_address(true);
    if options.reuse_port {
        sock.options().set_reuse_port(true)?;
    }
    if family == AddressFamily::AF_INET6 {
        sock.options().set_only_v6(!options.dualstack_ipv6)?;
    }
    sock.bind(address)?;
    sock.listen(options.backlog)?;
    Ok(sock)
}

/// Whether an `AF_INET6` TCP socket can also accept IPv4 (`IPV6_V6ONLY` can be turned off):
/// Python's `socket.has_dualstack_ipv6()`. Creates and closes one socket to find out.
///
/// ```
/// // Linux with IPv6 supports it; a kernel without IPv6 answers false.
/// let _ = asock::blocking::has_dualstack_ipv6();
/// ```
#[must_use]
pub fn has_dualstack_ipv6() -> bool {
    Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0))
        .and_then(|sock| sock.options().set_only_v6(false))
        .is_ok()
}
