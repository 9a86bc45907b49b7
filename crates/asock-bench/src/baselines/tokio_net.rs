//! tokio::net on a current_thread runtime: the server halves are spawned tasks, the client half
//! runs under `Runtime::block_on`, all on the calling thread.
//!
//! The runtime is built once per fixture and reused by every [`Fixture::run`]. The stream
//! fixtures are generic over tokio's `AsyncRead + AsyncWrite`, so any stream that implements
//! them (asock's `AsyncSocket` on tokio) gets them by handing over a connected pair made inside
//! the fixture's runtime.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::net::{TcpListener, TcpStream, UdpSocket, UnixStream};
use tokio::runtime::Runtime;

use super::async_bodies;
use super::{Fixture, Params, Scenario};

/// Builds the tokio::net fixture for `scenario`.
///
/// # Errors
///
/// Building the runtime or setting up sockets failed.
pub fn fixture(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    let rt = runtime()?;
    Ok(match scenario {
        Scenario::TcpPingPong => {
            let pair = rt.block_on(tcp_pair())?;
            Box::new(StreamPingPong::new(rt, pair, params.msg_size))
        }
        Scenario::UnixPingPong => {
            let pair = rt.block_on(async { UnixStream::pair() })?;
            Box::new(StreamPingPong::new(rt, pair, params.msg_size))
        }
        Scenario::TcpBulk => {
            let pair = rt.block_on(tcp_pair())?;
            Box::new(StreamBulk::new(rt, pair, params.bulk_total, params.bulk_chunk))
        }
        Scenario::TcpFanIn => {
            let pairs = rt.block_on(async {
                let mut pairs = Vec::with_capacity(params.fan_in);
                for _ in 0..params.fan_in {
                    pairs.push(tcp_pair().await?);
                }
                io::Result::Ok(pairs)
            })?;
            Box::new(FanIn::new(rt, pairs, params.msg_size))
        }
        Scenario::UdpPingPong => Box::new(UdpPingPong::new(rt, params.msg_size)?),
        Scenario::TcpAccept => Box::new(Accept::new(rt)?),
    })
}

/// A current_thread runtime with I/O and time enabled, as the benches use it.
///
/// # Errors
///
/// The runtime could not be built (no epoll fd, no eventfd).
pub fn runtime() -> io::Result<Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

/// A loopback TCP connection (client, server), both with `TCP_NODELAY`. Call it inside the
/// runtime that will drive the streams.
///
/// # Errors
///
/// Binding, connecting or accepting failed.
pub async fn tcp_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let (client, accepted) =
        tokio::join!(TcpStream::connect(listener.local_addr()?), listener.accept());
    let (client, (server, _)) = (client?, accepted?);
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    Ok((client, server))
}

/// Spawns a server half on `rt`, reporting (not panicking on) its error.
fn spawn_server(
    rt: &Runtime,
    server: impl std::future::Future<Output = io::Result<()>> + Send + 'static,
) {
    rt.spawn(async move {
        if let Err(e) = server.await {
            eprintln!("tokio bench server task: {e}");
        }
    });
}

// ===== impl StreamPingPong =====

/// Stream ping-pong: an echo task for the server half, the client under `block_on`.
#[derive(Debug)]
pub struct StreamPingPong<S> {
    client: S,
    msg: Vec<u8>,
    buf: Vec<u8>,
    rt: Runtime,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> StreamPingPong<S> {
    /// Spawns the echo task for `server` on `rt` (the pair must be registered with `rt`).
    pub fn new(rt: Runtime, (client, mut server): (S, S), msg_size: usize) -> Self {
        spawn_server(&rt, async move { async_bodies::echo(&mut server).await });
        StreamPingPong { client, msg: vec![0x5a; msg_size], buf: vec![0; msg_size], rt }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Fixture for StreamPingPong<S> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let StreamPingPong { client, msg, buf, rt } = self;
        rt.block_on(async {
            let start = Instant::now();
            async_bodies::pingpong(client, msg, buf, iters).await?;
            Ok(start.elapsed())
        })
    }
}

// ===== impl StreamBulk =====

/// Bulk transfer: a sink task for the server half, the source under `block_on`.
#[derive(Debug)]
pub struct StreamBulk<S> {
    client: S,
    chunk: Vec<u8>,
    total: u64,
    rt: Runtime,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> StreamBulk<S> {
    /// Spawns the sink task for `server` on `rt` (the pair must be registered with `rt`).
    pub fn new(rt: Runtime, (client, mut server): (S, S), total: u64, chunk: usize) -> Self {
        spawn_server(&rt, async move {
            let mut buf = vec![0u8; chunk];
            async_bodies::bulk_sink(&mut server, &mut buf, total).await
        });
        StreamBulk { client, chunk: vec![0xa5; chunk], total, rt }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Fixture for StreamBulk<S> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let StreamBulk { client, chunk, total, rt } = self;
        rt.block_on(async {
            let start = Instant::now();
            async_bodies::bulk_source(client, chunk, *total, iters).await?;
            Ok(start.elapsed())
        })
    }
}

// ===== impl FanIn =====

/// Fan-in: one echo task per server half (the tokio idiom), one client task writing on every
/// connection, then reading every echo.
#[derive(Debug)]
pub struct FanIn<S> {
    clients: Vec<S>,
    msg: Vec<u8>,
    buf: Vec<u8>,
    rt: Runtime,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> FanIn<S> {
    /// Spawns an echo task per server half on `rt` (the pairs must be registered with `rt`).
    pub fn new(rt: Runtime, pairs: Vec<(S, S)>, msg_size: usize) -> Self {
        let mut clients = Vec::with_capacity(pairs.len());
        for (client, mut server) in pairs {
            spawn_server(&rt, async move { async_bodies::echo(&mut server).await });
            clients.push(client);
        }
        FanIn { clients, msg: vec![0x5a; msg_size], buf: vec![0; msg_size], rt }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Fixture for FanIn<S> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let FanIn { clients, msg, buf, rt } = self;
        rt.block_on(async {
            let start = Instant::now();
            async_bodies::fan_in(clients, msg, buf, iters).await?;
            Ok(start.elapsed())
        })
    }
}

// ===== impl UdpPingPong =====

/// UDP ping-pong between two connected sockets: an echo task, the client under `block_on`.
#[derive(Debug)]
pub struct UdpPingPong {
    client: UdpSocket,
    msg: Vec<u8>,
    buf: Vec<u8>,
    rt: Runtime,
}

impl UdpPingPong {
    /// Binds and connects the two sockets on `rt` and spawns the echo task.
    ///
    /// # Errors
    ///
    /// Binding or connecting failed.
    pub fn new(rt: Runtime, msg_size: usize) -> io::Result<Self> {
        let (client, server) = rt.block_on(async {
            let client = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
            let server = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
            client.connect(server.local_addr()?).await?;
            server.connect(client.local_addr()?).await?;
            io::Result::Ok((client, server))
        })?;
        spawn_server(&rt, async move {
            let mut buf = [0u8; 2048];
            loop {
                let n = server.recv(&mut buf).await?;
                server.send(&buf[..n]).await?;
            }
        });
        Ok(UdpPingPong { client, msg: vec![0x5a; msg_size], buf: vec![0; msg_size + 1], rt })
    }
}

impl Fixture for UdpPingPong {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let UdpPingPong { client, msg, buf, rt } = self;
        rt.block_on(async {
            let start = Instant::now();
            for _ in 0..iters {
                client.send(msg).await?;
                if client.recv(buf).await? != msg.len() {
                    return Err(io::Error::other("udp ping-pong: short echo"));
                }
            }
            Ok(start.elapsed())
        })
    }
}

// ===== impl Accept =====

/// Accept rate: an accept-and-close task; per iteration the client connects, reads EOF and
/// closes.
#[derive(Debug)]
pub struct Accept {
    addr: SocketAddr,
    rt: Runtime,
}

impl Accept {
    /// Binds the listener on `rt` and spawns the accept loop.
    ///
    /// # Errors
    ///
    /// Binding failed.
    pub fn new(rt: Runtime) -> io::Result<Self> {
        let listener = rt.block_on(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))?;
        let addr = listener.local_addr()?;
        spawn_server(&rt, async move {
            loop {
                drop(listener.accept().await?);
            }
        });
        Ok(Accept { addr, rt })
    }
}

impl Fixture for Accept {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let addr = self.addr;
        self.rt.block_on(async move {
            let start = Instant::now();
            for _ in 0..iters {
                let mut stream = TcpStream::connect(addr).await?;
                if stream.read(&mut [0u8; 1]).await? != 0 {
                    return Err(io::Error::other("accept bench: unexpected data"));
                }
            }
            Ok(start.elapsed())
        })
    }
}
