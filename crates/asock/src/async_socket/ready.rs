//! Readiness, tokio's `AsyncFd` way: `readable`, `writable`, `ready`, and `try_io` /
//! `async_io` for code that makes its own system calls on the socket.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::op_future::OpFuture;
use super::AsyncSocket;
use crate::mode::OpWait;
use crate::ops::user::UserOp;
use crate::reactor::{Interest, Readiness};
use asock_core::Result;

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
    pub fn ready(&self, interest: Interest) -> ReadyFuture<'_> {
        ReadyFuture { sock: self, interest, wait: self.op_wait() }
    }

    /// Waits until the socket is reported readable. See [`ready`](Self::ready).
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// b.try_send(b"ping")?;
    /// let mut buf = [0; 16];
    /// let n = loop {
    ///     a.readable().await?;
    ///     match a.try_recv(&mut buf) {
    ///         Err(e) if e.is_would_block() => continue, // stale: cleared, wait again
    ///         other => break other?,
    ///     }
    /// };
    /// assert_eq!(&buf[..n], b"ping");
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
    pub fn readable(&self) -> ReadyFuture<'_> {
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
    pub fn writable(&self) -> ReadyFuture<'_> {
        self.ready(Interest::WRITABLE)
    }

    /// Runs `f` — a system call of the caller's own on this socket's fd — once, never
    /// waiting, as tokio's `try_io`: if it returns `WouldBlock`, the readiness seen before the
    /// call is cleared, so the next [`ready`](Self::ready) waits for a new event.
    ///
    /// `f` must return `WouldBlock` only when its system call said so.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// b.try_send(b"raw")?;
    /// a.readable().await?;
    /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
    /// let n = a.try_io(Interest::READABLE, || socket2::SockRef::from(&a.as_fd()).recv(&mut buf))?;
    /// assert_eq!(n, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of `f`; `EBADF` when closed.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        let io = self.io()?;
        io.try_io(interest, |_| Ok(f()?)).map_err(io::Error::from)
    }

    /// Runs `f` as an operation: tries it, waits for `interest` after each `WouldBlock`,
    /// tries again (tokio's `async_io`). In the socket's mode, like every operation future.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use asock::reactor::Interest;
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// std::thread::spawn(move || b.try_send(b"later"));
    /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
    /// let n = a.async_io(Interest::READABLE, || socket2::SockRef::from(&a.as_fd()).recv(&mut buf)).await?;
    /// assert_eq!(n, 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// Those of `f`; "timed out" or `EAGAIN` by the mode; `EBADF` when closed.
    ///
    /// # Cancel safety
    ///
    /// As cancel safe as `f`: between tries nothing runs.
    pub fn async_io<R, F: FnMut() -> io::Result<R> + Unpin>(
        &self,
        interest: Interest,
        f: F,
    ) -> AsyncIoFuture<'_, F> {
        AsyncIoFuture(OpFuture::new(self, Ok(UserOp { interest, f })))
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
#[derive(Debug)]
pub struct ReadyFuture<'a> {
    sock: &'a AsyncSocket,
    interest: Interest,
    wait: OpWait,
}

impl Future for ReadyFuture<'_> {
    type Output = Result<Readiness>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Readiness>> {
        let this = self.get_mut();
        match this.sock.io()?.poll_ready_in(cx, this.interest, this.wait.slot()) {
            Poll::Ready(event) => Poll::Ready(event.map(|event| event.readiness())),
            Poll::Pending => this.wait.poll_give_up(cx).map(Err),
        }
    }
}

impl crate::mode::Operation for ReadyFuture<'_> {
    fn with_mode(self, mode: crate::mode::Mode) -> Self {
        ReadyFuture { wait: OpWait::new(mode), ..self }
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        ReadyFuture { wait: OpWait::with_deadline(deadline), ..self }
    }
}

crate::mode::operation_modes!(impl[<'a>] ReadyFuture<'a>);

/// The future of [`AsyncSocket::async_io`]: what `f` returned. An
/// [`Operation`](crate::Operation).
///
/// # Cancel safety
///
/// As cancel safe as its closure.
#[must_use = "futures do nothing unless polled"]
pub struct AsyncIoFuture<'a, F>(OpFuture<'a, UserOp<F>>);

impl<F: FnMut() -> io::Result<R> + Unpin, R> Future for AsyncIoFuture<'_, F> {
    type Output = io::Result<R>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        self.get_mut().0.poll_op(cx).map_err(io::Error::from)
    }
}

impl<F: FnMut() -> io::Result<R> + Unpin, R> crate::mode::Operation for AsyncIoFuture<'_, F> {
    fn with_mode(self, mode: crate::mode::Mode) -> Self {
        AsyncIoFuture(self.0.with_mode(mode))
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        AsyncIoFuture(self.0.with_deadline(deadline))
    }
}

crate::mode::operation_modes!(
    impl[<'a, F: FnMut() -> io::Result<R> + Unpin, R>] AsyncIoFuture<'a, F>
);

impl<F> std::fmt::Debug for AsyncIoFuture<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AsyncIoFuture").field(&self.0).finish()
    }
}
