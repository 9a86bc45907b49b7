//! Options at level `SOL_SOCKET` (socket(7)).

use std::time::Duration;

use super::{fits_c_int, secs_of, SocketOptions};
use asock_core::{Error, Result};

// ===== SOL_SOCKET =====

/// Options at level `SOL_SOCKET` (socket(7)). Every getter and setter fails with `EBADF` once
/// the socket is closed.
impl SocketOptions<'_> {
    /// `SO_REUSEADDR`: whether `bind` may reuse a local address still in `TIME_WAIT`.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_reuse_address(true)?;
    /// assert!(a.options().reuse_address()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn reuse_address(&self) -> Result<bool> {
        self.socket2(|s| s.reuse_address())
    }

    /// Sets `SO_REUSEADDR` (before `bind`). See [`reuse_address`](Self::reuse_address).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_reuse_address(false)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_reuse_address(&self, reuse: bool) -> Result<()> {
        self.socket2(|s| s.set_reuse_address(reuse))
    }

    /// `SO_REUSEPORT`: whether several sockets may bind the same address and port, the
    /// kernel spreading connections or datagrams among them.
    ///
    /// ```
    /// let a = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// a.options().set_reuse_port(true)?;
    /// assert!(a.options().reuse_port()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn reuse_port(&self) -> Result<bool> {
        self.socket2(|s| s.reuse_port())
    }

    /// Sets `SO_REUSEPORT` (before `bind`). See [`reuse_port`](Self::reuse_port).
    ///
    /// ```
    /// let a = asock::blocking::Socket::from(std::net::UdpSocket::bind("127.0.0.1:0")?);
    /// a.options().set_reuse_port(false)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_reuse_port(&self, reuse: bool) -> Result<()> {
        self.socket2(|s| s.set_reuse_port(reuse))
    }

    /// `SO_KEEPALIVE`: whether TCP sends keepalive probes on an idle connection.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(!a.options().keepalive()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn keepalive(&self) -> Result<bool> {
        self.socket2(|s| s.keepalive())
    }

    /// Sets `SO_KEEPALIVE`. See [`keepalive`](Self::keepalive).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_keepalive(true)?;
    /// assert!(a.options().keepalive()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_keepalive(&self, keepalive: bool) -> Result<()> {
        self.socket2(|s| s.set_keepalive(keepalive))
    }

    /// `SO_BROADCAST`: whether a datagram socket may send to a broadcast address.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_broadcast(true)?;
    /// assert!(a.options().broadcast()?);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn broadcast(&self) -> Result<bool> {
        self.socket2(|s| s.broadcast())
    }

    /// Sets `SO_BROADCAST`. See [`broadcast`](Self::broadcast).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_broadcast(false)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_broadcast(&self, broadcast: bool) -> Result<()> {
        self.socket2(|s| s.set_broadcast(broadcast))
    }

    /// `SO_SNDBUF`: the send buffer size in bytes. Linux reports double what was set (its
    /// bookkeeping overhead, socket(7)).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.options().send_buffer_size()? > 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn send_buffer_size(&self) -> Result<usize> {
        self.socket2(|s| s.send_buffer_size())
    }

    /// Sets `SO_SNDBUF`. See [`send_buffer_size`](Self::send_buffer_size).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_send_buffer_size(32 * 1024)?;
    /// assert_eq!(a.options().send_buffer_size()?, 64 * 1024);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_send_buffer_size(&self, size: usize) -> Result<()> {
        let size = fits_c_int(size)?;
        self.socket2(|s| s.set_send_buffer_size(size))
    }

    /// `SO_RCVBUF`: the receive buffer size in bytes (doubled by Linux, as `SO_SNDBUF`).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.options().recv_buffer_size()? > 0);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn recv_buffer_size(&self) -> Result<usize> {
        self.socket2(|s| s.recv_buffer_size())
    }

    /// Sets `SO_RCVBUF`. See [`recv_buffer_size`](Self::recv_buffer_size).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_recv_buffer_size(32 * 1024)?;
    /// assert_eq!(a.options().recv_buffer_size()?, 64 * 1024);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<()> {
        let size = fits_c_int(size)?;
        self.socket2(|s| s.set_recv_buffer_size(size))
    }

    /// `SO_LINGER`: `Some(t)` makes `close` wait up to `t` (whole seconds) for unsent data,
    /// `Some(ZERO)` makes it reset the connection; `None` (the default) closes in the
    /// background.
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert_eq!(a.options().linger()?, None);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn linger(&self) -> Result<Option<Duration>> {
        self.socket2(|s| s.linger())
    }

    /// Sets `SO_LINGER` (`struct linger`). See [`linger`](Self::linger).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// a.options().set_linger(Some(Duration::from_secs(3)))?;
    /// assert_eq!(a.options().linger()?, Some(Duration::from_secs(3)));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for more than `i32::MAX` seconds; `EBADF` when closed.
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<()> {
        if let Some(t) = linger {
            secs_of(t)?;
        }
        self.socket2(|s| s.set_linger(linger))
    }

    /// `SO_BINDTODEVICE`: the interface the socket is bound to, `None` for any.
    ///
    /// ```
    /// let udp = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(udp);
    /// assert_eq!(sock.options().bind_device()?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn bind_device(&self) -> Result<Option<Vec<u8>>> {
        self.socket2(|s| s.device())
    }

    /// Sets `SO_BINDTODEVICE` to an interface name (`b"lo"`), or clears it with `None`.
    /// Needs `CAP_NET_RAW` to change an existing binding. See
    /// [`bind_device`](Self::bind_device).
    ///
    /// ```
    /// let udp = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(udp);
    /// match sock.options().set_bind_device(Some(b"lo")) {
    ///     Ok(()) => assert_eq!(sock.options().bind_device()?.as_deref(), Some(&b"lo"[..])),
    ///     Err(e) => assert_eq!(e.raw_os_error(), Some(libc::EPERM)), // unprivileged
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `ENODEV` for an unknown interface, `EPERM` without privilege, `InvalidInput` for a
    /// name of `IFNAMSIZ` bytes or more, `EBADF` when closed.
    pub fn set_bind_device(&self, interface: Option<&[u8]>) -> Result<()> {
        if interface.is_some_and(|name| name.len() >= libc::IFNAMSIZ) {
            return Err(Error::invalid_input("interface name too long"));
        }
        self.socket2(|s| s.bind_device(interface))
    }

    /// `SO_ACCEPTCONN`: whether the socket is listening.
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// assert!(asock::blocking::Socket::from(listener).options().is_listener()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn is_listener(&self) -> Result<bool> {
        self.socket2(|s| s.is_listener())
    }

    /// `SO_ERROR`: the pending error, cleared by reading it (`None` if there is none).
    ///
    /// ```
    /// let (a, _b) = asock::blocking::socketpair()?;
    /// assert!(a.options().take_error()?.is_none());
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn take_error(&self) -> Result<Option<Error>> {
        self.socket2(|s| s.take_error()).map(|e| e.map(Error::from))
    }
}
