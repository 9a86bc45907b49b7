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
//!   on the tokio backend [`Registration::poll_io_with`] waits while the cached readiness is
//!   clear (tokio::net's rule: only an event can make it true), while the own reactor and the
//!   async-io backend keep trying first (their waits are whole reactor turns; see that
//!   method). Non-blocking tries ([`Registration::try_io_with`]) always make the syscall.
//! - Readiness is cleared in exactly one place, [`Registration::try_io_with`]: on an observed
//!   `WouldBlock`, or on a [`Progress::Drained`] result (a short read or write on a stream),
//!   and only the readiness observed *before* the syscall (tick check), so an edge that arrives
//!   meanwhile survives.
//! - Closed/hung-up states never clear and wake both directions; EOF is what `recv` says (a
//!   zero-length read), never the HUP itself.
//! - Dropping a `Registration` deregisters the fd. The fd must still be open then: owners
//!   drop the registration first and close the fd after.

use std::marker::PhantomData;
use std::os::fd::BorrowedFd;
use std::task::{ready, Context, Poll};

#[cfg(feature = "async-io")]
use super::async_io_backend::AsyncIoSource;
use super::own::{Observed, Source};
#[cfg(feature = "tokio")]
use super::tokio_backend::{TokioEvent, TokioIo};
use super::{Backend, Interest, Progress, Readiness, WaitSlot};
use crate::ops::Step;
use asock_core::{Error, Result};

/// An fd registered with one of the reactors (see [`Backend`]).
#[derive(Debug)]
pub(crate) struct Registration {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Own(Source),
    #[cfg(feature = "tokio")]
    Tokio(TokioIo),
    #[cfg(feature = "async-io")]
    AsyncIo(AsyncIoSource),
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
    /// An observation of asock's own cache (own reactor, async-io backend); it too borrows
    /// the registration, which a build without tokio would otherwise not say.
    Cached(Observed, PhantomData<&'a Registration>),
    #[cfg(feature = "tokio")]
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
    /// Registers `fd` with `backend` (callers pass [`Backend::current`], which says which
    /// reactor serves the calling context). The choice is made here, once, and kept for the
    /// registration's life.
    ///
    /// # Errors
    ///
    /// The backend's registration error; `ENOTSUP` for [`Backend::AsyncIo`] in a build
    /// without the `async-io` feature.
    pub(crate) fn with_backend(fd: BorrowedFd<'_>, backend: Backend) -> Result<Registration> {
        let inner = match backend {
            #[cfg(feature = "tokio")]
            Backend::Tokio => Inner::Tokio(TokioIo::new(fd)?),
            #[cfg(not(feature = "tokio"))]
            Backend::Tokio => return Err(Error::from_errno(libc::ENOTSUP)),
            Backend::Own => Inner::Own(Source::new(fd)?),
            #[cfg(feature = "async-io")]
            Backend::AsyncIo => Inner::AsyncIo(AsyncIoSource::new(fd)?),
            #[cfg(not(feature = "async-io"))]
            Backend::AsyncIo => return Err(Error::from_errno(libc::ENOTSUP)),
        };
        Ok(Registration { inner })
    }

    pub(crate) fn backend(&self) -> Backend {
        match self.inner {
            Inner::Own(_) => Backend::Own,
            #[cfg(feature = "tokio")]
            Inner::Tokio(_) => Backend::Tokio,
            #[cfg(feature = "async-io")]
            Inner::AsyncIo(_) => Backend::AsyncIo,
        }
    }

    /// Ready for `interest` now (cached), or stores `cx`'s waker for each direction of
    /// `interest` and returns `Pending`: in `slot`'s own entry when a future waits (any
    /// number of futures can wait for one direction), else in the one slot `poll_*` callers
    /// share.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: Option<&mut WaitSlot>,
    ) -> Poll<Result<ReadyEvent<'_>>> {
        let cached = |seen: Observed| ReadyEvent {
            readiness: seen.ready,
            inner: EventInner::Cached(seen, PhantomData),
        };
        match &self.inner {
            Inner::Own(source) => {
                source.poll_ready(cx, interest, slot).map(|seen| Ok(cached(seen)))
            }
            #[cfg(feature = "async-io")]
            Inner::AsyncIo(source) => {
                source.poll_ready(cx, interest, slot).map(|polled| polled.map(cached))
            }
            #[cfg(feature = "tokio")]
            Inner::Tokio(io) => io.poll_ready(cx, interest, slot).map(|polled| {
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
            (Inner::Own(source), EventInner::Cached(seen, _)) => source.clear(seen),
            #[cfg(feature = "async-io")]
            (Inner::AsyncIo(source), EventInner::Cached(seen, _)) => source.clear(seen),
            #[cfg(feature = "tokio")]
            (_, EventInner::Tokio(mut guard)) => guard.clear_ready(),
            // An event of another backend cannot come from this registration.
            #[cfg(feature = "tokio")]
            (Inner::Tokio(_), EventInner::Cached(..)) => {}
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
        self.try_clearing(interest, f, Error::is_would_block)
    }

    /// [`try_io_with`](Self::try_io_with), clearing on every error `stale` names: an error
    /// that says "not ready yet" proves the readiness seen before the call stale
    /// (`WouldBlock`; a `connect` still in progress, woken by a stale event).
    fn try_clearing<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> Result<(R, Progress)>,
        stale: impl Fn(&Error) -> bool,
    ) -> Result<R> {
        match &self.inner {
            Inner::Own(source) => {
                try_cached(interest, f, &stale, source.observe(interest), |seen| source.clear(seen))
            }
            #[cfg(feature = "async-io")]
            Inner::AsyncIo(source) => {
                try_cached(interest, f, &stale, source.observe(interest), |seen| source.clear(seen))
            }
            #[cfg(feature = "tokio")]
            Inner::Tokio(io) => io.try_io(interest, f, stale),
        }
    }

    /// Tries `f` and waits for `interest` after each `WouldBlock`, registering `cx`'s waker;
    /// `f` reports [`Progress`]. When the cached readiness is known clear, the backends
    /// differ in what comes first:
    ///
    /// - **tokio**: wait first, as tokio::net does: readiness that is clear (cleared by a
    ///   `WouldBlock` or a short read/write, or no event yet since registering) cannot turn
    ///   true without an event, so the syscall could only say `EAGAIN`. A wait costs nothing
    ///   extra there: tokio's driver turns anyway and wakes only this task.
    /// - **own reactor**: syscall first (trio's rule). Its waits are turns driven by the
    ///   waiting thread — `epoll_wait`, dispatch, and a re-poll of the whole `block_on`
    ///   future — and a peer served by the same thread has often answered already, which the
    ///   cache cannot know before that turn. Measured on 64-byte ping-pongs under
    ///   `asock::block_on` (client and server in one future), waiting first made 2
    ///   `epoll_wait` + 1 `EAGAIN` per TCP round trip instead of 1 + 2, and was slower: TCP
    ///   5.2–5.3 vs 5.0 µs, UNIX 3.45–3.5 vs 3.1–3.3 µs, UDP 4.7 vs 4.0 µs.
    /// - **async-io**: syscall first, for the same reason: under `smol::block_on` a wait is a
    ///   turn of async-io's reactor driven by the waiting thread (async-io's `Async<T>` tries
    ///   first too).
    ///
    /// Non-blocking tries ([`try_io_with`](Self::try_io_with)) always make the syscall.
    ///
    /// Operations of several steps (`send_all`:
    /// [`Step::Again`] attempts again at once, or after a wait on tokio when the step drained
    /// the buffer), whose errors `pending` says are "still going, wait and attempt again"
    /// (`WouldBlock`, and `connect`'s `EINPROGRESS`).
    pub(crate) fn poll_steps<T>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        mut slot: Option<&mut WaitSlot>,
        mut attempt: impl FnMut() -> Result<(Step<T>, Progress)>,
        pending: impl Fn(&Error) -> bool,
    ) -> Poll<Result<T>> {
        #[cfg(feature = "tokio")]
        let tokio = matches!(self.inner, Inner::Tokio(_));
        #[cfg(not(feature = "tokio"))]
        let tokio = false;
        let mut wait_first = tokio;
        // What the last wait was answered with, and whether it cannot be cleared.
        let mut sticky = false;
        loop {
            let mut event = None;
            if wait_first {
                match slot.as_deref_mut() {
                    // Still going after a wake-up from a hang-up or error state, which is
                    // never cleared, so waiting on readiness would spin: look again on a
                    // timer instead (a `connect` on a socket registered while unconnected).
                    Some(slot) if sticky => ready!(slot.poll_recheck(cx))?,
                    _ => {
                        // Ready here means an edge newer than our clear (or a hang-up/error,
                        // never cleared); Pending means the waker is stored and no edge can
                        // be missed.
                        let ready = ready!(self.poll_ready(cx, interest, slot.as_deref_mut()))?;
                        sticky = !ready.readiness().intersect(Readiness::STICKY).is_empty();
                        event = Some(ready);
                    }
                }
            }
            let attempted = match event {
                // The observation just made is the one to clear: no second look.
                Some(event) => {
                    settle(interest, attempt(), &pending, || self.clear_readiness(event))
                }
                None => self.try_clearing(interest, &mut attempt, &pending),
            };
            match attempted {
                Ok(Step::Done(value)) => return Poll::Ready(Ok(value)),
                Ok(Step::Again) => wait_first = tokio,
                Err(e) if pending(&e) => {
                    wait_first = true;
                    // A plain WouldBlock cleared what can be cleared; only a state that
                    // stays "ready" while the operation is still going needs the timer.
                    sticky = sticky && !e.is_would_block();
                }
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

/// [`Registration::try_io_with`] on a backend with asock's own readiness cache: with `seen`,
/// the readiness observed just before, try, and clear `seen` if the try proved it stale.
fn try_cached<R>(
    interest: Interest,
    f: impl FnOnce() -> Result<(R, Progress)>,
    stale: impl Fn(&Error) -> bool,
    seen: Observed,
    clear: impl FnOnce(Observed),
) -> Result<R> {
    settle(interest, f(), stale, || {
        if !seen.ready.is_empty() {
            clear(seen);
        }
    })
}

/// The value of an attempt made after an observation of readiness, calling `clear` when the
/// attempt proved that observation stale (an error `stale` names, or a drained buffer).
fn settle<R>(
    interest: Interest,
    result: Result<(R, Progress)>,
    stale: impl Fn(&Error) -> bool,
    clear: impl FnOnce(),
) -> Result<R> {
    let stale = match &result {
        Err(e) => stale(e),
        Ok((_, progress)) => *progress == Progress::Drained,
    };
    // A combined interest has no single direction to clear.
    let single = interest.is_readable() != interest.is_writable();
    if stale && single {
        clear();
    }
    result.map(|(value, _)| value)
}
