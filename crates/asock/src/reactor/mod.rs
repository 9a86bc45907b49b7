//! Readiness: how asock waits for a socket, on tokio's reactor or on its own.
//!
//! Every asynchronous operation in asock is a nonblocking syscall plus a wait for the fd's
//! readiness. This module is that wait, behind one seam with two backends:
//!
//! | context when an fd is first registered | backend | who polls the kernel |
//! |---|---|---|
//! | inside a tokio runtime (`Handle::try_current()` is `Ok`) | [`Backend::Tokio`]: `tokio::io::unix::AsyncFd` | tokio's own driver; no extra thread |
//! | anywhere else | [`Backend::Own`]: one process-wide `mio::Poll` plus timers | the thread waiting in [`crate::block_on`], else the `asock-reactor` thread |
//!
//! The choice is made when the fd is registered — lazily, at its first wait, so that a socket
//! is registered only once registering cannot give a spurious hang-up (after `listen` or
//! `connect`) — and kept for the fd's life. A tokio runtime must have I/O enabled (as for
//! `tokio::net`). [`Sleep`] makes the same choice for timers.
//!
//! [`Registered`] is the public face: an fd (or anything [`AsFd`](std::os::fd::AsFd)) plus
//! its lazy registration, with the readiness API (`poll_ready`, `clear_readiness`, `try_io`,
//! `poll_io`, `async_io`, `readable`, `writable`). `AsyncSocket` is built on it.
//!
//! # Readiness contract
//!
//! Readiness is cached per fd and tagged with a *tick* that changes with each event. mio (like
//! epoll with `EPOLLET`) is edge-triggered, so readiness is cleared only when an operation
//! observes `WouldBlock` — or a short read/write on a stream socket ([`Progress::Drained`]),
//! which saves the extra `EAGAIN` syscall — and the clear is skipped if an event newer than the
//! observation arrived (else that edge would be lost for good). An operation on an unregistered
//! fd calls the syscall first and registers only after `WouldBlock` (trio's rule); on the
//! tokio backend a registered fd waits without a syscall while the cached readiness is clear
//! (tokio::net's rule), on the own reactor it keeps trying first (its waits cost a whole
//! turn); a non-blocking try always asks the kernel. Hang-up and error events wake both
//! directions and are never cleared; EOF is a zero-length read, never a HUP event alone.
//!
//! Each fd keeps a list of waiting tasks per direction (`waiters.rs`): any number of futures
//! can await the same direction of one socket, and an event wakes every one that waits for
//! it. `poll_*` callers (the `AsyncRead` / `AsyncWrite` impls) share one slot per direction,
//! the last caller's, as tokio's `poll_read_ready` does.

mod interest;
pub(crate) mod own;
mod registered;
mod registration;
mod timer;
mod tokio_backend;
mod waiters;

pub use crate::ops::{Interest, Progress};
pub use interest::Readiness;
pub use own::block_on;
pub use registered::{AsyncIo, Ready, Registered};
pub use registration::ReadyEvent;
pub use timer::{own_timer_count, sleep, sleep_until, Sleep};

pub(crate) use registration::Registration;
pub(crate) use waiters::WaitSlot;

/// Which reactor serves a registration or a timer.
///
/// ```
/// use asock::reactor::Backend;
///
/// // Outside a tokio runtime, asock uses its own reactor.
/// assert_eq!(Backend::current(), Backend::Own);
/// let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// assert_eq!(rt.block_on(async { Backend::current() }), Backend::Tokio);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The current tokio runtime's reactor and timer wheel.
    Tokio,
    /// asock's own mio reactor and timers.
    Own,
}

impl Backend {
    /// The backend a registration or timer created now, on this thread, would use.
    #[must_use]
    pub fn current() -> Backend {
        if tokio::runtime::Handle::try_current().is_ok() {
            Backend::Tokio
        } else {
            Backend::Own
        }
    }
}

/// Number of fds registered with the own reactor (0 if it does not exist yet). A diagnostic:
/// tests use it to check that dropping a registration deregisters.
///
/// ```
/// use std::os::unix::net::UnixStream;
/// use asock::reactor::{own_registration_count, Registered};
///
/// let (a, _b) = UnixStream::pair()?;
/// let a = Registered::new(a);
/// a.register()?; // outside tokio: the own reactor
/// assert!(own_registration_count() >= 1);
/// # Ok::<(), asock::Error>(())
/// ```
#[must_use]
pub fn own_registration_count() -> usize {
    own::Reactor::existing().map_or(0, own::Reactor::source_count)
}
