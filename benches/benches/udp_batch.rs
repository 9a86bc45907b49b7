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
//! The fixtures live in `crates/asock-bench/src/udp_batch/` (`asock bench` runs them too);
//! docs/batched-udp.md has the figures.

use std::time::Duration;

use asock_bench::udp_batch::{self, Fixture, BURST};
use criterion::{Criterion, Throughput};

/// The two payload sizes of issue 15.
const PAYLOADS: [usize; 2] = [1200, 64];

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

fn udp_batch(c: &mut Criterion) {
    let impls = udp_batch::impls();
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
    let table_impls: Vec<_> = udp_batch::impls()
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
        print!("{}", udp_batch::table(&rows, udp_batch::baselines_of));
    }
}
