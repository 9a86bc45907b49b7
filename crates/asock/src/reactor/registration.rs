//! `Registration`: the backend-agnostic seam between an fd and a reactor.
//!
//! Everything above this file (AsyncSocket, [`Registered`](super::Registered)) waits through
//! these methods; nothing above knows which backend serves it.
//!
//! # The readiness contract
//!
//! - An unregistered fd tries the syscall first and registers only after `WouldBlock`
//!   (`Registered::poll_io_with`): waiting first would hide errors such as `accept` before
//!   `listen`, and would register sockets that never wait. Once registered,
//!   [`Registration::poll_io_with`] waits while the cached readiness is clear — only an event
//!   can make it true, so the syscall would only say `EAGAIN` — and tries when it is set.
//!   Non-blocking tries ([`Registration::try_io_with`]) always make the syscall.
//! - Readiness is cleared in exactly one place, [`Registration::try_io_with`]: on an observed
//!   `WouldBlock`, or on a [`Progress::Drained`] result (a short read or write on a stream),
//!   and only the readiness observed *before* the syscall (tick check), so an edge that arrives
//!   meanwhile survives.
//! - Closed/hung-up states never clear and wake both directions; EOF is what `recv` says (a
//!   zero-length read), never the HUP itself.
//! - Dropping a `Registration` deregisters the fd. The fd must still be open then: owners
//!   drop the registration first and close the fd after.

use std::os::fd::BorrowedFd;
use std::task::{ready, Context, Poll};

use super::own::{Observed, Source};
use super::tokio_backend::{TokioEvent, TokioIo};
use super::{Backend, Interest, Progress, Readiness};
use crate::Result;

/// An fd registered with one of the two reactors (see [`Backend`]).
#[derive(Debug)]
pub(crate) struct Registration {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Own(Source),
    Tokio(TokioIo),
}

/// One readiness observation, to hand back to
/// [`Registered::clear_readiness`](super::Registered::clear_readiness) once an operation has
/// shown it stale.
///
/// It remembers the tick at which it was observed: clearing it is a no-op if the reactor has
/// seen a newer event since. Dropping it without clearing keeps the readiness.
#[derive(Debug)]
pub struct ReadyEvent<'a> {
    readiness: Readiness,
    inner: EventInner<'a>,
}

#[derive(Debug)]
enum EventInner<'a> {
    Own(Observed),
    Tokio(TokioEvent<'a>),
}

impl ReadyEvent<'_> {
    /// The readiness observed.
    #[must_use]
    pub fn readiness(&self) -> Readiness {
        self.readiness
    }
}

impl Registration {
    /// Registers `fd` with `backend` (callers pass [`Backend::current`]: tokio's reactor
    /// inside a tokio runtime, the own reactor anywhere else). The choice is made here, once,
    /// and kept for the registration's life.
    pub(crate) fn with_backend(fd: BorrowedFd<'_>, backend: Backend) -> Result<Registration> {
        let inner = match backend {
            Backend::Tokio => Inner::Tokio(TokioIo::new(fd)?),
            Backend::Own => Inner::Own(Source::new(fd)?),
        };
        Ok(Registration { inner })
    }

    pub(crate) fn backend(&self) -> Backend {
        match self.inner {
            Inner::Own(_) => Backend::Own,
            Inner::Tokio(_) => Backend::Tokio,
        }
    }

    /// Ready for `interest` now (cached), or registers `cx`'s waker in the slot of each
    /// direction of `interest` and returns `Pending`. One waker slot per direction: a reader
    /// and a writer task are both woken; of two readers only the later one is.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
    ) -> Poll<Result<ReadyEvent<'_>>> {
        match &self.inner {
            Inner::Own(source) => source
                .poll_ready(cx, interest)
                .map(|seen| Ok(ReadyEvent { readiness: seen.ready, inner: EventInner::Own(seen) })),
            Inner::Tokio(io) => io.poll_ready(cx, interest).map(|polled| {
                polled.map(|(readiness, guard)| ReadyEvent {
                    readiness,
                    inner: EventInner::Tokio(guard),
                })
            }),
        }
    }

    /// Forgets `event`'s readiness, unless a newer event arrived since it was observed.
    pub(crate) fn clear_readiness(&self, event: ReadyEvent<'_>) {
        match (&self.inner, event.inner) {
            (Inner::Own(source), EventInner::Own(seen)) => source.clear(seen),
            (_, EventInner::Tokio(mut guard)) => guard.clear_ready(),
            // An event of the other backend cannot come from this registration.
            (Inner::Tokio(_), EventInner::Own(_)) => {}
        }
    }

    /// One try of `f`, never waiting; clears the readiness observed before the call if `f`
    /// returns `WouldBlock`.
    pub(crate) fn try_io<R>(&self, interest: Interest, f: impl FnOnce() -> Result<R>) -> Result<R> {
        self.try_io_with(interest, || f().map(|value| (value, Progress::More)))
    }

    /// One try of `f`, never waiting; clears the readiness observed before the call if `f`
    /// returns `WouldBlock` or reports [`Progress::Drained`]. The one place that clears.
    pub(crate) fn try_io_with<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> Result<(R, Progress)>,
    ) -> Result<R> {
        match &self.inner {
            Inner::Own(source) => {
                let seen = source.observe(interest);
                let result = f();
                let clear = match &result {
                    Err(e) => e.is_would_block(),
                    Ok((_, progress)) => *progress == Progress::Drained,
                };
                // A combined interest has no single direction to clear.
                let single = interest.is_readable() != interest.is_writable();
                if clear && single && !seen.ready.is_empty() {
                    source.clear(seen);
                }
                result.map(|(value, _)| value)
            }
            Inner::Tokio(io) => io.try_io(interest, f),
        }
    }

    /// Waits for `interest` while the cached readiness says it is not there, then tries `f`;
    /// after each `WouldBlock` (which clears), waits again. `f` reports [`Progress`].
    ///
    /// Registered means the reactor knows this fd: readiness that is clear (a `WouldBlock`
    /// or a short read/write cleared it, or no event came yet since registering) cannot turn
    /// true without an event, so the syscall would only say `EAGAIN` — tokio::net's rule, and
    /// one syscall saved per wait. The caller's first try of an unregistered fd, and
    /// non-blocking tries ([`try_io_with`](Self::try_io_with)), still ask the kernel.
    pub(crate) fn poll_io_with<R>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        mut f: impl FnMut() -> Result<(R, Progress)>,
    ) -> Poll<Result<R>> {
        loop {
            // Pending: the waker is stored and any edge from now on wakes it. Ready: the
            // readiness (or a hang-up/error, never cleared) is there: try.
            let _event = ready!(self.poll_ready(cx, interest))?;
            match self.try_io_with(interest, &mut f) {
                Err(e) if e.is_would_block() => {}
                done => return Poll::Ready(done),
            }
        }
    }
}
