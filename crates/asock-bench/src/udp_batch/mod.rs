//! Batched UDP over loopback, side by side (issue 15): a std send/recv loop, tokio's
//! `UdpSocket`, raw `sendmmsg`/`recvmmsg` (batch 32, bare and with sender addresses),
//! quinn-udp's GSO/GRO path, and asock's batch and GSO/GRO paths (`asock::batch` on blocking
//! fds). `cargo bench -p benches --bench udp_batch` and `asock bench` run these same fixtures.
//!
//! One iteration is a *round*: the sender sends [`BURST`] datagrams of the payload to the
//! receiver, the way its implementation sends best, then the receiver takes them until all
//! have arrived or the socket stays quiet for [`QUIET`]; what did not arrive is counted as
//! lost. Both ends run on one thread, so what is measured is the system calls and the
//! kernel's work per datagram, not the scheduler (loopback delivers within the sender's
//! system call). Every implementation gets the same receive buffer ([`RCVBUF`]).
//!
//! Loopback never cuts a GSO train into datagrams on the way (its MTU is 64 KiB and a
//! receiver with GRO takes the train whole), so the GSO/GRO figures are upper bounds of what
//! a real network card would give.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

pub mod asock_batch;
pub mod quinn;
pub mod raw_mmsg;
pub mod std_loop;
pub mod tokio_loop;

/// Datagrams per round.
pub const BURST: usize = 64;

/// How long a receiver waits for a datagram before counting the rest of the round as lost.
pub const QUIET: Duration = Duration::from_millis(20);

/// Receive buffer asked for on every receiver (the kernel caps it at twice `rmem_max`
/// without privileges; with them `SO_RCVBUFFORCE` gets it whole).
pub const RCVBUF: i32 = 4 << 20;

/// The most bytes of one GSO send to an IPv4 destination (asock's `IPV4_GSO_LIMIT`).
pub const GSO_LIMIT: usize = 65_507;

/// One implementation's sender and receiver, ready to run rounds.
pub trait Flood {
    /// One round: sends [`BURST`] datagrams of the payload, receives what arrives, and
    /// returns what was received.
    ///
    /// # Errors
    ///
    /// Any socket error, or data that does not add up to whole payloads.
    fn round(&mut self) -> io::Result<Received>;
}

/// What the receiver of one round took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    /// Datagrams (a GRO-coalesced message counts as its segments).
    pub datagrams: usize,
    /// Payload bytes.
    pub bytes: usize,
}

impl Received {
    /// Adds one message of `len` bytes holding `datagrams` datagrams of `payload` bytes
    /// (the last possibly shorter, which this bench never sends).
    ///
    /// # Errors
    ///
    /// `InvalidData` if the bytes are not `datagrams` whole payloads.
    pub fn add(&mut self, len: usize, datagrams: usize, payload: usize) -> io::Result<()> {
        if len != datagrams * payload {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a message of {len} bytes is not {datagrams} payloads of {payload}"),
            ));
        }
        self.datagrams += datagrams;
        self.bytes += len;
        Ok(())
    }
}

/// Rounds run and what they moved, over every run of one fixture.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Rounds run.
    pub rounds: u64,
    /// Datagrams sent.
    pub sent: u64,
    /// Datagrams received.
    pub received: u64,
    /// Payload bytes received.
    pub bytes: u64,
    /// Time the rounds took.
    pub elapsed: Duration,
}

impl Tally {
    /// Datagrams received per second.
    pub fn datagrams_per_sec(&self) -> f64 {
        self.received as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Payload MiB received per second.
    pub fn mib_per_sec(&self) -> f64 {
        self.bytes as f64 / (1 << 20) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The share of sent datagrams that never arrived.
    pub fn loss(&self) -> f64 {
        if self.sent == 0 {
            return 0.0;
        }
        (self.sent - self.received.min(self.sent)) as f64 / self.sent as f64
    }
}

/// A fixture: an implementation's [`Flood`] and its [`Tally`].
pub struct Fixture {
    flood: Box<dyn Flood>,
    /// What its rounds moved so far.
    pub tally: Tally,
}

impl std::fmt::Debug for Fixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fixture").field("tally", &self.tally).finish_non_exhaustive()
    }
}

impl Fixture {
    /// Wraps a flood.
    pub fn new(flood: Box<dyn Flood>) -> Fixture {
        Fixture { flood, tally: Tally::default() }
    }

    /// Runs `rounds` rounds and returns the time they took (criterion's `iter_custom`).
    ///
    /// # Errors
    ///
    /// As [`Flood::round`].
    pub fn run(&mut self, rounds: u64) -> io::Result<Duration> {
        let start = Instant::now();
        let mut received = Received::default();
        for _ in 0..rounds {
            let r = self.flood.round()?;
            received.datagrams += r.datagrams;
            received.bytes += r.bytes;
        }
        let elapsed = start.elapsed();
        self.tally.rounds += rounds;
        self.tally.sent += rounds * BURST as u64;
        self.tally.received += received.datagrams as u64;
        self.tally.bytes += received.bytes as u64;
        self.tally.elapsed += elapsed;
        Ok(elapsed)
    }
}

/// A constructor of one implementation's flood for a payload size.
pub type MakeFlood = fn(usize) -> io::Result<Box<dyn Flood>>;

/// The implementations of this module, in report order, by benchmark id: quinn-udp's
/// GSO/GRO path right before asock's.
pub fn impls() -> Vec<(&'static str, MakeFlood)> {
    vec![
        ("std-loop", std_loop::flood as MakeFlood),
        ("tokio", tokio_loop::flood),
        ("raw-mmsg-32", raw_mmsg::flood),
        ("raw-mmsg-32-named", raw_mmsg::named_flood),
        ("asock-batch-32", asock_batch::batch_flood),
        ("quinn-udp-gso-gro", quinn::flood),
        ("asock-gso-gro", asock_batch::gso_flood),
    ]
}

/// What each implementation is compared with in [`table`]: the ratios issue 15 sets as
/// targets.
pub fn baselines_of(name: &str) -> &'static [&'static str] {
    match name {
        "std-loop" => &[],
        "raw-mmsg-32-named" => &["raw-mmsg-32"],
        "asock-batch-32" => &["raw-mmsg-32", "raw-mmsg-32-named"],
        "asock-gso-gro" => &["quinn-udp-gso-gro", "std-loop"],
        _ => &["std-loop"],
    }
}

/// A sender and a receiver on 127.0.0.1, the receiver's buffer set to [`RCVBUF`] and its
/// receive timeout to [`QUIET`].
///
/// # Errors
///
/// Binding or configuring the sockets failed.
pub fn loopback_pair() -> io::Result<(UdpSocket, UdpSocket, SocketAddr)> {
    let tx = UdpSocket::bind("127.0.0.1:0")?;
    let rx = UdpSocket::bind("127.0.0.1:0")?;
    let rx_fd: OwnedFd = rx.as_fd().try_clone_to_owned()?;
    let opts = asock::blocking::Socket::from(rx_fd);
    if opts.options().set_option(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, RCVBUF).is_err() {
        opts.options()
            .set_option(libc::SOL_SOCKET, libc::SO_RCVBUF, RCVBUF)
            .map_err(io::Error::from)?;
    }
    rx.set_read_timeout(Some(QUIET))?;
    let to = rx.local_addr()?;
    Ok((tx, rx, to))
}

/// A payload of `len` bytes.
pub fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Whether an error means "nothing more arrived within [`QUIET`]".
pub fn is_quiet(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// One implementation's result in an [`interleaved`] run.
#[derive(Debug, Clone)]
pub struct Row {
    /// The benchmark id.
    pub name: &'static str,
    /// The payload size.
    pub payload: usize,
    /// The median time of one round over the samples.
    pub round: Duration,
    /// What all its rounds moved.
    pub tally: Tally,
}

impl Row {
    /// Datagrams delivered per second at the median round time.
    pub fn datagrams_per_sec(&self) -> f64 {
        BURST as f64 * (1.0 - self.tally.loss()) / self.round.as_secs_f64().max(1e-12)
    }

    /// Payload MiB delivered per second at the median round time.
    pub fn mib_per_sec(&self) -> f64 {
        self.datagrams_per_sec() * self.payload as f64 / (1 << 20) as f64
    }
}

/// Measures every implementation of `impls` with `payload`-byte datagrams in turn, sample
/// after sample, so that a change in the machine's load falls on all of them alike (criterion
/// measures one case after the other): `samples` samples of about `sample_time` each, the
/// rounds per sample calibrated per implementation. Returns one row per implementation; one
/// whose set-up says `Unsupported` (no GSO or GRO here) is left out with a `SKIPPED` line on
/// stderr.
///
/// # Errors
///
/// Setting up a fixture (other than `Unsupported`) or running a round failed.
pub fn interleaved(
    impls: &[(&'static str, MakeFlood)],
    payload: usize,
    samples: usize,
    sample_time: Duration,
) -> io::Result<Vec<Row>> {
    let mut runs = Vec::new();
    for (name, make) in impls {
        let flood = match make(payload) {
            Ok(flood) => flood,
            // A kernel without GSO or GRO: reported, and the others still measured.
            Err(e) if e.kind() == io::ErrorKind::Unsupported => {
                eprintln!("SKIPPED: udp_batch {name}: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut fixture = Fixture::new(flood);
        let warm = fixture.run(10)?;
        let rounds = (sample_time.as_secs_f64() / (warm.as_secs_f64() / 10.0).max(1e-9)) as u64;
        fixture.tally = Tally::default();
        runs.push((*name, fixture, rounds.max(1), Vec::with_capacity(samples)));
    }
    for _ in 0..samples {
        for (_, fixture, rounds, times) in &mut runs {
            let t = fixture.run(*rounds)?;
            times.push(t / *rounds as u32);
        }
    }
    Ok(runs
        .into_iter()
        .map(|(name, fixture, _, mut times)| {
            times.sort();
            Row { name, payload, round: times[times.len() / 2], tally: fixture.tally }
        })
        .collect())
}

/// The table of an [`interleaved`] run: datagrams/s, MiB/s, loss, and each row's ratio to
/// the rows named by `baselines_of(name)`.
pub fn table(rows: &[Row], baselines_of: impl Fn(&str) -> &'static [&'static str]) -> String {
    let mut out = format!(
        "{:<18} {:>7} {:>14} {:>10} {:>8}   ratios\n",
        "implementation", "payload", "datagrams/s", "MiB/s", "loss"
    );
    for row in rows {
        let ratios: Vec<String> = baselines_of(row.name)
            .iter()
            .filter_map(|b| rows.iter().find(|r| r.name == *b && r.payload == row.payload))
            .map(|b| format!("{:.2}x {}", row.datagrams_per_sec() / b.datagrams_per_sec(), b.name))
            .collect();
        out.push_str(&format!(
            "{:<18} {:>5} B {:>14.0} {:>10.1} {:>7.3}%   {}\n",
            row.name,
            row.payload,
            row.datagrams_per_sec(),
            row.mib_per_sec(),
            row.tally.loss() * 100.0,
            ratios.join(", "),
        ));
    }
    out
}
