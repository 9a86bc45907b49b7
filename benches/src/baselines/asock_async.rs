//! asock's `AsyncSocket`, twice: on a tokio current_thread runtime (`asock-tokio`, tokio's
//! reactor) and under `asock::block_on` (`asock-block-on`, asock's own mio reactor).
//!
//! The sockets are made as [`std_net`]'s and adopted (`AsyncSocket::from(std)`),
//! inside the runtime for the tokio variant. On tokio the stream scenarios are
//! [`tokio_net`]'s own fixtures (`AsyncSocket` implements tokio's
//! `AsyncRead` / `AsyncWrite`), so the two differ only in the socket type. `block_on` cannot
//! spawn, so there each run joins the client half and the server half in one future
//! ([`async_bodies::until_done`]); the fan-in's hundred echo halves go in a
//! `FuturesUnordered`, which polls only the ones that were woken.

use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::time::{Duration, Instant};

use asock::{AddressFamily, AsyncSocket, Protocol, SockAddr, SocketKind};
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::runtime::Runtime;

use super::async_bodies::{self, until_done};
use super::tokio_net::{self, FanIn, StreamBulk, StreamPingPong};
use super::{std_net, Fixture, Params, Scenario};

fn adopt<T: Into<AsyncSocket>>((client, server): (T, T)) -> (AsyncSocket, AsyncSocket) {
    (client.into(), server.into())
}

fn listener() -> io::Result<(AsyncSocket, SockAddr)> {
    let listener = AsyncSocket::from(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?);
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

// ===== the UDP and accept halves, shared by both executors =====

async fn udp_echo(server: &AsyncSocket) -> io::Result<()> {
    let mut buf = [0u8; 2048];
    loop {
        let n = server.recv(&mut buf).await?;
        server.send(&buf[..n]).await?;
    }
}

async fn udp_client(
    client: &AsyncSocket,
    msg: &[u8],
    buf: &mut [u8],
    iters: u64,
) -> io::Result<()> {
    for _ in 0..iters {
        client.send(msg).await?;
        if client.recv(buf).await? != msg.len() {
            return Err(io::Error::other("udp ping-pong: short echo"));
        }
    }
    Ok(())
}

async fn accept_loop(listener: &AsyncSocket) -> io::Result<()> {
    loop {
        drop(listener.accept().await?);
    }
}

async fn connect_loop(addr: &SockAddr, iters: u64) -> io::Result<()> {
    for _ in 0..iters {
        let stream = AsyncSocket::new(
            AddressFamily::AF_INET,
            SocketKind::SOCK_STREAM,
            Protocol::IPPROTO_IP,
        )?;
        stream.connect(addr).await?;
        if stream.recv(&mut [0u8; 1]).await? != 0 {
            return Err(io::Error::other("accept bench: unexpected data"));
        }
    }
    Ok(())
}

// ===== on tokio =====

/// Builds the `AsyncSocket`-on-tokio fixture for `scenario` (a current_thread runtime).
///
/// # Errors
///
/// Building the runtime or setting up sockets failed.
pub fn fixture_tokio(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    let rt = tokio_net::runtime()?;
    let msg = params.msg_size;
    Ok(match scenario {
        Scenario::TcpPingPong => {
            let pair = rt.block_on(async { std_net::tcp_pair().map(adopt) })?;
            Box::new(StreamPingPong::new(rt, pair, msg))
        }
        Scenario::UnixPingPong => {
            let pair = rt.block_on(async { std::os::unix::net::UnixStream::pair().map(adopt) })?;
            Box::new(StreamPingPong::new(rt, pair, msg))
        }
        Scenario::TcpBulk => {
            let pair = rt.block_on(async { std_net::tcp_pair().map(adopt) })?;
            Box::new(StreamBulk::new(rt, pair, params.bulk_total, params.bulk_chunk))
        }
        Scenario::TcpFanIn => {
            let pairs = rt.block_on(async {
                (0..params.fan_in)
                    .map(|_| std_net::tcp_pair().map(adopt))
                    .collect::<io::Result<_>>()
            })?;
            Box::new(FanIn::new(rt, pairs, msg))
        }
        Scenario::UdpPingPong => {
            let (client, server) = rt.block_on(async { std_net::udp_pair().map(adopt) })?;
            rt.spawn(async move { report(udp_echo(&server).await) });
            Box::new(OnTokio {
                rt,
                state: Udp { client, msg: vec![0x5a; msg], buf: vec![0; msg + 1] },
            })
        }
        Scenario::TcpAccept => {
            let (listener, addr) = rt.block_on(async { listener() })?;
            rt.spawn(async move { report(accept_loop(&listener).await) });
            Box::new(OnTokio { rt, state: Accept { addr } })
        }
    })
}

fn report(result: io::Result<()>) {
    if let Err(e) = result {
        eprintln!("asock bench server task: {e}");
    }
}

struct Udp {
    client: AsyncSocket,
    msg: Vec<u8>,
    buf: Vec<u8>,
}

struct Accept {
    addr: SockAddr,
}

/// A client half run under a tokio runtime whose server half is a spawned task.
struct OnTokio<T> {
    state: T,
    rt: Runtime,
}

impl Fixture for OnTokio<Udp> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let Udp { client, msg, buf } = &mut self.state;
        self.rt.block_on(timed(udp_client(client, msg, buf, iters)))
    }
}

impl Fixture for OnTokio<Accept> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        self.rt.block_on(timed(connect_loop(&self.state.addr, iters)))
    }
}

async fn timed(body: impl std::future::Future<Output = io::Result<()>>) -> io::Result<Duration> {
    let start = Instant::now();
    body.await?;
    Ok(start.elapsed())
}

// ===== under asock::block_on =====

/// Builds the `AsyncSocket`-under-`asock::block_on` fixture for `scenario`.
///
/// # Errors
///
/// Setting up sockets failed.
pub fn fixture_block_on(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    let msg = vec![0x5a; params.msg_size];
    let buf = vec![0; params.msg_size + 1];
    Ok(match scenario {
        Scenario::TcpPingPong => {
            Box::new(BlockOn(Stream { pair: adopt(std_net::tcp_pair()?), msg, buf }))
        }
        Scenario::UnixPingPong => Box::new(BlockOn(Stream {
            pair: adopt(std::os::unix::net::UnixStream::pair()?),
            msg,
            buf,
        })),
        Scenario::UdpPingPong => {
            let (client, server) = adopt(std_net::udp_pair()?);
            Box::new(BlockOn(UdpBoth { udp: Udp { client, msg, buf }, server }))
        }
        Scenario::TcpBulk => Box::new(BlockOn(Bulk {
            pair: adopt(std_net::tcp_pair()?),
            chunk: vec![0xa5; params.bulk_chunk],
            total: params.bulk_total,
        })),
        Scenario::TcpAccept => {
            let (listener, addr) = listener()?;
            Box::new(BlockOn(AcceptBoth { listener, addr }))
        }
        Scenario::TcpFanIn => {
            let pairs = (0..params.fan_in).map(|_| std_net::tcp_pair().map(adopt));
            let (clients, servers) = pairs.collect::<io::Result<Vec<_>>>()?.into_iter().unzip();
            Box::new(BlockOn(Fan { clients, servers, msg, buf: vec![0; params.msg_size] }))
        }
    })
}

/// A scenario whose client and server halves are one future per run.
trait Joined {
    fn run_joined(&mut self, iters: u64) -> impl std::future::Future<Output = io::Result<()>>;
}

struct BlockOn<T>(T);

impl<T: Joined> Fixture for BlockOn<T> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        asock::block_on(timed(self.0.run_joined(iters)))
    }
}

struct Stream {
    pair: (AsyncSocket, AsyncSocket),
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl Joined for Stream {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Stream { pair: (client, server), msg, buf } = self;
        let buf = &mut buf[..msg.len()];
        until_done(async_bodies::pingpong(client, msg, buf, iters), async_bodies::echo(server))
            .await
    }
}

struct UdpBoth {
    udp: Udp,
    server: AsyncSocket,
}

impl Joined for UdpBoth {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Udp { client, msg, buf } = &mut self.udp;
        until_done(udp_client(client, msg, buf, iters), udp_echo(&self.server)).await
    }
}

struct Bulk {
    pair: (AsyncSocket, AsyncSocket),
    chunk: Vec<u8>,
    total: u64,
}

impl Joined for Bulk {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Bulk { pair: (client, server), chunk, total } = self;
        let mut sink_buf = vec![0u8; chunk.len()];
        until_done(
            async_bodies::bulk_source(client, chunk, *total, iters),
            async_bodies::bulk_sink(server, &mut sink_buf, *total),
        )
        .await
    }
}

struct AcceptBoth {
    listener: AsyncSocket,
    addr: SockAddr,
}

impl Joined for AcceptBoth {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        until_done(connect_loop(&self.addr, iters), accept_loop(&self.listener)).await
    }
}

struct Fan {
    clients: Vec<AsyncSocket>,
    servers: Vec<AsyncSocket>,
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl Joined for Fan {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Fan { clients, servers, msg, buf } = self;
        let mut echoes: FuturesUnordered<_> = servers.iter_mut().map(async_bodies::echo).collect();
        let servers = async move {
            while let Some(result) = echoes.next().await {
                result?;
            }
            Ok(())
        };
        until_done(async_bodies::fan_in(clients, msg, buf, iters), servers).await
    }
}
