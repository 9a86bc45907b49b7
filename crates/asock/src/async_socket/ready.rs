//! Waiting for readiness without an operation: `readable`, `writable`, `ready`, for code that
//! drives the `try_*` methods itself.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::operation::{debug_operation, socket_operation};
use super::AsyncSocket;
use crate::mode::OpWait;
use crate::reactor::{Interest, Readiness};
use crate::Result;

impl AsyncSocket {
    /// Waits until the reactor reports readiness for `interest`, and returns what it reported.
    ///
    /// Readiness is a hint: the `try_*` call that follows may still say `EAGAIN` (it then
    /// clears the stale readiness, so the next `ready` waits for a new event). A hang-up or
    /// error state is reported as ready for both directions: the syscall then reports EOF or
    /// the error. The future waits in the socket's mode (a timeout mode bounds it; non-blocking
    /// mode answers at once, `EAGAIN` if no readiness is known) unless given its own.
    ///
    /// ```
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// b.try_send(b"x")?;
    /// let ready = a.ready(Interest::READABLE | Interest::WRITABLE).await?;
    /// assert!(ready.is_readable() || ready.is_writable());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EBADF` when closed; registration failures (outside a runtime with I/O, say); `EAGAIN`
    /// or "timed out" by the mode.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn ready(&self, interest: Interest) -> Ready<'_> {
        Ready { sock: self, interest, wait: self.op_wait() }
    }

    /// Waits until the socket is reported readable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// b.try_send(b"ping")?;
    /// let data = loop {
    ///     a.readable().await?;
    ///     match a.try_recv(16) {
    ///         Err(e) if e.is_would_block() => continue, // stale: cleared, wait again
    ///         other => break other?,
    ///     }
    /// };
    /// assert_eq!(data, b"ping");
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn readable(&self) -> Ready<'_> {
        self.ready(Interest::READABLE)
    }

    /// Waits until the socket is reported writable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// assert!(a.writable().await?.is_writable());
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    pub fn writable(&self) -> Ready<'_> {
        self.ready(Interest::WRITABLE)
    }
}

/// The future of [`AsyncSocket::ready`], [`readable`](AsyncSocket::readable) and
/// [`writable`](AsyncSocket::writable): the readiness reported. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// Cancel safe.
#[must_use = "futures do nothing unless polled"]
pub struct Ready<'a> {
    sock: &'a AsyncSocket,
    interest: Interest,
    wait: OpWait,
}

impl Future for Ready<'_> {
    type Output = Result<Readiness>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Readiness>> {
        let this = self.get_mut();
        match this.sock.io()?.poll_ready_in(cx, this.interest, this.wait.slot()) {
            Poll::Ready(event) => Poll::Ready(event.map(|event| event.readiness())),
            Poll::Pending => this.wait.poll_give_up(cx).map(Err),
        }
    }
}

socket_operation!(Ready<'a>);
debug_operation!(Ready);
