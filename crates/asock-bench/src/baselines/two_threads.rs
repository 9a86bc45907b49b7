//! Blocking fixtures: a client thread and server thread(s), each pinned as asked.
//!
//! Blocking sockets need one thread per endpoint. The client runs on its own thread too (not on
//! the caller's, which is criterion's), so both ends can be pinned without touching the
//! caller's affinity: [`TwoThreads::run`] hands the iteration count to the client thread, which
//! times its loop and sends the duration back. That hand-off is outside the timed region.
//!
//! The scenario bodies are generic over `Read + Write` streams and the [`Datagram`] trait, so
//! any blocking socket type (std's, asock's `blocking::Socket`) gets every scenario from its
//! constructors alone.

use std::io::{self, Read, Write};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::Fixture;
use crate::pin::{self, Pinning};

/// The body of a server thread: serves until its socket reports EOF (or it is woken to stop).
pub type ServerBody = Box<dyn FnOnce() -> io::Result<()> + Send>;

/// A client thread plus server threads, driven through [`Fixture::run`].
///
/// Dropping it stops the client (dropping its sockets, which gives stream servers their EOF),
/// then calls the `on_drop` hook (to wake servers that never see EOF, such as an accept loop),
/// then joins every thread.
pub struct TwoThreads {
    cmd: Option<mpsc::Sender<u64>>,
    done: mpsc::Receiver<io::Result<Duration>>,
    client: Option<JoinHandle<()>>,
    servers: Vec<JoinHandle<io::Result<()>>>,
    on_drop: Option<Box<dyn FnOnce() + Send>>,
}

impl std::fmt::Debug for TwoThreads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwoThreads").field("servers", &self.servers.len()).finish_non_exhaustive()
    }
}

impl TwoThreads {
    /// Starts the server threads and the client thread, pinned per `pinning`.
    ///
    /// `client(n)` performs `n` iterations; it is what gets timed.
    ///
    /// # Errors
    ///
    /// `pinning` cannot be provided here, or a thread could not be spawned or pinned.
    pub fn spawn(
        pinning: Pinning,
        servers: Vec<ServerBody>,
        mut client: impl FnMut(u64) -> io::Result<()> + Send + 'static,
    ) -> io::Result<TwoThreads> {
        let (client_cpu, server_cpu) = (pinning.client_cpu()?, pinning.server_cpu()?);
        let mut handles = Vec::with_capacity(servers.len());
        for body in servers {
            let (ready_tx, ready_rx) = mpsc::channel();
            let handle = thread::Builder::new()
                .name("bench-server".into())
                .stack_size(256 << 10)
                .spawn(move || {
                let pinned = pin::pin_to(server_cpu);
                let ok = pinned.is_ok();
                let _ = ready_tx.send(pinned);
                if ok {
                    body()
                } else {
                    Ok(())
                }
            })?;
            ready_rx.recv().map_err(io::Error::other)??;
            handles.push(handle);
        }

        let (cmd_tx, cmd_rx) = mpsc::channel::<u64>();
        let (done_tx, done_rx) = mpsc::channel();
        let client = thread::Builder::new().name("bench-client".into()).spawn(move || {
            if let Err(e) = pin::pin_to(client_cpu) {
                let _ = done_tx.send(Err(e));
                return;
            }
            let _ = done_tx.send(Ok(Duration::ZERO));
            while let Ok(iters) = cmd_rx.recv() {
                let start = Instant::now();
                let result = client(iters).map(|()| start.elapsed());
                if done_tx.send(result).is_err() {
                    return;
                }
            }
        })?;
        let ready = done_rx.recv().map_err(io::Error::other).and_then(|r| r);
        let two = TwoThreads {
            cmd: Some(cmd_tx),
            done: done_rx,
            client: Some(client),
            servers: handles,
            on_drop: None,
        };
        ready.map(|_| two)
    }

    /// Sets the hook that wakes servers which never see EOF, called when the fixture is dropped
    /// after the client thread has ended.
    pub fn on_drop(mut self, hook: impl FnOnce() + Send + 'static) -> TwoThreads {
        self.on_drop = Some(Box::new(hook));
        self
    }
}

impl Fixture for TwoThreads {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let cmd = self.cmd.as_ref().ok_or_else(|| io::Error::other("fixture stopped"))?;
        cmd.send(iters).map_err(|_| io::Error::other("client thread ended"))?;
        self.done.recv().map_err(|_| io::Error::other("client thread ended"))?
    }
}

impl Drop for TwoThreads {
    fn drop(&mut self) {
        drop(self.cmd.take());
        if let Some(client) = self.client.take() {
            let _ = client.join();
        }
        if let Some(hook) = self.on_drop.take() {
            hook();
        }
        for server in self.servers.drain(..) {
            match server.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => eprintln!("bench server thread: {e}"),
                Err(_) => eprintln!("bench server thread panicked"),
            }
        }
    }
}

// ===== scenario bodies =====

/// Echoes everything it reads until EOF: the server side of the stream ping-pongs.
pub fn echo<S: Read + Write>(mut stream: S) -> io::Result<()> {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf)? {
            0 => return Ok(()),
            n => stream.write_all(&buf[..n])?,
        }
    }
}

/// Stream ping-pong: the client writes `msg_size` bytes and reads them back, per iteration.
///
/// # Errors
///
/// As [`TwoThreads::spawn`].
pub fn stream_pingpong<S: Read + Write + Send + 'static>(
    (mut client, server): (S, S),
    msg_size: usize,
    pinning: Pinning,
) -> io::Result<TwoThreads> {
    let msg = vec![0x5a; msg_size];
    let mut buf = vec![0; msg_size];
    TwoThreads::spawn(pinning, vec![Box::new(move || echo(server))], move |iters| {
        for _ in 0..iters {
            client.write_all(&msg)?;
            client.read_exact(&mut buf)?;
        }
        Ok(())
    })
}

/// Bulk transfer: the client writes `total` bytes in `chunk`-sized writes and waits for the
/// server's one-byte acknowledgement, per iteration.
///
/// # Errors
///
/// As [`TwoThreads::spawn`].
pub fn stream_bulk<S: Read + Write + Send + 'static>(
    (mut client, mut server): (S, S),
    total: u64,
    chunk: usize,
    pinning: Pinning,
) -> io::Result<TwoThreads> {
    let sink = move || {
        let mut buf = vec![0u8; chunk];
        loop {
            let mut received = 0;
            while received < total {
                match server.read(&mut buf)? {
                    0 if received == 0 => return Ok(()),
                    0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                    n => received += n as u64,
                }
            }
            server.write_all(&[1])?;
        }
    };
    let data = vec![0xa5; chunk];
    TwoThreads::spawn(pinning, vec![Box::new(sink)], move |iters| {
        let mut ack = [0u8; 1];
        for _ in 0..iters {
            let mut left = total;
            while left > 0 {
                let n = left.min(chunk as u64) as usize;
                client.write_all(&data[..n])?;
                left -= n as u64;
            }
            client.read_exact(&mut ack)?;
        }
        Ok(())
    })
}

/// Fan-in: one server thread per connection (the std idiom); per iteration the client writes a
/// message on every connection, then reads every echo.
///
/// # Errors
///
/// As [`TwoThreads::spawn`].
pub fn stream_fan_in<S: Read + Write + Send + 'static>(
    pairs: Vec<(S, S)>,
    msg_size: usize,
    pinning: Pinning,
) -> io::Result<TwoThreads> {
    let (mut clients, servers): (Vec<S>, Vec<S>) = pairs.into_iter().unzip();
    let servers = servers.into_iter().map(|s| Box::new(move || echo(s)) as ServerBody).collect();
    let msg = vec![0x5a; msg_size];
    let mut buf = vec![0; msg_size];
    TwoThreads::spawn(pinning, servers, move |iters| {
        for _ in 0..iters {
            for c in &mut clients {
                c.write_all(&msg)?;
            }
            for c in &mut clients {
                c.read_exact(&mut buf)?;
            }
        }
        Ok(())
    })
}

/// A connected datagram socket, as far as the ping-pong needs one.
pub trait Datagram: Send + 'static {
    /// Sends one datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// As `send(2)`.
    fn send(&self, buf: &[u8]) -> io::Result<usize>;
    /// Receives one datagram from the connected peer.
    ///
    /// # Errors
    ///
    /// As `recv(2)`.
    fn recv(&self, buf: &mut [u8]) -> io::Result<usize>;
}

impl Datagram for std::net::UdpSocket {
    fn send(&self, buf: &[u8]) -> io::Result<usize> {
        std::net::UdpSocket::send(self, buf)
    }
    fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        std::net::UdpSocket::recv(self, buf)
    }
}

/// Datagram ping-pong over two sockets connected to each other. `stopper` must be a second
/// handle on the client socket (a dup): dropping the fixture sends an empty datagram through it,
/// which ends the server loop (the benchmark never sends an empty one).
///
/// # Errors
///
/// As [`TwoThreads::spawn`].
pub fn datagram_pingpong<D: Datagram>(
    (client, server): (D, D),
    stopper: D,
    msg_size: usize,
    pinning: Pinning,
) -> io::Result<TwoThreads> {
    let serve = move || {
        let mut buf = [0u8; 2048];
        loop {
            match server.recv(&mut buf)? {
                0 => return Ok(()),
                n => server.send(&buf[..n])?,
            };
        }
    };
    let msg = vec![0x5a; msg_size];
    let mut buf = vec![0; msg_size + 1];
    let two = TwoThreads::spawn(pinning, vec![Box::new(serve)], move |iters| {
        for _ in 0..iters {
            client.send(&msg)?;
            if client.recv(&mut buf)? != msg_size {
                return Err(io::Error::other("datagram ping-pong: short echo"));
            }
        }
        Ok(())
    })?;
    Ok(two.on_drop(move || {
        let _ = stopper.send(&[]);
    }))
}

/// Accept rate: per iteration the client calls `connect_once` (connect, read EOF, close) while
/// the server thread calls `accept_once` (accept, close). Dropping the fixture raises a stop
/// flag and connects once more to wake the server's accept.
///
/// # Errors
///
/// As [`TwoThreads::spawn`].
pub fn accept<A, C>(accept_once: A, connect_once: C, pinning: Pinning) -> io::Result<TwoThreads>
where
    A: Fn() -> io::Result<()> + Send + 'static,
    C: Fn() -> io::Result<()> + Send + Sync + 'static,
{
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let connect_once = Arc::new(connect_once);
    let server_stop = Arc::clone(&stop);
    let serve = move || loop {
        accept_once()?;
        if server_stop.load(std::sync::atomic::Ordering::Acquire) {
            return Ok(());
        }
    };
    let client_connect = Arc::clone(&connect_once);
    let two = TwoThreads::spawn(pinning, vec![Box::new(serve)], move |iters| {
        for _ in 0..iters {
            client_connect()?;
        }
        Ok(())
    })?;
    Ok(two.on_drop(move || {
        stop.store(true, std::sync::atomic::Ordering::Release);
        let _ = connect_once();
    }))
}
