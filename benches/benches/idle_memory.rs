//! Idle memory per connection: the user-space bytes each implementation holds per open, idle
//! loopback TCP connection (issue 7's "10,000 open sockets").
//!
//! Not a criterion timing bench: it counts bytes, once, with a counting global allocator
//! installed here and `/proc/self/statm`. What is counted is described in `benches::idle`
//! and docs/benchmarks.md ("Idle memory per connection").
//!
//! Both ends of every connection live in this process, so `n` connections take `2n` fds. The
//! target is 10,000, capped by the fd limit: with `ulimit -n` 20,000 that is 9,000 (the
//! largest thousand that leaves room for the listener, the runtimes, the reactors and stdio).
//! Each implementation's connections are closed before the next one's are opened.
//!
//! `--test` (as `cargo bench -- --test` passes to every bench), or no `--bench` (as
//! `cargo test --benches` runs it): 200 connections, which proves it runs in a second.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use asock_bench::idle::{self, CountingAlloc, Impl};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const WANT: usize = 10_000;
const QUICK: usize = 200;
/// fds kept free for the listener, the runtime's epoll and eventfd, the own reactor's, stdio.
const RESERVE: usize = 64;
/// Per implementation; five of them stay under a minute.
const LIMIT: Duration = Duration::from_secs(11);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench");
    let n = if quick {
        QUICK
    } else {
        match idle::connection_budget(WANT, RESERVE) {
            Ok(n) if n > 0 => n,
            Ok(_) => {
                eprintln!("idle_memory: the fd limit leaves no room for connections");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("idle_memory: fd budget: {e}");
                return ExitCode::FAILURE;
            }
        }
    };
    let start = Instant::now();
    let mut rows = Vec::new();
    for imp in Impl::ALL {
        match idle::measure(imp, n, LIMIT) {
            Ok(m) => {
                eprintln!("idle_memory: {:<15} {n} connections in {:.2?}", imp.name(), m.elapsed);
                rows.push(m);
            }
            Err(e) => {
                eprintln!("idle_memory: {}: {e}", imp.name());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("idle memory per connection, {n} idle loopback TCP connections (client ends):");
    print!("{}", idle::table(&rows));
    println!("({:.1?} in all{})", start.elapsed(), if quick { ", test mode" } else { "" });
    ExitCode::SUCCESS
}
