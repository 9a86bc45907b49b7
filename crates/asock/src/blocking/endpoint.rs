//! Naming and connecting a [`Socket`]: `bind`, `listen`, `accept`, `connect`, `connect_ex`,
//! `shutdown`, the two addresses, and Python's repr as `Debug`.

use std::fmt;

use super::Socket;
use crate::mode::default_mode;
use crate::ops::accept::Accept;
use crate::ops::connect::Connect;
use crate::ops::naming::{self, checked, DEFAULT_BACKLOG};
use asock_core::{ErrorKind, Result, SockAddr};

impl Socket {
    /// Binds the socket to `addr`: Python's `bind()` (`bind(2)`).
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let sock = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// sock.bind(&"127.0.0.1:0".parse()?)?;
    /// assert_ne!(sock.local_addr()?.port(), Some(0));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAFNOSUPPORT` for an address of another family (checked first: CPython never passes
    /// one to the kernel); `EINVAL` when already bound; `EADDRINUSE`, `EACCES`; `EBADF` when
    /// closed; `InvalidInput` for an address that cannot be encoded (a UNIX path over 108
    /// bytes).
    pub fn bind(&self, addr: &SockAddr) -> Result<()> {
        naming::bind(self.fd()?, self.shape(), addr)
    }

    /// Listens for connections: Python's `listen([backlog])` (`listen(2)`). `None` uses
    /// CPython's default, `min(SOMAXCONN, 128)`; a negative backlog is 0, as in CPython.
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let sock = Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// sock.bind(&"[::1]:0".parse()?)?;
    /// sock.listen(None)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` for a datagram socket, `EBADF` when closed, ...
    pub fn listen(&self, backlog: Option<i32>) -> Result<()> {
        naming::listen(self.fd()?, backlog.unwrap_or(DEFAULT_BACKLOG))
    }

    /// Accepts a connection: Python's `accept()` (`accept4(2)`), returning the new socket and
    /// the peer's address.
    ///
    /// The new socket is close-on-exec and starts in the *default* mode, not the listener's
    /// (CPython's rule: a listener with a timeout hands out blocking sockets unless a default
    /// timeout is set). Waits as the listener's mode says.
    ///
    /// ```
    /// use asock::blocking::create_server;
    ///
    /// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// let client = std::net::TcpStream::connect(server.local_addr()?.as_socket().unwrap())?;
    /// let (conn, peer) = server.accept()?;
    /// assert_eq!(peer, client.local_addr()?.into());
    /// assert_eq!(conn.timeout(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` when not listening; `EAGAIN` in non-blocking mode with no connection pending;
    /// a timeout in timeout mode; `EMFILE`; `EBADF` when closed.
    pub fn accept(&self) -> Result<(Socket, SockAddr)> {
        let child_mode = default_mode();
        let accept = Accept { nonblocking: child_mode.fd_nonblocking(), skip_failed: false };
        let (fd, addr) = self.run(accept)?;
        Ok((Socket::from_parts(fd, self.shape(), child_mode), addr))
    }

    /// Connects to `addr`: Python's `connect()` (`connect(2)`).
    ///
    /// Blocking mode: one `connect` call (if a signal interrupts it, the connection goes on
    /// and is waited for, as in CPython). Timeout mode: `connect` returns `EINPROGRESS`, then
    /// `poll(2)` for writability until the deadline and `SO_ERROR` gives the outcome.
    /// Non-blocking mode: fails with `EINPROGRESS` while the connection proceeds.
    ///
    /// ```
    /// use asock::blocking::{create_server, Socket};
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
    /// let client = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// client.set_timeout_secs(Some(5.0))?;
    /// client.connect(&server.local_addr()?)?;
    /// assert_eq!(client.peer_addr()?, server.local_addr()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ECONNREFUSED`, `ENETUNREACH`, ...; `EINPROGRESS` in non-blocking mode; a timeout;
    /// `EAFNOSUPPORT` for an address of another family; `EBADF` when closed.
    pub fn connect(&self, addr: &SockAddr) -> Result<()> {
        self.run(Connect::new(checked(self.shape(), addr, true)?))
    }

    /// Python's `connect_ex()`: [`connect`](Self::connect) with the outcome as an errno, 0 on
    /// success. A timeout gives `EAGAIN` (CPython's `EWOULDBLOCK`), a closed socket `EBADF`.
    ///
    /// ```
    /// use asock::blocking::Socket;
    /// use asock::{AddressFamily, Protocol, SocketKind};
    ///
    /// // A port nobody listens on: bind one, and let it go.
    /// let probe = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// probe.bind(&"127.0.0.1:0".parse()?)?;
    /// let addr = probe.local_addr()?;
    /// drop(probe);
    /// let sock = Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// assert_eq!(sock.connect_ex(&addr)?, libc::ECONNREFUSED);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Only what Python raises rather than returns: an address of another family
    /// (`EAFNOSUPPORT`) or one that cannot be encoded (`InvalidInput`).
    pub fn connect_ex(&self, addr: &SockAddr) -> Result<i32> {
        // Checked and encoded first, so that a bad address is raised, not returned.
        let addr = checked(self.shape(), addr, true)?;
        match self.run(Connect::new(addr)) {
            Ok(()) => Ok(0),
            Err(e) => match (e.kind(), e.raw_os_error()) {
                (ErrorKind::Os, Some(errno)) => Ok(errno),
                (ErrorKind::Timeout, _) => Ok(libc::EWOULDBLOCK),
                _ => Err(e),
            },
        }
    }
}

// `shutdown`, `local_addr` and `peer_addr`, written once for both front doors
// (mode/facade.rs).
crate::mode::naming_methods! {
    Socket,
    setup: "let (a, _b) = asock::blocking::socketpair()?;",
    path: "asock::blocking::Socket",
    /// Shuts down one or both directions: Python's `shutdown(how)` (`shutdown(2)`), with
    /// `Shutdown::Read` / `Write` / `Both` for `SHUT_RD` / `SHUT_WR` / `SHUT_RDWR`.
    ///
    /// ```
    /// use std::net::Shutdown;
    ///
    /// let (a, b) = asock::blocking::socketpair()?;
    /// a.shutdown(Shutdown::Write)?;
    /// assert_eq!(b.recv(10)?, b""); // end of stream
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when not connected, `EBADF` when closed.
    fn shutdown;
}

impl fmt::Debug for Socket {
    /// Python's repr: `<socket fd=3, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=...,
    /// raddr=...>` (the addresses cost a system call each, as in Python).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        naming::write_repr(f, "socket", self.fd().ok(), self.shape())?;
        write!(f, ">")
    }
}
