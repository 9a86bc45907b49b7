//! The side-by-side network benchmarks of issues 4 and 7: one criterion group per scenario, one
//! bench function per implementation, so the HTML report plots them together.
//!
//! ```text
//! cargo bench -p benches --bench net                          # full run, a few minutes
//! ASOCK_BENCH_QUICK=1 cargo bench -p benches --bench net      # quick: short times, 16 MiB bulk
//! cargo bench -p benches --bench net -- tcp_pingpong          # one scenario
//! cargo bench -p benches --bench net -- --test                # each case once, measures nothing
//! ```
//!
//! Environment knobs: `ASOCK_BENCH_QUICK=1`, `ASOCK_BENCH_UNPINNED=1` (adds the `-unpinned`
//! blocking impls, bimodal on this machine), `ASOCK_BENCH_BULK_MIB=N` (bulk transfer size).
//! Implementations and scenarios live in `benches/src/baselines/`; `docs/benchmarks.md` has the
//! figures.

use std::time::Duration;

use asock_bench::baselines::{self, Fixture, Impl, Params, Scenario};
use asock_bench::pin::Pinning;
use criterion::{Criterion, SamplingMode, Throughput};

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Quick mode, or criterion's `--test` (each case once): sizes that keep the run short.
fn quick() -> bool {
    env_flag("ASOCK_BENCH_QUICK") || std::env::args().any(|a| a == "--test")
}

fn params() -> Params {
    let mut params = if quick() { Params::quick() } else { Params::full() };
    if let Some(mib) =
        std::env::var("ASOCK_BENCH_BULK_MIB").ok().and_then(|v| v.parse::<u64>().ok())
    {
        params.bulk_total = mib.max(1) << 20;
    }
    params
}

fn impls() -> Vec<Impl> {
    let mut pinnings = vec![Pinning::SameCpu, Pinning::Split];
    if env_flag("ASOCK_BENCH_UNPINNED") {
        pinnings.push(Pinning::Unpinned);
    }
    for p in &pinnings {
        if !p.is_available() {
            eprintln!("SKIPPED: std-{}: this machine cannot provide that placement", p.name());
        }
    }
    baselines::all(&pinnings)
}

fn config() -> Criterion {
    let (warm_up, measure) = if quick() { (0.3, 1.0) } else { (1.0, 3.0) };
    Criterion::default()
        .warm_up_time(Duration::from_secs_f64(warm_up))
        .measurement_time(Duration::from_secs_f64(measure))
        .configure_from_args()
}

fn net(c: &mut Criterion) {
    let params = params();
    let impls = impls();
    for scenario in Scenario::ALL {
        let mut group = c.benchmark_group(scenario.name());
        if let Some(bytes) = scenario.bytes_per_iter(&params) {
            // One iteration moves the whole transfer (up to 256 MiB, ~0.1 s): a few flat samples.
            group.throughput(Throughput::Bytes(bytes));
            group.sampling_mode(SamplingMode::Flat).sample_size(10);
        }
        if scenario == Scenario::TcpFanIn {
            // ~0.5 ms per wave: 100 linear samples would need more than the 3 s measurement.
            group.sample_size(50);
        }
        for imp in impls.iter().filter(|imp| imp.covers(scenario)) {
            // Built on first use, so a filtered-out bench never sets up its sockets or threads.
            let mut fixture: Option<Box<dyn Fixture>> = None;
            group.bench_function(imp.name.as_str(), |b| {
                let fixture = fixture.get_or_insert_with(|| {
                    imp.make(scenario, &params)
                        .and_then(|f| f.ok_or_else(|| std::io::Error::other("not covered")))
                        .unwrap_or_else(|e| panic!("{scenario}/{}: set-up failed: {e}", imp.name))
                });
                b.iter_custom(|iters| {
                    fixture.run(iters).unwrap_or_else(|e| panic!("{scenario}/{}: {e}", imp.name))
                });
            });
        }
        group.finish();
    }
}

fn main() {
    // What criterion_main! does, written out: its macros generate undocumented items.
    let mut criterion = config();
    net(&mut criterion);
    criterion.final_summary();
}
