//! Fault: the process is out of fds (`EMFILE`) before asock's own reactor exists, so the
//! reactor cannot be created (it needs an epoll fd and an eventfd).
//!
//! A timed future and a timed operation get `EMFILE` back at once, and the CPU the process
//! spends meanwhile stays small: nothing retries in a loop. A bare `sleep`, which has no error
//! to return, still waits its whole duration without spinning, and its fallible poll reports
//! `EMFILE`. Once fds are free again, the reactor is created and works. Each step runs under
//! `asock::block_on` (which drives the own reactor itself) and `futures::executor::block_on`
//! (the `asock-reactor` thread would drive it).
//!
//! One test, in a binary of its own: it lowers this process's `RLIMIT_NOFILE` (with
//! `prlimit(1)` on our own pid, so the test needs no `unsafe`), which would break any test
//! running beside it, and it must be the first to touch the own reactor.

use std::fs::File;
use std::future::{poll_fn, Future};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::os::unix::net::UnixStream;
use std::process::Command;
use std::time::{Duration, Instant};

use asock::{AsyncSocket, ErrorKind, ModeExt};

/// A bound on anything that should happen "at once" or "at its deadline": it only catches a
/// hang or a spin that runs to a deadline, never measures speed.
const SLACK: Duration = Duration::from_secs(4);

/// The most CPU time (user + system, every thread) a wait may cost. A spinning wait burns
/// about as much CPU as wall time; the waits below last 1 s or more.
const CPU_BUDGET: Duration = Duration::from_millis(500);

// ===== the process's fds and CPU =====

/// The soft and hard `RLIMIT_NOFILE` of this process, from /proc/self/limits.
fn nofile_limits() -> (u64, u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    let mut numbers = line.split_whitespace().filter_map(|w| w.parse::<u64>().ok());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

/// Sets this process's soft `RLIMIT_NOFILE`; `false` if `prlimit(1)` cannot.
fn set_soft_nofile(soft: u64) -> bool {
    let (_, hard) = nofile_limits();
    Command::new("prlimit")
        .arg("--pid")
        .arg(std::process::id().to_string())
        .arg(format!("--nofile={soft}:{hard}"))
        .status()
        .is_ok_and(|s| s.success())
}

fn open_fds() -> Vec<String> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .collect()
}

/// Whether an epoll instance is open in this process (the own reactor's poller).
fn has_epoll_fd() -> bool {
    open_fds().iter().any(|target| target == "anon_inode:[eventpoll]")
}

/// Opens fds until the process has none left; returns them.
fn exhaust_fds() -> Vec<File> {
    let mut held = Vec::new();
    loop {
        match File::open("/dev/null") {
            Ok(f) => held.push(f),
            Err(e) if e.raw_os_error() == Some(libc::EMFILE) => return held,
            Err(e) => panic!("open: {e}"),
        }
    }
}

/// The CPU time this process has used, read from a /proc/self/stat opened beforehand (with
/// no fd left, it could not be opened later).
struct CpuClock {
    stat: File,
    ticks_per_second: u64,
}

impl CpuClock {
    fn new() -> CpuClock {
        // USER_HZ, which /proc reports in: 100 on every Linux port, asked for all the same.
        let ticks_per_second = Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
            .unwrap_or(100);
        CpuClock { stat: File::open("/proc/self/stat").unwrap(), ticks_per_second }
    }

    /// utime + stime of every thread, dead ones included (proc(5), fields 14 and 15).
    fn used(&self) -> Duration {
        let mut buf = [0u8; 1024];
        let n = self.stat.read_at(&mut buf, 0).unwrap();
        let text = String::from_utf8_lossy(&buf[..n]);
        // Fields after the command name, which is in parentheses and may hold spaces.
        let after_comm = &text[text.rfind(')').unwrap() + 1..];
        let fields: Vec<u64> =
            after_comm.split_whitespace().skip(11).take(2).map(|f| f.parse().unwrap()).collect();
        let ticks = fields[0] + fields[1];
        Duration::from_millis(ticks * 1000 / self.ticks_per_second)
    }
}

/// Runs `f`; returns its result, the wall time and the CPU time it took.
fn measure<T>(cpu: &CpuClock, f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (cpu_before, start) = (cpu.used(), Instant::now());
    let out = f();
    let (wall, cpu_after) = (start.elapsed(), cpu.used());
    (out, wall, cpu_after.saturating_sub(cpu_before))
}

// ===== the executors =====

#[derive(Debug, Clone, Copy)]
enum Executor {
    Asock,
    Futures,
}

impl Executor {
    fn block_on<F: Future>(self, future: F) -> F::Output {
        match self {
            Executor::Asock => asock::block_on(future),
            Executor::Futures => futures::executor::block_on(future),
        }
    }
}

fn assert_emfile<T: std::fmt::Debug>(result: asock::Result<T>, what: &str) {
    match result {
        Err(e) => assert_eq!(e.raw_os_error(), Some(libc::EMFILE), "{what}: {e}"),
        Ok(v) => panic!("{what}: succeeded ({v:?}) with no fd to spare"),
    }
}

// ===== the test =====

#[test]
fn out_of_fds_before_the_own_reactor_exists_timers_report_emfile_without_spinning() {
    let (soft, _) = nofile_limits();
    if !set_soft_nofile(soft) {
        eprintln!("SKIPPED: prlimit(1) cannot change this process's RLIMIT_NOFILE");
        return;
    }
    assert!(!has_epoll_fd(), "the own reactor exists already: this test must come first");
    let cpu = CpuClock::new();
    // A socket made while fds remain: its first wait will try to create the reactor.
    let (a, b) = UnixStream::pair().unwrap();
    let a = AsyncSocket::from(a);

    assert!(set_soft_nofile(open_fds().len() as u64 + 16), "prlimit");
    let mut held = exhaust_fds();

    for executor in [Executor::Asock, Executor::Futures] {
        // 1. Any future under a timeout: the timer cannot be armed, so EMFILE comes back at
        //    once (before: the poll re-woke itself until the deadline, then "timed out").
        let deadline = Duration::from_secs(3);
        let pending = std::future::pending::<asock::Result<()>>();
        let (out, wall, used) = measure(&cpu, || executor.block_on(pending.timeout(deadline)));
        assert_emfile(out, &format!("{executor:?}: pending().timeout(3 s)"));
        assert!(wall < deadline, "{executor:?}: EMFILE after {wall:?}, at the deadline");
        assert!(used < CPU_BUDGET, "{executor:?}: timeout spent {used:?} of CPU");

        // 2. A socket operation with a timeout: EMFILE from its first wait.
        let mut buf = [0u8; 16];
        let (out, wall, used) =
            measure(&cpu, || executor.block_on(a.recv(&mut buf).timeout(Duration::from_secs(3))));
        assert_emfile(out, &format!("{executor:?}: recv().timeout(3 s)"));
        assert!(wall < SLACK, "{executor:?}: recv's EMFILE after {wall:?}");
        assert!(used < CPU_BUDGET, "{executor:?}: recv spent {used:?} of CPU");

        // 3. A sleep polled for its error gets EMFILE at once...
        let mut sleep = asock::sleep(Duration::from_secs(3));
        let (out, wall, _) =
            measure(&cpu, || executor.block_on(poll_fn(|cx| sleep.poll_elapsed(cx))));
        assert_emfile(out, &format!("{executor:?}: Sleep::poll_elapsed"));
        assert!(wall < SLACK, "{executor:?}: poll_elapsed's EMFILE after {wall:?}");

        // 4. ...and a bare sleep, which has no error to give, waits its whole second on the
        //    fallback timer thread, without spinning (before: 1 s of CPU re-polling itself).
        let nap = Duration::from_secs(1);
        let ((), wall, used) = measure(&cpu, || executor.block_on(asock::sleep(nap)));
        assert!(wall >= nap && wall < nap + SLACK, "{executor:?}: slept {wall:?}, want 1 s");
        assert!(used < CPU_BUDGET, "{executor:?}: a 1 s sleep spent {used:?} of CPU");
        println!("{executor:?}: 1 s sleep with no fd took {wall:?}, {used:?} of CPU");

        // 5. A bare sleep dropped before its deadline leaves no timer behind.
        let (long, short) = (asock::sleep(ms(60_000)), asock::sleep(ms(50)));
        let ((), wall, _) = measure(&cpu, || {
            executor.block_on(async {
                futures::pin_mut!(long, short);
                futures::future::select(long, short).await.factor_first().0
            })
        });
        assert!(wall >= ms(50) && wall < ms(50) + SLACK, "{executor:?}: {wall:?}");
        assert_eq!(asock::reactor::own_timer_count(), 0, "{executor:?}: a dropped sleep's timer");
    }
    // One fd back, to read the fd table: no reactor came into being meanwhile.
    held.pop();
    assert!(!has_epoll_fd(), "a reactor was created with no fd to spare");

    // 6. Fds free again: the next timer creates the reactor, and everything works.
    drop(held);
    assert!(set_soft_nofile(soft), "prlimit");
    for executor in [Executor::Asock, Executor::Futures] {
        let (out, wall, used) = measure(&cpu, || {
            executor.block_on(std::future::pending::<asock::Result<()>>().timeout(ms(200)))
        });
        assert_eq!(out.unwrap_err().kind(), ErrorKind::Timeout, "{executor:?}");
        assert!(wall >= ms(200) && wall < ms(200) + SLACK, "{executor:?}: {wall:?}");
        assert!(used < CPU_BUDGET, "{executor:?}: {used:?} of CPU");

        let start = Instant::now();
        executor.block_on(asock::sleep(ms(50)));
        assert!(start.elapsed() >= ms(50), "{executor:?}");

        (&b).write_all(b"ping").unwrap();
        let mut buf = [0u8; 16];
        let got = executor.block_on(a.recv(&mut buf).timeout(SLACK)).unwrap();
        assert_eq!(&buf[..got], b"ping", "{executor:?}");
    }
    assert!(has_epoll_fd(), "the own reactor was not created once fds were free");
    assert_eq!(asock::reactor::own_timer_count(), 0, "a timer was left behind");
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
