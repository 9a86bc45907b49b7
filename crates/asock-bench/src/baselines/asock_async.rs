//! asock's `AsyncSocket`, three times: on a tokio current_thread runtime (`asock-tokio`,
//! tokio's reactor), under `asock::block_on` (`asock-block-on`, asock's own mio reactor) and
//! under `smol::block_on` (`asock-smol`: async-io's reactor when asock's `async-io` feature is
//! on, which the benches enable).
//!
//! The sockets are made as [`std_net`]'s and adopted (`AsyncSocket::from(std)`),
//! inside the runtime for the tokio variant. On tokio the stream scenarios are
//! [`tokio_net`]'s own fixtures (`AsyncSocket` implements tokio's
//! `AsyncRead` / `AsyncWrite`), so the two differ only in the socket type. `asock::block_on`
//! and `smol::block_on` cannot spawn, so there each run joins the client half and the server
//! half in one future ([`joined`]); under smol the streams go through their futures-io traits
//! ([`FuturesIo`]), exactly as the `async-io` baseline's `Async<T>` does.

use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, Protocol, SockAddr, SocketKind};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::runtime::Runtime;

use super::async_bodies::until_done;
use super::futures_io::FuturesIo;
use super::joined::{self, timed, BlockOn, Bulk, Fan, Joined, OnExecutor, Stream};
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

// ===== the UDP and accept halves, shared by every executor =====

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
            let pair = rt.block_on(async { UnixStream::pair().map(adopt) })?;
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

// ===== joined in one future: under asock::block_on, under smol::block_on =====

/// Builds the `AsyncSocket`-under-`asock::block_on` fixture for `scenario`: the streams
/// through their tokio `AsyncRead` / `AsyncWrite`.
///
/// # Errors
///
/// Setting up sockets failed.
pub fn fixture_block_on(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    fixture_joined::<joined::Asock, _>(scenario, params, |s| s)
}

/// Builds the `AsyncSocket`-under-`smol::block_on` fixture for `scenario`: the streams
/// through their futures-io `AsyncRead` / `AsyncWrite`, as smol code uses them (and as the
/// `async-io` baseline uses `Async<T>`).
///
/// # Errors
///
/// Setting up sockets failed.
pub fn fixture_smol(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    fixture_joined::<joined::Smol, _>(scenario, params, FuturesIo)
}

/// The joined fixture for `scenario` under `E`, its streams wrapped by `wrap`.
fn fixture_joined<E, S>(
    scenario: Scenario,
    params: &Params,
    wrap: fn(AsyncSocket) -> S,
) -> io::Result<Box<dyn Fixture>>
where
    E: BlockOn + 'static,
    S: AsyncRead + AsyncWrite + Unpin + 'static,
{
    fn on<E: BlockOn + 'static, T: Joined + 'static>(scenario: T) -> Box<dyn Fixture> {
        Box::new(OnExecutor::<E, T>::new(scenario))
    }
    let wrapped = |(client, server): (AsyncSocket, AsyncSocket)| (wrap(client), wrap(server));
    let msg = params.msg_size;
    Ok(match scenario {
        Scenario::TcpPingPong => on::<E, _>(Stream::new(wrapped(adopt(std_net::tcp_pair()?)), msg)),
        Scenario::UnixPingPong => on::<E, _>(Stream::new(wrapped(adopt(UnixStream::pair()?)), msg)),
        Scenario::TcpBulk => on::<E, _>(Bulk::new(
            wrapped(adopt(std_net::tcp_pair()?)),
            params.bulk_total,
            params.bulk_chunk,
        )),
        Scenario::TcpFanIn => {
            let pairs = (0..params.fan_in).map(|_| std_net::tcp_pair().map(adopt).map(wrapped));
            on::<E, _>(Fan::new(pairs.collect::<io::Result<_>>()?, msg))
        }
        Scenario::UdpPingPong => {
            let (client, server) = adopt(std_net::udp_pair()?);
            let udp = Udp { client, msg: vec![0x5a; msg], buf: vec![0; msg + 1] };
            on::<E, _>(UdpBoth { udp, server })
        }
        Scenario::TcpAccept => {
            let (listener, addr) = listener()?;
            on::<E, _>(AcceptBoth { listener, addr })
        }
    })
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

struct AcceptBoth {
    listener: AsyncSocket,
    addr: SockAddr,
}

impl Joined for AcceptBoth {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        until_done(connect_loop(&self.addr, iters), accept_loop(&self.listener)).await
    }
}
