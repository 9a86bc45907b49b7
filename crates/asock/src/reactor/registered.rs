//! `Registered<F>`: an fd plus its lazily created [`Registration`], the readiness API in public.

use std::fmt;
use std::future::Future;
use std::os::fd::AsFd;
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};
use std::task::{ready, Context, Poll};

use pin_project_lite::pin_project;

use super::{Backend, Interest, Progress, ReadyEvent, Registration, WaitSlot};
use crate::ops::Step;
use asock_core::{Error, Result};

/// An I/O object (anything [`AsFd`]: a socket, a pipe, an eventfd) whose fd waits on a
/// reactor.
///
/// The fd should be non-blocking. It is registered at its first wait, not before — a TCP
/// socket registered before `connect` or `listen` would report a spurious hang-up — with the
/// backend of the context of that wait (see [`Backend`]). Dropping a `Registered` deregisters
/// the fd first and drops `F` (closing an owned fd) after.
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use asock::reactor::{Interest, Registered};
///
/// let (a, b) = UnixStream::pair()?;
/// a.set_nonblocking(true)?;
/// let a = Registered::new(a);
/// let n = asock::block_on(async {
///     std::thread::spawn(move || (&b).write_all(b"ping"));
///     let mut buf = [0; 4];
///     a.async_io(Interest::READABLE, |s| (&*s).read(&mut buf).map_err(asock::Error::from)).await
/// })?;
/// assert_eq!(n, 4);
/// # Ok::<(), asock::Error>(())
/// ```
pub struct Registered<F: AsFd> {
    // Declared before `io`: dropped first, so the fd is deregistered while still open.
    registration: OnceLock<Registration>,
    registering: Mutex<()>,
    io: F,
}

impl<F: AsFd> Registered<F> {
    /// Wraps `io`; nothing is registered until the first wait.
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::Registered;
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// let a = Registered::new(a);
    /// assert_eq!(a.backend(), None); // not registered until it waits
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(io: F) -> Registered<F> {
        Registered { registration: OnceLock::new(), registering: Mutex::new(()), io }
    }

    /// The I/O object.
    pub fn get_ref(&self) -> &F {
        &self.io
    }

    /// Deregisters the fd (if registered) and returns the I/O object.
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::Registered;
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let a = Registered::new(a);
    /// a.register()?;
    /// let a: UnixStream = a.into_inner(); // deregistered, still open
    /// assert!(a.peer_addr().is_ok());
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn into_inner(self) -> F {
        let Registered { registration, io, .. } = self;
        drop(registration);
        io
    }

    /// The backend serving this fd, or `None` before its first wait.
    pub fn backend(&self) -> Option<Backend> {
        self.registration.get().map(Registration::backend)
    }

    /// Registers the fd now (if not yet), with the backend of the calling context.
    ///
    /// # Errors
    ///
    /// The error of `epoll_ctl`, e.g. `EPERM` for a regular file.
    pub fn register(&self) -> Result<Backend> {
        self.registration().map(Registration::backend)
    }

    /// Registers with a chosen backend (tests run one suite on every backend).
    ///
    /// # Errors
    ///
    /// As [`register`](Self::register); `EEXIST` if the fd is already registered with that
    /// backend's poller by someone else.
    #[doc(hidden)]
    pub fn register_with(&self, backend: Backend) -> Result<Backend> {
        self.registration_with(backend).map(Registration::backend)
    }

    pub(crate) fn registration(&self) -> Result<&Registration> {
        match self.registration.get() {
            Some(registration) => Ok(registration),
            None => self.registration_with(Backend::current()),
        }
    }

    fn registration_with(&self, backend: Backend) -> Result<&Registration> {
        if let Some(registration) = self.registration.get() {
            return Ok(registration);
        }
        // Two tasks waiting for the first time at once must not both register (EEXIST).
        let _once = self.registering.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(registration) = self.registration.get() {
            return Ok(registration);
        }
        let registration = Registration::with_backend(self.io.as_fd(), backend)?;
        Ok(self.registration.get_or_init(|| registration))
    }

    /// Ready for `interest` now, or stores `cx`'s waker and returns `Pending`. Registers the fd
    /// if it is not yet.
    ///
    /// One waker is kept per direction for `poll_*` callers, as tokio's `poll_read_ready`
    /// keeps it: a reader and a writer waiting at once are both woken; of two readers, only
    /// the last to poll. Futures ([`ready`](Self::ready), [`async_io`](Self::async_io)) each
    /// keep an entry of their own: any number of them can wait for one direction.
    ///
    /// # Errors
    ///
    /// Registration failures, or the reactor having shut down (tokio runtime dropped).
    ///
    /// ```
    /// use std::io::Write;
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::{Interest, Registered};
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// let a = Registered::new(a);
    /// (&b).write_all(b"x")?;
    /// let readiness = asock::block_on(std::future::poll_fn(|cx| {
    ///     a.poll_ready(cx, Interest::READABLE).map_ok(|event| event.readiness())
    /// }))?;
    /// assert!(readiness.is_readable());
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
    ) -> Poll<Result<ReadyEvent<'_>>> {
        self.registration()?.poll_ready(cx, interest, None)
    }

    /// [`poll_ready`](Self::poll_ready) for a future, which waits in `slot`'s own entry.
    pub(crate) fn poll_ready_in(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: &mut WaitSlot,
    ) -> Poll<Result<ReadyEvent<'_>>> {
        self.registration()?.poll_ready(cx, interest, Some(slot))
    }

    /// Forgets the readiness of `event` — call it only after an operation returned
    /// `WouldBlock`. A no-op if the reactor saw a newer event since `event` was observed.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::Registered;
    /// use asock::ModeExt;
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// let a = Registered::new(a);
    /// (&b).write_all(b"x")?;
    /// asock::block_on(async {
    ///     let event = a.readable().await?;
    ///     let mut buf = [0; 8];
    ///     assert_eq!((&*a.get_ref()).read(&mut buf)?, 1);
    ///     // Our own read loop saw EAGAIN: tell the reactor.
    ///     assert!((&*a.get_ref()).read(&mut buf).is_err());
    ///     a.clear_readiness(event);
    ///     assert!(a.readable().nonblocking().await.is_err());
    ///     Ok::<_, asock::Error>(())
    /// })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn clear_readiness(&self, event: ReadyEvent<'_>) {
        if let Some(registration) = self.registration.get() {
            registration.clear_readiness(event);
        }
    }

    /// Runs `f` once, never waiting; if it returns `WouldBlock`, clears the readiness seen
    /// before the call.
    ///
    /// `f` must return `WouldBlock` only when its syscall said so, and do one direction of
    /// I/O (`interest` with one direction).
    ///
    /// # Errors
    ///
    /// Those of `f`.
    ///
    /// ```
    /// use std::io::Read;
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::{Interest, Registered};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// let a = Registered::new(a);
    /// let mut buf = [0; 8];
    /// let err = a.try_io(Interest::READABLE, |s| Ok((&*s).read(&mut buf)?)).unwrap_err();
    /// assert!(err.is_would_block());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn try_io<R>(&self, interest: Interest, f: impl FnOnce(&F) -> Result<R>) -> Result<R> {
        match self.registration.get() {
            Some(registration) => registration.try_io(interest, || f(&self.io)),
            None => f(&self.io),
        }
    }

    /// [`try_io`](Self::try_io) for a closure that also reports [`Progress`]: `Drained` clears
    /// readiness as a `WouldBlock` would (short reads and writes on streams).
    ///
    /// # Errors
    ///
    /// Those of `f`.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::{Interest, Progress, Registered};
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// (&b).write_all(b"abc")?;
    /// let a = Registered::new(a);
    /// let mut buf = [0; 64];
    /// let n = a.try_io_with(Interest::READABLE, |s| {
    ///     let n = (&*s).read(&mut buf)?;
    ///     // A short read on a stream: the queue is empty.
    ///     Ok((n, if n < 64 { Progress::Drained } else { Progress::More }))
    /// })?;
    /// assert_eq!(n, 3);
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn try_io_with<R>(
        &self,
        interest: Interest,
        f: impl FnOnce(&F) -> Result<(R, Progress)>,
    ) -> Result<R> {
        match self.registration.get() {
            Some(registration) => registration.try_io_with(interest, || f(&self.io)),
            None => f(&self.io).map(|(value, _)| value),
        }
    }

    /// Tries `f`; after each `WouldBlock`, waits for `interest` with `cx`'s waker.
    ///
    /// # Errors
    ///
    /// Those of `f`, and registration failures.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::{Interest, Registered};
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// let a = Registered::new(a);
    /// std::thread::spawn(move || (&b).write_all(b"hi"));
    /// let mut buf = [0; 8];
    /// let n = asock::block_on(std::future::poll_fn(|cx| {
    ///     a.poll_io(cx, Interest::READABLE, |s| Ok((&*s).read(&mut buf)?))
    /// }))?;
    /// assert_eq!(&buf[..n], b"hi");
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        mut f: impl FnMut(&F) -> Result<R>,
    ) -> Poll<Result<R>> {
        self.poll_io_with(cx, interest, |io| f(io).map(|value| (value, Progress::More)))
    }

    /// [`poll_io`](Self::poll_io) for a closure that reports [`Progress`].
    ///
    /// # Errors
    ///
    /// Those of `f`, and registration failures.
    pub fn poll_io_with<R>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        f: impl FnMut(&F) -> Result<(R, Progress)>,
    ) -> Poll<Result<R>> {
        self.poll_io_in(cx, interest, None, f)
    }

    /// [`poll_io_with`](Self::poll_io_with) waiting in `slot`'s entry when a future gives one.
    pub(crate) fn poll_io_in<R>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        slot: Option<&mut WaitSlot>,
        mut f: impl FnMut(&F) -> Result<(R, Progress)>,
    ) -> Poll<Result<R>> {
        let attempt = |io: &F| f(io).map(|(value, progress)| (Step::Done(value), progress));
        self.poll_steps(cx, interest, slot, attempt, Error::is_would_block)
    }

    /// Runs an operation of one or more steps to completion, waiting for `interest` after
    /// each error `pending` says is "still going" (see `Registration::poll_steps`). An
    /// unregistered fd is attempted first and registered only when it has to wait.
    pub(crate) fn poll_steps<T>(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        mut slot: Option<&mut WaitSlot>,
        mut attempt: impl FnMut(&F) -> Result<(Step<T>, Progress)>,
        pending: impl Fn(&Error) -> bool,
    ) -> Poll<Result<T>> {
        let registration = match self.registration.get() {
            Some(registration) => registration,
            None => {
                // Syscall first: most operations never need a registration at all.
                loop {
                    match attempt(&self.io) {
                        Ok((Step::Done(value), _)) => return Poll::Ready(Ok(value)),
                        Ok((Step::Again, _)) => {}
                        Err(e) if pending(&e) => break,
                        Err(e) => return Poll::Ready(Err(e)),
                    }
                }
                let registration = self.registration()?;
                // Fresh: no readiness yet. This stores the waker; the kernel's first edge
                // (epoll reports the current state on registration) wakes it.
                let _event = ready!(registration.poll_ready(cx, interest, slot.as_deref_mut()))?;
                registration
            }
        };
        registration.poll_steps(cx, interest, slot, || attempt(&self.io), pending)
    }

    /// One attempt of an operation, never waiting: steps go on until it completes or
    /// reports an error (`WouldBlock` included), which clears the readiness seen before.
    pub(crate) fn try_steps<T>(
        &self,
        interest: Interest,
        mut attempt: impl FnMut(&F) -> Result<(Step<T>, Progress)>,
    ) -> Result<T> {
        loop {
            if let Step::Done(value) = self.try_io_with(interest, &mut attempt)? {
                return Ok(value);
            }
        }
    }

    /// Runs `f` as a future: try, wait for `interest` after each `WouldBlock`, try again. It
    /// waits as long as it takes; bound it with [`ModeExt`](crate::ModeExt)'s `.timeout(d)`
    /// or `.deadline(t)`, or make it one try with `.nonblocking()`, as any future.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe if `f` is: dropping the future between tries runs nothing.
    ///
    /// ```
    /// use std::io::Read;
    /// use std::os::unix::net::UnixStream;
    /// use std::time::Duration;
    /// use asock::reactor::{Interest, Registered};
    /// use asock::ModeExt;
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// a.set_nonblocking(true)?;
    /// let a = Registered::new(a);
    /// let mut buf = [0; 8];
    /// let read = a.async_io(Interest::READABLE, |s| Ok((&*s).read(&mut buf)?));
    /// let err = asock::block_on(read.timeout(Duration::from_millis(10))).unwrap_err();
    /// assert_eq!(err.to_string(), "timed out");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn async_io<R, Op>(&self, interest: Interest, op: Op) -> AsyncIo<'_, F, Op>
    where
        Op: FnMut(&F) -> Result<R>,
    {
        AsyncIo { io: self, interest, op, slot: WaitSlot::default() }
    }

    /// Waits until the reactor reports readiness for `interest`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe.
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use asock::reactor::{Interest, Registered};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let a = Registered::new(a);
    /// // An empty send buffer: writable at once.
    /// let event = asock::block_on(a.ready(Interest::READABLE | Interest::WRITABLE))?;
    /// assert!(event.readiness().is_writable());
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn ready(&self, interest: Interest) -> Ready<'_, F> {
        Ready { io: self, interest, slot: WaitSlot::default() }
    }

    /// Waits until the fd is reported readable. See [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe.
    pub fn readable(&self) -> Ready<'_, F> {
        self.ready(Interest::READABLE)
    }

    /// Waits until the fd is reported writable. See [`ready`](Self::ready).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe.
    pub fn writable(&self) -> Ready<'_, F> {
        self.ready(Interest::WRITABLE)
    }
}

impl<F: AsFd + fmt::Debug> fmt::Debug for Registered<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registered")
            .field("io", &self.io)
            .field("backend", &self.backend())
            .finish()
    }
}

/// The future of [`Registered::ready`], [`readable`](Registered::readable) and
/// [`writable`](Registered::writable): the readiness event reported.
///
/// Dropping the event keeps the readiness: the next operation finds it, and clears it if it
/// returns `WouldBlock`. Hand it to [`Registered::clear_readiness`] after an operation of your
/// own returned `WouldBlock`.
///
/// # Cancel safety
///
/// Cancel safe.
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct Ready<'a, F: AsFd> {
    io: &'a Registered<F>,
    interest: Interest,
    slot: WaitSlot,
}

impl<'a, F: AsFd> Future for Ready<'a, F> {
    type Output = Result<ReadyEvent<'a>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<ReadyEvent<'a>>> {
        let this = self.get_mut();
        let io: &'a Registered<F> = this.io;
        io.poll_ready_in(cx, this.interest, &mut this.slot)
    }
}

pin_project! {
    /// The future of [`Registered::async_io`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe if its closure is: between tries nothing runs.
    #[must_use = "futures do nothing unless polled"]
    pub struct AsyncIo<'a, F: AsFd, Op> {
        io: &'a Registered<F>,
        interest: Interest,
        op: Op,
        slot: WaitSlot,
    }
}

impl<F: AsFd, Op, R> Future for AsyncIo<'_, F, Op>
where
    Op: FnMut(&F) -> Result<R>,
{
    type Output = Result<R>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<R>> {
        let this = self.project();
        let op = this.op;
        this.io.poll_io_in(cx, *this.interest, Some(this.slot), |io| {
            op(io).map(|value| (value, Progress::More))
        })
    }
}

impl<F: AsFd, Op> fmt::Debug for AsyncIo<'_, F, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncIo").field("interest", &self.interest).finish_non_exhaustive()
    }
}
