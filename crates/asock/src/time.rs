//! Timers on the right clock: tokio's timer inside a tokio runtime, the own reactor's elsewhere.
//!
//! The clock is `tokio::time::Instant` everywhere in asock: inside a runtime it honours tokio's
//! paused test clock (`#[tokio::test(start_paused = true)]`), outside one it is `std`'s
//! monotonic clock.
//!
//! ```
//! use std::time::Duration;
//! use asock::time::{sleep, Instant};
//!
//! let start = Instant::now();
//! asock::block_on(sleep(Duration::from_millis(20)));
//! assert!(start.elapsed() >= Duration::from_millis(20));
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use tokio::time::Instant;

use crate::reactor::own::Reactor;
use crate::reactor::Backend;

/// Waits until `duration` has passed.
///
/// The backend (tokio's timer or the own reactor's) is chosen now, from the calling context;
/// see [`crate::reactor::Backend`]. Inside a tokio runtime, the runtime must have its timer
/// enabled (as for `tokio::time::sleep`).
///
/// # Cancel safety
///
/// Cancel safe: dropping the future removes its timer.
///
/// ```
/// # asock::block_on(async {
/// asock::time::sleep(std::time::Duration::from_millis(1)).await;
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
/// use asock::time::{sleep_until, Instant};
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
/// # Cancel safety
///
/// Cancel safe: dropping it removes its timer from the reactor.
#[must_use = "futures do nothing unless polled"]
pub struct Sleep {
    deadline: Option<Instant>,
    inner: Inner,
}

enum Inner {
    /// tokio's timer, boxed so that `Sleep` is `Unpin` (asock's operation futures embed it).
    Tokio(Pin<Box<tokio::time::Sleep>>),
    /// An own-reactor timer: `id` once inserted.
    Own { id: Option<u64> },
    /// A deadline beyond the clock's range.
    Never,
}

impl Sleep {
    fn new(deadline: Option<Instant>) -> Sleep {
        let inner = match (deadline, Backend::current()) {
            (None, _) => Inner::Never,
            (Some(at), Backend::Tokio) => Inner::Tokio(Box::pin(tokio::time::sleep_until(at))),
            (Some(_), Backend::Own) => Inner::Own { id: None },
        };
        Sleep { deadline, inner }
    }

    /// The instant this sleep ends, or `None` if it never does.
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::time::{sleep_until, Instant};
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
            Inner::Tokio(_) => Backend::Tokio,
            Inner::Own { .. } | Inner::Never => Backend::Own,
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let Some(deadline) = this.deadline else { return Poll::Pending };
        match &mut this.inner {
            Inner::Tokio(sleep) => sleep.as_mut().poll(cx),
            Inner::Never => Poll::Pending,
            Inner::Own { id } => {
                if let Some(inserted) = *id {
                    let Some(reactor) = Reactor::existing() else { return Poll::Ready(()) };
                    if reactor.update_timer(deadline, inserted, cx.waker()) {
                        return Poll::Pending;
                    }
                    // The driver fired and removed it.
                    *id = None;
                    return Poll::Ready(());
                }
                if Instant::now() >= deadline {
                    return Poll::Ready(());
                }
                match Reactor::get() {
                    Ok(reactor) => *id = Some(reactor.insert_timer(deadline, cx.waker().clone())),
                    // No reactor could be created (EMFILE): degrade to re-polling until the
                    // deadline rather than never waking.
                    Err(_) => cx.waker().wake_by_ref(),
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let (Inner::Own { id: Some(id) }, Some(deadline)) = (&self.inner, self.deadline) {
            if let Some(reactor) = Reactor::existing() {
                reactor.remove_timer(deadline, *id);
            }
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

/// Number of timers pending in the own reactor (0 if it does not exist yet). A diagnostic:
/// tests use it to check that dropped sleeps leave nothing behind.
///
/// ```
/// let before = asock::time::own_timer_count();
/// let sleep = asock::time::sleep(std::time::Duration::from_secs(60));
/// drop(sleep);
/// assert_eq!(asock::time::own_timer_count(), before);
/// ```
#[must_use]
pub fn own_timer_count() -> usize {
    Reactor::existing().map_or(0, Reactor::timer_count)
}
