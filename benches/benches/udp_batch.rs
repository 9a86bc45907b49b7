//! Batched UDP side by side (issue 15): a std loop, tokio, raw `sendmmsg`/`recvmmsg` (batch
//! 32), quinn-udp's GSO/GRO path, and asock's batch and GSO/GRO paths, each with a 1200-byte
//! and a 64-byte payload. One criterion group per payload, one bench per implementation;
//! criterion reports datagrams/s; a table at the end, from samples of every implementation
//! taken in turn, gives datagrams/s, MiB/s, loss and the ratios the issue sets as targets.
//!
//! ```text
//! cargo bench -p benches --bench udp_batch                      # full run, about a minute
//! ASOCK_BENCH_QUICK=1 cargo bench -p benches --bench udp_batch  # quick: short times
//! cargo bench -p benches --bench udp_batch -- --test            # each case once
//! ```
//!
//! Knobs for the table: `ASOCK_BENCH_SAMPLES=N` (samples per implementation, default 15,
//! quick 3), `ASOCK_BENCH_IMPLS=a,b` (only these implementations).
//!
//! The fixtures live in `benches/src/udp_batch/`; quinn-udp's is here because quinn-udp is a
//! dev-dependency of this package. docs/batched-udp.md has the figures.

use std::io::{self, IoSliceMut};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use benches::udp_batch::{
    self, loopback_pair, payload, Fixture, Flood, MakeFlood, Received, BURST, GSO_LIMIT, QUIET,
};
use criterion::{Criterion, Throughput};
use quinn_udp::{RecvMeta, Transmit, UdpSockRef, UdpSocketState};

/// The two payload sizes of issue 15.
const PAYLOADS: [usize; 2] = [1200, 64];

/// quinn-udp's GSO/GRO path: `UdpSocketState::try_send` of trains as long as one send may
/// carry, `recv` into 64 KiB buffers with GRO (quinn-udp turns it on itself).
struct Quinn {
    tx: UdpSocket,
    rx: UdpSocket,
    tx_state: UdpSocketState,
    rx_state: UdpSocketState,
    to: SocketAddr,
    round: Vec<u8>,
    payload: usize,
    train: usize,
    bufs: Vec<Vec<u8>>,
    metas: Vec<RecvMeta>,
}

fn quinn_flood(payload_len: usize) -> io::Result<Box<dyn Flood>> {
    let (tx, rx, to) = loopback_pair()?;
    // quinn-udp makes both sockets non-blocking.
    let tx_state = UdpSocketState::new(UdpSockRef::from(&tx))?;
    let rx_state = UdpSocketState::new(UdpSockRef::from(&rx))?;
    if tx_state.max_gso_segments() < 2 || rx_state.gro_segments() < 2 {
        return Err(io::Error::new(io::ErrorKind::Unsupported, "quinn-udp sees no GSO/GRO"));
    }
    let train = tx_state.max_gso_segments().min(GSO_LIMIT / payload_len).max(1);
    let slots = quinn_udp::BATCH_SIZE.min(32);
    Ok(Box::new(Quinn {
        tx,
        rx,
        tx_state,
        rx_state,
        to,
        round: payload(payload_len).repeat(BURST),
        payload: payload_len,
        train,
        bufs: vec![vec![0; 65_535]; slots],
        metas: vec![RecvMeta::default(); slots],
    }))
}

impl Flood for Quinn {
    fn round(&mut self) -> io::Result<Received> {
        for contents in self.round.chunks(self.payload * self.train) {
            let transmit = Transmit {
                destination: self.to,
                ecn: None,
                contents,
                segment_size: (contents.len() > self.payload).then_some(self.payload),
                src_ip: None,
            };
            loop {
                match self.tx_state.try_send(UdpSockRef::from(&self.tx), &transmit) {
                    Ok(()) => break,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::hint::spin_loop(),
                    Err(e) => return Err(e),
                }
            }
        }
        let mut got = Received::default();
        let mut last = Instant::now();
        while got.datagrams < BURST {
            let mut bufs: Vec<IoSliceMut<'_>> =
                self.bufs.iter_mut().map(|b| IoSliceMut::new(b)).collect();
            match self.rx_state.recv(UdpSockRef::from(&self.rx), &mut bufs, &mut self.metas) {
                Ok(k) => {
                    for m in &self.metas[..k] {
                        got.add(m.len, m.len.div_ceil(m.stride.max(1)), self.payload)?;
                    }
                    last = Instant::now();
                }
                // Non-blocking: wait for the rest by polling, up to QUIET.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if last.elapsed() > QUIET {
                        break;
                    }
                    std::hint::spin_loop();
                }
                Err(e) => return Err(e),
            }
        }
        Ok(got)
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

fn quick() -> bool {
    env_flag("ASOCK_BENCH_QUICK") || std::env::args().any(|a| a == "--test")
}

fn config() -> Criterion {
    let (warm_up, measure) = if quick() { (0.2, 0.5) } else { (1.0, 3.0) };
    Criterion::default()
        .warm_up_time(Duration::from_secs_f64(warm_up))
        .measurement_time(Duration::from_secs_f64(measure))
        .configure_from_args()
}

/// Every implementation, quinn-udp's GSO/GRO path right before asock's.
fn impls() -> Vec<(&'static str, MakeFlood)> {
    let mut impls = udp_batch::impls();
    impls.insert(impls.len() - 1, ("quinn-udp-gso-gro", quinn_flood));
    impls
}

fn udp_batch(c: &mut Criterion) {
    let impls = impls();
    for payload_len in PAYLOADS {
        let name = format!("udp_batch_{payload_len}");
        let mut group = c.benchmark_group(&name);
        group.throughput(Throughput::Elements(BURST as u64));
        for (id, make) in &impls {
            // Built on first use, so a filtered-out bench never sets up its sockets.
            let mut fixture: Option<Fixture> = None;
            group.bench_function(*id, |b| {
                let fixture = fixture.get_or_insert_with(|| {
                    Fixture::new(
                        make(payload_len)
                            .unwrap_or_else(|e| panic!("{name}/{id}: set-up failed: {e}")),
                    )
                });
                b.iter_custom(|rounds| {
                    fixture.run(rounds).unwrap_or_else(|e| panic!("{name}/{id}: {e}"))
                });
            });
        }
        group.finish();
    }
}

/// What each implementation is compared with in the table.
fn baselines_of(name: &str) -> &'static [&'static str] {
    match name {
        "std-loop" => &[],
        "raw-mmsg-32-named" => &["raw-mmsg-32"],
        "asock-batch-32" => &["raw-mmsg-32", "raw-mmsg-32-named"],
        "asock-gso-gro" => &["quinn-udp-gso-gro", "std-loop"],
        _ => &["std-loop"],
    }
}

fn main() {
    // What criterion_main! does, written out: its macros generate undocumented items.
    let mut criterion = config();
    udp_batch(&mut criterion);
    criterion.final_summary();

    // The table: every implementation measured in turn, sample after sample.
    let (mut samples, sample_time) =
        if quick() { (3, Duration::from_millis(20)) } else { (15, Duration::from_millis(150)) };
    if let Some(n) = std::env::var("ASOCK_BENCH_SAMPLES").ok().and_then(|v| v.parse().ok()) {
        samples = n;
    }
    // ASOCK_BENCH_IMPLS=raw-mmsg-32,asock-batch-32: only these in the table.
    let only = std::env::var("ASOCK_BENCH_IMPLS").ok();
    let table_impls: Vec<_> = impls()
        .into_iter()
        .filter(|(id, _)| only.as_deref().is_none_or(|list| list.split(',').any(|x| x == *id)))
        .collect();
    println!(
        "\nudp_batch: {BURST} datagrams per round over 127.0.0.1, sender and receiver on one \
         thread; median of {samples} interleaved samples"
    );
    for payload_len in PAYLOADS {
        let rows = udp_batch::interleaved(&table_impls, payload_len, samples, sample_time)
            .unwrap_or_else(|e| panic!("udp_batch table, {payload_len} B: {e}"));
        print!("{}", udp_batch::table(&rows, baselines_of));
    }
}
