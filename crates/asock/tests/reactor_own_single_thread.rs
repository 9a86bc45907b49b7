//! `asock::block_on` alone never starts the `asock-reactor` thread: the waiting thread drives
//! its own reactor. One test in its own binary: threads are process-wide.

mod reactor_support;

use std::io::Write;
use std::time::Duration;

use asock::reactor::{Interest, Registered};
use reactor_support::{pair, read_once, write_once};

fn thread_exists(name: &str) -> bool {
    std::fs::read_dir("/proc/self/task").unwrap().any(|task| {
        let comm = task.unwrap().path().join("comm");
        std::fs::read_to_string(comm).is_ok_and(|comm| comm.trim() == name)
    })
}

fn reactor_thread_exists() -> bool {
    thread_exists("asock-reactor")
}

#[test]
fn block_on_drives_without_a_background_thread() {
    reactor_support::bounded(|| {
        let (a, b) = pair();
        let echo = std::thread::spawn(move || {
            let mut buf = [0u8; 8];
            for _ in 0..200 {
                let n = std::io::Read::read(&mut &b, &mut buf).unwrap();
                (&b).write_all(&buf[..n]).unwrap();
            }
        });
        asock::block_on(async {
            let a = Registered::new(a);
            let mut buf = [0u8; 8];
            for round in 0..200u64 {
                let msg = round.to_le_bytes();
                a.async_io(Interest::WRITABLE, |s| write_once(s, &msg)).await?;
                let mut got = 0;
                while got < 8 {
                    got +=
                        a.async_io(Interest::READABLE, |s| read_once(s, &mut buf[got..])).await?;
                }
                asock::sleep(Duration::from_micros(50)).await;
            }
            Ok::<_, asock::Error>(())
        })
        .unwrap();
        echo.join().unwrap();
        assert!(!reactor_thread_exists(), "block_on alone must not need the asock-reactor thread");

        // The first wait outside block_on starts it; with the `async-io` feature, async-io's
        // reactor serves there instead, driven by async-io's own thread.
        let (c, d) = pair();
        (&d).write_all(b"x").unwrap();
        futures::executor::block_on(async {
            let c = Registered::new(c);
            let mut buf = [0u8; 1];
            asock::sleep(Duration::from_millis(5)).await;
            c.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await
        })
        .unwrap();
        if cfg!(feature = "async-io") {
            assert!(thread_exists("async-io"), "async-io's reactor serves outside block_on");
            assert!(!reactor_thread_exists(), "nothing waited on the own reactor");
        } else {
            assert!(reactor_thread_exists());
        }
    });
}
