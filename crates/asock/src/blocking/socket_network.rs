//! [`SocketNetwork`]: the blocking race's real network, non-blocking connects and one
//! `poll(2)` over every attempt in flight and the lookups.
//!
//! Lookups go through a [`Resolve`]r, whose futures this network polls itself: an IP literal
//! is answered on the first poll (`SystemResolver`'s numeric fast path, no thread, no fd); a
//! name goes to the resolver's pool, whose wake-up writes a byte into a socket pair that the
//! same `poll(2)` watches. No thread of the network's own, no runtime.

use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use super::happy_eyeballs::{Happened, Network};
use super::Socket;
use crate::happy_eyeballs::first_in_place::FirstInPlace;
use crate::happy_eyeballs::{AttemptId, Query};
use crate::mode::Mode;
use crate::ops::connect::{attempt_socket, still_connecting, tcp_shape, Connect};
use crate::ops::naming::checked;
use crate::ops::{recv, Op, Shape, Step, Target};
use crate::resolve::{Hints, Resolve, ResolveFuture};
use crate::sys;
use crate::time::Instant;
use asock_core::{Error, Result, SockAddr, SocketKind};

/// Where an attempt of a [`SocketNetwork`] counts as a success.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SuccessPoint {
    /// When TCP connects (RFC 8305). The default.
    #[default]
    Connected,
    /// When the peer's first byte has arrived after connecting (peeked with `MSG_PEEK`, left
    /// for the caller to read): for protocols where the server speaks first. A peer that
    /// closes before sending anything fails the attempt with `ECONNRESET`.
    FirstByte,
}

/// The real network of the blocking race ([`happy_eyeballs`](super::happy_eyeballs)): each
/// attempt a non-blocking TCP socket whose `connect(2)` is left in progress, all of them and
/// the pending lookups waited on by one `poll(2)`.
///
/// ```
/// use asock::blocking::{create_server, happy_eyeballs, SocketNetwork, SuccessPoint, Target};
/// use asock::connect::ConnectOptions;
/// use asock::resolve::SystemResolver;
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let addrs = [server.local_addr()?];
/// let greeter = std::thread::spawn(move || -> asock::Result<()> {
///     let (conn, _) = server.accept()?;
///     conn.send_all(b"hello")?;
///     conn.recv(1).map(drop) // wait for the client to close
/// });
/// // Wins only once the server has spoken.
/// let mut network = SocketNetwork::new(&SystemResolver).success_point(SuccessPoint::FirstByte);
/// let sock = happy_eyeballs(&mut network, Target::Addresses(&addrs), &ConnectOptions::new())?;
/// assert_eq!(sock.recv(16)?, b"hello");
/// drop(sock);
/// greeter.join().unwrap()?;
/// # Ok::<(), asock::Error>(())
/// ```
pub struct SocketNetwork<'r, R: Resolve + ?Sized> {
    resolver: &'r R,
    success: SuccessPoint,
    timeout: Option<Option<Duration>>,
    lookups: Vec<(Query, ResolveFuture)>,
    /// In start order.
    attempts: FirstInPlace<Attempt>,
    wake: Option<WakePipe>,
}

struct Attempt {
    id: AttemptId,
    fd: OwnedFd,
    shape: Shape,
    /// The connect in progress, attempted again when the fd turns writable.
    connect: Connect,
    phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Connecting,
    AwaitingByte,
    /// Reported as a success; waits for `take` or `cancel`.
    Succeeded,
}

impl<'r, R: Resolve + ?Sized> SocketNetwork<'r, R> {
    /// A network that resolves names with `resolver`, counts success at
    /// [`SuccessPoint::Connected`], and hands over sockets in the default mode.
    pub fn new(resolver: &'r R) -> Self {
        SocketNetwork {
            resolver,
            success: SuccessPoint::Connected,
            timeout: None,
            lookups: Vec::new(),
            attempts: FirstInPlace::default(),
            wake: None,
        }
    }

    /// Where attempts count as a success.
    pub fn success_point(mut self, success: SuccessPoint) -> Self {
        self.success = success;
        self
    }

    /// The timeout of the socket handed over (Python's `settimeout`), instead of the default
    /// timeout ([`default_timeout`](crate::default_timeout)).
    pub fn socket_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Polls every pending lookup once; pushes the answers.
    fn poll_lookups(&mut self, happened: &mut Vec<Happened>) -> Result<()> {
        let mut index = 0;
        while index < self.lookups.len() {
            let waker = match &self.wake {
                Some(pipe) => pipe.waker.clone(),
                None => Waker::noop().clone(),
            };
            let lookup = &mut self.lookups[index].1;
            match lookup.as_mut().poll(&mut Context::from_waker(&waker)) {
                Poll::Ready(answer) => {
                    let (query, _) = self.lookups.remove(index);
                    let addrs = answer.map(|infos| infos.into_iter().map(|i| i.addr).collect());
                    happened.push(Happened::Answer(query, addrs));
                }
                // First pending lookup: make the pipe and poll again with its waker.
                Poll::Pending if self.wake.is_none() => self.wake = Some(WakePipe::new()?),
                Poll::Pending => index += 1,
            }
        }
        Ok(())
    }

    /// Settles attempt `index` whose fd `poll(2)` reported `revents`; returns whether it is
    /// gone.
    fn settle(&mut self, index: usize, revents: i16, happened: &mut Vec<Happened>) -> bool {
        let attempt = &mut self.attempts[index];
        let fd = attempt.fd.as_fd();
        let outcome = match attempt.phase {
            // Writable with no error and no hang-up: the connection is made, and asking the
            // kernel again (`SO_ERROR`, a second `connect`) would cost two system calls to
            // hear it. poll(2) is level-triggered, so this is the socket's state now, not a
            // stale event; a connect that failed reports POLLERR (its `SO_ERROR` is set) and
            // POLLHUP (the socket is closed), and one still going reports nothing.
            Phase::Connecting if revents == libc::POLLOUT => {
                if self.success == SuccessPoint::FirstByte {
                    attempt.phase = Phase::AwaitingByte;
                    peek(fd)
                } else {
                    Some(Ok(()))
                }
            }
            Phase::Connecting => match attempt.connect.attempt(Target { fd, shape: attempt.shape })
            {
                Ok(_) if self.success == SuccessPoint::FirstByte => {
                    attempt.phase = Phase::AwaitingByte;
                    peek(fd)
                }
                Ok(_) => Some(Ok(())),
                Err(error) if still_connecting(&error) => None,
                Err(error) => Some(Err(error)),
            },
            Phase::AwaitingByte => peek(fd),
            Phase::Succeeded => None,
        };
        match outcome {
            Some(Ok(())) => {
                attempt.phase = Phase::Succeeded;
                happened.push(Happened::Attempt(attempt.id, Ok(())));
                false
            }
            Some(Err(error)) => {
                happened.push(Happened::Attempt(attempt.id, Err(error)));
                self.attempts.remove(index); // closes the socket
                true
            }
            None => false,
        }
    }
}

/// The first byte's verdict: arrived, failed, or not yet (`None`).
fn peek(fd: std::os::fd::BorrowedFd<'_>) -> Option<Result<()>> {
    match recv::recv(fd, &mut &mut [0u8; 1][..], libc::MSG_PEEK) {
        Ok(0) => Some(Err(Error::from_errno(libc::ECONNRESET))),
        Ok(_) => Some(Ok(())),
        Err(e) if e.is_would_block() => None,
        Err(e) => Some(Err(e)),
    }
}

impl<R: Resolve + ?Sized> Network for SocketNetwork<'_, R> {
    type Stream = Socket;

    fn now(&mut self) -> Instant {
        Instant::now()
    }

    fn lookup(&mut self, host: &str, port: u16, query: Query) {
        let hints =
            Hints { family: query.family(), kind: SocketKind::SOCK_STREAM, ..Hints::default() };
        let service = port.to_string();
        self.lookups.push((query, self.resolver.getaddrinfo(Some(host), Some(&service), hints)));
    }

    fn start(&mut self, id: AttemptId, addr: &SockAddr, source: Option<&SockAddr>) -> Result<()> {
        let fd = attempt_socket(addr, source)?;
        let shape = tcp_shape(addr);
        let mut connect = Connect::new(checked(shape, addr, false)?);
        // Connected at once, or going on in the kernel (EINPROGRESS, or an interrupted
        // connect): either way the next poll sees it writable and settles it.
        match connect.attempt(Target { fd: fd.as_fd(), shape }) {
            Ok((Step::Done(()), _)) => {}
            Ok((Step::Again, _)) => {}
            Err(e) if still_connecting(&e) => {}
            Err(e) => return Err(e),
        }
        self.attempts.push(Attempt { id, fd, shape, connect, phase: Phase::Connecting });
        Ok(())
    }

    fn cancel(&mut self, id: AttemptId) {
        self.attempts.retain(|a| a.id != id);
    }

    fn wait(&mut self, until: Option<Instant>, happened: &mut Vec<Happened>) -> Result<()> {
        self.poll_lookups(happened)?;
        let timeout = if happened.is_empty() {
            until.map(|until| until.saturating_duration_since(Instant::now()))
        } else {
            Some(Duration::ZERO) // report what is known, with whatever else is ready now
        };

        // One pollfd per attempt still waiting (in start order), then the wake pipe's while
        // a lookup is out; on the stack when few, as they nearly always are.
        let waiting = || self.attempts.iter().filter(|a| a.phase != Phase::Succeeded);
        let attempt_fds = waiting().count();
        let pipe =
            self.wake.as_ref().filter(|_| !self.lookups.is_empty()).map(|p| p.rx.as_raw_fd());
        let count = attempt_fds + usize::from(pipe.is_some());
        let unused = libc::pollfd { fd: -1, events: 0, revents: 0 };
        let mut on_stack = [unused; 8];
        let mut on_heap = Vec::new();
        let fds = if count <= on_stack.len() {
            &mut on_stack[..count]
        } else {
            on_heap.resize(count, unused);
            &mut on_heap[..]
        };
        for (pfd, attempt) in fds.iter_mut().zip(waiting()) {
            let events =
                if attempt.phase == Phase::Connecting { libc::POLLOUT } else { libc::POLLIN };
            *pfd = libc::pollfd { fd: attempt.fd.as_raw_fd(), events, revents: 0 };
        }
        if let Some(pipe) = pipe {
            fds[attempt_fds] = libc::pollfd { fd: pipe, events: libc::POLLIN, revents: 0 };
        }
        if sys::poll::poll_many(fds, timeout)? == 0 {
            return Ok(());
        }

        // In start order. Settling removes failed attempts, so walk `attempts` by hand: the
        // attempt at `index` is the next one the pollfds describe.
        let mut index = 0;
        for pfd in &fds[..attempt_fds] {
            while self.attempts[index].phase == Phase::Succeeded {
                index += 1;
            }
            if pfd.revents == 0 || !self.settle(index, pfd.revents, happened) {
                index += 1;
            }
        }
        let pipe_ready = pipe.is_some() && fds[attempt_fds].revents != 0;
        if pipe_ready {
            if let Some(pipe) = &self.wake {
                pipe.drain();
            }
            self.poll_lookups(happened)?;
        }
        Ok(())
    }

    fn take(&mut self, id: AttemptId) -> Result<Socket> {
        let index = self.attempts.iter().position(|a| a.id == id);
        let Some(attempt) = index.and_then(|i| self.attempts.remove(i)) else {
            return Err(Error::from_errno(libc::EBADF));
        };
        let mode =
            Mode::checked_from_timeout(self.timeout.unwrap_or_else(crate::mode::default_timeout))?;
        if mode.fd_nonblocking() {
            // The fd is O_NONBLOCK already, as a socket in this mode has it: no fcntl.
            return Ok(Socket::from_parts(attempt.fd, attempt.shape, mode));
        }
        let sock = Socket::from_parts(attempt.fd, attempt.shape, Mode::NonBlocking);
        sock.set_timeout(mode.timeout())?;
        Ok(sock)
    }
}

impl<R: Resolve + ?Sized> std::fmt::Debug for SocketNetwork<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketNetwork")
            .field("success", &self.success)
            .field("lookups", &self.lookups.len())
            .field("attempts", &self.attempts.len())
            .finish_non_exhaustive()
    }
}

/// A socket pair whose write end is a [`Waker`]: a lookup finishing on another thread makes
/// the read end readable, which ends the `poll(2)`.
struct WakePipe {
    rx: UnixStream,
    waker: Waker,
}

struct PipeWaker(UnixStream);

impl Wake for PipeWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // A full pipe already holds a wake-up: nothing lost.
        let _ = (&self.0).write(&[1]);
    }
}

impl WakePipe {
    fn new() -> Result<WakePipe> {
        let (rx, tx) = UnixStream::pair()?;
        rx.set_nonblocking(true)?;
        tx.set_nonblocking(true)?;
        Ok(WakePipe { rx, waker: Waker::from(Arc::new(PipeWaker(tx))) })
    }

    fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.rx).read(&mut buf), Ok(n) if n > 0) {}
    }
}
