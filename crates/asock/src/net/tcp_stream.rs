//! [`TcpStream`]: a connected TCP socket, as tokio's, connected by Happy Eyeballs.

use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::time::Duration;

use super::addr::{Target, ToSocketAddrs};
use super::common::{typed_socket, TCP};
use super::ip_addr;
use crate::async_socket::{
    AsyncIoFuture, OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReadyFuture, RecvFuture, WriteHalf,
};
use crate::connect::{create_connection, create_connection_to, ConnectOptions};
use crate::reactor::Interest;
use crate::{AsyncSocket, Error, MsgFlags, RecvBuf, Result, SockAddr};

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

// ===== readiness and single tries =====

impl TcpStream {
    /// Waits until the stream is reported ready for `interest`, as tokio's `ready`: for code
    /// that drives [`try_read`](Self::try_read) / [`try_write`](Self::try_write) itself.
    /// Readiness is a hint: the try that follows may still find nothing (`EAGAIN`), which
    /// clears it.
    ///
    /// ```
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// let ready = stream.ready(Interest::READABLE | Interest::WRITABLE).await?;
    /// assert!(ready.is_writable());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Registration failures; "timed out" or `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn ready(&self, interest: Interest) -> ReadyFuture<'_> {
        self.sock.ready(interest)
    }

    /// Waits until the stream is reported readable. See [`ready`](Self::ready).
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// server.accept()?.0.write_all(b"ping")?;
    /// let mut buf = [0; 16];
    /// let n = loop {
    ///     stream.readable().await?;
    ///     match stream.try_read(&mut buf) {
    ///         Err(e) if e.is_would_block() => continue, // a stale hint: wait again
    ///         other => break other?,
    ///     }
    /// };
    /// assert_eq!(&buf[..n], b"ping");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn readable(&self) -> ReadyFuture<'_> {
        self.sock.readable()
    }

    /// Waits until the stream is reported writable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// stream.writable().await?;
    /// assert_eq!(stream.try_write(b"hello")?, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn writable(&self) -> ReadyFuture<'_> {
        self.sock.writable()
    }

    /// Reads what is there into `buf`, never waiting: `recv(2)` once. 0 means end of stream
    /// (or an empty `buf`).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// assert!(stream.try_read(&mut [0; 8]).unwrap_err().is_would_block());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` (`is_would_block`) when nothing is there; `ECONNRESET`, ...
    pub fn try_read(&self, buf: &mut [u8]) -> Result<usize> {
        self.sock.try_recv(buf)
    }

    /// [`try_read`](Self::try_read) into a buffer's uninitialised room, without zeroing it:
    /// a `Vec<u8>`'s spare capacity (its length grows) or tokio's `ReadBuf` (see
    /// [`RecvBuf`]).
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// server.accept()?.0.write_all(b"abc")?;
    /// stream.readable().await?;
    /// let mut buf = Vec::with_capacity(64);
    /// assert_eq!(stream.try_read_buf(&mut buf)?, 3);
    /// assert_eq!(buf, b"abc");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_read`](Self::try_read).
    pub fn try_read_buf<B: RecvBuf + ?Sized>(&self, buf: &mut B) -> Result<usize> {
        self.sock.try_recv_buf(buf)
    }

    /// Writes what the kernel takes of `buf`, never waiting: `send(2)` once.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// assert_eq!(stream.try_write(b"hello")?, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `EAGAIN` when the send buffer is full; `EPIPE`, `ECONNRESET`, ...
    pub fn try_write(&self, buf: &[u8]) -> Result<usize> {
        self.sock.try_send(buf)
    }

    /// Writes the gathered `bufs` with one `sendmsg(2)`, never waiting.
    ///
    /// ```
    /// use std::io::IoSlice;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// let bufs = [IoSlice::new(b"head "), IoSlice::new(b"body")];
    /// assert_eq!(stream.try_write_vectored(&bufs)?, 9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// As [`try_write`](Self::try_write).
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> Result<usize> {
        self.sock.try_send_vectored(bufs)
    }

    /// Runs `f`, a system call of the caller's own on the stream's fd, once (tokio's
    /// `try_io`): a `WouldBlock` from it clears the readiness seen, so the next
    /// [`ready`](Self::ready) waits for a new event.
    ///
    /// ```
    /// use std::io::Write;
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// server.accept()?.0.write_all(b"raw")?;
    /// stream.readable().await?;
    /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
    /// let n = stream.try_io(Interest::READABLE, || socket2::SockRef::from(&stream.as_fd()).recv(&mut buf))?;
    /// assert_eq!(n, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of `f`.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        self.sock.try_io(interest, f)
    }

    /// Runs `f` until it does not say `WouldBlock`, waiting for `interest` in between
    /// (tokio's `async_io`), in the stream's mode.
    ///
    /// ```
    /// use std::io::Write;
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// let (mut conn, _) = server.accept()?;
    /// std::thread::spawn(move || conn.write_all(b"later"));
    /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
    /// let fd = stream.as_fd();
    /// let n = stream.async_io(Interest::READABLE, || socket2::SockRef::from(&fd).recv(&mut buf)).await?;
    /// assert_eq!(n, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of `f`; "timed out" or `EAGAIN` by the mode.
    ///
    /// # Cancel safety
    ///
    /// As cancel safe as `f`.
    pub fn async_io<R, F: FnMut() -> io::Result<R> + Unpin>(
        &self,
        interest: Interest,
        f: F,
    ) -> AsyncIoFuture<'_, F> {
        self.sock.async_io(interest, f)
    }

    /// Receives into `buf` without taking the bytes from the stream (`MSG_PEEK`), waiting
    /// until there are some.
    ///
    /// ```
    /// use std::io::Write;
    /// use tokio::io::AsyncReadExt;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut stream = asock::net::TcpStream::connect(server.local_addr()?).await?;
    /// server.accept()?.0.write_all(b"GET /")?;
    /// let mut buf = [0; 3];
    /// assert_eq!(stream.peek(&mut buf).await?, 3);
    /// assert_eq!(&buf, b"GET");
    /// let mut again = [0; 5];
    /// stream.read_exact(&mut again).await?; // still there
    /// assert_eq!(&again, b"GET /");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// "timed out" or `EAGAIN` by the mode; `ECONNRESET`, ...
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing.
    pub fn peek<'a>(&'a self, buf: &'a mut [u8]) -> RecvFuture<'a> {
        self.sock.recv_with_flags(buf, MsgFlags::MSG_PEEK)
    }
}

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

// ===== halves =====

impl TcpStream {
    /// Splits the stream into a reading and a writing half that borrow it (`AsyncRead` and
    /// `AsyncWrite`), as tokio's `split`: asock's [`ReadHalf`] / [`WriteHalf`].
    ///
    /// ```
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// # asock::block_on(async {
    /// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let mut client = asock::net::TcpStream::connect(listener.local_addr()?).await?;
    /// let (mut conn, _) = listener.accept().await?;
    /// let (mut read, mut write) = conn.split();
    /// let echo = async {
    ///     let mut buf = [0; 5];
    ///     read.read_exact(&mut buf).await?;
    ///     write.write_all(&buf).await
    /// };
    /// let talk = async {
    ///     client.write_all(b"hello").await?;
    ///     let mut buf = [0; 5];
    ///     client.read_exact(&mut buf).await.map(|_| buf)
    /// };
    /// let (echoed, heard) = futures::join!(echo, talk);
    /// echoed?;
    /// assert_eq!(&heard?, b"hello");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        self.sock.split()
    }

    /// Splits the stream into owned halves, for two tasks, as tokio's `into_split`: asock's
    /// [`OwnedReadHalf`] / [`OwnedWriteHalf`] (dropping the write half shuts the write side
    /// down). [`OwnedReadHalf::reunite`] gives the `AsyncSocket` back, and
    /// `TcpStream::try_from` the stream.
    ///
    /// ```
    /// use asock::net::TcpStream;
    ///
    /// # asock::block_on(async {
    /// let server = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = TcpStream::connect(server.local_addr()?).await?;
    /// let (read, write) = stream.into_split();
    /// let stream = TcpStream::try_from(read.reunite(write)?)?;
    /// assert_eq!(stream.peer_addr()?, server.local_addr()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        self.sock.into_split()
    }
}
