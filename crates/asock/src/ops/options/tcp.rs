//! Options at level `IPPROTO_TCP` (tcp(7)).

use std::time::Duration;

use super::{c_int_of, secs_of, SocketOptions, TcpInfo};
use crate::sys;
use asock_core::Result;

// ===== IPPROTO_TCP =====

/// Options at level `IPPROTO_TCP` (tcp(7)), for TCP sockets.
impl SocketOptions<'_> {
    /// `TCP_NODELAY`: whether Nagle's algorithm is off (small writes go out at once).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// assert!(!sock.options().nodelay()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn nodelay(&self) -> Result<bool> {
        self.socket2(|s| s.tcp_nodelay())
    }

    /// Sets `TCP_NODELAY`. See [`nodelay`](Self::nodelay).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// sock.options().set_nodelay(true)?;
    /// assert!(sock.options().nodelay()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        self.socket2(|s| s.set_tcp_nodelay(nodelay))
    }

    /// `TCP_KEEPIDLE`: how long a connection stays idle before the first keepalive probe
    /// (whole seconds; default 7200 s).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// assert!(sock.options().keepalive_time()?.as_secs() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn keepalive_time(&self) -> Result<Duration> {
        self.socket2(|s| s.tcp_keepalive_time())
    }

    /// Sets `TCP_KEEPIDLE` (1 s to 32767 s), and only it: `SO_KEEPALIVE` stays as it was, as
    /// with Python's `setsockopt`. See [`keepalive_time`](Self::keepalive_time).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// sock.options().set_keepalive_time(Duration::from_secs(60))?;
    /// assert_eq!(sock.options().keepalive_time()?, Duration::from_secs(60));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range (under a second included), `InvalidInput` over `i32::MAX`
    /// seconds; `EBADF` when closed.
    pub fn set_keepalive_time(&self, idle: Duration) -> Result<()> {
        self.set_int(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, secs_of(idle)?)
    }

    /// `TCP_KEEPINTVL`: the time between keepalive probes (whole seconds; default 75 s).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// assert!(sock.options().keepalive_interval()?.as_secs() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn keepalive_interval(&self) -> Result<Duration> {
        self.socket2(|s| s.tcp_keepalive_interval())
    }

    /// Sets `TCP_KEEPINTVL` (1 s to 32767 s), and only it (`SO_KEEPALIVE` stays as it was).
    /// See [`keepalive_interval`](Self::keepalive_interval).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// sock.options().set_keepalive_interval(Duration::from_secs(5))?;
    /// assert_eq!(sock.options().keepalive_interval()?, Duration::from_secs(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range, `InvalidInput` over `i32::MAX` seconds; `EBADF` when closed.
    pub fn set_keepalive_interval(&self, interval: Duration) -> Result<()> {
        self.set_int(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, secs_of(interval)?)
    }

    /// `TCP_KEEPCNT`: how many unanswered probes end the connection (default 9).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// assert!(sock.options().keepalive_retries()? > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn keepalive_retries(&self) -> Result<u32> {
        self.socket2(|s| s.tcp_keepalive_retries())
    }

    /// Sets `TCP_KEEPCNT` (1 to 127), and only it (`SO_KEEPALIVE` stays as it was). See
    /// [`keepalive_retries`](Self::keepalive_retries).
    ///
    /// ```
    /// let sock = asock::blocking::Socket::from(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// sock.options().set_keepalive_retries(3)?;
    /// assert_eq!(sock.options().keepalive_retries()?, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EINVAL` out of range, `InvalidInput` over `i32::MAX`; `EBADF` when closed.
    pub fn set_keepalive_retries(&self, count: u32) -> Result<()> {
        self.set_int(libc::IPPROTO_TCP, libc::TCP_KEEPCNT, c_int_of(count)?)
    }

    /// `TCP_INFO`: the kernel's view of the connection, decoded ([`TcpInfo`]).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = asock::blocking::Socket::from(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// let info = sock.options().tcp_info()?;
    /// assert_eq!(info.state, 1); // TCP_ESTABLISHED
    /// assert!(info.snd_mss > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a non-TCP socket; `EBADF` when closed.
    pub fn tcp_info(&self) -> Result<TcpInfo> {
        let fd = self.fd()?;
        let bytes =
            sys::options::get_option_bytes(fd, libc::IPPROTO_TCP, libc::TCP_INFO, TcpInfo::SIZE)?;
        Ok(TcpInfo::from_bytes(&bytes))
    }
}
