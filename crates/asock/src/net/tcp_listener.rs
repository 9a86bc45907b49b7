//! [`TcpListener`]: a listening TCP socket, as tokio's.

use std::net::SocketAddr;

use super::addr::{first_that_works, resolve, ToSocketAddrs};
use super::common::{typed_socket, TCP};
use super::listener_methods::listener_methods;
use super::{ip_addr, TcpStream};
use crate::async_socket::AsyncSocket;
use asock_core::{AddressFamily, Result, SockAddr, SocketKind};

/// The `listen` backlog of [`TcpListener::bind`] (and [`UnixListener::bind`](super::UnixListener::bind)):
/// tokio's and mio's 1024, capped by the kernel at `net.core.somaxconn`.
pub(crate) const BACKLOG: u32 = 1024;

/// A TCP socket listening for connections: tokio's `TcpListener` over an [`AsyncSocket`].
///
/// [`accept`](Self::accept) waits on tokio's reactor inside a tokio runtime and on asock's own
/// anywhere else, and its future takes a mode of its own (`.timeout(d)`, `.nonblocking()`).
///
/// ```
/// use asock::net::{TcpListener, TcpStream};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # asock::block_on(async {
/// let listener = TcpListener::bind("127.0.0.1:0").await?;
/// let mut client = TcpStream::connect(listener.local_addr()?).await?;
/// let (mut conn, peer) = listener.accept().await?;
/// assert_eq!(peer, client.local_addr()?);
/// client.write_all(b"hello").await?;
/// let mut buf = [0; 5];
/// conn.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct TcpListener {
    sock: AsyncSocket,
}

typed_socket!(
    TcpListener,
    fits: TCP,
    std: std::net::TcpListener,
    tokio: tokio::net::TcpListener,
    setup: "let sock = asock::block_on(asock::net::TcpListener::bind(\"127.0.0.1:0\"))?;",
    std_setup: "let std_socket = std::net::TcpListener::bind(\"127.0.0.1:0\")?;",
);

listener_methods!(
    TcpListener,
    stream: TcpStream,
    addr: SocketAddr,
    peer_addr: ip_addr,
    peer_note: "",
    setup: "let sock = asock::block_on(asock::net::TcpListener::bind(\"127.0.0.1:0\"))?;",
    connect: "let client = std::net::TcpStream::connect(sock.local_addr()?)?;",
);

impl TcpListener {
    /// Creates a TCP socket bound to `addr` and listening, as tokio's `bind`: `SO_REUSEADDR`
    /// set (a restarted server can bind at once while old connections linger in
    /// `TIME_WAIT`), backlog 1024. Each address `addr` names is tried in turn until one binds;
    /// a host name is resolved first (on a blocking thread).
    ///
    /// An `AF_INET6` listener takes the system's `IPV6_V6ONLY` default (on Linux, off: `[::]`
    /// takes IPv4 clients too); [`create_server`](crate::create_server) sets it as Python
    /// does, then `TcpListener::try_from` gives the typed socket.
    ///
    /// ```
    /// use asock::net::TcpListener;
    ///
    /// # asock::block_on(async {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// assert_ne!(listener.local_addr()?.port(), 0);
    /// let busy = TcpListener::bind(listener.local_addr()?).await.unwrap_err();
    /// assert_eq!(busy.raw_os_error(), Some(libc::EADDRINUSE));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The last address's error (`EADDRINUSE`, `EADDRNOTAVAIL`, `EACCES`, ...); `InvalidInput`
    /// for text that is not `host:port` or a name with no address; the resolver's error.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future closes the socket it was binding and abandons a lookup.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> Result<TcpListener> {
        let addrs = resolve(&addr, SocketKind::SOCK_STREAM).await?;
        let sock = first_that_works(&addrs, |addr| async move { listen_on(addr) }).await?;
        Ok(TcpListener { sock })
    }

    /// The address the listener is bound to: `getsockname(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
    /// assert!(listener.local_addr()?.ip().is_loopback());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockname(2)`.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        ip_addr(self.sock.local_addr()?)
    }

    /// The `IP_TTL` of the connections it accepts (`IPV6_UNICAST_HOPS` on IPv6).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
    /// listener.set_ttl(42)?;
    /// assert_eq!(listener.ttl()?, 42);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockopt(2)`.
    pub fn ttl(&self) -> Result<u32> {
        super::ttl(&self.sock)
    }

    /// Sets `IP_TTL` (`IPV6_UNICAST_HOPS` on IPv6). See [`ttl`](Self::ttl).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
    /// listener.set_ttl(64)?;
    /// assert_eq!(listener.ttl()?, 64);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` for a value over 255.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        super::set_ttl(&self.sock, ttl)
    }
}

/// A new TCP socket of `addr`'s family, `SO_REUSEADDR`, bound to `addr`, listening.
fn listen_on(addr: SocketAddr) -> Result<AsyncSocket> {
    let family = if addr.is_ipv4() { AddressFamily::AF_INET } else { AddressFamily::AF_INET6 };
    let sock = AsyncSocket::new(family, SocketKind::SOCK_STREAM, None)?;
    sock.options().set_reuse_address(true)?;
    sock.bind(SockAddr::from(addr))?;
    sock.listen(BACKLOG)?;
    Ok(sock)
}
