//! The own reactor's driving: several `block_on` threads, and wake-ups from other threads.

mod reactor_support;

use std::io::Write;
use std::time::Duration;

use asock::reactor::{Interest, Registered};
use asock::Result;
use reactor_support::{after, pair, read_once, write_once};

fn ping_pong(rounds: usize) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let echo = std::thread::spawn(move || {
        let mut buf = [0u8; 8];
        for _ in 0..rounds {
            let n = std::io::Read::read(&mut &b, &mut buf).unwrap();
            (&b).write_all(&buf[..n]).unwrap();
        }
    });
    asock::block_on(async {
        let mut buf = [0u8; 8];
        for round in 0..rounds {
            let msg = (round as u64).to_le_bytes();
            a.async_io(Interest::WRITABLE, |s| write_once(s, &msg)).await?;
            let mut got = 0;
            while got < 8 {
                got += a.async_io(Interest::READABLE, |s| read_once(s, &mut buf[got..])).await?;
            }
            assert_eq!(buf, msg);
        }
        Ok::<_, asock::Error>(())
    })?;
    echo.join().unwrap();
    Ok(())
}

#[test]
fn several_block_on_threads_share_the_reactor() {
    reactor_support::bounded(|| {
        // Only one thread drives at a time; the others must be handed the reactor or woken.
        let threads: Vec<_> = (0..4).map(|_| std::thread::spawn(|| ping_pong(500))).collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
    });
}

#[test]
fn block_on_is_woken_from_another_thread_while_driving() {
    reactor_support::bounded(|| {
        // The block_on thread sits in epoll_wait (an fd is registered and pending); a plain
        // wake-up from another thread must interrupt it.
        let (a, _b) = pair();
        let a = Registered::new(a);
        let (tx, rx) = futures::channel::oneshot::channel::<u32>();
        let sender = after(Duration::from_millis(50), move || {
            let _ = tx.send(7);
        });
        let started = std::time::Instant::now();
        let got = asock::block_on(async {
            let mut buf = [0u8; 1];
            let read = a.async_io(Interest::READABLE, |s| read_once(s, &mut buf));
            futures::pin_mut!(read);
            match futures::future::select(read, rx).await {
                futures::future::Either::Right((value, _)) => value.ok(),
                futures::future::Either::Left(_) => None,
            }
        });
        assert_eq!(got, Some(7));
        assert!(started.elapsed() < Duration::from_secs(5));
        sender.join().unwrap();
    });
}

#[test]
fn nested_executors_get_io_through_the_background_thread() {
    reactor_support::bounded(|| {
        // A future polled by futures::executor on another thread while this thread is in
        // block_on: whoever drives must serve both.
        let (a, b) = pair();
        let worker = std::thread::spawn(move || {
            let a = Registered::new(a);
            futures::executor::block_on(async {
                let mut buf = [0u8; 4];
                a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await
            })
        });
        asock::block_on(asock::sleep(Duration::from_millis(50)));
        (&b).write_all(b"ping").unwrap();
        assert_eq!(worker.join().unwrap().unwrap(), 4);
    });
}

#[test]
fn a_new_earlier_timer_interrupts_a_long_reactor_wait() {
    reactor_support::bounded(|| {
        // One thread drives the reactor, asleep until a timer 10 s away; another executor
        // arms a 50 ms timer, which must fire on time, not after 10 s.
        let (stop, stopped) = futures::channel::oneshot::channel::<()>();
        let driver = std::thread::spawn(move || {
            asock::block_on(async {
                let long = asock::sleep(Duration::from_secs(10));
                futures::pin_mut!(long);
                futures::future::select(long, stopped).await;
            })
        });
        std::thread::sleep(Duration::from_millis(50));
        let start = std::time::Instant::now();
        futures::executor::block_on(asock::sleep(Duration::from_millis(50)));
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(50), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
        let _ = stop.send(());
        driver.join().unwrap();
    });
}
