//! Happy Eyeballs v2 (RFC 8305) as one engine with no IO: [`Race`] takes DNS answers, attempt
//! outcomes and the time, and answers with [`Action`]s (start an attempt, cancel one, wake me
//! at t, won, failed).
//!
//! Every race in asock is this engine with a driver around it: the async driver
//! ([`connect::happy_eyeballs`](crate::connect::happy_eyeballs), `create_connection`) turns
//! actions into futures it polls itself; the blocking driver
//! ([`blocking::happy_eyeballs`](crate::blocking::happy_eyeballs),
//! `blocking::create_connection`) into non-blocking connects and one `poll(2)`. Both pass the
//! same table of scenarios. A driver of one's own (QUIC, a simulator) needs nothing else.
//!
//! The engine depends on asock-core's values, [`crate::time::Instant`] values (it never reads
//! a clock) and `tracing`, nothing else in asock. `docs/happy-eyeballs.md` draws a race.

// Happy Eyeballs, version 2 (RFC 8305), and the choices this engine makes.
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
// Resolution (§3). The driver sends two queries at once, AF_INET6 and AF_INET, both
// SOCK_STREAM with no flags (AI_ADDRCONFIG hides addresses that would work, e.g. ::1 on a
// host without global IPv6). A positive AAAA answer starts the race at once; the A answer
// joins it when it comes. A positive A answer that comes first waits up to the Resolution
// Delay (50 ms) for AAAA, because AAAA answers commonly trail A answers by a few
// milliseconds and IPv6 should get its chance. A negative AAAA answer (an error or no
// addresses) ends that wait early. An AAAA answer that arrives after IPv4 attempts have
// started is merged into the addresses not yet tried (the last paragraph of §3): its
// addresses are next in line, at the pace of the race, never started out of turn. If every
// attempt so far has failed and a query is still out, we wait for it. If both queries fail,
// the race fails with the resolver's error (the A query's when both have one).
//
// A given list of addresses (Race::to_addresses) is its own answer: no query, no
// Resolution Delay, and the family of the list's first address is the preferred one.
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
// is running leaves the newer one its full delay. No history is kept between races (§4's
// RTT rules and §5's adaptive delay are for stateful clients; trio's notes explain why
// caching is hard to get right).
//
// Winning. The first outcome fed as Ok wins: the engine then cancels every other attempt
// still running (one Cancel action each, before the Won action), and ignores any outcome
// that arrives later. A driver that learns of two successes at once feeds them one at a
// time, so exactly one wins and the other is cancelled and closed. "Success" is whatever the
// driver counts as one: a connect, or a connect plus a handshake or a first byte; a failed
// step is a failed attempt.
//
// Source address. Python binds source_address on every attempt. An address of the other IP
// family cannot be reached from it; trio and asyncio let such an attempt fail at once with
// an error saying so, Go and hyper drop such addresses. We do both: the address is never
// attempted (so it costs no time and no socket) and its error is recorded, so a name whose
// addresses are all of the other family fails with errors that say why.
//
// Errors (§5 says nothing; Python decides). When every attempt fails, all_errors=true gives
// Error::multiple with one entry per address: skipped addresses first, then attempts in
// the order they started. Otherwise the race fails with the last of those entries, the
// error of the last address attempted, which is what Python's create_connection raises.
// The one deadline covers resolution and connecting and fails with Error::timeout().
//
// Observability. The engine emits one `attempt` event per attempt when its outcome is
// known (addr, start = offset from the race's start, outcome = connected | error (with
// error) | cancelled), and `resolved` / `resolution failed` per answer, all at DEBUG; the
// driver wraps the race in a `happy_eyeballs` span.

use asock_core::SockAddr;

mod candidates;
pub(crate) mod first_in_place;
mod options;
mod race;
mod report;

pub use options::ConnectOptions;
pub use race::{Action, AttemptId, Query, Race};

/// `host` without the brackets of URI form (`[::1]` -> `::1`, RFC 3986 §3.2.2), so that a host
/// taken from a URL can be given as it is; any other host is returned unchanged.
///
/// ```
/// use asock::happy_eyeballs::host_without_brackets;
///
/// assert_eq!(host_without_brackets("[::1]"), "::1");
/// assert_eq!(host_without_brackets("[fe80::1%eth0]"), "fe80::1%eth0");
/// assert_eq!(host_without_brackets("example.com"), "example.com");
/// assert_eq!(host_without_brackets("[::1"), "[::1");
/// ```
#[must_use]
pub fn host_without_brackets(host: &str) -> &str {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host)
}

/// `host`:`port` as a socket address when `host` is an IP literal (`127.0.0.1`, `::1`,
/// `[::1]`), which the system resolver would answer with exactly that address: the
/// `create_connection` functions then race it as a list and skip both lookups (the one for
/// the literal's other family would cost a `getaddrinfo` call for an error).
pub(crate) fn ip_literal(host: &str, port: u16) -> Option<SockAddr> {
    let ip: std::net::IpAddr = host_without_brackets(host).parse().ok()?;
    Some(SockAddr::from(std::net::SocketAddr::new(ip, port)))
}
