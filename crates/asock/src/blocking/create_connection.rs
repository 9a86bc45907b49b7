//! `create_connection`, blocking: the Happy Eyeballs race of [`crate::connect`] with
//! non-blocking connects and one `poll(2)` over every attempt in flight. No thread, no runtime.
//!
//! The rules are the async race's (see `connect/happy_eyeballs.rs`): IPv6 first and the
//! families interleaved, the next attempt when the latest fails or the attempt delay passes,
//! the first connection wins and every other socket is closed, one overall deadline, the same
//! errors. One difference: both queries are answered before the first attempt starts (as with
//! Python's single `getaddrinfo` call, which on glibc also waits for both A and AAAA), so the
//! Resolution Delay has no role here.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::Duration;

use super::Socket;
use crate::connect::attempt::attempt_socket;
use crate::connect::candidates::Candidates;
use crate::connect::clock::Instant;
use crate::connect::outcome::{all_failed, skip, AttemptTrace};
use crate::connect::{stream_hints, ConnectOptions};
use crate::mode::Mode;
use crate::resolve::{AddrInfo, Resolve, SystemResolver};
use crate::{sys, AddressFamily, Error, ModeExt, Protocol, Result, SockAddr, SocketKind};

/// Connects to `host`:`port` over TCP: Python's `socket.create_connection((host, port))`, with
/// Happy Eyeballs (RFC 8305), without threads or a runtime.
///
/// `host` is a name or an IP literal, resolved with the C library's `getaddrinfo`
/// ([`SystemResolver`]); the IPv6 and IPv4 addresses are then raced with non-blocking connects
/// and one `poll(2)`, so an address that black-holes costs
/// [`happy_eyeballs_delay`](ConnectOptions::happy_eyeballs_delay) (250 ms), not the kernel's
/// two-minute SYN timeout. [`timeout`](ConnectOptions::timeout), or when none is given the
/// default timeout ([`default_timeout`](super::default_timeout)) as in Python, bounds the whole
/// call, resolution included, and becomes the socket's timeout.
/// [`create_connection_with`] takes another resolver.
///
/// IP literals are answered on the calling thread. A name is looked up on asock's resolver
/// pool (or tokio's blocking pool when called inside a tokio runtime) while this thread waits
/// for it with the deadline: a `getaddrinfo` on this thread could not be interrupted, and the
/// timeout would not cover resolution (it does not in Python). Both families are asked at once.
///
/// ```
/// use std::time::Duration;
/// use asock::blocking::{create_connection, create_server};
/// use asock::connect::ConnectOptions;
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
///
/// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
/// let client = create_connection("127.0.0.1", port, &options)?;
/// let (conn, peer) = server.accept()?;
/// assert_eq!(peer, client.local_addr()?);
/// assert_eq!(client.timeout(), Some(Duration::from_secs(5)));
///
/// client.send_all(b"hello")?;
/// assert_eq!(conn.recv(16)?, b"hello");
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// As [`create_connection_with`]: the resolver's `Gai` error when no address is found, the
/// last attempt's error (or every one, with [`all_errors`](ConnectOptions::all_errors)),
/// [`Error::timeout()`] when the timeout passes first, `InvalidInput` for a bad source address
/// or timeout.
///
/// Like every blocking function, do not call it from async code: it blocks the thread.
pub fn create_connection(host: &str, port: u16, options: &ConnectOptions) -> Result<Socket> {
    create_connection_with(&SystemResolver, host, port, options)
}

/// Connects to `host`:`port` over TCP, Python's `socket.create_connection((host, port))` with
/// Happy Eyeballs (RFC 8305), resolving through `resolver`.
///
/// Attempts are staggered by [`happy_eyeballs_delay`](ConnectOptions::happy_eyeballs_delay):
/// an address that black-holes costs that delay, not the kernel's two-minute SYN timeout. The
/// timeout (the given one, else the default timeout) bounds the whole call and becomes the
/// socket's timeout, as for [`create_connection`]. `docs/happy-eyeballs.md` has the details.
///
/// ```
/// use asock::blocking::{create_connection_with, create_server};
/// use asock::connect::ConnectOptions;
/// use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
/// use asock::{AddressFamily, Error, Protocol, SockAddr, SocketKind};
///
/// /// Knows that "db.test" is 127.0.0.1.
/// struct Hosts;
///
/// impl Resolve for Hosts {
///     fn getaddrinfo(&self, _: Option<&str>, service: Option<&str>, hints: Hints) -> ResolveFuture {
///         let port = service.and_then(|s| s.parse().ok()).unwrap_or(0);
///         let answer = match hints.family {
///             AddressFamily::AF_INET => Ok(vec![AddrInfo {
///                 family: AddressFamily::AF_INET,
///                 kind: SocketKind::SOCK_STREAM,
///                 proto: Protocol::IPPROTO_TCP,
///                 canonname: None,
///                 addr: SockAddr::inet("127.0.0.1", port).unwrap(),
///             }]),
///             _ => Err(Error::gai(libc::EAI_NODATA, None)),
///         };
///         Box::pin(async move { answer })
///     }
/// }
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
/// let options = ConnectOptions::new().timeout(std::time::Duration::from_secs(5));
/// let sock = create_connection_with(&Hosts, "db.test", port, &options)?;
/// assert_eq!(sock.peer_addr()?, server.local_addr()?);
/// assert_eq!(sock.timeout(), Some(std::time::Duration::from_secs(5)));
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// - The resolver's error when neither query gives an address.
/// - When every attempt fails: [`Error::multiple`] listing every address and its error if
///   [`all_errors`](ConnectOptions::all_errors) is set, else the last address's error.
/// - [`Error::timeout()`] when the timeout passes first.
/// - `InvalidInput` for a source address that is not an IP address, or a timeout too large
///   for a socket (Python's `OverflowError`).
/// - An error of `poll(2)` itself (`ENOMEM`), which ends the call.
///
/// Like every blocking function, do not call it from async code: resolution runs the
/// resolver's futures on [`crate::block_on`].
pub fn create_connection_with<R: Resolve + ?Sized>(
    resolver: &R,
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<Socket> {
    let span = tracing::debug_span!("happy_eyeballs", host, port);
    let _in_span = span.enter();
    let start = Instant::now();
    let timeout = options.timeout_or_default();
    let socket_timeout = Mode::checked_from_timeout(timeout)?.timeout();
    let deadline = timeout.and_then(|t| start.checked_add(t));
    let source = options.checked_source()?;

    let mut candidates = Candidates::new(options.first_address_family_count);
    let mut skipped = Vec::new();
    let mut resolution_error = None;
    for answer in resolve_both(resolver, host, port, deadline)? {
        match answer {
            Ok(infos) => {
                for info in infos {
                    match source.filter(|s| s.family() != info.addr.family()) {
                        Some(src) => skip(&mut skipped, src, info.addr),
                        None => {
                            candidates.push(info.addr);
                        }
                    }
                }
            }
            // IPv6's answer comes first, so the A query's error is the one kept.
            Err(error) => resolution_error = Some(error),
        }
    }

    let mut tried: Vec<(SockAddr, Option<Error>)> = Vec::new();
    let mut in_flight: Vec<Attempt> = Vec::new(); // in start order
    let mut next_at = start;
    loop {
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            return Err(Error::timeout());
        }
        if now >= next_at {
            if let Some(addr) = candidates.next() {
                let attempt = Attempt::new(tried.len(), &addr, start);
                tried.push((addr.clone(), None));
                next_at = now + options.happy_eyeballs_delay;
                match begin_connect(&addr, source) {
                    Ok((fd, true)) => return attempt.won(fd, &addr, socket_timeout),
                    Ok((fd, false)) => in_flight.push(Attempt { fd: Some(fd), ..attempt }),
                    Err(error) => {
                        let index = attempt.index;
                        tried[index].1 = Some(attempt.failed(error));
                        next_at = now;
                        continue;
                    }
                }
            }
        }
        if in_flight.is_empty() && candidates.is_empty() {
            return Err(all_failed(skipped, tried, resolution_error, options.all_errors));
        }

        // One poll over every attempt, until the next attempt is due or the deadline.
        let wake = [deadline, Some(next_at).filter(|_| !candidates.is_empty())]
            .into_iter()
            .flatten()
            .min();
        let mut fds: Vec<libc::pollfd> = in_flight.iter().map(Attempt::pollfd).collect();
        sys::poll::poll_many(&mut fds, wake.map(|w| w.saturating_duration_since(Instant::now())))?;

        // Settle what poll reported, in start order: the earliest attempt connected wins, and
        // returning drops (closes) every other socket.
        let mut still = Vec::with_capacity(in_flight.len());
        for (attempt, pfd) in in_flight.drain(..).zip(&fds) {
            if pfd.revents == 0 {
                still.push(attempt);
                continue;
            }
            match attempt.fd.as_ref().map(|fd| sys::socket::take_error(fd.as_fd())) {
                Some(Ok(None)) => {
                    let addr = tried[attempt.index].0.clone();
                    return attempt.won_in_flight(&addr, socket_timeout);
                }
                Some(Ok(Some(error)) | Err(error)) => {
                    if attempt.index + 1 == tried.len() {
                        next_at = Instant::now(); // the latest attempt failed: go on now
                    }
                    let index = attempt.index;
                    tried[index].1 = Some(attempt.failed(error));
                }
                None => still.push(attempt),
            }
        }
        in_flight = still;
    }
}

/// Runs both queries at once and waits for both answers (bounded by `deadline`).
fn resolve_both<R: Resolve + ?Sized>(
    resolver: &R,
    host: &str,
    port: u16,
    deadline: Option<Instant>,
) -> Result<[Result<Vec<AddrInfo>>; 2]> {
    let service = port.to_string();
    let aaaa =
        resolver.getaddrinfo(Some(host), Some(&service), stream_hints(AddressFamily::AF_INET6));
    let a = resolver.getaddrinfo(Some(host), Some(&service), stream_hints(AddressFamily::AF_INET));
    let both = async move {
        let (aaaa, a) = futures::future::join(aaaa, a).await;
        Ok::<_, Error>([aaaa, a])
    };
    match deadline {
        Some(deadline) => crate::block_on(both.deadline(deadline)),
        None => crate::block_on(both),
    }
}

/// Creates a non-blocking TCP socket for `addr`, binds it to `source`, and starts connecting.
/// Returns the fd and whether it connected at once.
fn begin_connect(addr: &SockAddr, source: Option<&SockAddr>) -> Result<(OwnedFd, bool)> {
    let fd = attempt_socket(addr, source)?;
    // An interrupted connect goes on in the kernel: wait for it like an EINPROGRESS one.
    match sys::socket::connect(fd.as_fd(), addr) {
        Ok(()) => Ok((fd, true)),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINPROGRESS | libc::EINTR)) => {
            Ok((fd, false))
        }
        Err(e) => Err(e),
    }
}

/// One connection attempt: its index in start order, its socket, its tracing event.
struct Attempt {
    index: usize,
    fd: Option<OwnedFd>,
    trace: AttemptTrace,
}

impl Attempt {
    fn new(index: usize, addr: &SockAddr, race_start: Instant) -> Self {
        Attempt { index, fd: None, trace: AttemptTrace::new(addr.clone(), race_start) }
    }

    fn pollfd(&self) -> libc::pollfd {
        let fd = self.fd.as_ref().map_or(-1, |fd| fd.as_raw_fd()); // -1: poll ignores it
        libc::pollfd { fd, events: libc::POLLOUT, revents: 0 }
    }

    /// Traces the failure; returns the error to record. Dropping `self` closes the socket.
    fn failed(self, error: Error) -> Error {
        self.trace.failed(&error);
        error
    }

    fn won_in_flight(mut self, addr: &SockAddr, timeout: Option<Duration>) -> Result<Socket> {
        match self.fd.take() {
            Some(fd) => self.won(fd, addr, timeout),
            None => Err(Error::from_errno(libc::EBADF)),
        }
    }

    /// Traces the success and hands the socket over in the mode Python's would have.
    fn won(self, fd: OwnedFd, addr: &SockAddr, timeout: Option<Duration>) -> Result<Socket> {
        self.trace.connected();
        let shape = crate::ops::Shape::new(addr.family(), SocketKind::SOCK_STREAM, Protocol::IPPROTO_TCP);
        let sock = Socket::from_parts(fd, shape, Mode::NonBlocking);
        sock.set_timeout(timeout)?;
        Ok(sock)
    }
}
