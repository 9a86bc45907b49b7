//! [`UdpSendToFuture`]: `UdpSocket::send_to` to any [`ToSocketAddrs`], a host name included.
//!
//! An address (or IP literal) is known at once, and the future is then the `AsyncSocket`'s
//! own `send_to`. A host name is resolved first, on a blocking thread, then the datagram goes
//! to its first address of the socket's family. The call's mode covers both steps: a timeout
//! (the socket's, or `.timeout(d)` on the future) bounds the lookup and the send together.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::addr::{Target, ToSocketAddrs};
use crate::async_socket::AsyncSocket;
use crate::async_socket::SendToFuture;
use crate::mode::operation_modes;
use crate::mode::{Mode, ModeExt, Operation};
use crate::resolve::lookup::getaddrinfo;
use crate::resolve::{AddrInfo, Lookup};
use crate::time::Instant;
use asock_core::{AddressFamily, Error, Protocol, Result, SocketKind};

/// The future of [`UdpSocket::send_to`](super::UdpSocket::send_to): the byte count sent. An
/// [`Operation`]: `.timeout(d)` & co. bound the lookup of a host name and the send together.
///
/// ```
/// use std::time::Duration;
/// use asock::net::UdpSocket;
///
/// # asock::block_on(async {
/// let (a, b) = (UdpSocket::bind("127.0.0.1:0").await?, UdpSocket::bind("127.0.0.1:0").await?);
/// let port = b.local_addr()?.port();
/// // "localhost" is looked up on a blocking thread; 5 s bound the lookup and the send.
/// a.send_to(b"hi", ("localhost", port)).timeout(Duration::from_secs(5)).await?;
/// assert_eq!(b.recv_from(&mut [0; 8]).await?.1, a.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Cancel safety
///
/// Cancel safe: nothing is sent unless the future completes (a lookup under way is
/// abandoned).
#[must_use = "futures do nothing unless polled"]
pub struct UdpSendToFuture<'a> {
    sock: &'a AsyncSocket,
    buf: &'a [u8],
    /// How this call waits, applied to the send once the address is known.
    wait: Wait,
    /// The send, once the address is known (at once for an address).
    send: Option<SendToFuture<'a>>,
    /// Before the send: the lookup of a host name, or the error that ends the call.
    before: Before,
}

#[derive(Debug, Clone, Copy)]
enum Wait {
    Mode(Mode),
    Deadline(Instant),
}

enum Before {
    /// The send is under way.
    Nothing,
    /// A host name to resolve, not yet polled (a mode may still be set).
    Lookup(Lookup<Vec<AddrInfo>>),
    /// Resolving, bounded by the call's deadline if it has one.
    Resolving(Pin<Box<dyn Future<Output = Result<Vec<AddrInfo>>> + Send>>),
    /// The call failed before sending (taken when reported).
    Failed(Option<Error>),
}

impl<'a> UdpSendToFuture<'a> {
    pub(crate) fn new(
        sock: &'a AsyncSocket,
        buf: &'a [u8],
        target: &(impl ToSocketAddrs + ?Sized),
    ) -> Self {
        let wait = Wait::from_mode(sock.mode());
        let (send, before) = match target.target() {
            Err(e) => (None, Before::Failed(Some(e))),
            Ok(Target::One(addr)) => (Some(sock.send_to(buf, addr)), Before::Nothing),
            Ok(Target::Many(addrs)) => match addrs.first() {
                Some(&addr) => (Some(sock.send_to(buf, addr)), Before::Nothing),
                None => (None, Before::Failed(Some(no_address()))),
            },
            Ok(Target::Host(host, port)) => {
                let kind = SocketKind::SOCK_DGRAM;
                let lookup =
                    getaddrinfo(host, port, AddressFamily::AF_UNSPEC, kind, Protocol::DEFAULT, 0);
                (None, Before::Lookup(lookup))
            }
        };
        UdpSendToFuture { sock, buf, wait, send, before }
    }

    /// The first address of the socket's family, else the first (whose send then says
    /// `EAFNOSUPPORT`).
    fn pick(&self, infos: &[AddrInfo]) -> Result<SocketAddr> {
        let addrs: Vec<SocketAddr> =
            infos.iter().filter_map(|info| info.addr.as_socket()).collect();
        let ours =
            addrs.iter().find(|a| a.is_ipv4() == (self.sock.family() == AddressFamily::AF_INET));
        ours.or(addrs.first()).copied().ok_or_else(no_address)
    }
}

fn no_address() -> Error {
    Error::invalid_input("could not resolve to any addresses")
}

impl Wait {
    fn from_mode(mode: Mode) -> Wait {
        match mode {
            // A deadline past what the clock can count is none.
            Mode::Timeout(d) => {
                Instant::now().checked_add(d).map_or(Wait::Mode(Mode::Blocking), Wait::Deadline)
            }
            other => Wait::Mode(other),
        }
    }

    fn apply<O: Operation>(self, op: O) -> O {
        match self {
            Wait::Mode(mode) => op.with_mode(mode),
            Wait::Deadline(at) => op.with_deadline(at),
        }
    }
}

impl Future for UdpSendToFuture<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        loop {
            if let Some(send) = &mut this.send {
                return Pin::new(send).poll(cx);
            }
            match &mut this.before {
                Before::Nothing => {
                    return Poll::Ready(Err(Error::invalid_input("polled after completion")))
                }
                Before::Failed(error) => {
                    let error = error
                        .take()
                        .unwrap_or_else(|| Error::invalid_input("polled after completion"));
                    return Poll::Ready(Err(error));
                }
                Before::Lookup(_) => {
                    // The first poll: the mode is settled, so the lookup gets its deadline
                    // (none is started past it: a lookup always goes to a thread).
                    let before = std::mem::replace(&mut this.before, Before::Nothing);
                    if let Before::Lookup(lookup) = before {
                        this.before = match this.wait {
                            Wait::Deadline(at) if Instant::now() >= at => {
                                Before::Failed(Some(Error::timeout()))
                            }
                            Wait::Deadline(at) => Before::Resolving(Box::pin(lookup.deadline(at))),
                            Wait::Mode(_) => Before::Resolving(Box::pin(lookup)),
                        };
                    }
                }
                Before::Resolving(lookup) => {
                    let answer =
                        ready!(lookup.as_mut().poll(cx)).and_then(|infos| this.pick(&infos));
                    match answer {
                        Ok(addr) => {
                            this.before = Before::Nothing;
                            this.send = Some(this.wait.apply(this.sock.send_to(this.buf, addr)));
                        }
                        Err(e) => this.before = Before::Failed(Some(e)),
                    }
                }
            }
        }
    }
}

impl Operation for UdpSendToFuture<'_> {
    fn with_mode(mut self, mode: Mode) -> Self {
        self.wait = Wait::from_mode(mode);
        self.send = self.send.map(|send| send.with_mode(mode));
        self
    }

    fn with_deadline(mut self, deadline: Instant) -> Self {
        self.wait = Wait::Deadline(deadline);
        self.send = self.send.map(|send| send.with_deadline(deadline));
        self
    }
}

operation_modes!(impl[<'a>] UdpSendToFuture<'a>);

impl std::fmt::Debug for UdpSendToFuture<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match (&self.send, &self.before) {
            (Some(_), _) => "sending",
            (None, Before::Lookup(_) | Before::Resolving(_)) => "resolving",
            (None, _) => "done",
        };
        f.debug_struct("UdpSendToFuture")
            .field("fd", &self.sock.fileno())
            .field("state", &state)
            .finish()
    }
}
