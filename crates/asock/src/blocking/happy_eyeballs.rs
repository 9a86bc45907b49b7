//! The blocking driver of the Happy Eyeballs engine: [`happy_eyeballs`] over a [`Network`].
//!
//! The engine ([`crate::happy_eyeballs::Race`]) decides; this loop does what it says with a
//! [`Network`]: start lookups and attempts, cancel attempts, and wait for the next thing to
//! happen or for the instant the engine gave. [`SocketNetwork`](super::SocketNetwork) is the
//! real one (non-blocking connects and one `poll(2)`); tests plug in a network on a virtual
//! clock and run the same race with no socket and no sleep.

use crate::happy_eyeballs::{
    host_without_brackets, Action, AttemptId, ConnectOptions, Query, Race,
};
use crate::time::Instant;
use asock_core::{Result, SockAddr};

/// What to connect to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A host name or IP literal (`[::1]` as in a URI is accepted) and a port: both families
    /// are looked up at once.
    Name {
        /// The host.
        host: &'a str,
        /// The port.
        port: u16,
    },
    /// A given list of addresses, raced with no lookup; the first one's family is preferred.
    Addresses(&'a [SockAddr]),
}

/// Something that happened on a [`Network`], for the race to hear about.
#[derive(Debug)]
pub enum Happened {
    /// A lookup answered: its addresses in the resolver's order, or its error.
    Answer(Query, Result<Vec<SockAddr>>),
    /// An attempt ended: `Ok` when it reached the success point (connected, or got its
    /// first byte, as the network counts success), else its error.
    Attempt(AttemptId, Result<()>),
}

/// The network as the blocking race sees it: lookups and connection attempts it can start,
/// and one wait for whatever happens next.
///
/// [`SocketNetwork`](super::SocketNetwork) is asock's: real sockets and one `poll(2)`. A
/// network of one's own can simulate (asock's scenario tests run the race on a virtual clock
/// this way) or connect over something else.
pub trait Network {
    /// What a won attempt hands over.
    type Stream;

    /// The current time on this network's clock.
    fn now(&mut self) -> Instant;

    /// Starts looking up `host`:`port` for `query`'s family; the answer comes from
    /// [`wait`](Self::wait) as [`Happened::Answer`].
    fn lookup(&mut self, host: &str, port: u16, query: Query);

    /// Starts attempt `id`: connecting to `addr`, bound to `source` when given.
    ///
    /// # Errors
    ///
    /// An attempt that failed at once (`socket`, `bind` or `connect` failed); the race counts
    /// it as failed. An attempt that ends later, even at once, is reported by `wait`.
    fn start(&mut self, id: AttemptId, addr: &SockAddr, source: Option<&SockAddr>) -> Result<()>;

    /// Stops attempt `id` and closes its socket now.
    fn cancel(&mut self, id: AttemptId);

    /// Waits until something has happened or `until` has come (`None`: no limit), and pushes
    /// what happened onto `happened`, earliest-started attempts first.
    ///
    /// # Errors
    ///
    /// A failure of the wait itself (`poll(2)`'s `ENOMEM`), which ends the race.
    fn wait(&mut self, until: Option<Instant>, happened: &mut Vec<Happened>) -> Result<()>;

    /// Hands over the stream of attempt `id`, which has just won.
    ///
    /// # Errors
    ///
    /// Whatever making the stream ready for the caller failed with.
    fn take(&mut self, id: AttemptId) -> Result<Self::Stream>;
}

/// Runs a Happy Eyeballs race (RFC 8305) on `network` and returns the first stream that
/// reached the success point; every other attempt is cancelled.
///
/// The blocking twin of [`connect::happy_eyeballs`](crate::connect::happy_eyeballs): the same
/// engine, options, errors and tracing (a `happy_eyeballs` span, one `attempt` event per
/// attempt). [`create_connection`](super::create_connection) is this with a
/// [`SocketNetwork`](super::SocketNetwork).
///
/// ```
/// use std::time::Duration;
/// use asock::blocking::{create_server, happy_eyeballs, SocketNetwork, SuccessPoint, Target};
/// use asock::connect::ConnectOptions;
/// use asock::resolve::SystemResolver;
///
/// let server = create_server(&"127.0.0.1:0".parse()?, &Default::default())?;
/// let port = server.local_addr()?.port().unwrap();
/// let mut network = SocketNetwork::new(&SystemResolver).success_point(SuccessPoint::Connected);
/// let options = ConnectOptions::new().timeout(Duration::from_secs(5));
/// let sock = happy_eyeballs(&mut network, Target::Name { host: "127.0.0.1", port }, &options)?;
/// assert_eq!(sock.peer_addr()?, server.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// - The resolver's error when neither lookup gives an address.
/// - When every attempt fails: [`Error::multiple`](crate::Error::multiple) listing every
///   address and its error if [`all_errors`](ConnectOptions::all_errors) is set, else the last
///   address's error.
/// - [`Error::timeout()`](crate::Error::timeout) when the timeout passes first.
/// - `InvalidInput` for a source address that is not an IP address, an empty list of
///   addresses, or one that is not IPv4 or IPv6.
/// - An error of the network's wait or take, which ends the race.
pub fn happy_eyeballs<N: Network + ?Sized>(
    network: &mut N,
    target: Target<'_>,
    options: &ConnectOptions,
) -> Result<N::Stream> {
    let span = match target {
        Target::Name { host, port } => tracing::debug_span!("happy_eyeballs", host, port),
        Target::Addresses(addrs) => tracing::debug_span!("happy_eyeballs", addrs = addrs.len()),
    };
    let _in_span = span.enter();
    let mut now = network.now();
    let mut race = match target {
        Target::Name { host, port } => {
            let race = Race::new(options, now)?;
            for query in Query::BOTH {
                network.lookup(host_without_brackets(host), port, query);
            }
            race
        }
        Target::Addresses(addrs) => Race::to_addresses(addrs, options, now)?,
    };
    let mut happened = Vec::new();
    loop {
        let until = loop {
            match race.poll(now) {
                Action::Start { id, addr, source } => {
                    if let Err(error) = network.start(id, &addr, source.as_ref()) {
                        race.on_attempt(id, Err(error), now);
                    }
                }
                Action::Cancel(id) => network.cancel(id),
                Action::Won(id) => return network.take(id),
                Action::Failed(error) => return Err(error),
                Action::Wait(until) => break until,
            }
        };
        if let Err(error) = network.wait(until, &mut happened) {
            // The race cannot go on: close what it started before failing.
            cancel_all(network, &mut race, now);
            return Err(error);
        }
        now = network.now();
        for event in happened.drain(..) {
            match event {
                Happened::Answer(query, answer) => race.on_answer(query, answer, now),
                Happened::Attempt(id, outcome) => race.on_attempt(id, outcome, now),
            }
        }
    }
}

/// Ends `race` with every attempt it still runs cancelled on `network`.
fn cancel_all<N: Network + ?Sized>(network: &mut N, race: &mut Race, now: Instant) {
    race.abandon();
    while let Action::Cancel(id) = race.poll(now) {
        network.cancel(id);
    }
}
