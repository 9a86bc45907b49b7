//! The async forms, and [`Lookup`], the future they return.
//!
//! Each function does what can be done without waiting at once (checking arguments, the
//! numeric fast path) and leaves the rest to a blocking thread, sent there when the future is
//! first polled.

use std::fmt;
use std::future::Future;
use std::net::Ipv4Addr;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::oneshot;

use super::gai::{hints, Query};
use super::{blocking_impl as blocking, pool, AddrInfo, HostEntry, Service};
use asock_core::{AddressFamily, Error, Protocol, Result, SockAddr, SocketKind};

pub use super::blocking_impl::{gethostname, if_indextoname, if_nameindex, if_nametoindex};

type Job<T> = Box<dyn FnOnce() -> Result<T> + Send + 'static>;

/// A resolver call in progress: the future of every async function in this module.
///
/// It is `Send`, `'static` and `Unpin`, so it can be spawned, stored or boxed freely. An
/// answer known at once (a numeric address, a bad argument) is ready on the first poll; a
/// lookup goes to a blocking thread on the first poll and the future waits for its answer.
///
/// # Cancel safety
///
/// Dropping a `Lookup` abandons the call: if its thread has not started it, it never runs; if
/// it has, the C call finishes there and its answer is dropped. No thread is left waiting and
/// nothing leaks.
#[must_use = "futures do nothing unless polled"]
pub struct Lookup<T> {
    state: State<T>,
}

enum State<T> {
    /// The answer, known without a lookup.
    Ready(Result<T>),
    /// A lookup to send to a thread on the first poll (named for tracing).
    Start(&'static str, Job<T>),
    /// Sent; the thread answers through the channel.
    Waiting(oneshot::Receiver<Result<T>>),
    /// The answer was handed out.
    Done,
}

impl<T: Send + 'static> Lookup<T> {
    fn ready(result: Result<T>) -> Self {
        Lookup { state: State::Ready(result) }
    }

    fn pooled(what: &'static str, job: impl FnOnce() -> Result<T> + Send + 'static) -> Self {
        Lookup { state: State::Start(what, Box::new(job)) }
    }

    /// Whether the answer is known without a lookup on a thread (the fast path was taken).
    #[must_use]
    pub fn is_immediate(&self) -> bool {
        matches!(self.state, State::Ready(_))
    }
}

// The future never pins T: answers are moved out by value.
impl<T> Unpin for Lookup<T> {}

impl<T: Send + 'static> Future for Lookup<T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Ready(result) => return Poll::Ready(result),
                State::Start(what, job) => this.state = State::Waiting(pool::submit(what, job)),
                State::Waiting(mut answer) => match Pin::new(&mut answer).poll(cx) {
                    Poll::Ready(Ok(result)) => return Poll::Ready(result),
                    // The job was dropped unrun: the runtime shut down or no thread could
                    // be started.
                    Poll::Ready(Err(oneshot::Canceled)) => {
                        return Poll::Ready(Err(Error::from_errno(libc::ECANCELED)))
                    }
                    Poll::Pending => {
                        this.state = State::Waiting(answer);
                        return Poll::Pending;
                    }
                },
                State::Done => {
                    return Poll::Ready(Err(Error::invalid_input("Lookup polled after completion")))
                }
            }
        }
    }
}

impl<T> fmt::Debug for Lookup<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Ready(_) => "ready",
            State::Start(..) => "not started",
            State::Waiting(_) => "waiting for its thread",
            State::Done => "done",
        };
        f.debug_struct("Lookup").field("state", &state).finish()
    }
}

// ===== the async functions =====

/// Python's `socket.getaddrinfo`, without blocking the executor: see
/// [`blocking::getaddrinfo`](crate::blocking::getaddrinfo) for the arguments and the answer.
///
/// A numeric host and port are answered on the spot; a name goes to a blocking thread.
///
/// ```
/// use asock::{AddressFamily, Protocol, SocketKind};
///
/// # futures::executor::block_on(async {
/// let lookup = asock::getaddrinfo(
///     "::1", 443, AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0), 0,
/// );
/// assert!(lookup.is_immediate());
/// assert_eq!(lookup.await?[0].addr.to_string(), "[::1]:443");
/// # Ok::<(), asock::Error>(())
/// # }).unwrap();
/// ```
///
/// # Errors
///
/// As [`blocking::getaddrinfo`](crate::blocking::getaddrinfo); `Os` `ECANCELED` if the lookup
/// could not be run (the tokio runtime shutting down, no thread to be had).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn getaddrinfo<'a>(
    host: impl Into<Option<&'a str>>,
    port: impl Into<Service>,
    family: AddressFamily,
    kind: SocketKind,
    proto: Protocol,
    flags: i32,
) -> Lookup<Vec<AddrInfo>> {
    let (host, port, hints) = (host.into(), port.into(), hints(family, kind, proto, flags));
    if let Some(infos) = Query::literal_answer(host, &port, hints) {
        return Lookup::ready(Ok(infos));
    }
    let query = match Query::new(host, &port, hints) {
        Ok(query) => query,
        Err(e) => return Lookup::ready(Err(e)),
    };
    match query.try_numeric() {
        Some(result) => Lookup::ready(result),
        None => Lookup::pooled("getaddrinfo", move || query.run()),
    }
}

/// Python's `socket.getnameinfo`, without blocking the executor: see
/// [`blocking::getnameinfo`](crate::blocking::getnameinfo).
///
/// With both `NI_NUMERICHOST` and `NI_NUMERICSERV` the answer is formatted on the spot;
/// otherwise names are looked up on a blocking thread.
///
/// # Errors
///
/// As [`blocking::getnameinfo`](crate::blocking::getnameinfo).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn getnameinfo(addr: &SockAddr, flags: i32) -> Lookup<(String, String)> {
    let numeric = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
    if let Err(e) = blocking::nameinfo_addr(addr) {
        return Lookup::ready(Err(e));
    }
    if flags & numeric == numeric {
        return Lookup::ready(blocking::getnameinfo(addr, flags));
    }
    let addr = addr.clone();
    Lookup::pooled("getnameinfo", move || blocking::getnameinfo(&addr, flags))
}

/// Python's `socket.gethostbyname`, without blocking the executor: see
/// [`blocking::gethostbyname`](crate::blocking::gethostbyname). A dotted-quad address is
/// answered on the spot.
///
/// # Errors
///
/// As [`blocking::gethostbyname`](crate::blocking::gethostbyname).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn gethostbyname(host: &str) -> Lookup<Ipv4Addr> {
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Lookup::ready(Ok(ip));
    }
    let host = host.to_owned();
    Lookup::pooled("gethostbyname", move || blocking::gethostbyname(&host))
}

/// Python's `socket.gethostbyname_ex` on a blocking thread: see
/// [`blocking::gethostbyname_ex`](crate::blocking::gethostbyname_ex).
///
/// # Errors
///
/// As [`blocking::gethostbyname_ex`](crate::blocking::gethostbyname_ex).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn gethostbyname_ex(host: &str) -> Lookup<HostEntry> {
    let host = host.to_owned();
    Lookup::pooled("gethostbyname_ex", move || blocking::gethostbyname_ex(&host))
}

/// Python's `socket.gethostbyaddr` on a blocking thread: see
/// [`blocking::gethostbyaddr`](crate::blocking::gethostbyaddr).
///
/// # Errors
///
/// As [`blocking::gethostbyaddr`](crate::blocking::gethostbyaddr).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn gethostbyaddr(ip: &str) -> Lookup<HostEntry> {
    let ip = ip.to_owned();
    Lookup::pooled("gethostbyaddr", move || blocking::gethostbyaddr(&ip))
}

/// Python's `socket.getfqdn` on a blocking thread: see
/// [`blocking::getfqdn`](crate::blocking::getfqdn).
///
/// # Errors
///
/// As [`blocking::getfqdn`](crate::blocking::getfqdn).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn getfqdn(name: &str) -> Lookup<String> {
    let name = name.to_owned();
    Lookup::pooled("getfqdn", move || blocking::getfqdn(&name))
}

/// Python's `socket.getservbyname` on a blocking thread (NSS may consult more than
/// /etc/services): see [`blocking::getservbyname`](crate::blocking::getservbyname).
///
/// # Errors
///
/// As [`blocking::getservbyname`](crate::blocking::getservbyname).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn getservbyname<'a>(name: &str, proto: impl Into<Option<&'a str>>) -> Lookup<u16> {
    let (name, proto) = (name.to_owned(), proto.into().map(str::to_owned));
    Lookup::pooled("getservbyname", move || blocking::getservbyname(&name, proto.as_deref()))
}

/// Python's `socket.getservbyport` on a blocking thread: see
/// [`blocking::getservbyport`](crate::blocking::getservbyport).
///
/// # Errors
///
/// As [`blocking::getservbyport`](crate::blocking::getservbyport).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn getservbyport<'a>(
    port: impl Into<i64>,
    proto: impl Into<Option<&'a str>>,
) -> Lookup<String> {
    let (port, proto) = (port.into(), proto.into().map(str::to_owned));
    if u16::try_from(port).is_err() {
        return Lookup::ready(blocking::getservbyport(port, None));
    }
    Lookup::pooled("getservbyport", move || blocking::getservbyport(port, proto.as_deref()))
}

/// Python's `socket.getprotobyname` on a blocking thread: see
/// [`blocking::getprotobyname`](crate::blocking::getprotobyname).
///
/// # Errors
///
/// As [`blocking::getprotobyname`](crate::blocking::getprotobyname).
///
/// # Cancel safety
///
/// Dropping the future abandons the lookup (see [`Lookup`]).
pub fn getprotobyname(name: &str) -> Lookup<Protocol> {
    let name = name.to_owned();
    Lookup::pooled("getprotobyname", move || blocking::getprotobyname(&name))
}
