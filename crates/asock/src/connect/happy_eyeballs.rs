//! The async driver of the Happy Eyeballs engine: [`happy_eyeballs`] and [`happy_eyeballs_to`].
//!
//! The engine ([`crate::happy_eyeballs::Race`]) decides; this file only does what it says with
//! futures. The two queries, every attempt and one timer live inside the one future the
//! driver returns, which polls them itself: nothing is spawned, so dropping the future drops
//! every attempt (closing its socket) and abandons the queries, on any executor. The future
//! is `Send` when the connector's futures are.

use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use tracing::Instrument;

use super::Connect;
use crate::happy_eyeballs::{
    host_without_brackets, Action, AttemptId, ConnectOptions, Query, Race,
};
use crate::reactor::{sleep_until, Sleep};
use crate::resolve::{Hints, Resolve, ResolveFuture};
use crate::time::Instant;
use asock_core::{Error, Result, SockAddr, SocketKind};

/// Connects to `host`:`port` the RFC 8305 way and returns the first stream connected.
///
/// `host` is resolved through `resolver` (an `AF_INET6` and an `AF_INET` query at once; a
/// host in URI form, `[::1]`, loses its brackets first), and each address is connected
/// through `connector`, whose [`Connect::connect`] is the whole attempt: chain a handshake or
/// a first byte with [`ConnectExt::and_then`](super::ConnectExt::and_then) to move the point
/// where an attempt counts as a success. See [the module docs](super) for an example and
/// `docs/happy-eyeballs.md` for the algorithm.
///
/// # Errors
///
/// - The resolver's error when neither query gives an address.
/// - When every attempt fails: [`Error::multiple`] listing every address and its error if
///   [`all_errors`](ConnectOptions::all_errors) is set, else the last address's error.
/// - [`Error::timeout()`] when the [`timeout`](ConnectOptions::timeout) passes first.
/// - `InvalidInput` when the source address is not an IP address.
///
/// # Cancel safety
///
/// Cancel safe: nothing is spawned, so dropping the future cancels every attempt still running
/// and closes its socket; no connection outlives the future unless it is returned.
pub async fn happy_eyeballs<R, C>(
    resolver: &R,
    connector: &C,
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<C::Stream>
where
    R: Resolve + ?Sized,
    C: Connect,
{
    let span = tracing::debug_span!("happy_eyeballs", host, port);
    let begin = || {
        let race = Race::new(options, Instant::now())?;
        let host = host_without_brackets(host);
        let service = port.to_string();
        let queries = Query::BOTH.map(|query| {
            let hints =
                Hints { family: query.family(), kind: SocketKind::SOCK_STREAM, ..Hints::default() };
            Some(resolver.getaddrinfo(Some(host), Some(&service), hints))
        });
        Ok((race, queries))
    };
    drive(connector, begin).instrument(span).await
}

/// Connects to one of `addrs` the RFC 8305 way, with no name to resolve, and returns the first
/// stream connected.
///
/// The list is raced as a resolver's answer would be: the first address's family is the
/// preferred one, the families interleave, each keeps the list's order, and attempts are
/// staggered by the [attempt delay](ConnectOptions::happy_eyeballs_delay).
///
/// ```
/// use asock::connect::{happy_eyeballs_to, AsyncConnector, ConnectOptions};
///
/// # asock::block_on(async {
/// let server = asock::create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let refused: asock::SockAddr = "127.0.0.1:1".parse()?;
/// let addrs = [refused, server.local_addr()?];
/// let sock = happy_eyeballs_to(&AsyncConnector, &addrs, &ConnectOptions::new()).await?;
/// assert_eq!(sock.peer_addr()?, server.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// As [`happy_eyeballs`], without resolver errors; `InvalidInput` for an empty list or an
/// address that is not IPv4 or IPv6.
///
/// # Cancel safety
///
/// As [`happy_eyeballs`]: dropping the future closes every attempt's socket.
pub async fn happy_eyeballs_to<C: Connect>(
    connector: &C,
    addrs: &[SockAddr],
    options: &ConnectOptions,
) -> Result<C::Stream> {
    let span = tracing::debug_span!("happy_eyeballs", addrs = addrs.len());
    let begin = || Ok((Race::to_addresses(addrs, options, Instant::now())?, [None, None]));
    drive(connector, begin).instrument(span).await
}

pin_project_lite::pin_project! {
    /// One running attempt: the connector's future, tagged with the attempt's id.
    struct Running<F> {
        id: AttemptId,
        #[pin]
        attempt: F,
    }
}

impl<F: Future> Future for Running<F> {
    type Output = (AttemptId, F::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        this.attempt.poll(cx).map(|outcome| (*this.id, outcome))
    }
}

/// What woke the driver up.
enum Event<S> {
    /// An attempt ended; `later` tells where it ran (see `drive`).
    Attempt { id: AttemptId, later: Option<usize>, outcome: Result<S> },
    /// A query answered.
    Answered(Query, Result<Vec<SockAddr>>),
    /// The instant of the last `Action::Wait` came.
    Timer,
}

/// Runs a race to its end: does its actions, feeds it what happens. `begin` makes the race
/// and sends its queries when the future is first polled (the race starts then, not when the
/// future is made), inside the span; it is a closure rather than a future of its own so that
/// the race's state is not moved from one future into another on the way.
async fn drive<C: Connect>(
    connector: &C,
    begin: impl FnOnce() -> Result<(Race, [Option<ResolveFuture>; 2])>,
) -> Result<C::Stream> {
    let (mut race, mut queries) = begin()?;
    // An attempt started while none runs (the race's first, or the next after all failed)
    // runs in place, pinned in this future: a race with one address (an IP literal, a host
    // with one address) allocates nothing for its attempt. Attempts started beside it are
    // boxed, in start order, so one can be removed from the middle. `first` is older than
    // every boxed one, so polling it first keeps start order.
    let mut first = pin!(None);
    let mut later: Vec<Pin<Box<Running<_>>>> = Vec::new();
    let mut winner: Option<(AttemptId, C::Stream)> = None;
    // `Sleep` is `Unpin`: the timer needs no box of its own.
    let mut timer: Option<(Instant, Sleep)> = None;
    let mut now = race.started_at();
    loop {
        let wake = loop {
            match race.poll(now) {
                Action::Start { id, addr, source } => {
                    let attempt = Running { id, attempt: connector.connect(addr, source) };
                    if first.is_none() && later.is_empty() {
                        first.set(Some(attempt));
                    } else {
                        later.push(Box::pin(attempt));
                    }
                }
                Action::Cancel(id) => {
                    if first.as_ref().get_ref().as_ref().is_some_and(|a| a.id == id) {
                        first.set(None);
                    } else {
                        later.retain(|attempt| attempt.id != id);
                    }
                }
                Action::Won(id) => match winner.take() {
                    Some((won, stream)) if won == id => return Ok(stream),
                    // The engine names the attempt it was told connected: unreachable.
                    _ => return Err(Error::from_errno(libc::EBADF)),
                },
                Action::Failed(error) => return Err(error),
                Action::Wait(wake) => break wake,
            }
        };

        // Attempts first, then answers, then the timer: a connection made at the deadline
        // still counts. The timer is made only when nothing else is ready.
        let event = poll_fn(|cx| {
            if let Some(Poll::Ready((id, outcome))) =
                first.as_mut().as_pin_mut().map(|a| a.poll(cx))
            {
                return Poll::Ready(Event::Attempt { id, later: None, outcome });
            }
            for (index, attempt) in later.iter_mut().enumerate() {
                if let Poll::Ready((id, outcome)) = attempt.as_mut().poll(cx) {
                    return Poll::Ready(Event::Attempt { id, later: Some(index), outcome });
                }
            }
            for (slot, query) in queries.iter_mut().zip(Query::BOTH) {
                if let Some(Poll::Ready(answer)) = slot.as_mut().map(|q| q.as_mut().poll(cx)) {
                    *slot = None;
                    let addrs = answer.map(|infos| infos.into_iter().map(|i| i.addr).collect());
                    return Poll::Ready(Event::Answered(query, addrs));
                }
            }
            let Some(wake) = wake else { return Poll::Pending };
            if timer.as_ref().is_none_or(|(at, _)| *at != wake) {
                timer = Some((wake, sleep_until(wake)));
            }
            match timer.as_mut().map(|(_, sleep)| Pin::new(sleep).poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Event::Timer),
                _ => Poll::Pending,
            }
        })
        .await;

        now = Instant::now();
        match event {
            Event::Attempt { id, later: index, outcome } => {
                match index {
                    None => first.set(None),
                    Some(index) => drop(later.remove(index)),
                }
                let outcome = outcome.map(|stream| winner = Some((id, stream)));
                race.on_attempt(id, outcome, now);
            }
            Event::Answered(query, answer) => race.on_answer(query, answer, now),
            Event::Timer => timer = None,
        }
    }
}
