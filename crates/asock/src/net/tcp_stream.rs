//! [`TcpStream`]: a connected TCP socket, as tokio's, connected by Happy Eyeballs.

use std::net::SocketAddr;
use std::time::Duration;

use super::addr::{Target, ToSocketAddrs};
use super::common::{typed_socket, TCP};
use super::ip_addr;
use super::readiness::readiness_methods;
use super::stream_methods::stream_methods;
use crate::async_socket::AsyncSocket;
use crate::connect::{create_connection, create_connection_to, ConnectOptions};
use asock_core::{Error, Result, SockAddr};

/// A TCP connection: tokio's `TcpStream` over an [`AsyncSocket`].
///
/// Reading and writing go through tokio's or futures' `AsyncRead` / `AsyncWrite`
/// (`read`, `write_all`, `BufReader`, codecs, `tokio::io::copy`, ...), or through `try_read` /
/// `try_write` after [`readable`](Self::readable) / [`writable`](Self::writable); every
/// operation of asock's socket object is at [`as_socket`](Self::as_socket)
/// (`as_socket().recv(&mut buf).timeout(d)`, `send_file`, ...).
///
/// ```
/// use asock::net::{TcpListener, TcpStream};
/// use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
///
/// let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// rt.block_on(async {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let addr = listener.local_addr()?;
///     let server = tokio::spawn(async move {
///         let (mut conn, _) = listener.accept().await?;
///         conn.write_all(b"220 ready\r\n").await?;
///         Ok::<_, asock::Error>(())
///     });
///     let stream = TcpStream::connect(addr).await?;
///     let mut lines = BufReader::new(stream).lines();
///     assert_eq!(lines.next_line().await?.as_deref(), Some("220 ready"));
///     server.await??;
///     Ok::<(), Box<dyn std::error::Error>>(())
/// }).unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct TcpStream {
    sock: AsyncSocket,
}

typed_socket!(
    TcpStream,
    fits: TCP,
    std: std::net::TcpStream,
    tokio: tokio::net::TcpStream,
    setup: "let server = std::net::TcpListener::bind(\"127.0.0.1:0\")?;\nlet sock = asock::block_on(asock::net::TcpStream::connect(server.local_addr()?))?;",
    std_setup: "let server = std::net::TcpListener::bind(\"127.0.0.1:0\")?;\nlet std_socket = std::net::TcpStream::connect(server.local_addr()?)?;",
);

// ===== connecting =====

impl TcpStream {
    /// A `TcpStream` of an accepted or connected `AsyncSocket` (known to be TCP).
    pub(crate) fn from_socket(sock: AsyncSocket) -> TcpStream {
        TcpStream { sock }
    }

    /// Connects to `addr`, as tokio's `connect`, with Happy Eyeballs (RFC 8305): a host name's
    /// IPv6 and IPv4 addresses are raced (a 250 ms head start each, the next attempt at once
    /// when one fails), and so is a list of addresses, so an address that black-holes costs
    /// a quarter of a second, not the kernel's two-minute SYN timeout. This is
    /// [`create_connection`] with default [`ConnectOptions`]; [`connect_with`](Self::connect_with)
    /// takes others.
    ///
    /// As Python's `create_connection`, the default timeout
    /// ([`default_timeout`](crate::default_timeout), none unless set) bounds the whole call
    /// and becomes the stream's mode. Bound one call with [`ModeExt`](crate::ModeExt):
    /// `TcpStream::connect(addr).timeout(d)`.
    ///
    /// ```
    /// use asock::net::{TcpListener, TcpStream};
    ///
    /// # asock::block_on(async {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let port = listener.local_addr()?.port();
    /// for addr in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
    ///     let stream = TcpStream::connect(&addr).await?;
    ///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// The last attempt's error (`ECONNREFUSED`, `ENETUNREACH`, ...); the resolver's `Gai`
    /// error for an unknown name; "timed out" under a default timeout; `InvalidInput` for
    /// text that is not `host:port`, or no address at all.
    ///
    /// # Cancel safety
    ///
    /// Nothing is spawned: dropping the future closes every attempt's socket and abandons the
    /// lookups.
    pub async fn connect<A: ToSocketAddrs>(addr: A) -> Result<TcpStream> {
        TcpStream::connect_with(addr, &ConnectOptions::new()).await
    }

    /// [`connect`](Self::connect) with the race's options: an overall timeout (which becomes
    /// the stream's mode), the attempt delay, a source address, every attempt's error.
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::connect::ConnectOptions;
    /// use asock::net::TcpStream;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
    /// let stream = TcpStream::connect_with(server.local_addr()?, &options).await?;
    /// assert_eq!(stream.timeout(), Some(Duration::from_secs(5)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect); with
    /// [`all_errors`](ConnectOptions::all_errors), every attempt's address and error.
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](Self::connect).
    pub async fn connect_with<A: ToSocketAddrs>(
        addr: A,
        options: &ConnectOptions,
    ) -> Result<TcpStream> {
        let sock = match addr.target()? {
            Target::Host(host, port) => create_connection(host, port, options).await?,
            Target::One(addr) => create_connection_to(&[SockAddr::from(addr)], options).await?,
            Target::Many(addrs) => {
                if addrs.is_empty() {
                    return Err(Error::invalid_input("could not resolve to any addresses"));
                }
                let addrs: Vec<SockAddr> = addrs.iter().copied().map(SockAddr::from).collect();
                create_connection_to(&addrs, options).await?
            }
        };
        Ok(TcpStream { sock })
    }

    /// The address of the local end: `getsockname(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// assert_eq!(stream.local_addr()?, server.accept()?.1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockname(2)`.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        ip_addr(self.sock.local_addr()?)
    }

    /// The address of the remote end: `getpeername(2)`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// assert_eq!(stream.peer_addr()?, server.local_addr()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` once the connection is gone.
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        ip_addr(self.sock.peer_addr()?)
    }
}

// ===== readiness, single tries, peeking, halves =====

readiness_methods!(
    TcpStream,
    what: "stream",
    try_read: try_read,
    try_write: try_write,
    setup: "let server = std::net::TcpListener::bind(\"127.0.0.1:0\")?;\n\
            let sock = asock::block_on(asock::net::TcpStream::connect(server.local_addr()?))?;",
    pair: "let listener = std::net::TcpListener::bind(\"127.0.0.1:0\")?;\n\
           let sock = asock::block_on(asock::net::TcpStream::connect(listener.local_addr()?))?;\n\
           let peer = asock::net::TcpStream::from_std(listener.accept()?.0)?;",
);

stream_methods!(
    TcpStream,
    setup: "let server = std::net::TcpListener::bind(\"127.0.0.1:0\")?;\n\
            let sock = asock::block_on(asock::net::TcpStream::connect(server.local_addr()?))?;",
    pair: "let listener = std::net::TcpListener::bind(\"127.0.0.1:0\")?;\n\
           let sock = asock::block_on(asock::net::TcpStream::connect(listener.local_addr()?))?;\n\
           let peer = asock::net::TcpStream::from_std(listener.accept()?.0)?;",
);

// ===== options =====

impl TcpStream {
    /// Whether Nagle's algorithm is off (`TCP_NODELAY`).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// stream.set_nodelay(true)?;
    /// assert!(stream.nodelay()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockopt(2)`.
    pub fn nodelay(&self) -> Result<bool> {
        self.sock.options().nodelay()
    }

    /// Turns Nagle's algorithm off (`true`) or on (`TCP_NODELAY`). See [`nodelay`](Self::nodelay).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = asock::net::TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_nodelay(true)?;
    /// assert!(stream.nodelay()?);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `setsockopt(2)`.
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        self.sock.options().set_nodelay(nodelay)
    }

    /// `SO_LINGER`: how long closing waits for unsent data; `None` when off.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// assert_eq!(stream.linger()?, None);
    /// stream.set_linger(Some(Duration::from_secs(1)))?;
    /// assert_eq!(stream.linger()?, Some(Duration::from_secs(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockopt(2)`.
    pub fn linger(&self) -> Result<Option<Duration>> {
        self.sock.options().linger()
    }

    /// Sets `SO_LINGER`. `Some(ZERO)` makes closing reset the connection. See
    /// [`linger`](Self::linger).
    ///
    /// ```
    /// # asock::block_on(async {
    /// use std::time::Duration;
    ///
    /// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = asock::net::TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_linger(Some(Duration::ZERO))?; // closing resets the connection
    /// assert_eq!(stream.linger()?, Some(Duration::ZERO));
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `setsockopt(2)`.
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<()> {
        self.sock.options().set_linger(linger)
    }

    /// `IP_TTL` (`IPV6_UNICAST_HOPS` on IPv6): the hop limit of outgoing packets.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// stream.set_ttl(17)?;
    /// assert_eq!(stream.ttl()?, 17);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
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
    /// let stream = asock::net::TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_ttl(64)?;
    /// assert_eq!(stream.ttl()?, 64);
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
