//! Python's three socket modes and the one place that waits.
//!
//! | Python | here | fd | an operation that is not ready |
//! |---|---|---|---|
//! | `settimeout(None)` | [`Mode::Blocking`] | blocking | the kernel waits inside the one system call |
//! | `settimeout(0.0)` | [`Mode::NonBlocking`] | `O_NONBLOCK` | fails at once with `EAGAIN` |
//! | `settimeout(t)` | [`Mode::Timeout`] | `O_NONBLOCK` | `poll(2)` until a deadline `t` after the call began, then "timed out" |
//!
//! [`Call::run`] is CPython's `sock_call_ex` with one change: it tries the system call
//! *before* polling (trio's order), which saves a `poll` whenever the socket is already ready
//! and reports errors such as `accept` before `listen` at once. The deadline is fixed when the
//! call starts, so a multi-step call (`send_all`) is bounded as a whole, not per step.

use std::os::fd::BorrowedFd;
use std::time::Instant;

use crate::mode::Mode;
use crate::sys;
use crate::{Error, Result};

/// Poll for reading (`recv`, `accept`).
pub(crate) const READABLE: i16 = libc::POLLIN;
/// Poll for writing (`send`).
pub(crate) const WRITABLE: i16 = libc::POLLOUT;

// ===== waiting =====

/// One call's way of waiting, fixed when the call starts: its mode and, in timeout mode, its
/// deadline. A multi-step call (`send_all`) keeps one `Call` for every step.
#[derive(Debug)]
pub(crate) struct Call {
    mode: Mode,
    /// `None` in timeout mode means the deadline lies past what `Instant` holds: no limit.
    deadline: Option<Instant>,
}

impl Call {
    /// Starts a call in `mode`; a timeout's clock starts now.
    pub(crate) fn new(mode: Mode) -> Call {
        let deadline = match mode {
            Mode::Timeout(t) => Instant::now().checked_add(t),
            _ => None,
        };
        Call { mode, deadline }
    }

    /// Runs `op` (one nonblocking system call) under the call's mode.
    ///
    /// Blocking and non-blocking mode: `op` once, its result as it is (the kernel has waited
    /// or not). Timeout mode: `op`; while it would block, `poll(2)` for `events` with the time
    /// left and try again; `Error::timeout()` once the deadline passes. A wake-up that turns
    /// out not to be ready (a datagram dropped for its checksum, another thread took the data)
    /// just polls again, as in CPython.
    pub(crate) fn run<T>(
        &mut self,
        fd: BorrowedFd<'_>,
        events: i16,
        mut op: impl FnMut() -> Result<T>,
    ) -> Result<T> {
        loop {
            match op() {
                Err(e) if e.is_would_block() && matches!(self.mode, Mode::Timeout(_)) => {}
                other => return other,
            }
            self.wait(fd, events)?;
        }
    }

    /// Waits for a connection that `connect` left in progress (`EINPROGRESS`, or `EINTR` on a
    /// blocking fd), then reads its outcome from `SO_ERROR`: CPython's `internal_connect`.
    ///
    /// Non-blocking mode does not wait: it reports `EINPROGRESS`, as `connect` would.
    pub(crate) fn finish_connect(&mut self, fd: BorrowedFd<'_>) -> Result<()> {
        if self.mode == Mode::NonBlocking {
            return Err(Error::from_errno(libc::EINPROGRESS));
        }
        loop {
            self.wait(fd, libc::POLLOUT | libc::POLLERR)?;
            match sys::socket::take_error(fd)? {
                None => return Ok(()),
                Some(e) if e.raw_os_error() == Some(libc::EISCONN) => return Ok(()),
                // Woken too early (CPython's "false positive"): wait again.
                Some(e) if e.is_would_block() => continue,
                Some(e) => return Err(e),
            }
        }
    }

    /// One `poll(2)` for `events` with the time left: none in blocking mode, the deadline's
    /// remainder in timeout mode. `Error::timeout()` when the deadline passes first.
    fn wait(&self, fd: BorrowedFd<'_>, events: i16) -> Result<()> {
        let left = match (self.mode, self.deadline) {
            (Mode::Timeout(_), Some(deadline)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::timeout());
                }
                Some(left)
            }
            _ => None,
        };
        if sys::poll::poll_fd(fd, events, left)? == 0 {
            return Err(Error::timeout());
        }
        Ok(())
    }
}
