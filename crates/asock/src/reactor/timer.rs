//! Timers on the right reactor ([`Backend::current`]): tokio's timer inside a tokio runtime,
//! async-io's `Timer` where the async-io backend serves (so a sleep under smol wakes on
//! smol's thread), the own reactor's elsewhere. Deadlines are [`Instant`]s of asock's clock
//! (`crate::time`), which follows tokio's paused test clock inside a runtime.
//!
//! When the own reactor cannot be created (the process is out of fds), timeouts fail with that
//! error and a bare sleep waits on a helper thread instead: see [`Sleep`].
//!
//! ```
//! use std::time::Duration;
//! use asock::time::Instant;
//!
//! let start = Instant::now();
//! asock::block_on(asock::sleep(Duration::from_millis(20)));
//! assert!(start.elapsed() >= Duration::from_millis(20));
//! ```

mod fallback;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::own::Reactor;
use super::Backend;
use crate::time::Instant;
use asock_core::Result;

/// Waits until `duration` has passed.
///
/// The backend (tokio's timer, async-io's or the own reactor's) is chosen now, from the
/// calling context; see [`crate::reactor::Backend`]. Inside a tokio runtime, the runtime must have its timer
/// enabled (as for `tokio::time::sleep`).
///
/// # Cancel safety
///
/// Cancel safe: dropping the future removes its timer.
///
/// ```
/// # asock::block_on(async {
/// asock::sleep(std::time::Duration::from_millis(1)).await;
/// # });
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    let now = Instant::now();
    // A duration beyond the clock's range never elapses.
    match now.checked_add(duration) {
        Some(deadline) => sleep_until(deadline),
        None => Sleep::new(None),
    }
}

/// Waits until `deadline`.
///
/// # Cancel safety
///
/// Cancel safe: dropping the future removes its timer.
///
/// ```
/// use std::time::Duration;
/// use asock::{sleep_until, time::Instant};
///
/// let deadline = Instant::now() + Duration::from_millis(5);
/// asock::block_on(sleep_until(deadline));
/// assert!(Instant::now() >= deadline);
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(Some(deadline))
}

/// The future of [`sleep`] and [`sleep_until`].
///
/// # When no timer can be armed
///
/// Outside tokio (and outside async-io, which is not chosen while its reactor cannot be
/// created), the timer lives in asock's own reactor, which is created on first use and needs
/// two fds. If the process is out of fds then (`EMFILE`), the timer cannot be armed there, and
/// the error is not retried in a loop:
///
/// - [`poll_elapsed`](Self::poll_elapsed) returns it, and asock's timeouts, which are built
///   on it (`.timeout(d)`, `.deadline(t)`, [`Mode::Timeout`](crate::Mode::Timeout)), fail
///   with it: a timed operation reports `EMFILE` at once.
/// - Awaiting the `Sleep` itself, which has no error to return, still waits until its
///   deadline: on a helper thread, `asock-timer`, that needs no fd and parks until then (so
///   the wait costs no CPU). If not even that thread can be started, the sleep blocks the
///   polling thread until the deadline. It never ends early and never spins.
///
/// A later `Sleep` tries to create the reactor again.
///
/// # Cancel safety
///
/// Cancel safe: dropping it removes its timer (from the reactor, or the `asock-timer`
/// thread).
#[must_use = "futures do nothing unless polled"]
pub struct Sleep {
    deadline: Option<Instant>,
    inner: Inner,
}

enum Inner {
    /// tokio's timer, boxed so that `Sleep` is `Unpin` (asock's operation futures embed it).
    #[cfg(feature = "tokio")]
    Tokio(Pin<Box<tokio::time::Sleep>>),
    /// An own-reactor timer: `id` once inserted.
    Own { id: Option<u64> },
    /// async-io's timer (a deadline on the system clock, as asock's outside tokio).
    #[cfg(feature = "async-io")]
    AsyncIo(async_io::Timer),
    /// A timer on the `asock-timer` thread, because the own reactor could not be created.
    Fallback { id: u64 },
    /// A deadline beyond the clock's range.
    Never,
}

impl Sleep {
    fn new(deadline: Option<Instant>) -> Sleep {
        let inner = match (deadline, Backend::current()) {
            (None, _) => Inner::Never,
            #[cfg(feature = "tokio")]
            (Some(at), Backend::Tokio) => {
                Inner::Tokio(Box::pin(tokio::time::sleep_until(at.into())))
            }
            #[cfg(feature = "async-io")]
            (Some(at), Backend::AsyncIo) => Inner::AsyncIo(async_io::Timer::at(at.into_std())),
            // `current` never says AsyncIo without the feature.
            #[cfg(not(feature = "async-io"))]
            (Some(_), Backend::AsyncIo) => Inner::Own { id: None },
            // Nor Tokio without the `tokio` feature.
            #[cfg(not(feature = "tokio"))]
            (Some(_), Backend::Tokio) => Inner::Own { id: None },
            (Some(_), Backend::Own) => Inner::Own { id: None },
        };
        Sleep { deadline, inner }
    }

    /// The instant this sleep ends, or `None` if it never does.
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::{sleep_until, time::Instant};
    ///
    /// let at = Instant::now() + Duration::from_secs(1);
    /// assert_eq!(sleep_until(at).deadline(), Some(at));
    /// ```
    #[must_use]
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the deadline has passed.
    #[must_use]
    pub fn is_elapsed(&self) -> bool {
        self.deadline.is_some_and(|at| Instant::now() >= at)
    }

    /// The backend serving this timer.
    #[must_use]
    pub fn backend(&self) -> Backend {
        match self.inner {
            #[cfg(feature = "tokio")]
            Inner::Tokio(_) => Backend::Tokio,
            #[cfg(feature = "async-io")]
            Inner::AsyncIo(_) => Backend::AsyncIo,
            Inner::Own { .. } | Inner::Fallback { .. } | Inner::Never => Backend::Own,
        }
    }

    /// Polls the sleep, reporting a timer that cannot be armed as an error instead of
    /// falling back (see [When no timer can be armed](Self#when-no-timer-can-be-armed)):
    /// `Ready(Ok(()))` once the deadline has passed, `Pending` until then (the waker is
    /// stored), `Ready(Err(e))` if the own reactor could not be created.
    ///
    /// # Errors
    ///
    /// The OS error of creating the own reactor, `EMFILE` or `ENFILE` above all. The next
    /// poll tries again; nothing retries by itself.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::time::Duration;
    ///
    /// let mut sleep = asock::sleep(Duration::from_millis(5));
    /// asock::block_on(poll_fn(|cx| sleep.poll_elapsed(cx)))?;
    /// assert!(sleep.is_elapsed());
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn poll_elapsed(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let Some(deadline) = self.deadline else { return Poll::Pending };
        match &mut self.inner {
            #[cfg(feature = "tokio")]
            Inner::Tokio(sleep) => sleep.as_mut().poll(cx).map(Ok),
            #[cfg(feature = "async-io")]
            Inner::AsyncIo(timer) => Pin::new(timer).poll(cx).map(|_| Ok(())),
            Inner::Never => Poll::Pending,
            Inner::Fallback { id } => {
                if fallback::update(deadline, *id, cx.waker()) {
                    Poll::Pending
                } else {
                    Poll::Ready(Ok(()))
                }
            }
            Inner::Own { id: Some(inserted) } => {
                let Some(reactor) = Reactor::existing() else { return Poll::Ready(Ok(())) };
                if reactor.update_timer(deadline, *inserted, cx.waker()) {
                    return Poll::Pending;
                }
                // The driver fired and removed it.
                self.inner = Inner::Own { id: None };
                Poll::Ready(Ok(()))
            }
            Inner::Own { id } => {
                if Instant::now() >= deadline {
                    return Poll::Ready(Ok(()));
                }
                // No reactor (EMFILE): the error goes to the caller, once per poll; nothing
                // wakes this task to try again, so nothing spins.
                let reactor = Reactor::get()?;
                *id = Some(reactor.insert_timer(deadline, cx.waker().clone()));
                Poll::Pending
            }
        }
    }

    /// The own reactor could not be created: wait on the `asock-timer` thread, or, if that
    /// cannot start either, in this thread.
    fn poll_fallback(&mut self, cx: &mut Context<'_>, error: &asock_core::Error) -> Poll<()> {
        let Some(deadline) = self.deadline else { return Poll::Pending };
        match fallback::insert(deadline, cx.waker().clone()) {
            Ok(id) => {
                tracing::debug!(%error, "no own reactor: a sleep waits on the asock-timer thread");
                self.inner = Inner::Fallback { id };
                Poll::Pending
            }
            Err(thread_error) => {
                tracing::warn!(
                    %error,
                    %thread_error,
                    "no own reactor and no timer thread: a sleep blocks its thread"
                );
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                Poll::Ready(())
            }
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.poll_elapsed(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(()),
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(error)) => this.poll_fallback(cx, &error),
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        let Some(deadline) = self.deadline else { return };
        match self.inner {
            Inner::Own { id: Some(id) } => {
                if let Some(reactor) = Reactor::existing() {
                    reactor.remove_timer(deadline, id);
                }
            }
            Inner::Fallback { id } => fallback::remove(deadline, id),
            _ => {}
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("backend", &self.backend())
            .finish()
    }
}

/// Number of timers pending in the own reactor (none if it does not exist yet) and on the
/// `asock-timer` thread (see [`Sleep`]); tokio's and async-io's timers are theirs. A
/// diagnostic: tests use it to check that dropped sleeps leave nothing behind.
///
/// ```
/// let before = asock::reactor::own_timer_count();
/// let sleep = asock::sleep(std::time::Duration::from_secs(60));
/// drop(sleep);
/// assert_eq!(asock::reactor::own_timer_count(), before);
/// ```
#[must_use]
pub fn own_timer_count() -> usize {
    Reactor::existing().map_or(0, Reactor::timer_count) + fallback::timer_count()
}
