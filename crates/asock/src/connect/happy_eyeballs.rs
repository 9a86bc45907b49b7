//! The async driver of the Happy Eyeballs engine: [`happy_eyeballs`] and [`happy_eyeballs_to`].
//!
//! The engine ([`crate::happy_eyeballs::Race`]) decides; this file only does what it says with
//! futures. The two queries, every attempt and one timer live inside the one future the
//! driver returns, which polls them itself: nothing is spawned, so dropping the future drops
//! every attempt (closing its socket) and abandons the queries, on any executor. The future
//! is `Send` when the connector's futures are.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

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
    async {
        let race = Race::new(options, Instant::now())?;
        let host = host_without_brackets(host);
        let service = port.to_string();
        let queries = Query::BOTH.map(|query| {
            let hints =
                Hints { family: query.family(), kind: SocketKind::SOCK_STREAM, ..Hints::default() };
            Some(resolver.getaddrinfo(Some(host), Some(&service), hints))
        });
        drive(race, connector, queries).await
    }
    .instrument(span)
    .await
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
    async {
        let race = Race::to_addresses(addrs, options, Instant::now())?;
        drive(race, connector, [None, None]).await
    }
    .instrument(span)
    .await
}

/// What woke the driver up.
enum Event<S> {
    /// The attempt at this index of the running list ended.
    Attempt(usize, Result<S>),
    /// A query answered.
    Answered(Query, Result<Vec<SockAddr>>),
    /// The instant of the last `Action::Wait` came.
    Timer,
}

/// Runs `race` to its end: does its actions, feeds it what happens.
async fn drive<C: Connect>(
    mut race: Race,
    connector: &C,
    mut queries: [Option<ResolveFuture>; 2],
) -> Result<C::Stream> {
    // Attempts running, in start order; each boxed so one can be removed from the middle.
    let mut running: Vec<(AttemptId, Pin<Box<_>>)> = Vec::new();
    let mut winner: Option<(AttemptId, C::Stream)> = None;
    let mut timer: Option<(Instant, Pin<Box<Sleep>>)> = None;
    let mut now = race.started_at();
    loop {
        let wake = loop {
            match race.poll(now) {
                Action::Start { id, addr, source } => {
                    running.push((id, Box::pin(connector.connect(addr, source))));
                }
                Action::Cancel(id) => running.retain(|(running_id, _)| *running_id != id),
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
            for (index, (_, attempt)) in running.iter_mut().enumerate() {
                if let Poll::Ready(result) = attempt.as_mut().poll(cx) {
                    return Poll::Ready(Event::Attempt(index, result));
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
                timer = Some((wake, Box::pin(sleep_until(wake))));
            }
            match timer.as_mut().map(|(_, sleep)| sleep.as_mut().poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Event::Timer),
                _ => Poll::Pending,
            }
        })
        .await;

        now = Instant::now();
        match event {
            Event::Attempt(index, result) => {
                let (id, _) = running.remove(index);
                let outcome = result.map(|stream| winner = Some((id, stream)));
                race.on_attempt(id, outcome, now);
            }
            Event::Answered(query, answer) => race.on_answer(query, answer, now),
            Event::Timer => timer = None,
        }
    }
}
