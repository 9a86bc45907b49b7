//! The socket's mode: Python's `settimeout` family, on an `AsyncSocket`.
//!
//! The mode is only what the socket's operation futures start with; the fd stays `O_NONBLOCK`
//! in every mode, so changing the mode makes no system call.

use std::time::Duration;

use super::AsyncSocket;
use crate::mode::Mode;
use asock_core::Result;

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
}

// `set_timeout_secs`, `timeout`, `set_blocking` and `is_blocking`, written once for both front
// doors around `set_timeout` (mode/facade.rs).
crate::mode::mode_methods! {
    AsyncSocket,
    setup: "let (a, _b) = asock::async_socket::socketpair()?;",
    fd: "The fd itself is always `O_NONBLOCK`.",
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
    fn set_blocking;
}
