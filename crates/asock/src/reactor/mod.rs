//! Readiness: how asock waits for a socket, on tokio's reactor, on async-io's, or on its own.
//!
//! Every asynchronous operation in asock is a nonblocking syscall plus a wait for the fd's
//! readiness. This module is that wait, behind one seam with three backends:
//!
//! | context when an fd is first registered | backend | who polls the kernel |
//! |---|---|---|
//! | inside a tokio runtime (`Handle::try_current()` is `Ok`) | [`Backend::Tokio`]: `tokio::io::unix::AsyncFd` | tokio's own driver; no extra thread |
//! | inside [`crate::block_on`] | [`Backend::Own`]: one process-wide `mio::Poll` plus timers | the thread waiting in `block_on` |
//! | anywhere else, with the `async-io` feature | [`Backend::AsyncIo`]: async-io's reactor (`async_io::Async`) | the thread in `smol::block_on` (async-io's), else async-io's `async-io` thread |
//! | anywhere else, without it | [`Backend::Own`] | the `asock-reactor` thread |
//!
//! So under smol with the feature, an event is handled by the thread that waits in
//! `smol::block_on`, with no hop to another thread (a hop costs ~30 µs on a 2-vCPU guest,
//! ten loopback round trips); without the feature, smol's tasks are woken by the
//! `asock-reactor` thread. The async-io backend is skipped (for the own reactor) while
//! async-io's reactor cannot be created, i.e. the process is out of fds: see
//! `async_io_backend.rs`, which also documents how asock's readiness maps onto async-io's.
//!
//! The choice is made when the fd is registered — lazily, at its first wait, so that a socket
//! is registered only once registering cannot give a spurious hang-up (after `listen` or
//! `connect`) — and kept for the fd's life: a socket first registered under smol and later
//! awaited under `asock::block_on` (or the other way round) stays on its first reactor, which
//! then is driven by that reactor's own thread (`async-io` or `asock-reactor`), at the cost of
//! a thread hop per event. A tokio runtime must have I/O enabled (as for `tokio::net`).
//! [`Sleep`] makes the same choice for timers, when it is created.
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
//! (tokio::net's rule), on the own reactor and on async-io's it keeps trying first (their
//! waits cost a whole turn); a non-blocking try always asks the kernel. Hang-up and error events wake both
//! directions and are never cleared; EOF is a zero-length read, never a HUP event alone.
//!
//! Each fd keeps a list of waiting tasks per direction (`waiters.rs`): any number of futures
//! can await the same direction of one socket, and an event wakes every one that waits for
//! it. `poll_*` callers (the `AsyncRead` / `AsyncWrite` impls) share one slot per direction,
//! the last caller's, as tokio's `poll_read_ready` does.

#[cfg(feature = "async-io")]
mod async_io_backend;
#[cfg(test)]
mod count_waker;
mod interest;
pub(crate) mod own;
mod registered;
mod registration;
mod timer;
#[cfg(feature = "tokio")]
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
/// let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// assert_eq!(rt.block_on(async { Backend::current() }), Backend::Tokio);
/// assert_eq!(asock::block_on(async { Backend::current() }), Backend::Own);
/// // Elsewhere (here, or under smol): async-io's reactor with the `async-io` feature, the
/// // own reactor (driven by its background thread) without.
/// assert!(matches!(Backend::current(), Backend::AsyncIo | Backend::Own));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The current tokio runtime's reactor and timer wheel.
    Tokio,
    /// asock's own mio reactor and timers.
    Own,
    /// async-io's reactor and timers (smol's). Chosen only in builds with the `async-io`
    /// feature; the variant exists in every build, so that a `match` does not depend on the
    /// features another crate turns on.
    AsyncIo,
}

impl Backend {
    /// The backend a registration or timer created now, on this thread, would use: tokio's
    /// inside a tokio runtime, the own reactor inside [`crate::block_on`], else async-io's
    /// with the `async-io` feature (unless its reactor cannot be created: the process is out
    /// of fds), else the own reactor.
    #[must_use]
    pub fn current() -> Backend {
        #[cfg(feature = "tokio")]
        if tokio::runtime::Handle::try_current().is_ok() {
            return Backend::Tokio;
        }
        #[cfg(feature = "async-io")]
        if !own::in_block_on() && async_io_backend::reactor_available().is_ok() {
            return Backend::AsyncIo;
        }
        Backend::Own
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
/// asock::block_on(async { a.register() })?; // inside asock::block_on: the own reactor
/// assert!(own_registration_count() >= 1);
/// # Ok::<(), asock::Error>(())
/// ```
#[must_use]
pub fn own_registration_count() -> usize {
    own::Reactor::existing().map_or(0, own::Reactor::source_count)
}
