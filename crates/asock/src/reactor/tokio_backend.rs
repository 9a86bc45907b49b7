//! The tokio backend: an fd registered with the current runtime's reactor through
//! `tokio::io::unix::AsyncFd`, so asock adds no thread and no poller inside tokio.
//!
//! `AsyncFd` keeps the same tick-tagged readiness as the own backend; its guards carry the
//! tick and `clear_ready` is the tick-checked clear. asock uses it as follows:
//!
//! - a waiting operation polls `poll_read_ready` / `poll_write_ready` first (as tokio::net
//!   does), so a cleared readiness waits without a syscall; its try then goes through
//!   `AsyncFd::try_io` (tokio clears on our `WouldBlock` with the tick it saw before the
//!   syscall);
//! - a non-blocking try ([`TokioIo::try_io`]) also goes through `AsyncFd::try_io` when tokio
//!   has readiness cached, and calls the syscall directly when it has none (a non-blocking
//!   try always asks the kernel; there is nothing to clear);
//! - a short read/write that should clear readiness ([`Progress::Drained`]) is reported to
//!   `try_io` as `WouldBlock` while its real result is kept aside: the only public way to clear
//!   with the right tick;
//! - tokio keeps one waker per direction for `poll_read_ready` / `poll_write_ready`, so the
//!   tasks waiting on the fd wait in asock's own list ([`Waiters`]) and tokio is given one
//!   waker per direction ([`FanOut`]), which wakes all of that direction's waiters: any number
//!   of tasks can await one direction;
//! - except in the common case of a `poll_*` caller (`AsyncRead` / `AsyncWrite`) with no future
//!   waiting in its direction: tokio is then given the caller's own waker, as tokio::net does,
//!   and an event wakes the task without passing through the list. The caller's waker is in
//!   the list's `poll_*` slot too, so a future arriving later, which hands tokio the fan-out
//!   again, does not strand it.

use std::io;
use std::os::fd::BorrowedFd;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use tokio::io::unix::{AsyncFd, AsyncFdReadyGuard};

use super::waiters::{FanOut, WaitSlot, Waiters};
use super::{Interest, Progress, Readiness};
use crate::sys::tokio_fd::{self, FdRef};
use asock_core::Result;

#[derive(Debug)]
pub(crate) struct TokioIo {
    fd: AsyncFd<FdRef>,
    waiters: Arc<Waiters>,
    /// Each direction of `waiters` as a waker: what tokio stores and wakes for that
    /// direction, for every task waiting for it at once.
    on_readable: Waker,
    on_writable: Waker,
}

/// A readiness observation of the tokio backend: tokio's guard, which carries the tick.
pub(crate) type TokioEvent<'a> = AsyncFdReadyGuard<'a, FdRef>;

impl TokioIo {
    /// Registers `fd` with the current runtime. Must be called inside a tokio runtime with
    /// I/O enabled.
    pub(crate) fn new(fd: BorrowedFd<'_>) -> Result<TokioIo> {
        let interest = tokio::io::Interest::READABLE | tokio::io::Interest::WRITABLE;
        let waiters = Arc::new(Waiters::default());
        let on_readable = FanOut::waker(&waiters, Readiness::READABLE);
        let on_writable = FanOut::waker(&waiters, Readiness::WRITABLE);
        Ok(TokioIo { fd: tokio_fd::register(fd, interest)?, waiters, on_readable, on_writable })
    }

    pub(crate) fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> Result<(R, Progress)>,
        stale: impl Fn(&asock_core::Error) -> bool,
    ) -> Result<R> {
        if interest.is_readable() && interest.is_writable() {
            // tokio tracks no combined readiness to clear; just try.
            return f().map(|(value, _)| value);
        }
        let mut f = Some(f);
        let mut out = None;
        let _ = self.fd.try_io(to_tokio(interest), |_| {
            let Some(f) = f.take() else { return Ok(()) };
            let result = f();
            let clear = match &result {
                Err(e) => stale(e),
                Ok((_, progress)) => *progress == Progress::Drained,
            };
            out = Some(result);
            if clear {
                Err(io::ErrorKind::WouldBlock.into())
            } else {
                Ok(())
            }
        });
        match (out, f) {
            (Some(result), _) => result.map(|(value, _)| value),
            // tokio knew of no readiness and did not call us: try anyway (syscall first).
            (None, Some(f)) => f().map(|(value, _)| value),
            (None, None) => Err(asock_core::Error::from_errno(libc::EAGAIN)),
        }
    }

    #[inline]
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: Option<&mut WaitSlot>,
    ) -> Poll<Result<(Readiness, TokioEvent<'_>)>> {
        let Some(slot) = slot else { return self.poll_ready_alone(cx, interest) };
        // Ask tokio first (with the list's wakers, so an event from now on reaches the list):
        // readiness already known costs no entry in the list. Only when tokio says Pending is
        // our waker put in the list, and tokio asked again: an event that came between the two
        // questions woke a list without our waker, but left tokio's readiness set, which the
        // second question finds.
        if let Poll::Ready(polled) = self.poll_tokio(interest) {
            return Poll::Ready(polled);
        }
        self.waiters.register(interest, cx.waker(), Some(slot));
        self.poll_tokio(interest)
    }

    /// [`poll_ready`](Self::poll_ready) for a `poll_*` caller: one question to tokio, with the
    /// caller's own waker when no future waits in a direction of `interest`.
    #[inline]
    fn poll_ready_alone(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
    ) -> Poll<Result<(Readiness, TokioEvent<'_>)>> {
        if self.waiters.has_futures(interest) {
            self.waiters.register(interest, cx.waker(), None);
            return self.poll_tokio(interest);
        }
        let polled = self.poll_with(interest, cx.waker(), cx.waker());
        if polled.is_ready() {
            return polled;
        }
        // In the `poll_*` slot too, for any future that hands tokio the fan-out from now on.
        self.waiters.register(interest, cx.waker(), None);
        if !self.waiters.has_futures(interest) {
            return polled;
        }
        // A future registered meanwhile, and may have handed tokio the fan-out just before
        // our waker replaced it (its count was written before it asked tokio, whose lock
        // orders the two questions, so we see it); an event since may have found our waker in
        // neither place. Hand the fan-out back; if an event came in between, it woke only us
        // (or no one): pass it on to the list.
        let polled = self.poll_tokio(interest);
        if polled.is_ready() {
            if interest.is_readable() {
                self.on_readable.wake_by_ref();
            }
            if interest.is_writable() {
                self.on_writable.wake_by_ref();
            }
        }
        polled
    }

    /// tokio's readiness for `interest`, with the list's wakers stored for each direction.
    #[inline]
    fn poll_tokio(&self, interest: Interest) -> Poll<Result<(Readiness, TokioEvent<'_>)>> {
        self.poll_with(interest, &self.on_readable, &self.on_writable)
    }

    /// tokio's readiness for `interest`, storing `on_read` / `on_write` for each direction.
    #[inline]
    fn poll_with(
        &self,
        interest: Interest,
        on_read: &Waker,
        on_write: &Waker,
    ) -> Poll<Result<(Readiness, TokioEvent<'_>)>> {
        if interest.is_readable() {
            let mut cx = Context::from_waker(on_read);
            if let Poll::Ready(guard) = self.fd.poll_read_ready(&mut cx) {
                return Poll::Ready(ready(guard));
            }
        }
        if interest.is_writable() {
            let mut cx = Context::from_waker(on_write);
            if let Poll::Ready(guard) = self.fd.poll_write_ready(&mut cx) {
                return Poll::Ready(ready(guard));
            }
        }
        Poll::Pending
    }
}

#[inline]
fn ready(guard: io::Result<TokioEvent<'_>>) -> Result<(Readiness, TokioEvent<'_>)> {
    let guard = guard?;
    Ok((Readiness::from_tokio(guard.ready()), guard))
}

fn to_tokio(interest: Interest) -> tokio::io::Interest {
    match (interest.is_readable(), interest.is_writable()) {
        (true, true) => tokio::io::Interest::READABLE | tokio::io::Interest::WRITABLE,
        (false, true) => tokio::io::Interest::WRITABLE,
        _ => tokio::io::Interest::READABLE,
    }
}
