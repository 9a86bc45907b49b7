//! `asock bench`: every scenario of the benchmark suite on every implementation, in one
//! process, as one table of medians and ratios.
//!
//! The fixtures are the criterion suite's own (the `asock-bench` crate: `baselines` and
//! `udp_batch`), so the command and `cargo bench` measure the same code; this runner trades
//! criterion's statistics for a
//! bounded run: a calibrated number of iterations per sample, a fixed number of samples, the
//! median of their per-iteration times. Each asock implementation is compared with the one it
//! aims to match or beat: `blocking::Socket` with std::net on the same CPU placement, asock on
//! tokio with tokio::net, asock under `asock::block_on` with the hand-written mio loop, asock
//! under `smol::block_on` with async-io's `Async<T>`. Batched UDP (issue 15) follows as its
//! own table: a std loop, tokio, raw `sendmmsg`/`recvmmsg`, asock's batch path, quinn-udp's
//! GSO/GRO path and asock's, at 1200 and 64 bytes a datagram.

use std::time::{Duration, Instant};

use asock_bench::baselines::{self, Fixture, Impl, Params, Scenario};
use asock_bench::pin::Pinning;
use asock_bench::udp_batch;

use crate::args::BenchArgs;
use crate::failure::Failure;
use crate::output::TARGET;

/// How long to measure: the quick mode keeps a whole run under a minute on 2 cores.
#[derive(Clone, Copy)]
struct Budget {
    samples: usize,
    sample_time: Duration,
}

const QUICK: Budget = Budget { samples: 9, sample_time: Duration::from_millis(40) };
const FULL: Budget = Budget { samples: 15, sample_time: Duration::from_millis(150) };

/// The udp_batch table's budgets: the criterion bench's table uses the same (3 x 20 ms quick,
/// 15 x 150 ms full); quick takes 5 samples so that its median is not one of two extremes.
const UDP_QUICK: Budget = Budget { samples: 5, sample_time: Duration::from_millis(20) };
const UDP_FULL: Budget = Budget { samples: 15, sample_time: Duration::from_millis(150) };

/// The two payload sizes of issue 15, as in `cargo bench --bench udp_batch`.
const UDP_PAYLOADS: [usize; 2] = [1200, 64];

/// One implementation's figure for one scenario.
struct Row {
    scenario: Scenario,
    name: String,
    per_iter: Duration,
}

/// Runs the subcommand.
pub fn run(args: BenchArgs) -> Result<(), Failure> {
    let (budget, params) =
        if args.quick { (QUICK, Params::quick()) } else { (FULL, Params::full()) };
    let filter = args.filter.as_str();
    // Unpinned blocking figures are bimodal on this kind of machine; report the two pinned
    // placements, which are each repeatable.
    let impls: Vec<Impl> = baselines::all(&[Pinning::SameCpu, Pinning::Split]);
    let started = Instant::now();
    let mut rows = Vec::new();
    for scenario in Scenario::ALL {
        let chosen: Vec<&Impl> =
            impls.iter().filter(|i| format!("{scenario}/{}", i.name).contains(filter)).collect();
        if chosen.is_empty() {
            continue;
        }
        tracing::info!(target: TARGET, "{scenario}: {} implementations", chosen.len());
        rows.extend(measure_scenario(scenario, &chosen, &params, budget));
    }
    let udp_tables = udp_batch_tables(filter, if args.quick { UDP_QUICK } else { UDP_FULL })?;
    tracing::info!(target: TARGET, "measured in {:.1} s", started.elapsed().as_secs_f64());
    if !rows.is_empty() {
        print_table(&rows, &params);
    }
    for table in udp_tables {
        println!();
        print!("{table}");
    }
    Ok(())
}

/// The batched-UDP comparison, one table per payload size, of the implementations whose
/// `udp_batch_<payload>/<name>` contains `filter`.
fn udp_batch_tables(filter: &str, budget: Budget) -> Result<Vec<String>, Failure> {
    let mut tables = Vec::new();
    for payload in UDP_PAYLOADS {
        let chosen: Vec<_> = udp_batch::impls()
            .into_iter()
            .filter(|(name, _)| format!("udp_batch_{payload}/{name}").contains(filter))
            .collect();
        if chosen.is_empty() {
            continue;
        }
        tracing::info!(target: TARGET, "udp_batch_{payload}: {} implementations", chosen.len());
        let rows = udp_batch::interleaved(&chosen, payload, budget.samples, budget.sample_time)?;
        tables.push(format!(
            "udp_batch, {payload}-byte datagrams: {} per round over 127.0.0.1, sender and \
             receiver on one thread; median of {} interleaved samples\n{}",
            udp_batch::BURST,
            budget.samples,
            udp_batch::table(&rows, udp_batch::baselines_of)
        ));
    }
    Ok(tables)
}

/// A fixture ready to be sampled: calibrated to `budget.sample_time` per sample.
struct Contender {
    name: String,
    fixture: Box<dyn Fixture>,
    iters: u64,
    samples: Vec<f64>,
}

/// Measures every implementation of one scenario, sample by sample in turn, so that a
/// disturbance (another process, a frequency change) lands on all of them alike rather than
/// on whichever happened to run then. Returns the median per-iteration time of each.
fn measure_scenario(
    scenario: Scenario,
    impls: &[&Impl],
    params: &Params,
    budget: Budget,
) -> Vec<Row> {
    let mut contenders = Vec::new();
    for imp in impls {
        match imp.make(scenario, params).and_then(|f| f.map(|f| calibrate(f, budget)).transpose()) {
            Ok(Some((fixture, iters))) => contenders.push(Contender {
                name: imp.name.clone(),
                fixture,
                iters,
                samples: Vec::new(),
            }),
            Ok(None) => {}
            Err(e) => tracing::warn!(target: TARGET, "  {}: failed to set up: {e}", imp.name),
        }
    }
    for _ in 0..budget.samples {
        for c in contenders.iter_mut().filter(|c| c.samples.len() < budget.samples) {
            match c.fixture.run(c.iters) {
                Ok(took) => c.samples.push(took.as_secs_f64() / c.iters as f64),
                Err(e) => {
                    tracing::warn!(target: TARGET, "  {}: failed: {e}", c.name);
                    c.samples.clear();
                    c.samples.resize(budget.samples, f64::NAN);
                }
            }
        }
    }
    contenders
        .into_iter()
        .filter(|c| c.samples.iter().all(|s| s.is_finite()))
        .map(|mut c| {
            c.samples.sort_by(f64::total_cmp);
            let per_iter = Duration::from_secs_f64(c.samples[c.samples.len() / 2]);
            tracing::info!(target: TARGET, "  {:<26} {}", c.name, human(per_iter));
            Row { scenario, name: c.name, per_iter }
        })
        .collect()
}

/// Warms the fixture up and finds how many iterations fill one sample.
fn calibrate(
    mut fixture: Box<dyn Fixture>,
    budget: Budget,
) -> std::io::Result<(Box<dyn Fixture>, u64)> {
    let mut iters = 1u64;
    loop {
        let took = fixture.run(iters)?;
        if took >= budget.sample_time / 4 || iters >= 1 << 24 {
            let per_iter = took.as_secs_f64() / iters as f64;
            let iters = ((budget.sample_time.as_secs_f64() / per_iter.max(1e-9)) as u64).max(1);
            return Ok((fixture, iters));
        }
        iters *= 4;
    }
}

/// The implementation each asock one is measured against.
fn baseline_of(name: &str) -> Option<&'static str> {
    match name {
        "asock-block-on" => Some("mio-floor"),
        "asock-tokio" => Some("tokio"),
        "asock-smol" => Some("async-io"),
        "asock-blocking-same-cpu" => Some("std-same-cpu"),
        "asock-blocking-split" => Some("std-split"),
        _ => None,
    }
}

fn print_table(rows: &[Row], params: &Params) {
    println!();
    println!(
        "{:<14} {:<24} {:>12} {:>12}  {:<18}",
        "scenario", "implementation", "median", "per second", "ratio"
    );
    for row in rows {
        let rate = match row.scenario.bytes_per_iter(params) {
            Some(bytes) => format!(
                "{:.0} MiB/s",
                bytes as f64 / row.per_iter.as_secs_f64() / f64::from(1 << 20)
            ),
            None => format!("{:.0}/s", 1.0 / row.per_iter.as_secs_f64()),
        };
        let ratio = baseline_of(&row.name)
            .and_then(|base| {
                rows.iter()
                    .find(|r| r.scenario == row.scenario && r.name == base)
                    .map(|b| (base, b))
            })
            .map(|(base, b)| {
                format!("{:.2} x {base}", row.per_iter.as_secs_f64() / b.per_iter.as_secs_f64())
            })
            .unwrap_or_default();
        println!(
            "{:<14} {:<24} {:>12} {:>12}  {ratio}",
            row.scenario.name(),
            row.name,
            human(row.per_iter),
            rate
        );
    }
    println!();
    println!("ratio = asock's median time / its baseline's (below 1.00 is faster); one");
    println!("iteration is one round trip (ping-pong), one transfer (bulk), one connection");
    println!("(accept) or one round trip on every connection (fan-in).");
}

fn human(d: Duration) -> String {
    let ns = d.as_secs_f64() * 1e9;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asock_impl_has_a_baseline_in_the_suite() {
        let impls = baselines::all(&[Pinning::SameCpu, Pinning::Split]);
        for imp in impls.iter().filter(|i| i.name.starts_with("asock")) {
            let base =
                baseline_of(&imp.name).unwrap_or_else(|| panic!("{} has no baseline", imp.name));
            assert!(impls.iter().any(|i| i.name == base), "{base} is not in the suite");
        }
    }

    #[test]
    fn durations_print_in_a_readable_unit() {
        assert_eq!(human(Duration::from_nanos(850)), "850 ns");
        assert_eq!(human(Duration::from_nanos(3_120)), "3.12 µs");
        assert_eq!(human(Duration::from_micros(2_500)), "2.50 ms");
    }
}
