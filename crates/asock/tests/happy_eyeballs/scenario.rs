//! `World`: one fake network that both drivers of the Happy Eyeballs engine race through.
//!
//! A world is a list of rows `(ip, connect delay in ms, outcome)`, returned by the resolver in
//! row order (each family's query answers that family's rows), plus when and how each
//! family's query answers. Two fakes play it:
//!
//! - [`Scenario`] for the async driver: a `Resolve` + `Connect` whose delays are sleeps on
//!   tokio's paused clock;
//! - [`FakeNetwork`] for the blocking driver: an `asock::blocking::Network` on a virtual clock
//!   that jumps to the next event, so the race runs with no socket and no sleep.
//!
//! Both record every query and attempt with its virtual time, and every "socket" they close,
//! so a test can check the exact timeline and that every stream but the winner's was closed.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use asock::blocking::{Happened, Network};
use asock::connect::{happy_eyeballs, happy_eyeballs_to, Connect, ConnectOptions};
use asock::happy_eyeballs::{AttemptId, Query};
use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
use asock::time::Instant;
use asock::{AddressFamily, Error, Protocol, Result, SockAddr, SocketKind};

pub const HOST: &str = "test.example.com";
pub const PORT: u16 = 80;

/// How a connection attempt to a row's address ends.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Connect,
    Fail(i32),
}

pub const OK: Outcome = Outcome::Connect;
pub const REFUSED: Outcome = Outcome::Fail(libc::ECONNREFUSED);

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What one family's query answers.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// The world's rows of that family (all rows if the resolver ignores hints).
    Rows,
    /// A positive reply with no address.
    Empty,
    /// A `gaierror` with this EAI code.
    Fail(i32),
}

/// The fake network: rows and answers.
#[derive(Debug, Clone)]
pub struct World {
    rows: Vec<(&'static str, SockAddr, Duration, Outcome)>,
    answers: [(Answer, Duration); 2], // IPv6, IPv4
    ignores_hints: bool,
}

impl World {
    /// Rows of `(ip, connect delay in ms, outcome)`; both queries answer at once.
    pub fn new(rows: &[(&'static str, u64, Outcome)]) -> World {
        let rows = rows
            .iter()
            .map(|&(ip, delay, outcome)| {
                let ip_addr: std::net::IpAddr = ip.parse().expect("row ip");
                (ip, SockAddr::from(std::net::SocketAddr::new(ip_addr, PORT)), ms(delay), outcome)
            })
            .collect();
        World { rows, answers: [(Answer::Rows, Duration::ZERO); 2], ignores_hints: false }
    }

    /// The AAAA (`AF_INET6`) query answers `answer` after `after_ms`.
    pub fn aaaa(mut self, answer: Answer, after_ms: u64) -> World {
        self.answers[0] = (answer, ms(after_ms));
        self
    }

    /// The A (`AF_INET`) query answers `answer` after `after_ms`.
    pub fn a(mut self, answer: Answer, after_ms: u64) -> World {
        self.answers[1] = (answer, ms(after_ms));
        self
    }

    /// Both queries answer every row, in row order, whatever family they asked for.
    pub fn ignoring_hints(mut self) -> World {
        self.ignores_hints = true;
        self
    }

    /// Every row's address, in row order: the list for the `_to` entry points.
    pub fn addresses(&self) -> Vec<SockAddr> {
        self.rows.iter().map(|r| r.1.clone()).collect()
    }

    /// What the query for `family` answers, and after how long.
    fn answer(&self, family: AddressFamily) -> (Result<Vec<SockAddr>>, Duration) {
        let (answer, after) = match family {
            AddressFamily::AF_INET6 => self.answers[0],
            AddressFamily::AF_INET => self.answers[1],
            other => panic!("unexpected query family {other}"),
        };
        let result = match answer {
            Answer::Rows => Ok(self
                .rows
                .iter()
                .filter(|r| self.ignores_hints || r.1.family() == family)
                .map(|r| r.1.clone())
                .collect()),
            Answer::Empty => Ok(Vec::new()),
            Answer::Fail(code) => Err(Error::gai(code, None)),
        };
        (result, after)
    }

    fn row(&self, addr: &SockAddr) -> (&'static str, Duration, Outcome) {
        let row = self.rows.iter().find(|r| &r.1 == addr);
        let &(ip, _, delay, outcome) = row.unwrap_or_else(|| panic!("no row for {addr}"));
        (ip, delay, outcome)
    }
}

/// What a race did, as either fake recorded it.
#[derive(Debug, Default)]
pub struct Log {
    /// `(family asked, virtual time)` of every query.
    pub queries: Vec<(AddressFamily, Duration)>,
    /// `(ip, virtual start time, source address)` of every attempt, in start order.
    pub attempts: Vec<(&'static str, Duration, Option<SockAddr>)>,
    /// The ips whose stream was closed.
    pub closed: HashSet<&'static str>,
}

impl Log {
    fn attempt(&mut self, ip: &'static str, at: Duration, source: Option<SockAddr>) {
        assert!(self.attempts.iter().all(|a| a.0 != ip), "{ip} attempted twice");
        self.attempts.push((ip, at, source));
    }

    fn close(&mut self, ip: &'static str) {
        let newly = self.closed.insert(ip);
        assert!(newly || std::thread::panicking(), "{ip} closed twice");
    }
}

/// Locks the log even after a failed assertion poisoned it, so that streams dropped while a
/// test unwinds do not turn its failure into an abort.
fn lock(log: &Mutex<Log>) -> MutexGuard<'_, Log> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A "socket" that reports its closing to the log.
#[derive(Debug)]
pub struct FakeStream {
    pub ip: &'static str,
    log: Arc<Mutex<Log>>,
}

impl Drop for FakeStream {
    fn drop(&mut self) {
        lock(&self.log).close(self.ip);
    }
}

/// A log shared by a fake and the test reading it.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Log>>);

impl Recorder {
    pub fn log(&self) -> MutexGuard<'_, Log> {
        lock(&self.0)
    }

    /// `(ip, virtual start time)` of every attempt, in start order.
    pub fn starts(&self) -> Vec<(&'static str, Duration)> {
        self.log().attempts.iter().map(|&(ip, at, _)| (ip, at)).collect()
    }

    /// The source address every attempt was given, in start order.
    pub fn sources(&self) -> Vec<Option<SockAddr>> {
        self.log().attempts.iter().map(|(_, _, source)| source.clone()).collect()
    }

    /// `(family, virtual time)` of every query made.
    pub fn queries(&self) -> Vec<(AddressFamily, Duration)> {
        self.log().queries.clone()
    }

    /// Asserts that every stream opened was closed, except `winner`'s.
    pub fn check_closed(&self, winner: Option<&FakeStream>) {
        let (attempts, closed) = {
            let log = self.log();
            (log.attempts.clone(), log.closed.clone())
        };
        for (ip, _, _) in attempts {
            let is_winner = winner.is_some_and(|w| w.ip == ip);
            assert_eq!(
                closed.contains(ip),
                !is_winner,
                "{ip}: {}",
                if is_winner { "winner was closed" } else { "loser left open" }
            );
        }
    }

    fn stream(&self, ip: &'static str) -> FakeStream {
        FakeStream { ip, log: Arc::clone(&self.0) }
    }
}

// ===== the async fake =====

/// The world as a `Resolve` + `Connect` on tokio's paused clock.
pub struct Scenario {
    world: World,
    start: tokio::time::Instant,
    pub recorder: Recorder,
}

impl Scenario {
    /// Rows of `(ip, connect delay in ms, outcome)`; both queries answer at once.
    pub fn new(rows: &[(&'static str, u64, Outcome)]) -> Scenario {
        Scenario::from(World::new(rows))
    }

    /// Runs the race for [`HOST`] to the end; returns its result and its virtual duration.
    pub async fn run(&self, options: ConnectOptions) -> (Result<FakeStream>, Duration) {
        let result = happy_eyeballs(self, self, HOST, PORT, &options).await;
        (result, self.start.elapsed())
    }

    /// Runs the race over the world's addresses, in row order, with no lookup.
    pub async fn run_to(&self, options: ConnectOptions) -> (Result<FakeStream>, Duration) {
        let result = happy_eyeballs_to(self, &self.world.addresses(), &options).await;
        (result, self.start.elapsed())
    }

    pub fn starts(&self) -> Vec<(&'static str, Duration)> {
        self.recorder.starts()
    }

    pub fn check_closed(&self, winner: Option<&FakeStream>) {
        self.recorder.check_closed(winner);
    }
}

impl From<World> for Scenario {
    fn from(world: World) -> Scenario {
        Scenario { world, start: tokio::time::Instant::now(), recorder: Recorder::default() }
    }
}

impl Resolve for Scenario {
    fn getaddrinfo(
        &self,
        host: Option<&str>,
        service: Option<&str>,
        hints: Hints,
    ) -> ResolveFuture {
        assert_eq!(host, Some(HOST));
        assert_eq!(service, Some("80"));
        assert_eq!(hints.kind, SocketKind::SOCK_STREAM);
        assert_eq!((i32::from(hints.proto), hints.flags), (0, 0));
        self.recorder.log().queries.push((hints.family, self.start.elapsed()));
        let (result, after) = self.world.answer(hints.family);
        let result = result.map(|addrs| {
            addrs
                .into_iter()
                .map(|addr| AddrInfo {
                    family: addr.family(),
                    kind: SocketKind::SOCK_STREAM,
                    proto: Protocol::from(libc::IPPROTO_TCP),
                    canonname: None,
                    addr,
                })
                .collect()
        });
        Box::pin(async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            result
        })
    }
}

impl Connect for Scenario {
    type Stream = FakeStream;

    async fn connect(&self, addr: SockAddr, source: Option<SockAddr>) -> Result<FakeStream> {
        let (ip, delay, outcome) = self.world.row(&addr);
        self.recorder.log().attempt(ip, self.start.elapsed(), source);
        let stream = self.recorder.stream(ip);
        tokio::time::sleep(delay).await;
        match outcome {
            Outcome::Connect => Ok(stream),
            Outcome::Fail(errno) => Err(Error::from_errno(errno)), // drops (closes) the stream
        }
    }
}

// ===== the blocking fake =====

/// The world as a blocking [`Network`] on a virtual clock: `wait` jumps straight to the next
/// answer or attempt outcome (or to its `until`), so nothing sleeps.
pub struct FakeNetwork {
    world: World,
    start: Instant,
    now: Instant,
    /// Lookups not yet answered: `(query, answer, when)`.
    lookups: Vec<(Query, Result<Vec<SockAddr>>, Instant)>,
    /// Attempts in flight, in start order: `(id, stream, outcome, when it ends)`; `None` once
    /// reported (a connected stream waiting for `take` or `cancel`).
    attempts: Vec<(AttemptId, FakeStream, Outcome, Option<Instant>)>,
    pub recorder: Recorder,
}

impl FakeNetwork {
    pub fn new(world: World) -> FakeNetwork {
        let start = Instant::now();
        FakeNetwork {
            world,
            start,
            now: start,
            lookups: Vec::new(),
            attempts: Vec::new(),
            recorder: Recorder::default(),
        }
    }

    /// Virtual time since the start.
    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }
}

impl Network for FakeNetwork {
    type Stream = FakeStream;

    fn now(&mut self) -> Instant {
        self.now
    }

    fn lookup(&mut self, host: &str, port: u16, query: Query) {
        assert_eq!((host, port), (HOST, PORT));
        self.recorder.log().queries.push((query.family(), self.elapsed()));
        let (answer, after) = self.world.answer(query.family());
        self.lookups.push((query, answer, self.now + after));
    }

    fn start(&mut self, id: AttemptId, addr: &SockAddr, source: Option<&SockAddr>) -> Result<()> {
        let (ip, delay, outcome) = self.world.row(addr);
        self.recorder.log().attempt(ip, self.elapsed(), source.cloned());
        let stream = self.recorder.stream(ip);
        self.attempts.push((id, stream, outcome, Some(self.now + delay)));
        Ok(())
    }

    fn cancel(&mut self, id: AttemptId) {
        self.attempts.retain(|a| a.0 != id); // drops (closes) the stream
    }

    fn wait(&mut self, until: Option<Instant>, happened: &mut Vec<Happened>) -> Result<()> {
        let next =
            self.attempts.iter().filter_map(|a| a.3).chain(self.lookups.iter().map(|l| l.2)).min();
        let to = match (next, until) {
            (Some(next), Some(until)) => next.min(until),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => panic!("the race waits for nothing, forever"),
        };
        self.now = self.now.max(to);
        let now = self.now;
        // Attempts in start order, then answers: what the async driver's poll order gives.
        let mut index = 0;
        while index < self.attempts.len() {
            let (id, _, outcome, ends) = &mut self.attempts[index];
            if ends.is_some_and(|t| t <= now) {
                *ends = None;
                match *outcome {
                    Outcome::Connect => happened.push(Happened::Attempt(*id, Ok(()))),
                    Outcome::Fail(errno) => {
                        happened.push(Happened::Attempt(*id, Err(Error::from_errno(errno))));
                        self.attempts.remove(index); // closes the stream
                        continue;
                    }
                }
            }
            index += 1;
        }
        let (due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.lookups).into_iter().partition(|l| l.2 <= now);
        self.lookups = later;
        let mut due = due;
        due.sort_by_key(|l| (l.2, l.0 == Query::A));
        happened.extend(due.into_iter().map(|(query, answer, _)| Happened::Answer(query, answer)));
        Ok(())
    }

    fn take(&mut self, id: AttemptId) -> Result<FakeStream> {
        let index = self.attempts.iter().position(|a| a.0 == id).expect("the winner is open");
        Ok(self.attempts.remove(index).1)
    }
}
