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
use crate::connect::candidates::Candidates;
use crate::connect::clock::Instant;
use crate::connect::outcome::{all_failed, skip, AttemptTrace};
use crate::connect::{stream_hints, ConnectOptions};
use crate::mode::Mode;
use crate::resolve::{AddrInfo, Resolve};
use crate::{sys, AddressFamily, Error, ModeExt, Protocol, Result, SockAddr, SocketKind};

/// Connects to `host`:`port` over TCP, Python's `socket.create_connection((host, port))` with
/// Happy Eyeballs (RFC 8305), resolving through `resolver`.
///
/// Attempts are staggered by [`happy_eyeballs_delay`](ConnectOptions::happy_eyeballs_delay):
/// an address that black-holes costs that delay, not the kernel's two-minute SYN timeout. The
/// returned socket is in the mode Python's would be: [`timeout`](ConnectOptions::timeout) if
/// given (which also bounds the whole call), else the default timeout
/// ([`default_timeout`](super::default_timeout)). `docs/happy-eyeballs.md` has the details.
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
/// let port = server.local_addr()?.port().unwrap() as u16;
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
    let span = tracing::debug_span!("create_connection", host, port);
    let _in_span = span.enter();
    let start = Instant::now();
    let deadline = options.timeout.and_then(|t| start.checked_add(t));
    let source = options.checked_source()?;
    let socket_timeout =
        Mode::checked_from_timeout(options.timeout.or_else(super::default_timeout))?.timeout();

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
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    let fd = sys::socket::socket(addr.family(), kind, Protocol::IPPROTO_TCP)?;
    if let Some(source) = source {
        if source.port() == Some(0) {
            // Bind the address only, leaving the port to connect(), which can share ports
            // between connections to different peers (trio does the same). Best effort.
            let no_port = (libc::IPPROTO_IP, libc::IP_BIND_ADDRESS_NO_PORT);
            let _ = sys::socket::set_option_int(fd.as_fd(), no_port.0, no_port.1, 1);
        }
        sys::socket::bind(fd.as_fd(), source)?;
    }
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
        let sock = Socket::from_parts(
            fd,
            addr.family(),
            SocketKind::SOCK_STREAM,
            Protocol::IPPROTO_TCP,
            Mode::NonBlocking,
        );
        sock.set_timeout(timeout)?;
        Ok(sock)
    }
}
