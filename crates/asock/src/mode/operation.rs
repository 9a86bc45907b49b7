//! Operation futures carry their own mode.
//!
//! An `AsyncSocket` operation (`recv`, `accept`, `send_all`, ...) is a named future that starts
//! with the socket's [`Mode`] and can be given another for that one call. Unlike wrapping it in
//! a combinator, the override changes *how the operation waits*: a non-blocking operation
//! makes its syscall once and never registers a waker; a timed one arms its timer only after
//! the first `WouldBlock`, and one timer serves every step of a multi-step operation
//! (`send_all`), so the timeout covers the whole call.

use std::task::{Context, Poll};

use super::combinators::far_deadline;
use super::deadline::DeadlineTimer;
use super::Mode;
use crate::reactor::WaitSlot;
use crate::time::Instant;
use asock_core::Error;

/// A future of one socket operation, whose waiting [`Mode`] can be overridden for that call.
///
/// Operation futures also have inherent `.timeout(d)`, `.deadline(t)`, `.nonblocking()` and
/// `.blocking()` methods built on these two, which take precedence over
/// [`ModeExt`](super::ModeExt)'s and return the operation itself.
///
/// ```
/// use asock::{Mode, Operation};
///
/// let (a, _b) = asock::async_socket::socketpair()?;
/// let mut buf = [0; 16];
/// // One try, no waiting: nothing was sent, so EAGAIN.
/// let err = asock::block_on(a.recv(&mut buf).with_mode(Mode::NonBlocking)).unwrap_err();
/// assert!(err.is_would_block());
/// assert_eq!(a.backend(), None, "a one-try operation never registers");
/// # Ok::<(), asock::Error>(())
/// ```
pub trait Operation: std::future::Future + Sized {
    /// Uses `mode` for this call instead of the socket's. A [`Mode::Timeout`] starts counting
    /// now.
    #[must_use]
    fn with_mode(self, mode: Mode) -> Self;

    /// Fails with [`Error::timeout`] if the call has not completed at `deadline`.
    #[must_use]
    fn with_deadline(self, deadline: Instant) -> Self;
}

/// Adds the mode methods to an operation future as inherent methods (which shadow
/// [`ModeExt`](crate::ModeExt)'s). Use: `operation_modes!(impl[<'a, F: AsFd>] Recv<'a, F>);`
macro_rules! operation_modes {
    (impl[$($generics:tt)*] $ty:ty $(where $($bounds:tt)*)?) => {
        impl $($generics)* $ty $(where $($bounds)*)? {
            /// Waits at most `duration` (from now) for this call, whatever the socket's mode;
            /// then fails with [`Error::timeout`](crate::Error::timeout).
            pub fn timeout(self, duration: std::time::Duration) -> Self {
                $crate::mode::Operation::with_mode(self, $crate::mode::Mode::Timeout(duration))
            }

            /// Fails with [`Error::timeout`](crate::Error::timeout) if this call has not
            /// completed at `deadline`, whatever the socket's mode.
            pub fn deadline(self, deadline: $crate::time::Instant) -> Self {
                $crate::mode::Operation::with_deadline(self, deadline)
            }

            /// Tries the syscall once, without waiting, whatever the socket's mode; fails with
            /// `EAGAIN` if it would block.
            pub fn nonblocking(self) -> Self {
                $crate::mode::Operation::with_mode(self, $crate::mode::Mode::NonBlocking)
            }

            /// Waits with no deadline, whatever the socket's mode.
            pub fn blocking(self) -> Self {
                $crate::mode::Operation::with_mode(self, $crate::mode::Mode::Blocking)
            }
        }
    };
}
pub(crate) use operation_modes;

/// The waiting state an operation future embeds: its mode, resolved to a deadline, with the
/// lazily created timer. Not generic, so every operation shares this code.
#[derive(Debug)]
pub(crate) struct OpWait {
    how: How,
    /// The operation's own place among the fd's waiters (see `reactor/waiters.rs`).
    slot: WaitSlot,
}

#[derive(Debug)]
enum How {
    NonBlocking,
    Blocking,
    Deadline(DeadlineTimer),
}

impl OpWait {
    /// The waiting of an operation started now in `mode`.
    pub(crate) fn new(mode: Mode) -> OpWait {
        let how = match mode {
            Mode::Blocking => How::Blocking,
            Mode::NonBlocking => How::NonBlocking,
            Mode::Timeout(d) => How::Deadline(DeadlineTimer::new(far_deadline(Instant::now(), d))),
        };
        OpWait { how, slot: WaitSlot::default() }
    }

    pub(crate) fn with_deadline(deadline: Instant) -> OpWait {
        OpWait { how: How::Deadline(DeadlineTimer::new(deadline)), slot: WaitSlot::default() }
    }

    /// The operation's entry among the waiters of the fd it waits on.
    pub(crate) fn slot(&mut self) -> &mut WaitSlot {
        &mut self.slot
    }

    /// Whether the operation must make its syscall once and never wait.
    pub(crate) fn is_nonblocking(&self) -> bool {
        matches!(self.how, How::NonBlocking)
    }

    /// Called after the operation returned `Pending` (its waker is registered): the error to
    /// end it with, if its mode says it must end now. `EAGAIN` in non-blocking mode (an
    /// operation that waited anyway), the timeout error once the deadline has passed, and the
    /// OS error (`EMFILE`) if the deadline's timer cannot be armed.
    pub(crate) fn poll_give_up(&mut self, cx: &mut Context<'_>) -> Poll<Error> {
        match &mut self.how {
            How::Blocking => Poll::Pending,
            How::NonBlocking => Poll::Ready(Error::from_errno(libc::EAGAIN)),
            How::Deadline(timer) => {
                timer.poll_expired(cx).map(|armed| armed.err().unwrap_or_else(Error::timeout))
            }
        }
    }
}
