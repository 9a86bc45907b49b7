//! The scenario table's machinery: a [`Case`] is a world plus what must happen in it, and
//! `scenarios!` turns each named case into two tests, one per driver of the engine:
//!
//! - `async_driver`: `asock::connect::happy_eyeballs(_to)` with the [`Scenario`] fake, on
//!   tokio's paused clock;
//! - `blocking_driver`: `asock::blocking::happy_eyeballs` with the [`FakeNetwork`] fake, on a
//!   virtual clock.
//!
//! Both assert the same things: the winner (or the error), the exact virtual finish time, the
//! exact virtual start time of every attempt, and that every stream but the winner's was
//! closed.

use std::time::Duration;

use asock::blocking::Target;
use asock::connect::ConnectOptions;
use asock::{AddressFamily, Error, Result, SockAddr};

use crate::scenario::{ms, FakeNetwork, FakeStream, Recorder, Scenario, World, HOST, PORT};

/// What the race must end with.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Unset,
    Wins(&'static str),
    WinsOneOf(&'static [&'static str]),
    Fails(fn(&Error)),
}

/// One scenario: a world, how the race is asked, and what must happen.
#[derive(Debug, Clone)]
pub struct Case {
    world: World,
    /// Race the world's addresses as a given list (the `_to` entry points), not a name.
    given: bool,
    options: ConnectOptions,
    expect: Expect,
    finish: Option<Duration>,
    starts: Option<Vec<(&'static str, Duration)>>,
    sources: Option<Vec<Option<SockAddr>>>,
    queries: Option<Vec<(AddressFamily, Duration)>>,
}

/// A race for the name [`HOST`] in `world`, with default options.
pub fn race(world: World) -> Case {
    Case {
        world,
        given: false,
        options: ConnectOptions::new(),
        expect: Expect::Unset,
        finish: None,
        starts: None,
        sources: None,
        queries: None,
    }
}

/// A race over the world's addresses, given as a list in row order (no lookup).
pub fn race_to(world: World) -> Case {
    Case { given: true, ..race(world) }
}

impl Case {
    pub fn options(mut self, options: ConnectOptions) -> Case {
        self.options = options;
        self
    }

    /// The stream to `ip` is returned.
    pub fn wins(mut self, ip: &'static str) -> Case {
        self.expect = Expect::Wins(ip);
        self
    }

    /// Exactly one of these streams is returned (they connect at the same instant).
    pub fn wins_one_of(mut self, ips: &'static [&'static str]) -> Case {
        self.expect = Expect::WinsOneOf(ips);
        self
    }

    /// The race fails; `check` asserts on the error.
    pub fn fails(mut self, check: fn(&Error)) -> Case {
        self.expect = Expect::Fails(check);
        self
    }

    /// The race ends at this virtual time.
    pub fn at(mut self, finish_ms: u64) -> Case {
        self.finish = Some(ms(finish_ms));
        self
    }

    /// Exactly these attempts start, at these virtual times, in this order.
    pub fn starts(mut self, starts: &[(&'static str, u64)]) -> Case {
        self.starts = Some(starts.iter().map(|&(ip, at)| (ip, ms(at))).collect());
        self
    }

    /// Every attempt, in start order, was given these source addresses.
    pub fn sources(mut self, sources: Vec<Option<SockAddr>>) -> Case {
        self.sources = Some(sources);
        self
    }

    /// Exactly these queries are made, at these virtual times.
    pub fn queries(mut self, queries: &[(AddressFamily, u64)]) -> Case {
        self.queries = Some(queries.iter().map(|&(f, at)| (f, ms(at))).collect());
        self
    }

    /// Asserts everything the case says against what a driver did.
    fn check(&self, result: Result<FakeStream>, finish: Duration, recorder: &Recorder) {
        match (self.expect, &result) {
            (Expect::Unset, _) => panic!("a case must say how the race ends"),
            (Expect::Wins(ip), Ok(stream)) => assert_eq!(stream.ip, ip, "the winner"),
            (Expect::WinsOneOf(ips), Ok(stream)) => {
                assert!(ips.contains(&stream.ip), "{} won, expected one of {ips:?}", stream.ip);
            }
            (Expect::Fails(check), Err(error)) => check(error),
            (_, Ok(stream)) => panic!("expected a failure, {} won", stream.ip),
            (_, Err(error)) => panic!("expected a winner, the race failed: {error:?}"),
        }
        if let Some(expected) = self.finish {
            assert_eq!(finish, expected, "finish time");
        }
        if let Some(expected) = &self.starts {
            assert_eq!(&recorder.starts(), expected, "attempt start times");
        }
        if let Some(expected) = &self.sources {
            assert_eq!(&recorder.sources(), expected, "source addresses");
        }
        if let Some(expected) = &self.queries {
            assert_eq!(&recorder.queries(), expected, "queries");
        }
        recorder.check_closed(result.as_ref().ok());
        drop(result);
        recorder.check_closed(None); // the winner, once dropped, is closed exactly once
    }
}

/// Runs `case` with the async driver (call on tokio's paused clock).
pub async fn run_async(case: Case) {
    let scenario = Scenario::from(case.world.clone());
    let options = case.options.clone();
    let (result, finish) =
        if case.given { scenario.run_to(options).await } else { scenario.run(options).await };
    case.check(result, finish, &scenario.recorder);
}

/// Runs `case` with the blocking driver on a virtual clock.
pub fn run_blocking(case: Case) {
    let mut network = FakeNetwork::new(case.world.clone());
    let addrs = case.world.addresses();
    let target = if case.given {
        Target::Addresses(&addrs)
    } else {
        Target::Name { host: HOST, port: PORT }
    };
    let result = asock::blocking::happy_eyeballs(&mut network, target, &case.options);
    let finish = network.elapsed();
    // Checked while the network lives: an attempt the race left open is still open in it.
    case.check(result, finish, &network.recorder);
}

/// `scenarios! { name => case; ... }`: for each case, a module `name` with the tests
/// `async_driver` and `blocking_driver`.
macro_rules! scenarios {
    ($($(#[$doc:meta])* $name:ident => $case:expr;)*) => {$(
        $(#[$doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
            #[tokio::test(start_paused = true)]
            async fn async_driver() {
                $crate::table::run_async($case).await;
            }

            #[test]
            fn blocking_driver() {
                $crate::table::run_blocking($case);
            }
        }
    )*};
}
