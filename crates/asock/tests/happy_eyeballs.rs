//! Happy Eyeballs (RFC 8305) scenarios in the style of trio's
//! `test_highlevel_open_tcp_stream.py`: one table of cases, each a fake world (rows of
//! address, connect delay and outcome, plus when each query answers) and what must happen in
//! it, run by both drivers of the one engine: the async driver on tokio's paused clock, the
//! blocking driver on a virtual clock. Each asserts the exact virtual start time of every
//! attempt, the winner or the error, the finish time, and that every stream but the winner's
//! was closed.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]
#![cfg(target_os = "linux")]

// The modules live in tests/happy_eyeballs/, which cargo does not take for test crates.

#[path = "happy_eyeballs/scenario.rs"]
mod scenario;
#[path = "happy_eyeballs/table.rs"]
#[macro_use]
mod table;

#[path = "happy_eyeballs/failures.rs"]
mod failures;
#[path = "happy_eyeballs/lists.rs"]
mod lists;
#[path = "happy_eyeballs/resolution.rs"]
mod resolution;
#[path = "happy_eyeballs/staggering.rs"]
mod staggering;

#[path = "happy_eyeballs/async_only.rs"]
mod async_only;
#[path = "happy_eyeballs/outside_tokio.rs"]
mod outside_tokio;
