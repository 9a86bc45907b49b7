//! `accept` when the process is out of fds: `EMFILE`, named by `is_resource_exhausted`, and
//! the pending connection is not lost — a server that backs off accepts it later.
//!
//! This lowers the process's `RLIMIT_NOFILE` (with `prlimit(1)` on our own pid, so the test
//! needs no `unsafe`), which would break any test running beside it: this binary holds this
//! one test, which runs the scenario on each backend in turn.

mod async_support;
mod reactor_support;

use std::fs::File;
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use asock::AddressFamily;
use async_support::*;
use reactor_support::{run, Executor};

/// The soft and hard `RLIMIT_NOFILE` of this process, from /proc/self/limits.
fn nofile_limits() -> (u64, u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    let mut numbers = line.split_whitespace().filter_map(|w| w.parse::<u64>().ok());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

fn set_soft_nofile(soft: u64) {
    let (_, hard) = nofile_limits();
    let status = Command::new("prlimit")
        .arg("--pid")
        .arg(std::process::id().to_string())
        .arg(format!("--nofile={soft}:{hard}"))
        .status()
        .expect("run prlimit");
    assert!(status.success(), "prlimit failed");
}

fn prlimit_works() -> bool {
    let (soft, _) = nofile_limits();
    Command::new("prlimit")
        .arg("--pid")
        .arg(std::process::id().to_string())
        .arg(format!("--nofile={soft}"))
        .status()
        .is_ok_and(|s| s.success())
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

async fn accept_backs_off_and_loses_nothing(executor: Executor) -> asock::Result<()> {
    let l = listener(AddressFamily::AF_INET);
    let to = l.local_addr()?.as_socket().unwrap();
    let client = std::net::TcpStream::connect(to).unwrap();
    pause(5).await;

    let (soft, _) = nofile_limits();
    set_soft_nofile((fd_count() + 16) as u64);
    let held = Mutex::new(exhaust_fds());

    // The plain error first.
    let err = l.accept().await.map(|_| ()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{executor:?}");
    assert!(err.is_resource_exhausted());
    assert!(l.try_accept().unwrap_err().is_resource_exhausted());

    // A server loop that backs off, while "load" goes away after 50 ms.
    let mut backoffs = 0;
    let server = async {
        loop {
            match l.accept().await {
                Ok(accepted) => return Ok::<_, asock::Error>(accepted),
                Err(e) if e.is_resource_exhausted() => {
                    backoffs += 1;
                    asock::sleep(Duration::from_millis(10)).await;
                }
                Err(e) => return Err(e),
            }
        }
    };
    let relief = async {
        asock::sleep(Duration::from_millis(50)).await;
        held.lock().unwrap().clear();
    };
    let (accepted, ()) = futures::join!(server, relief);
    let (conn, peer) = accepted?;
    assert!(backoffs >= 2, "backed off {backoffs} times");
    assert_eq!(peer, client.local_addr().unwrap().into(), "the queued connection was kept");
    drop(conn);
    set_soft_nofile(soft);
    Ok(())
}

#[test]
fn accept_reports_emfile_and_the_connection_waits_for_a_backed_off_server() {
    if !prlimit_works() {
        println!("SKIPPED: prlimit(1) cannot change this process's RLIMIT_NOFILE");
        return;
    }
    for executor in [Executor::Asock, Executor::Futures, Executor::Tokio] {
        run(executor, accept_backs_off_and_loses_nothing);
    }
}
