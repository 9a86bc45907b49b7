//! async-io's `Async<T>` over std's sockets, under `smol::block_on`: the baseline of asock on
//! smol (`asock-smol`).
//!
//! `smol::block_on` is async-io's: while the future is pending, the calling thread drives
//! async-io's reactor itself. As under `asock::block_on`, each run joins the client half and
//! the server half in one future ([`joined`](super::joined)); the streams are `Async<T>`
//! through their futures-io traits ([`FuturesIo`]), the sockets are [`std_net`]'s.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

use futures::AsyncReadExt;
use smol::Async;

use super::async_bodies::until_done;
use super::futures_io::FuturesIo;
use super::joined::{Bulk, Fan, Joined, OnExecutor, Smol, Stream};
use super::{std_net, Fixture, Params, Scenario};

/// Builds the async-io fixture for `scenario`.
///
/// # Errors
///
/// Setting up or registering sockets failed.
pub fn fixture(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    fn on<T: Joined + 'static>(scenario: T) -> Box<dyn Fixture> {
        Box::new(OnExecutor::<Smol, T>::new(scenario))
    }
    let msg = params.msg_size;
    Ok(match scenario {
        Scenario::TcpPingPong => on(Stream::new(wrap(std_net::tcp_pair()?)?, msg)),
        Scenario::UnixPingPong => on(Stream::new(wrap(UnixStream::pair()?)?, msg)),
        Scenario::TcpBulk => {
            on(Bulk::new(wrap(std_net::tcp_pair()?)?, params.bulk_total, params.bulk_chunk))
        }
        Scenario::TcpFanIn => {
            let pairs = (0..params.fan_in).map(|_| std_net::tcp_pair().and_then(wrap));
            on(Fan::new(pairs.collect::<io::Result<_>>()?, msg))
        }
        Scenario::UdpPingPong => {
            let (client, server) = std_net::udp_pair()?;
            on(Udp {
                client: Async::new(client)?,
                server: Async::new(server)?,
                msg: vec![0x5a; msg],
                buf: vec![0; msg + 1],
            })
        }
        Scenario::TcpAccept => {
            let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0))?;
            let addr = listener.get_ref().local_addr()?;
            on(Accept { listener, addr })
        }
    })
}

/// An `Async<T>` stream, with tokio's stream traits for the generic bodies.
type AsyncStream<T> = FuturesIo<Async<T>>;

/// Registers both ends of a connected pair with async-io (non-blocking).
fn wrap<T: AsFd>((client, server): (T, T)) -> io::Result<(AsyncStream<T>, AsyncStream<T>)> {
    Ok((FuturesIo(Async::new(client)?), FuturesIo(Async::new(server)?)))
}

struct Udp {
    client: Async<UdpSocket>,
    server: Async<UdpSocket>,
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl Joined for Udp {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Udp { client, server, msg, buf } = self;
        let client_half = async {
            for _ in 0..iters {
                client.send(msg).await?;
                if client.recv(buf).await? != msg.len() {
                    return Err(io::Error::other("udp ping-pong: short echo"));
                }
            }
            Ok(())
        };
        let echo = async {
            let mut buf = [0u8; 2048];
            loop {
                let n = server.recv(&mut buf).await?;
                server.send(&buf[..n]).await?;
            }
        };
        until_done(client_half, echo).await
    }
}

struct Accept {
    listener: Async<TcpListener>,
    addr: SocketAddr,
}

impl Joined for Accept {
    async fn run_joined(&mut self, iters: u64) -> io::Result<()> {
        let Accept { listener, addr } = self;
        let connects = async {
            for _ in 0..iters {
                let mut stream = Async::<TcpStream>::connect(*addr).await?;
                if stream.read(&mut [0u8; 1]).await? != 0 {
                    return Err(io::Error::other("accept bench: unexpected data"));
                }
            }
            Ok(())
        };
        let accepts = async {
            loop {
                drop(listener.accept().await?);
            }
        };
        until_done(connects, accepts).await
    }
}
