//! Happy Eyeballs (RFC 8305) scenarios on tokio's paused clock, in the style of trio's
//! `test_highlevel_open_tcp_stream.py`: each test lists the resolver's rows, then asserts the
//! exact virtual start time of every attempt, the winner, the finish time, and that every
//! stream but the winner's was closed.
#![cfg(target_os = "linux")]

// The modules live in tests/happy_eyeballs/, which cargo does not take for test crates.

#[path = "happy_eyeballs/scenario.rs"]
mod scenario;

#[path = "happy_eyeballs/failures.rs"]
mod failures;
#[path = "happy_eyeballs/outside_tokio.rs"]
mod outside_tokio;
#[path = "happy_eyeballs/resolution.rs"]
mod resolution;
#[path = "happy_eyeballs/staggering.rs"]
mod staggering;
