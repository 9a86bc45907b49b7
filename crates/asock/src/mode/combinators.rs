//! Mode combinators for any future of a `Result`: `Timeout` and `NonBlocking`, and the
//! `ModeExt` trait that makes them methods.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;

use super::deadline::DeadlineTimer;
use crate::time::Instant;
use asock_core::Error;

pin_project! {
    /// A future bounded by a deadline: [`ModeExt::timeout`] and [`ModeExt::deadline`].
    ///
    /// The inner future is polled first, so a result that is ready at the deadline wins over
    /// the timeout. The timer is armed only once the inner future has returned `Pending`.
    ///
    /// # Cancel safety
    ///
    /// As cancel safe as the inner future: on timeout the inner future is dropped, exactly as
    /// if the caller had dropped it.
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct Timeout<F> {
        #[pin]
        future: F,
        timer: DeadlineTimer,
    }
}

impl<F> Timeout<F> {
    /// The instant at which this future fails with a timeout. (Not named `deadline`, which
    /// is [`ModeExt::deadline`].)
    ///
    /// ```
    /// use std::time::Duration;
    /// use asock::{ModeExt, time::Instant};
    ///
    /// let at = Instant::now() + Duration::from_secs(1);
    /// let bounded = std::future::pending::<asock::Result<()>>().deadline(at);
    /// assert_eq!(bounded.expires_at(), at);
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> Instant {
        self.timer.deadline()
    }

    /// The wrapped future.
    #[must_use]
    pub fn get_ref(&self) -> &F {
        &self.future
    }

    /// Unwraps the future, dropping the deadline.
    #[must_use]
    pub fn into_inner(self) -> F {
        self.future
    }
}

impl<F, T, E> Future for Timeout<F>
where
    F: Future<Output = std::result::Result<T, E>>,
    E: From<Error>,
{
    type Output = std::result::Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(out) = this.future.poll(cx) {
            return Poll::Ready(out);
        }
        // A timer that cannot be armed (EMFILE) ends the call with that error.
        ready!(this.timer.poll_expired(cx)).map_err(E::from)?;
        Poll::Ready(Err(Error::timeout().into()))
    }
}

pin_project! {
    /// A future tried once: [`ModeExt::nonblocking`].
    ///
    /// Each poll polls the inner future once; if it is not ready, the result is the `EAGAIN`
    /// error (`e.is_would_block()`), Python's `BlockingIOError`.
    ///
    /// # Cancel safety
    ///
    /// As cancel safe as the inner future, which is dropped after its one try.
    ///
    /// ```
    /// use asock::ModeExt;
    ///
    /// let err = asock::block_on(std::future::pending::<asock::Result<()>>().nonblocking());
    /// assert_eq!(err.unwrap_err().to_string(), "[Errno 11] Resource temporarily unavailable");
    /// ```
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct NonBlocking<F> {
        #[pin]
        future: F,
    }
}

impl<F, T, E> Future for NonBlocking<F>
where
    F: Future<Output = std::result::Result<T, E>>,
    E: From<Error>,
{
    type Output = std::result::Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().future.poll(cx) {
            Poll::Ready(out) => Poll::Ready(out),
            Poll::Pending => Poll::Ready(Err(Error::from_errno(libc::EAGAIN).into())),
        }
    }
}

/// Python's modes as methods on any future of a `Result`: a single operation or a whole
/// request/response exchange.
///
/// The error type only has to come from asock's [`Error`]: `asock::Error` itself,
/// `std::io::Error` (a timeout arrives as `ErrorKind::TimedOut`, the would-block error as
/// `WouldBlock`), `Box<dyn std::error::Error>`, or a protocol's own error with a `From` impl.
/// So an exchange written with tokio's or futures' I/O traits can be bounded as it is.
///
/// asock's operation futures (see [`Operation`](super::Operation)) have inherent methods of the
/// same names, which Rust picks first: on them, `.timeout(d)` overrides the socket's mode for
/// that one call (and `.nonblocking()` tries the syscall once, without waiting) instead of
/// wrapping the future.
///
/// ```
/// use std::time::Duration;
/// use asock::ModeExt;
///
/// asock::block_on(async {
///     // A whole exchange under one deadline.
///     let exchange = async {
///         asock::sleep(Duration::from_millis(50)).await;
///         Ok::<_, asock::Error>("reply")
///     };
///     let err = exchange.timeout(Duration::from_millis(5)).await.unwrap_err();
///     assert_eq!(err.kind(), asock::ErrorKind::Timeout);
///
///     // One try of something not ready: EAGAIN.
///     let err = std::future::pending::<asock::Result<()>>().nonblocking().await.unwrap_err();
///     assert!(err.is_would_block());
///
///     // Ready at once: the mode does not matter.
///     assert_eq!(async { Ok::<_, asock::Error>(7) }.nonblocking().await?, 7);
///
///     // Any error type asock's Error converts into, such as io::Error.
///     let io = async {
///         asock::sleep(Duration::from_millis(50)).await;
///         Ok::<_, std::io::Error>(())
///     };
///     let err = io.timeout(Duration::from_millis(5)).await.unwrap_err();
///     assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
///     Ok::<_, asock::Error>(())
/// })?;
/// # Ok::<(), asock::Error>(())
/// ```
pub trait ModeExt: Future + Sized {
    /// Fails with [`Error::timeout`] ("timed out") if not complete within `duration` from now.
    /// A duration beyond the clock's range means no deadline.
    fn timeout(self, duration: Duration) -> Timeout<Self>;

    /// Fails with [`Error::timeout`] if not complete at `deadline`.
    fn deadline(self, deadline: Instant) -> Timeout<Self>;

    /// One try: fails with `EAGAIN` if the future is not ready at its first poll.
    fn nonblocking(self) -> NonBlocking<Self>;

    /// Waits with no deadline: for a plain future, the future itself.
    fn blocking(self) -> Self;
}

impl<F, T, E> ModeExt for F
where
    F: Future<Output = std::result::Result<T, E>>,
    E: From<Error>,
{
    fn timeout(self, duration: Duration) -> Timeout<Self> {
        let deadline = far_deadline(Instant::now(), duration);
        self.deadline(deadline)
    }

    fn deadline(self, deadline: Instant) -> Timeout<Self> {
        Timeout { future: self, timer: DeadlineTimer::new(deadline) }
    }

    fn nonblocking(self) -> NonBlocking<Self> {
        NonBlocking { future: self }
    }

    fn blocking(self) -> Self {
        self
    }
}

/// `now + duration`, or a deadline some thirty years out when that overflows the clock (which
/// no process waits for; keeps `Timeout` a single type).
pub(crate) fn far_deadline(now: Instant, duration: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);
    now.checked_add(duration).or_else(|| now.checked_add(FAR)).unwrap_or(now)
}
