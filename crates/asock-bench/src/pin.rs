//! CPU pinning for the blocking benchmarks.
//!
//! A blocking ping-pong has its two endpoints on two threads, and each round trip wakes the
//! other thread twice. On the 2-vCPU KVM guest these benches were written on, a wake-up that
//! crosses vCPUs costs about 30 µs each way while a whole loopback round trip on one CPU costs
//! about 3 µs, so where the scheduler happens to put the two threads decides the result: an
//! unpinned run is bimodal (about 3.5 µs or 60 µs per round trip). Pinning makes the two cases
//! separate, repeatable measurements: [`Pinning::SameCpu`] (both endpoints on one CPU, the
//! wake-up is a context switch) and [`Pinning::Split`] (one CPU each, the wake-up is an IPI).
//!
//! The CPUs are taken from the process's own affinity mask (the first and second allowed CPU),
//! so the benches respect `taskset` and cgroup cpusets. Pinning itself is the crate's
//! [`pin_current_thread`](crate::pin_current_thread); this module adds the placements and the
//! second CPU that [`Pinning::Split`] needs.

use std::io;
use std::mem;

/// Where the endpoint threads of a blocking benchmark run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pinning {
    /// No affinity is set; the scheduler places the threads (results are bimodal here).
    Unpinned,
    /// Client and server threads both pinned to the first allowed CPU.
    SameCpu,
    /// Client on the first allowed CPU, server(s) on the second.
    Split,
}

impl Pinning {
    /// All three placements, in the order the benches report them.
    pub const ALL: [Pinning; 3] = [Pinning::SameCpu, Pinning::Split, Pinning::Unpinned];

    /// Short name used in benchmark ids: `same-cpu`, `split` or `unpinned`.
    pub fn name(self) -> &'static str {
        match self {
            Pinning::Unpinned => "unpinned",
            Pinning::SameCpu => "same-cpu",
            Pinning::Split => "split",
        }
    }

    /// The CPU for the client thread, or `None` to leave it unpinned.
    ///
    /// # Errors
    ///
    /// The affinity mask cannot be read, or it allows fewer CPUs than the placement needs.
    pub fn client_cpu(self) -> io::Result<Option<usize>> {
        self.cpu(0)
    }

    /// The CPU for the server thread(s), or `None` to leave them unpinned.
    ///
    /// # Errors
    ///
    /// The affinity mask cannot be read, or it allows fewer CPUs than the placement needs
    /// ([`Pinning::Split`] on a one-CPU machine).
    pub fn server_cpu(self) -> io::Result<Option<usize>> {
        self.cpu(match self {
            Pinning::Split => 1,
            _ => 0,
        })
    }

    /// Whether this machine can provide the placement (`Split` needs two allowed CPUs).
    pub fn is_available(self) -> bool {
        self.server_cpu().is_ok()
    }

    fn cpu(self, nth: usize) -> io::Result<Option<usize>> {
        if self == Pinning::Unpinned {
            return Ok(None);
        }
        let cpus = allowed_cpus()?;
        cpus.get(nth).copied().map(Some).ok_or_else(|| {
            io::Error::other(format!(
                "pinning {}: needs {} allowed CPUs, the affinity mask has {}",
                self.name(),
                nth + 1,
                cpus.len()
            ))
        })
    }
}

/// Pins the calling thread to `cpu` with [`crate::pin_current_thread`], or does nothing for
/// `None` (unpinned).
///
/// # Errors
///
/// As [`crate::pin_current_thread`].
pub fn pin_to(cpu: Option<usize>) -> io::Result<()> {
    cpu.map_or(Ok(()), crate::pin_current_thread)
}

/// The CPUs the calling thread may run on, in ascending order (`sched_getaffinity(0, ...)`).
///
/// # Errors
///
/// The kernel refuses the call (it does not with a `cpu_set_t`-sized buffer on Linux).
pub fn allowed_cpus() -> io::Result<Vec<usize>> {
    // SAFETY: all-zero bytes is a valid empty cpu_set_t.
    let mut set: libc::cpu_set_t = unsafe { mem::zeroed() };
    // SAFETY: `set` is writable and exactly the size passed; pid 0 is the calling thread.
    let rc = unsafe { libc::sched_getaffinity(0, mem::size_of::<libc::cpu_set_t>(), &mut set) };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok((0..libc::CPU_SETSIZE as usize)
        // SAFETY: every `cpu` here is below CPU_SETSIZE, so the bit is inside `set`.
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_cpu_puts_both_endpoints_on_the_first_allowed_cpu() {
        let first = crate::first_allowed_cpu().unwrap();
        assert_eq!(allowed_cpus().unwrap()[0], first);
        assert_eq!(Pinning::SameCpu.client_cpu().unwrap(), Some(first));
        assert_eq!(Pinning::SameCpu.server_cpu().unwrap(), Some(first));
        assert_eq!(Pinning::Unpinned.server_cpu().unwrap(), None);
    }

    #[test]
    fn a_pinned_thread_reports_only_its_cpu() {
        let cpu = *allowed_cpus().unwrap().last().unwrap();
        let seen = std::thread::spawn(move || {
            pin_to(Some(cpu)).unwrap();
            allowed_cpus().unwrap()
        })
        .join()
        .unwrap();
        assert_eq!(seen, vec![cpu]);
    }

    #[test]
    fn an_impossible_cpu_is_an_error_not_a_panic() {
        assert!(pin_to(Some(usize::MAX)).is_err());
        assert!(pin_to(None).is_ok());
    }
}
