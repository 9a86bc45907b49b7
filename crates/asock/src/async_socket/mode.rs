//! The socket's mode: Python's `settimeout` family, on an `AsyncSocket`.
//!
//! The mode is only what the socket's operation futures start with; the fd stays `O_NONBLOCK`
//! in every mode, so changing the mode makes no system call.

use std::time::Duration;

use super::AsyncSocket;
use crate::{Mode, Result};

impl AsyncSocket {
    /// Sets the mode the socket's operations wait in: Python's `settimeout()`. `None` is
    /// blocking mode (wait as long as it takes), `Some(ZERO)` non-blocking mode (one try, else
    /// `EAGAIN`), anything else timeout mode (the whole call fails with "timed out" after
    /// that long). Operation futures created afterwards use it; a future's own
    /// `.timeout(d)` / `.nonblocking()` / `.blocking()` overrides it for that call.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// a.set_timeout(Some(Duration::from_millis(20)))?;
    /// let mut buf = [0; 10];
    /// let err = a.recv(&mut buf).await.unwrap_err();
    /// assert_eq!(err.to_string(), "timed out");
    /// // One call in another mode:
    /// assert!(a.recv(&mut buf).nonblocking().await.unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a timeout over `i64::MAX` nanoseconds (CPython's limit); `EBADF`
    /// when closed (as CPython, whose `settimeout` makes a system call).
    pub fn set_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        let mode = Mode::checked_from_timeout(timeout)?;
        self.io()?;
        self.set_mode(mode);
        Ok(())
    }

    /// [`set_timeout`](Self::set_timeout) in seconds, checked as Python's `settimeout(float)`.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// a.set_timeout_secs(Some(1.5))?;
    /// assert_eq!(a.timeout(), Some(std::time::Duration::from_millis(1500)));
    /// assert_eq!(a.set_timeout_secs(Some(-1.0)).unwrap_err().to_string(), "Timeout value out of range");
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for NaN, a negative value, or one too large (infinity included), with
    /// Python's messages; `EBADF` when closed.
    pub fn set_timeout_secs(&self, secs: Option<f64>) -> Result<()> {
        let mode = Mode::from_secs_f64(secs)?;
        self.set_timeout(mode.timeout())
    }

    /// The timeout: Python's `gettimeout()`. `None` in blocking mode, `Some(ZERO)` in
    /// non-blocking mode.
    ///
    /// ```
    /// # asock::set_default_timeout(None)?;
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.timeout(), None);
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn timeout(&self) -> Option<Duration> {
        self.mode().timeout()
    }

    /// Python's `setblocking()`: `true` is `set_timeout(None)`, `false` is
    /// `set_timeout(Some(ZERO))`.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// a.set_blocking(false)?;
    /// assert!(a.recv(&mut [0; 10]).await.unwrap_err().is_would_block());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed.
    pub fn set_blocking(&self, blocking: bool) -> Result<()> {
        self.set_timeout(if blocking { None } else { Some(Duration::ZERO) })
    }

    /// Python's `getblocking()`: `false` only in non-blocking mode (a timeout counts as
    /// blocking, as in CPython). The fd itself is always `O_NONBLOCK`.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// a.set_timeout_secs(Some(2.0))?;
    /// assert!(a.is_blocking());
    /// # Ok::<(), asock::Error>(())
    /// ```
    #[must_use]
    pub fn is_blocking(&self) -> bool {
        self.mode() != Mode::NonBlocking
    }
}
