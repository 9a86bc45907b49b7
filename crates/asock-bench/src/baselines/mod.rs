//! The comparison implementations: every scenario over std::net, tokio::net and a hand-written
//! mio loop, behind one [`Fixture`] interface.
//!
//! A fixture is one scenario on one implementation, set up once (listener, connected sockets,
//! runtime, threads) and then timed over and over: [`Fixture::run`]`(iters)` performs `iters`
//! iterations and returns how long they took, which is exactly what criterion's `iter_custom`
//! wants and what a plain timing loop (the `asock bench` command) needs. What one iteration is
//! depends on the scenario ([`Scenario::unit`]).
//!
//! The implementations, by benchmark id:
//!
//! | id               | what                                                                 |
//! |------------------|----------------------------------------------------------------------|
//! | `mio-floor`      | [`mio_floor`]: one `mio::Poll` on one thread drives both endpoints    |
//! | `tokio`          | [`tokio_net`]: tokio::net on a current_thread runtime, server as tasks |
//! | `async-io`       | [`async_io_net`]: async-io's `Async<T>` under `smol::block_on`, joined |
//! | `std-same-cpu`   | [`std_net`]: blocking std::net, endpoint threads on one CPU           |
//! | `std-split`      | [`std_net`]: the same, client and server threads on two CPUs          |
//! | `std-unpinned`   | [`std_net`]: the same, left to the scheduler (bimodal here; opt-in)   |
//!
//! asock's own implementations ([`asock_impls`]) are more [`Impl`]s, each beside its baseline:
//!
//! | id                          | what                                                     |
//! |-----------------------------|----------------------------------------------------------|
//! | `asock-block-on`            | [`asock_async`]: `AsyncSocket` under `asock::block_on`    |
//! | `asock-tokio`               | [`asock_async`]: `AsyncSocket` in the tokio fixtures      |
//! | `asock-smol`                | [`asock_async`]: `AsyncSocket` under `smol::block_on`     |
//! | `asock-blocking-<pinning>`  | [`asock_blocking`]: `blocking::Socket` in the std fixtures |
//!
//! The generic bodies in [`two_threads`] (blocking) and [`async_bodies`] (async) take any
//! `Read + Write` or tokio `AsyncRead + AsyncWrite` stream (a futures-io one through
//! [`futures_io::FuturesIo`]), and [`joined`] runs them under an executor that cannot spawn, so
//! those impls are mostly constructors.

use std::fmt;
use std::io;
use std::time::Duration;

use crate::pin::Pinning;

pub mod asock_async;
pub mod asock_blocking;
pub mod async_bodies;
pub mod async_io_net;
pub mod futures_io;
pub mod joined;
pub mod mio_floor;
pub mod std_net;
pub mod tokio_net;
pub mod two_threads;

/// One scenario on one implementation, ready to be timed.
pub trait Fixture {
    /// Performs `iters` iterations of the scenario and returns the time they took, set-up
    /// excluded.
    ///
    /// # Errors
    ///
    /// Any socket error met on the way; the fixture should be dropped after one.
    fn run(&mut self, iters: u64) -> io::Result<Duration>;
}

impl<F: Fixture + ?Sized> Fixture for Box<F> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        (**self).run(iters)
    }
}

/// The scenarios of issues 4 and 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// TCP over loopback, one [`Params::msg_size`] message each way per iteration.
    TcpPingPong,
    /// TCP over loopback, [`Params::bulk_total`] bytes in [`Params::bulk_chunk`] writes, then a
    /// one-byte acknowledgement, per iteration.
    TcpBulk,
    /// Connected UDP sockets over loopback, one datagram each way per iteration.
    UdpPingPong,
    /// A UNIX stream socket pair, one message each way per iteration.
    UnixPingPong,
    /// Per iteration: the client connects, the server accepts and closes, the client reads EOF
    /// and closes.
    TcpAccept,
    /// [`Params::fan_in`] TCP connections to one server; per iteration every connection does one
    /// round trip, all in flight at once.
    TcpFanIn,
}

impl Scenario {
    /// Every scenario, in report order.
    pub const ALL: [Scenario; 6] = [
        Scenario::TcpPingPong,
        Scenario::UdpPingPong,
        Scenario::UnixPingPong,
        Scenario::TcpBulk,
        Scenario::TcpAccept,
        Scenario::TcpFanIn,
    ];

    /// The criterion group name, also the directory under `target/criterion/`.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::TcpPingPong => "tcp_pingpong",
            Scenario::TcpBulk => "tcp_bulk",
            Scenario::UdpPingPong => "udp_pingpong",
            Scenario::UnixPingPong => "unix_pingpong",
            Scenario::TcpAccept => "tcp_accept",
            Scenario::TcpFanIn => "tcp_fan_in",
        }
    }

    /// What one iteration of [`Fixture::run`] is, for reports.
    pub fn unit(self) -> &'static str {
        match self {
            Scenario::TcpPingPong | Scenario::UdpPingPong | Scenario::UnixPingPong => "round trip",
            Scenario::TcpBulk => "transfer",
            Scenario::TcpAccept => "connect+accept+close",
            Scenario::TcpFanIn => "wave (one round trip on every connection)",
        }
    }

    /// Payload bytes moved per iteration, for throughput (bulk only).
    pub fn bytes_per_iter(self, params: &Params) -> Option<u64> {
        (self == Scenario::TcpBulk).then_some(params.bulk_total)
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Sizes shared by every implementation of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Message size of the ping-pong scenarios, in bytes.
    pub msg_size: usize,
    /// Bytes per bulk transfer.
    pub bulk_total: u64,
    /// Size of each write of the bulk sender (and of the receiver's read buffer).
    pub bulk_chunk: usize,
    /// Number of connections in the fan-in scenario.
    pub fan_in: usize,
}

impl Params {
    /// The sizes of issues 4 and 7: 64 B messages, 256 MiB bulk in 64 KiB writes, 100
    /// connections.
    pub fn full() -> Params {
        Params { msg_size: 64, bulk_total: 256 << 20, bulk_chunk: 64 << 10, fan_in: 100 }
    }

    /// As [`Params::full`] with a 16 MiB bulk transfer, for quick runs.
    pub fn quick() -> Params {
        Params { bulk_total: 16 << 20, ..Params::full() }
    }
}

/// A constructor of fixtures, one per scenario.
pub type MakeFixture = Box<dyn Fn(Scenario, &Params) -> io::Result<Box<dyn Fixture>>>;

/// One implementation: a benchmark id and how to build its fixture for a scenario.
pub struct Impl {
    /// The benchmark id, such as `tokio` or `std-same-cpu`.
    pub name: String,
    /// Builds the fixture; `Ok(None)` from [`Impl::make`] means the scenario is not covered.
    make: MakeFixture,
    /// The scenarios this implementation covers.
    covers: Vec<Scenario>,
}

impl fmt::Debug for Impl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Impl").field("name", &self.name).field("covers", &self.covers).finish()
    }
}

impl Impl {
    /// An implementation covering `covers`, built by `make`.
    pub fn new(
        name: impl Into<String>,
        covers: &[Scenario],
        make: impl Fn(Scenario, &Params) -> io::Result<Box<dyn Fixture>> + 'static,
    ) -> Impl {
        Impl { name: name.into(), make: Box::new(make), covers: covers.to_vec() }
    }

    /// Whether this implementation has a fixture for `scenario`.
    pub fn covers(&self, scenario: Scenario) -> bool {
        self.covers.contains(&scenario)
    }

    /// Builds the fixture for `scenario`, or `None` if it is not covered.
    ///
    /// # Errors
    ///
    /// Setting up sockets, threads or the runtime failed.
    pub fn make(
        &self,
        scenario: Scenario,
        params: &Params,
    ) -> io::Result<Option<Box<dyn Fixture>>> {
        if !self.covers(scenario) {
            return Ok(None);
        }
        (self.make)(scenario, params).map(Some)
    }
}

/// The baselines, in report order: the mio floor, tokio, async-io, then std::net for each
/// placement in `pinnings` that this machine can provide.
pub fn baselines(pinnings: &[Pinning]) -> Vec<Impl> {
    let mut impls = vec![
        Impl::new("mio-floor", &Scenario::ALL, mio_floor::fixture),
        Impl::new("tokio", &Scenario::ALL, tokio_net::fixture),
        Impl::new("async-io", &Scenario::ALL, async_io_net::fixture),
    ];
    for &pinning in pinnings.iter().filter(|p| p.is_available()) {
        impls.push(Impl::new(format!("std-{}", pinning.name()), &Scenario::ALL, move |s, p| {
            std_net::fixture(s, p, pinning)
        }));
    }
    impls
}

/// asock's implementations: `asock-block-on`, `asock-tokio`, `asock-smol`, then
/// `blocking::Socket` for each placement in `pinnings` that this machine can provide.
pub fn asock_impls(pinnings: &[Pinning]) -> Vec<Impl> {
    let mut impls = vec![
        Impl::new("asock-block-on", &Scenario::ALL, asock_async::fixture_block_on),
        Impl::new("asock-tokio", &Scenario::ALL, asock_async::fixture_tokio),
        Impl::new("asock-smol", &Scenario::ALL, asock_async::fixture_smol),
    ];
    for &pinning in pinnings.iter().filter(|p| p.is_available()) {
        impls.push(Impl::new(
            format!("asock-blocking-{}", pinning.name()),
            &Scenario::ALL,
            move |s, p| asock_blocking::fixture(s, p, pinning),
        ));
    }
    impls
}

/// Every implementation, each asock one right after its baseline (the order criterion runs
/// them in): `mio-floor`, `asock-block-on`, `tokio`, `asock-tokio`, `async-io`, `asock-smol`,
/// then std and `blocking::Socket` per placement.
pub fn all(pinnings: &[Pinning]) -> Vec<Impl> {
    let mut ours = asock_impls(pinnings).into_iter();
    let mut impls = Vec::new();
    for theirs in baselines(pinnings) {
        impls.push(theirs);
        impls.extend(ours.next());
    }
    impls.extend(ours);
    impls
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every implementation runs every scenario, with a small bulk so the test stays quick.
    #[test]
    fn every_impl_runs_every_scenario() {
        let params = Params { bulk_total: 1 << 20, fan_in: 8, ..Params::full() };
        for imp in all(&Pinning::ALL) {
            for scenario in Scenario::ALL {
                let mut fixture = imp.make(scenario, &params).unwrap().unwrap();
                for iters in [1, 3] {
                    let took = fixture
                        .run(iters)
                        .unwrap_or_else(|e| panic!("{}/{scenario}: {e}", imp.name));
                    assert!(took > Duration::ZERO, "{}/{scenario}", imp.name);
                }
            }
        }
    }

    #[test]
    fn each_asock_impl_follows_its_baseline() {
        let names: Vec<String> =
            all(&[Pinning::SameCpu, Pinning::Split]).into_iter().map(|i| i.name).collect();
        let pairs = [
            ("mio-floor", "asock-block-on"),
            ("tokio", "asock-tokio"),
            ("async-io", "asock-smol"),
            ("std-same-cpu", "asock-blocking-same-cpu"),
        ];
        for (theirs, ours) in pairs {
            let at = names.iter().position(|n| n == theirs).unwrap();
            assert_eq!(names[at + 1], ours, "{names:?}");
        }
    }
}
