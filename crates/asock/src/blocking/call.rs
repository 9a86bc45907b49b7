//! The one place `blocking::Socket` waits: an operation run under the socket's mode.
//!
//! | Python | [`Mode`] | fd | an operation that is not ready |
//! |---|---|---|---|
//! | `settimeout(None)` | `Blocking` | blocking | the kernel waits inside the one system call |
//! | `settimeout(0.0)` | `NonBlocking` | `O_NONBLOCK` | fails at once with `EAGAIN` (or `EINPROGRESS` for `connect`) |
//! | `settimeout(t)` | `Timeout` | `O_NONBLOCK` | `poll(2)` until a deadline `t` after the call began, then "timed out" |
//!
//! [`Call::run`] is CPython's `sock_call_ex` with one change: it attempts the operation
//! *before* polling (trio's order), which saves a `poll` whenever the socket is already ready
//! and reports errors such as `accept` before `listen` at once. The deadline is fixed when the
//! call starts, so a multi-step operation (`send_all`) is bounded as a whole, not per step.

use std::os::fd::BorrowedFd;
// Real time: a blocking call sleeps in poll(2), whatever clock a runtime around it keeps.
use std::time::Instant;

use crate::mode::Mode;
use crate::ops::{Op, Shape, Step, Target};
use crate::sys;
use asock_core::{Error, Result};

/// One call's way of waiting, fixed when the call starts: its mode and, in timeout mode, its
/// deadline.
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

    /// Runs `op` on `fd` to completion under the call's mode.
    ///
    /// An attempt that is still going ([`Op::in_progress`], or `WouldBlock`) waits with
    /// `poll(2)` for the operation's interest in timeout mode, and in blocking mode only for
    /// what the kernel could not wait for itself (a `connect` interrupted by a signal); a
    /// plain `EAGAIN` on a blocking fd (an `SO_RCVTIMEO` expiring) is reported as it is, as
    /// CPython reports it. Non-blocking mode never waits. A wake-up that turns out not ready
    /// (a datagram dropped for its checksum, another thread took the data) polls again.
    pub(crate) fn run<O: Op>(
        &mut self,
        fd: BorrowedFd<'_>,
        shape: Shape,
        op: &mut O,
    ) -> Result<O::Output> {
        if self.mode != Mode::NonBlocking {
            op.will_wait();
        }
        loop {
            match op.attempt(Target { fd, shape }) {
                Ok((Step::Done(out), _)) => return Ok(out),
                Ok((Step::Again, _)) => continue,
                Err(e) if self.waits_after::<O>(&e) => {
                    self.wait(fd, op.interest().poll_events())?
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn waits_after<O: Op>(&self, error: &Error) -> bool {
        match self.mode {
            Mode::NonBlocking => false,
            Mode::Blocking => O::in_progress(error),
            Mode::Timeout(_) => error.is_would_block() || O::in_progress(error),
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
        if sys::poll::poll_fd(fd, events | libc::POLLERR, left)? == 0 {
            return Err(Error::timeout());
        }
        Ok(())
    }
}
