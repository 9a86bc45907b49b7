//! Naming and shutting down: `bind`, `listen`, `local_addr`, `peer_addr`, `shutdown` — the
//! blocking socket's own calls (they never wait).

use std::net::Shutdown;

use super::AsyncSocket;
use crate::{Result, SockAddr};

impl AsyncSocket {
    /// Binds the socket to `addr`: Python's `bind()` (`bind(2)`).
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, Protocol::from(0))?;
    /// sock.bind(&"127.0.0.1:0".parse()?)?;
    /// assert_ne!(sock.local_addr()?.port(), Some(0));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EAFNOSUPPORT` for an address of another family; `EINVAL` when already bound;
    /// `EADDRINUSE`, `EACCES`; `EBADF` when closed; `InvalidInput` for an address that cannot
    /// be encoded.
    pub fn bind(&self, addr: &SockAddr) -> Result<()> {
        self.inner()?.bind(addr)
    }

    /// Listens for connections: Python's `listen([backlog])` (`listen(2)`); `None` is
    /// CPython's default, `min(SOMAXCONN, 128)`. The socket is registered with a reactor at
    /// the first [`accept`](Self::accept) that has to wait.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// sock.bind(&"[::1]:0".parse()?)?;
    /// sock.listen(Some(16))?;
    /// assert!(sock.is_listener()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` for a datagram socket, `EBADF` when closed, ...
    pub fn listen(&self, backlog: Option<i32>) -> Result<()> {
        self.inner()?.listen(backlog)
    }

    /// Shuts down one or both directions: Python's `shutdown(how)` (`shutdown(2)`).
    ///
    /// ```
    /// use std::net::Shutdown;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// a.shutdown(Shutdown::Write)?;
    /// assert_eq!(b.recv(10).await?, b""); // end of stream
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when not connected, `EBADF` when closed.
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        self.inner()?.shutdown(how)
    }

    /// The socket's own address: Python's `getsockname()`.
    ///
    /// ```
    /// use asock::{AddressFamily, AsyncSocket, Protocol, SocketKind};
    ///
    /// let sock = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))?;
    /// assert_eq!(sock.local_addr()?, "0.0.0.0:0".parse()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn local_addr(&self) -> Result<SockAddr> {
        self.inner()?.local_addr()
    }

    /// The connected peer's address: Python's `getpeername()`.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.peer_addr()?, asock::SockAddr::Unix(asock::UnixAddr::Unnamed));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENOTCONN` when not connected, `EBADF` when closed.
    pub fn peer_addr(&self) -> Result<SockAddr> {
        self.inner()?.peer_addr()
    }
}
