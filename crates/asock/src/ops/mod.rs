//! Each socket operation, written once.
//!
//! An operation that can wait (`recv`, `send_all`, `accept`, `connect`, ...) is a small value
//! implementing [`Op`]: what one attempt does (one nonblocking system call through socket2 or
//! `sys/`, a few for `send_all`), and which readiness a `WouldBlock` waits for. It never waits
//! itself. Two front doors run the same values with their own kind of wait:
//!
//! | front door | waits with | where |
//! |---|---|---|
//! | [`blocking::Socket`](crate::blocking::Socket) | `poll(2)`, one deadline over the whole call (CPython's `sock_call_ex`) | `blocking/call.rs` |
//! | [`AsyncSocket`](crate::AsyncSocket) and the typed sockets | reactor readiness (mio's `do_io`, tokio's `async_io`) | `async_socket/op_future.rs` |
//!
//! Operations that never wait (`bind`, `listen`, addresses, options) are plain functions over
//! a borrowed fd, called by both front doors alike.
//!
//! The rules every attempt keeps, so both waits can rely on them:
//!
//! - **`WouldBlock` means "wait for [`Op::interest`] and call me again"**, and nothing was
//!   consumed or sent (`send_all` keeps what it already sent in its own state and goes on from
//!   there on the next attempt).
//! - **Progress is reported** ([`Progress::Drained`]) when a short read or write proves the
//!   kernel buffer empty or full, so the reactor can forget the readiness without the extra
//!   `EAGAIN` syscall. `blocking::Socket` ignores it.
//! - **`EINTR` is retried** inside the attempt, except by `connect` (see `connect.rs`).

pub(crate) mod accept;
pub mod batch;
pub(crate) mod connect;
pub(crate) mod create;
mod interest;
pub(crate) mod msg;
pub(crate) mod naming;
pub(crate) mod options;
mod progress;
pub(crate) mod recv;
pub(crate) mod send;
pub(crate) mod send_file;
mod shape;
pub(crate) mod user;

pub(crate) use interest::flag_set;
pub use interest::Interest;
pub use progress::Progress;
pub(crate) use shape::Shape;

use std::io;
use std::os::fd::BorrowedFd;

use asock_core::{Error, Result};

/// What an attempt works on: the fd, and what kind of socket it is (for [`Progress`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) fd: BorrowedFd<'a>,
    pub(crate) shape: Shape,
}

/// Where an attempt left its operation.
#[derive(Debug)]
pub(crate) enum Step<T> {
    /// Complete.
    Done(T),
    /// Some work done (part of a `send_all`), more to do: attempt again at once. A wait comes
    /// only from a `WouldBlock`.
    Again,
}

/// One socket operation: an attempt that either completes or reports `WouldBlock`, and the
/// direction to wait for before the next attempt.
pub(crate) trait Op {
    /// What the operation gives when it completes.
    type Output;

    /// The readiness to wait for after a `WouldBlock`.
    fn interest(&self) -> Interest;

    /// One attempt: never waits. `Err(e)` with `e.is_would_block()` asks the caller to wait
    /// for [`interest`](Op::interest) and attempt again; any other error ends the operation.
    ///
    /// # Errors
    ///
    /// The operation's system call errors.
    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<Self::Output>, Progress)>;

    /// Whether an error of [`attempt`](Op::attempt) means "still going: wait for
    /// [`interest`](Op::interest), then attempt again". `WouldBlock` always does; `connect`
    /// adds `EINPROGRESS` and kin, which also ask for a wait on a blocking fd (CPython's
    /// `internal_connect`), where a plain `EAGAIN` is reported as it is.
    fn in_progress(_error: &Error) -> bool {
        false
    }

    /// Told that the call this operation belongs to waits while the operation is still going
    /// (blocking or timeout mode, a future awaited in either): an attempt may then do more
    /// than the one system call a non-blocking call must report as the kernel answered it.
    /// `connect` asks for its outcome at once instead of answering `EINPROGRESS`.
    fn will_wait(&mut self) {}

    /// Whether the next attempt must reach the kernel before any wait, even when the reactor
    /// has seen no readiness since its last clear: its outcome does not come from readiness.
    /// A `connect` not yet started is such an attempt (a second connect answers `EALREADY`
    /// at once, with no event to wake a wait). Operations that wait first where readiness is
    /// known clear (the tokio backend) ask this before waiting.
    fn attempt_before_waiting(&self) -> bool {
        false
    }

    /// The operation's result when it needs no system call at all (a receive into an empty
    /// buffer: CPython's `recv(0)`), which holds even on a closed socket; `None` otherwise.
    fn without_syscall(&self) -> Option<Self::Output> {
        None
    }
}

/// Runs one socket2 call until it fails with something other than `EINTR`.
pub(crate) fn retry<T>(mut call: impl FnMut() -> io::Result<T>) -> Result<T> {
    loop {
        match call() {
            // The errno, not `kind()`: cheaper, and socket2's errors all carry one.
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
            other => return other.map_err(Error::from),
        }
    }
}
