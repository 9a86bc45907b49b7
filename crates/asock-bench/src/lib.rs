//! The benchmark engine of asock: every fixture that `asock bench` (crate `asock-cli`) and
//! the criterion benches (package `benches` in asock's workspace) time, so both measure the
//! same code.
//!
//! - [`baselines`]: the network scenarios (ping-pong, bulk, accept, fan-in) on std::net,
//!   tokio::net, a mio loop, async-io and asock.
//! - [`udp_batch`]: batched UDP (a std loop, tokio, raw `sendmmsg`/`recvmmsg`, quinn-udp's
//!   GSO/GRO path, asock's batch and GSO/GRO paths).
//! - [`idle`]: user-space memory per idle connection.
//! - [`pin`]: the CPU placements of the blocking fixtures.
//!
//! It is published so that `cargo install asock-cli` can build `asock bench`; its API serves
//! those two users and may change with any release.
//!
//! Loopback figures on this machine are bimodal when the two endpoint threads float: a round
//! trip costs ~3.5 µs when both run on one CPU and ~60 µs when each wake-up crosses vCPUs.
//! [`pin_current_thread`] puts both endpoints on one CPU so that what is measured is the
//! socket code, not the scheduler.

pub mod baselines;
pub mod idle;
pub mod pin;
pub mod udp_batch;

use std::io;
use std::mem::size_of;

/// The first CPU the calling thread may run on (`sched_getaffinity`).
///
/// # Errors
///
/// The errno of `sched_getaffinity`; `ENODEV` if the mask is empty.
pub fn first_allowed_cpu() -> io::Result<usize> {
    // SAFETY: cpu_set_t is a plain bit array; all zeroes is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a live cpu_set_t and the size passed is its size.
    let rc = unsafe { libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    (0..libc::CPU_SETSIZE as usize)
        // SAFETY: `cpu` is below CPU_SETSIZE, the number of bits in `set`.
        .find(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .ok_or_else(|| io::Error::from_raw_os_error(libc::ENODEV))
}

/// Pins the calling thread to `cpu` (`sched_setaffinity(0, ...)`).
///
/// # Errors
///
/// `EINVAL` for a CPU outside the allowed set, `InvalidInput` past `CPU_SETSIZE`.
pub fn pin_current_thread(cpu: usize) -> io::Result<()> {
    if cpu >= libc::CPU_SETSIZE as usize {
        return Err(io::ErrorKind::InvalidInput.into());
    }
    // SAFETY: cpu_set_t is a plain bit array; all zeroes is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `cpu` is below CPU_SETSIZE (checked above), so the bit is inside `set`.
    unsafe { libc::CPU_SET(cpu, &mut set) };
    // SAFETY: `set` is a live cpu_set_t and the size passed is its size.
    let rc = unsafe { libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &set) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
