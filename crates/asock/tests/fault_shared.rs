//! Fault suite: many tasks awaiting the same direction of one shared socket.
//!
//! Readiness keeps a list of waiting futures per direction, so every task waiting for `recv`
//! (or for room to `send_to`, or to go on with `send_all`) on one `Arc<AsyncSocket>` is woken
//! by the event it waits for. With one waker slot per direction, all but the last task to poll
//! slept through every event and the run below hung; each run is bounded, so a lost wake-up
//! fails the test instead of stalling it.
//!
//! Every scenario runs on tokio (current_thread and multi_thread), `asock::block_on`,
//! `futures::executor::block_on` and smol's executor: four ways of driving the own reactor or
//! tokio's, and four kinds of waker.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, ModeExt, Protocol, SockAddr, SocketKind};
use futures::stream::{FuturesUnordered, StreamExt};

/// Tasks sharing one socket in each scenario.
const TASKS: usize = 64;
/// A lost wake-up turns into this error instead of a hang.
const LIMIT: Duration = Duration::from_secs(60);

type Task = Pin<Box<dyn Future<Output = asock::Result<()>> + Send>>;

#[derive(Debug, Clone, Copy)]
enum Executor {
    TokioCurrentThread,
    TokioMultiThread,
    AsockBlockOn,
    FuturesBlockOn,
    Smol,
}

const EXECUTORS: [Executor; 5] = [
    Executor::TokioCurrentThread,
    Executor::TokioMultiThread,
    Executor::AsockBlockOn,
    Executor::FuturesBlockOn,
    Executor::Smol,
];

/// Runs `scenario`'s tasks as separate tasks (each with its own waker) on `executor`, all
/// under one deadline, and returns the first error.
fn run(executor: Executor, scenario: impl FnOnce() -> Vec<Task>) -> asock::Result<()> {
    match executor {
        Executor::TokioCurrentThread | Executor::TokioMultiThread => {
            let rt = match executor {
                Executor::TokioCurrentThread => tokio::runtime::Builder::new_current_thread(),
                _ => {
                    let mut b = tokio::runtime::Builder::new_multi_thread();
                    b.worker_threads(2);
                    b
                }
            }
            .enable_all()
            .build()?;
            rt.block_on(async {
                let handles: Vec<_> = scenario().into_iter().map(tokio::spawn).collect();
                let all = async {
                    for handle in handles {
                        handle.await.expect("task panicked")?;
                    }
                    Ok::<_, asock::Error>(())
                };
                all.timeout(LIMIT).await
            })
        }
        Executor::AsockBlockOn => asock::block_on(all_unordered(scenario()).timeout(LIMIT)),
        Executor::FuturesBlockOn => {
            futures::executor::block_on(all_unordered(scenario()).timeout(LIMIT))
        }
        Executor::Smol => {
            let ex = smol::Executor::new();
            smol::block_on(ex.run(async {
                let handles: Vec<_> = scenario().into_iter().map(|t| ex.spawn(t)).collect();
                let all = async {
                    for handle in handles {
                        handle.await?;
                    }
                    Ok::<_, asock::Error>(())
                };
                all.timeout(LIMIT).await
            }))
        }
    }
}

/// Polls every task as its own child of a `FuturesUnordered`, which gives each child a waker
/// of its own (a plain `join!` would share the parent's).
async fn all_unordered(tasks: Vec<Task>) -> asock::Result<()> {
    let mut running: FuturesUnordered<Task> = tasks.into_iter().collect();
    while let Some(done) = running.next().await {
        done?;
    }
    Ok(())
}

fn udp(addr: &str) -> AsyncSocket {
    let sock =
        AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_DGRAM, None).expect("socket");
    sock.bind(addr.parse::<SockAddr>().expect("addr")).expect("bind");
    sock
}

/// 64 tasks await `recv_from` on one UDP socket; a sender sends 8 datagrams per task, then
/// one "stop" datagram per task. Every datagram must be received exactly once and every task
/// must end (each ends on the first stop it receives, so all 64 stops must reach 64 tasks).
fn recv_scenario() -> Vec<Task> {
    recv_tasks(false)
}

/// [`recv_scenario`] with one of the 64 tasks receiving through `poll_recv_from` (the one
/// `poll_*` slot per direction, as `AsyncRead` waits) among 63 futures: on tokio a lone
/// `poll_*` caller hands tokio its own waker whenever no future is listed, and the futures
/// re-registering meanwhile, on other threads, must neither strand it nor be stranded.
fn mixed_recv_scenario() -> Vec<Task> {
    recv_tasks(true)
}

fn recv_tasks(one_polls: bool) -> Vec<Task> {
    const PER_TASK: usize = 8;
    let server = Arc::new(udp("127.0.0.1:0"));
    let to = server.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(HashMap::<u32, usize>::new()));
    let received = Arc::new(AtomicUsize::new(0));
    let mut tasks: Vec<Task> = (0..TASKS)
        .map(|i| {
            let (server, seen, received) = (server.clone(), seen.clone(), received.clone());
            let polls = one_polls && i == 0;
            Box::pin(async move {
                let mut buf = [0u8; 16];
                loop {
                    let (n, _from) = if polls {
                        std::future::poll_fn(|cx| server.poll_recv_from(cx, &mut buf[..])).await?
                    } else {
                        server.recv_from(&mut buf).await?
                    };
                    let data = &buf[..n];
                    if data == b"stop" {
                        return Ok(());
                    }
                    let id = u32::from_be_bytes(data[..4].try_into().expect("4 bytes"));
                    *seen.lock().unwrap().entry(id).or_default() += 1;
                    received.fetch_add(1, Ordering::SeqCst);
                }
            }) as Task
        })
        .collect();
    let total = TASKS * PER_TASK;
    let checker = {
        let seen = seen.clone();
        move || {
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), total, "every datagram received");
            assert!(seen.values().all(|&n| n == 1), "each datagram received once");
        }
    };
    tasks.push(Box::pin(async move {
        let sender = udp("127.0.0.1:0");
        for id in 0..total as u32 {
            // Keep at most one datagram per task in flight, so the receive queue never
            // overflows (a drop there would be the kernel's, not asock's).
            while id as usize - received.load(Ordering::SeqCst) >= TASKS {
                asock::sleep(Duration::from_millis(1)).await;
            }
            sender.send_to(&id.to_be_bytes(), &to).await?;
        }
        while received.load(Ordering::SeqCst) < total {
            asock::sleep(Duration::from_millis(1)).await;
        }
        checker();
        for _ in 0..TASKS {
            sender.send_to(b"stop", &to).await?;
            asock::sleep(Duration::from_micros(200)).await;
        }
        Ok(())
    }));
    tasks
}

/// 64 tasks `send_to` through one AF_UNIX datagram socket into a receiver whose queue holds
/// only a few datagrams, so most sends wait for room (the WRITABLE direction). The receiver
/// drains until it has every datagram; each must arrive once.
fn send_to_scenario() -> Vec<Task> {
    const PER_TASK: usize = 16;
    let name = format!("asock-fault-shared-{}", std::process::id());
    let to = SockAddr::Unix(asock::UnixAddr::Abstract(name.into_bytes()));
    let receiver =
        AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, Protocol::from(0))
            .expect("socket");
    receiver.bind(&to).expect("bind");
    let sender = Arc::new(
        AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_DGRAM, Protocol::from(0))
            .expect("socket"),
    );
    let mut tasks: Vec<Task> = (0..TASKS as u32)
        .map(|task| {
            let (sender, to) = (sender.clone(), to.clone());
            Box::pin(async move {
                for i in 0..PER_TASK as u32 {
                    let mut datagram = task.to_be_bytes().to_vec();
                    datagram.extend(i.to_be_bytes());
                    sender.send_to(&datagram, &to).await?;
                }
                Ok(())
            }) as Task
        })
        .collect();
    tasks.push(Box::pin(async move {
        let mut seen = HashMap::<Vec<u8>, usize>::new();
        while seen.values().sum::<usize>() < TASKS * PER_TASK {
            // A slow reader: the senders' queue fills and they wait for room.
            asock::sleep(Duration::from_micros(100)).await;
            let mut data = vec![0u8; 16];
            let n = receiver.recv(&mut data).await?;
            data.truncate(n);
            *seen.entry(data).or_default() += 1;
        }
        assert_eq!(seen.len(), TASKS * PER_TASK);
        assert!(seen.values().all(|&n| n == 1), "each datagram received once");
        Ok(())
    }));
    tasks
}

/// 64 tasks `send_all` 64 KiB each through one shared stream socket; a reader counts the
/// bytes of each task (task `t` sends bytes of value `t`, so interleaving does not matter).
fn send_all_scenario() -> Vec<Task> {
    const EACH: usize = 64 * 1024;
    let (writer, reader) = asock::async_socket::socketpair().expect("pair");
    let writer = Arc::new(writer);
    let mut tasks: Vec<Task> = (0..TASKS)
        .map(|task| {
            let writer = writer.clone();
            Box::pin(async move { writer.send_all(&vec![task as u8; EACH]).await }) as Task
        })
        .collect();
    tasks.push(Box::pin(async move {
        let mut counts = [0usize; TASKS];
        let mut total = 0;
        let mut buf = vec![0u8; 64 * 1024];
        while total < TASKS * EACH {
            let n = reader.recv(&mut buf).await?;
            assert!(n > 0, "early end of stream after {total} bytes");
            for byte in &buf[..n] {
                counts[*byte as usize] += 1;
            }
            total += n;
        }
        assert!(counts.iter().all(|&n| n == EACH), "every task's bytes arrived: {counts:?}");
        Ok(())
    }));
    tasks
}

fn on_every_executor(scenario: fn() -> Vec<Task>) {
    for executor in EXECUTORS {
        if let Err(e) = run(executor, scenario) {
            panic!("{executor:?}: {e}");
        }
    }
}

#[test]
fn sixty_four_tasks_receive_from_one_udp_socket() {
    on_every_executor(recv_scenario);
}

#[test]
fn a_polling_task_and_sixty_three_futures_receive_from_one_udp_socket() {
    on_every_executor(mixed_recv_scenario);
}

#[test]
fn sixty_four_tasks_send_to_through_one_datagram_socket() {
    on_every_executor(send_to_scenario);
}

#[test]
fn sixty_four_tasks_send_all_through_one_stream_socket() {
    on_every_executor(send_all_scenario);
}
