//! The race itself: [`happy_eyeballs`].

// Happy Eyeballs, version 2 (RFC 8305), and the choices this implementation makes.
//
// The problem. A name often has several addresses, typically some IPv6 and some IPv4, and
// some of them may not work: the commonest case is a host that believes it has IPv6 while
// its packets go nowhere. Trying the addresses one after another (Python's
// socket.create_connection, std's TcpStream::connect, tokio's) then waits for the kernel to
// give up on the dead one first, over two minutes on Linux. Trying them all at once is fast
// but loads the network and the server with connections that are thrown away. RFC 8305
// staggers them instead: start one attempt; when it fails, or when it has run for the
// Connection Attempt Delay without an answer, start the next one beside it; keep the first
// connection made and cancel the rest.
//
// Resolution (§3). We send two queries at once through the Resolve trait, one with
// AF_INET6 hints and one with AF_INET hints, both SOCK_STREAM and with no flags
// (AI_ADDRCONFIG hides addresses that would work, e.g. ::1 on a host without global IPv6).
// A positive AAAA answer starts the race at once; the A answer joins it when it comes. A
// positive A answer that comes first waits up to the Resolution Delay (50 ms) for AAAA,
// because AAAA answers commonly trail A answers by a few milliseconds and IPv6 should get
// its chance. A negative AAAA answer (an error or no addresses) ends that wait early. An
// AAAA answer that arrives after IPv4 attempts have started is merged into the addresses
// not yet tried (the last paragraph of §3): its addresses are next in line, at the pace of
// the race, never started out of turn. If every attempt so far has failed and a query is
// still out, we wait for it. If both queries fail, the call fails with the resolver's
// error (the A query's when both have one).
//
// Ordering (§4). getaddrinfo has already sorted each family by RFC 6724. Because the two
// families come from separate queries, the cross-family part of RFC 6724 is not applied:
// IPv6 is the preferred family, as RFC 6724's default policy table and §3's "preference is
// given to IPv6" make it. Attempts interleave the families: First Address Family Count
// (default 1) IPv6 addresses, then one IPv4, then alternating; a family that runs out
// yields to the other. The choice is made as each attempt starts, so late answers need no
// re-sorting (see candidates.rs). An address answered twice is tried once.
//
// Pacing (§5). The next attempt starts when the attempt started last fails or when the
// Connection Attempt Delay (default 250 ms, clamped to 10 ms..2 s as §5 requires) has
// passed since it started, whichever comes first. Like trio and asyncio, only the failure
// of the most recent attempt speeds things up: an older attempt failing while a newer one
// is running leaves the newer one its full delay. No history is kept between calls (§4's
// RTT rules and §5's adaptive delay are for stateful clients; trio's notes explain why
// caching is hard to get right).
//
// Winning. The first attempt to connect wins. All attempts are futures in one
// FuturesUnordered polled by this one future, so results are seen one at a time: the first
// Ok returned is the winner, and returning drops every other attempt, closing its socket at
// once, including one that completed in the same instant and was never looked at. No task
// is spawned, so dropping the future returned by happy_eyeballs (a timeout, a select, a
// cancelled task) cancels every attempt and closes every socket in the same way.
//
// Source address. Python binds source_address on every attempt. An address of the other IP
// family cannot be reached from it; trio and asyncio let such an attempt fail at once with
// an error saying so, Go and hyper drop such addresses. We do both: the address is never
// attempted (so it costs no time and no socket) and its error is recorded, so a name whose
// addresses are all of the other family fails with errors that say why.
//
// Errors (§5 says nothing; Python decides). When every attempt fails, all_errors=true gives
// Error::multiple with one entry per address: skipped addresses first, then attempts in
// the order they started. Otherwise the call fails with the last of those entries, the
// error of the last address attempted, which is what Python's create_connection raises.
// The overall timeout covers resolution and connecting and fails with Error::timeout().
//
// Observability. The call runs in a `happy_eyeballs` tracing span (host, port); every
// attempt ends with one event giving its address, its start offset from the call's start
// and its outcome: connected, error (with the error) or cancelled.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use futures::stream::{FuturesUnordered, StreamExt};
use tracing::Instrument;

use super::candidates::Candidates;
use super::clock::{sleep_until, Instant};
use super::outcome::{all_failed, skip, AttemptTrace};
use super::{stream_hints, Connect, ConnectOptions};
use crate::resolve::{AddrInfo, Resolve};
use crate::{AddressFamily, Error, Result, SockAddr};

/// Connects to `host`:`port` the RFC 8305 way and returns the first stream connected.
///
/// `host` is resolved through `resolver` (an `AF_INET6` and an `AF_INET` query at once), and
/// each address is connected through `connector`; see [the module docs](super) for an example
/// and `docs/happy-eyeballs.md` for the algorithm.
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
    race(resolver, connector, host, port, options).instrument(span).await
}

/// What woke the race up.
enum Event<S> {
    /// Attempt `index` connected or failed.
    Attempt(usize, Result<S>),
    /// The query for IPv6 (`true`) or IPv4 (`false`) addresses answered.
    Resolved(bool, Result<Vec<AddrInfo>>),
    /// A delay or the deadline passed.
    Timer,
}

async fn race<R, C>(
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
    let start = Instant::now();
    let deadline = options.timeout.and_then(|t| start.checked_add(t));
    let source = options.checked_source()?;

    let service = port.to_string();
    let query = |family| resolver.getaddrinfo(Some(host), Some(&service), stream_hints(family));
    let mut aaaa = Some(query(AddressFamily::AF_INET6));
    let mut a = Some(query(AddressFamily::AF_INET));
    let (mut aaaa_error, mut a_error) = (None, None);
    let mut a_answered_at = None;

    let mut candidates = Candidates::new(options.first_address_family_count);
    let mut skipped: Vec<(String, Error)> = Vec::new();
    let mut tried: Vec<(SockAddr, Option<Error>)> = Vec::new();
    let mut attempts = FuturesUnordered::new();
    let mut begun = false;
    let mut next_at = start;

    let attempt = |index: usize, addr: SockAddr| {
        let trace = AttemptTrace::new(addr.clone(), start);
        let connecting = connector.connect(addr, source.cloned());
        async move {
            let result = connecting.await;
            trace.finish(&result);
            (index, result)
        }
    };

    loop {
        let now = Instant::now();
        let resolution_delay_end =
            a_answered_at.and_then(|t: Instant| t.checked_add(options.resolution_delay));
        begun = begun
            || candidates.has_v6()
            || (candidates.has_v4()
                && (aaaa.is_none() || resolution_delay_end.is_some_and(|end| now >= end)));

        if begun && now >= next_at {
            if let Some(addr) = candidates.next() {
                attempts.push(attempt(tried.len(), addr.clone()));
                tried.push((addr, None));
                next_at = now + options.happy_eyeballs_delay;
            }
        }
        if attempts.is_empty() && candidates.is_empty() && aaaa.is_none() && a.is_none() {
            let resolution_error = a_error.or(aaaa_error);
            return Err(all_failed(skipped, tried, resolution_error, options.all_errors));
        }

        let waiting_for_aaaa = !begun && candidates.has_v4() && aaaa.is_some();
        let wake = [
            deadline,
            resolution_delay_end.filter(|_| waiting_for_aaaa),
            Some(next_at).filter(|_| begun && !candidates.is_empty()),
        ]
        .into_iter()
        .flatten()
        .min();
        let mut timer = pin!(wake.map(sleep_until));

        // Attempts first: a connection made at the deadline still counts.
        let event = poll_fn(|cx| {
            if let Poll::Ready(Some((index, result))) = attempts.poll_next_unpin(cx) {
                return Poll::Ready(Event::Attempt(index, result));
            }
            for (query, v6) in [(&mut aaaa, true), (&mut a, false)] {
                if let Some(Poll::Ready(answer)) = query.as_mut().map(|q| q.as_mut().poll(cx)) {
                    *query = None;
                    return Poll::Ready(Event::Resolved(v6, answer));
                }
            }
            match timer.as_mut().as_pin_mut().map(|t| t.poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Event::Timer),
                _ => Poll::Pending,
            }
        })
        .await;

        match event {
            Event::Attempt(_, Ok(stream)) => return Ok(stream),
            Event::Attempt(index, Err(error)) => {
                if index + 1 == tried.len() {
                    next_at = Instant::now(); // §5: the latest attempt failed, go on now.
                }
                tried[index].1 = Some(error);
            }
            Event::Resolved(v6, Ok(answer)) => {
                tracing::debug!(v6, addresses = answer.len(), at = ?start.elapsed(), "resolved");
                for info in answer {
                    match source.filter(|s| s.family() != info.addr.family()) {
                        Some(src) => skip(&mut skipped, src, info.addr),
                        None => {
                            candidates.push(info.addr);
                        }
                    }
                }
                if !v6 {
                    a_answered_at = Some(Instant::now());
                }
            }
            Event::Resolved(v6, Err(error)) => {
                tracing::debug!(v6, %error, at = ?start.elapsed(), "resolution failed");
                if v6 {
                    aaaa_error = Some(error);
                } else {
                    a_error = Some(error);
                }
            }
            Event::Timer => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Err(Error::timeout());
                }
            }
        }
    }
}
