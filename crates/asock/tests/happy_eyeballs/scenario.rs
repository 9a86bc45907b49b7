//! `Scenario`: one fake world that is both the resolver and the connector of a race.
//!
//! A scenario is a list of rows `(ip, connect delay in ms, outcome)`, returned by the
//! resolver in row order (each family's query answers that family's rows), plus when and
//! how each family's query answers. Connecting to a row's address opens a `FakeStream`
//! (recorded with its virtual start time), sleeps the row's delay, then returns the stream or
//! drops it and fails. Delays are `asock::sleep`s: tokio's paused clock in these tests,
//! and they would work on any executor. A `FakeStream` marks itself closed when dropped, so a
//! test can check that every stream but the winner was closed.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use asock::connect::{happy_eyeballs, Connect, ConnectOptions};
use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
use asock::sleep;
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
    /// The scenario's rows of that family (all rows if the resolver ignores hints).
    Rows,
    /// A positive reply with no address.
    Empty,
    /// A `gaierror` with this EAI code.
    Fail(i32),
}

#[derive(Debug, Default)]
struct Log {
    /// `(family asked, virtual time)` of every query.
    queries: Vec<(AddressFamily, Duration)>,
    /// `(ip, virtual start time, source address)` of every attempt, in start order.
    attempts: Vec<(&'static str, Duration, Option<SockAddr>)>,
    /// The ips whose stream was dropped.
    closed: HashSet<&'static str>,
}

pub struct Scenario {
    rows: Vec<(&'static str, SockAddr, Duration, Outcome)>,
    answers: [(Answer, Duration); 2], // IPv6, IPv4
    ignores_hints: bool,
    start: Instant,
    log: Arc<Mutex<Log>>,
}

impl Scenario {
    /// Rows of `(ip, connect delay in ms, outcome)`; both queries answer at once.
    pub fn new(rows: &[(&'static str, u64, Outcome)]) -> Self {
        let rows = rows
            .iter()
            .map(|&(ip, delay, outcome)| {
                let ip_addr: std::net::IpAddr = ip.parse().expect("row ip");
                (ip, SockAddr::from(std::net::SocketAddr::new(ip_addr, PORT)), ms(delay), outcome)
            })
            .collect();
        Scenario {
            rows,
            answers: [(Answer::Rows, Duration::ZERO); 2],
            ignores_hints: false,
            start: Instant::now(),
            log: Arc::default(),
        }
    }

    /// The AAAA (`AF_INET6`) query answers `answer` after `after_ms`.
    pub fn aaaa(mut self, answer: Answer, after_ms: u64) -> Self {
        self.answers[0] = (answer, ms(after_ms));
        self
    }

    /// The A (`AF_INET`) query answers `answer` after `after_ms`.
    pub fn a(mut self, answer: Answer, after_ms: u64) -> Self {
        self.answers[1] = (answer, ms(after_ms));
        self
    }

    /// Both queries answer every row, in row order, whatever family they asked for.
    pub fn ignoring_hints(mut self) -> Self {
        self.ignores_hints = true;
        self
    }

    /// Runs the race to the end; returns its result and its virtual duration.
    pub async fn run(&self, options: ConnectOptions) -> (Result<FakeStream>, Duration) {
        let result = happy_eyeballs(self, self, HOST, PORT, &options).await;
        (result, self.start.elapsed())
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

    fn log(&self) -> MutexGuard<'_, Log> {
        lock(&self.log)
    }

    fn row(&self, addr: &SockAddr) -> (&'static str, Duration, Outcome) {
        let row = self.rows.iter().find(|r| &r.1 == addr);
        let &(ip, _, delay, outcome) = row.unwrap_or_else(|| panic!("no row for {addr}"));
        (ip, delay, outcome)
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
        self.log().queries.push((hints.family, self.start.elapsed()));

        let (answer, after) = match hints.family {
            AddressFamily::AF_INET6 => self.answers[0],
            AddressFamily::AF_INET => self.answers[1],
            other => panic!("unexpected query family {other}"),
        };
        let result = match answer {
            Answer::Rows => Ok(self
                .rows
                .iter()
                .filter(|r| self.ignores_hints || r.1.family() == hints.family)
                .map(|r| AddrInfo {
                    family: r.1.family(),
                    kind: SocketKind::SOCK_STREAM,
                    proto: Protocol::from(libc::IPPROTO_TCP),
                    canonname: None,
                    addr: r.1.clone(),
                })
                .collect()),
            Answer::Empty => Ok(Vec::new()),
            Answer::Fail(code) => Err(Error::gai(code, None)),
        };
        Box::pin(async move {
            if !after.is_zero() {
                sleep(after).await;
            }
            result
        })
    }
}

impl Connect for Scenario {
    type Stream = FakeStream;

    async fn connect(&self, addr: SockAddr, source: Option<SockAddr>) -> Result<FakeStream> {
        let (ip, delay, outcome) = self.row(&addr);
        let stream = {
            let mut log = self.log();
            assert!(log.attempts.iter().all(|a| a.0 != ip), "{ip} attempted twice");
            log.attempts.push((ip, self.start.elapsed(), source));
            FakeStream { ip, log: Arc::clone(&self.log) }
        };
        sleep(delay).await;
        match outcome {
            Outcome::Connect => Ok(stream),
            Outcome::Fail(errno) => Err(Error::from_errno(errno)), // drops (closes) the stream
        }
    }
}

/// A "socket" that reports its closing to the scenario.
#[derive(Debug)]
pub struct FakeStream {
    pub ip: &'static str,
    log: Arc<Mutex<Log>>,
}

impl Drop for FakeStream {
    fn drop(&mut self) {
        let newly = lock(&self.log).closed.insert(self.ip);
        assert!(newly || std::thread::panicking(), "{} closed twice", self.ip);
    }
}

/// Locks the log even after a failed assertion poisoned it, so that streams dropped while a
/// test unwinds do not turn its failure into an abort.
fn lock(log: &Mutex<Log>) -> MutexGuard<'_, Log> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}
