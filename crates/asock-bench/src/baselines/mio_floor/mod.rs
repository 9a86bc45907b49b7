//! The floor: a hand-written, single-threaded mio event loop driving both endpoints.
//!
//! One `mio::Poll` on one thread has the client and the server sockets registered, so a round
//! trip never wakes another thread: the client's write lands in the server's receive queue
//! during the `write` itself (loopback and UNIX sockets deliver synchronously), the next
//! `epoll_wait` returns at once with the server readable, and so on. Nothing sleeps, nothing is
//! spawned, nothing is boxed per operation. This is the lower bound of what any single-threaded
//! reactor can do with these sockets, which is what `AsyncSocket` under `asock::block_on` is
//! measured against (target: p50 ≤ 1.10 × floor).
//!
//! What the floor skips that a general-purpose reactor cannot, all of it stated so the ratio is
//! read correctly:
//! - It never tries a read before waiting: it knows a reply is not there yet, so it goes straight
//!   to `epoll_wait` (a reactor without cached readiness pays an `EAGAIN` read first).
//! - It relies on short reads: a stream read that returns less than the buffer means the queue
//!   is empty (edge-triggered epoll will report the next arrival). A datagram socket is read once
//!   per event, because the ping-pong never has two datagrams in flight; Linux re-arms an
//!   edge-triggered fd on every arrival.
//! - It registers `READABLE` only (plus `WRITABLE` for the bulk sender): on UNIX sockets a
//!   `WRITABLE` registration would add a wake-up every time the peer frees buffer space.
//! - Small writes (one message into an empty socket buffer) are expected to complete at once;
//!   if one ever does not, the run fails rather than quietly measuring something else.
//! - The accept scenario closes the client without `epoll_ctl(DEL)`: closing the last fd
//!   reference removes it from the epoll set.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use mio::event::Source;
use mio::net::{TcpStream, UdpSocket, UnixStream};
use mio::{Events, Interest, Poll, Token};

use super::{Fixture, Params, Scenario};

mod accept;
mod bulk;
mod fan_in;

pub use accept::Accept;
pub use bulk::Bulk;
pub use fan_in::FanIn;

/// Builds the mio floor fixture for `scenario`.
///
/// # Errors
///
/// Creating the poll instance or setting up sockets failed.
pub fn fixture(scenario: Scenario, params: &Params) -> io::Result<Box<dyn Fixture>> {
    Ok(match scenario {
        Scenario::TcpPingPong => Box::new(PingPong::new(tcp_pair()?, params.msg_size)?),
        Scenario::UnixPingPong => Box::new(PingPong::new(UnixStream::pair()?, params.msg_size)?),
        Scenario::UdpPingPong => Box::new(PingPong::new(udp_pair()?, params.msg_size)?),
        Scenario::TcpBulk => {
            Box::new(Bulk::new(tcp_pair()?, params.bulk_total, params.bulk_chunk)?)
        }
        Scenario::TcpAccept => Box::new(Accept::new()?),
        Scenario::TcpFanIn => {
            let pairs = (0..params.fan_in).map(|_| tcp_pair()).collect::<io::Result<_>>()?;
            Box::new(FanIn::new(pairs, params.msg_size)?)
        }
    })
}

/// A loopback TCP connection as mio streams (client, server), both with `TCP_NODELAY`.
///
/// # Errors
///
/// Binding, connecting or accepting failed.
pub fn tcp_pair() -> io::Result<(TcpStream, TcpStream)> {
    let (client, server) = super::std_net::tcp_pair()?;
    client.set_nonblocking(true)?;
    server.set_nonblocking(true)?;
    Ok((TcpStream::from_std(client), TcpStream::from_std(server)))
}

/// Two loopback UDP sockets connected to each other, as mio sockets (client, server).
///
/// # Errors
///
/// Binding or connecting failed.
pub fn udp_pair() -> io::Result<(UdpSocket, UdpSocket)> {
    let client = UdpSocket::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    let server = UdpSocket::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    client.connect(server.local_addr()?)?;
    server.connect(client.local_addr()?)?;
    Ok((client, server))
}

/// A nonblocking socket as the floor uses it: one `recv`/`send` syscall per call.
pub trait Wire: Source {
    /// Whether a short read proves the receive queue empty (streams) or not (datagrams).
    const STREAM: bool;
    /// One `read`/`recv`; `WouldBlock` as an error.
    ///
    /// # Errors
    ///
    /// As the syscall.
    fn recv_some(&mut self, buf: &mut [u8]) -> io::Result<usize>;
    /// One `write`/`send`; `WouldBlock` as an error.
    ///
    /// # Errors
    ///
    /// As the syscall.
    fn send_some(&mut self, buf: &[u8]) -> io::Result<usize>;
}

macro_rules! stream_wire {
    ($($ty:ty),*) => {$(
        impl Wire for $ty {
            const STREAM: bool = true;
            fn recv_some(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.read(buf)
            }
            fn send_some(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.write(buf)
            }
        }
    )*};
}
stream_wire!(TcpStream, UnixStream);

impl Wire for UdpSocket {
    const STREAM: bool = false;
    fn recv_some(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.recv(buf)
    }
    fn send_some(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.send(buf)
    }
}

/// Waits for events, retrying `EINTR`.
fn wait(poll: &mut Poll, events: &mut Events) -> io::Result<()> {
    loop {
        match poll.poll(events, None) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Sends a small message that must go out whole in one syscall (see the module docs).
fn send_whole<W: Wire>(wire: &mut W, msg: &[u8]) -> io::Result<()> {
    match wire.send_some(msg) {
        Ok(n) if n == msg.len() => Ok(()),
        Ok(_) => Err(io::Error::other("mio floor: a small write went out in part")),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
            Err(io::Error::other("mio floor: a small write would block"))
        }
        Err(e) => Err(e),
    }
}

/// Reads what is queued on `wire` into `buf`, calling `each` with every chunk, until the
/// queue is known empty: a `WouldBlock`, a short stream read, or one datagram. EOF is an error
/// (no scenario expects it).
fn drain<W: Wire>(
    wire: &mut W,
    buf: &mut [u8],
    mut each: impl FnMut(&mut W, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    loop {
        match wire.recv_some(buf) {
            Ok(0) if W::STREAM => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                each(wire, &buf[..n])?;
                if !W::STREAM || n < buf.len() {
                    return Ok(());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

const CLIENT: Token = Token(0);
const SERVER: Token = Token(1);

// ===== impl PingPong =====

/// Ping-pong of one message at a time between two connected sockets on one poll: TCP, UNIX
/// stream or UDP.
#[derive(Debug)]
pub struct PingPong<W> {
    poll: Poll,
    events: Events,
    client: W,
    server: W,
    msg: Vec<u8>,
    buf: Vec<u8>,
}

impl<W: Wire> PingPong<W> {
    /// Registers both sockets, readable only, on a new poll.
    ///
    /// # Errors
    ///
    /// `epoll_create` or `epoll_ctl` failed.
    pub fn new((mut client, mut server): (W, W), msg_size: usize) -> io::Result<Self> {
        let poll = Poll::new()?;
        poll.registry().register(&mut client, CLIENT, Interest::READABLE)?;
        poll.registry().register(&mut server, SERVER, Interest::READABLE)?;
        let (msg, buf) = (vec![0x5a; msg_size], vec![0; 4096.max(msg_size + 1)]);
        Ok(PingPong { poll, events: Events::with_capacity(8), client, server, msg, buf })
    }
}

impl<W: Wire> Fixture for PingPong<W> {
    fn run(&mut self, iters: u64) -> io::Result<Duration> {
        let PingPong { poll, events, client, server, msg, buf } = self;
        let start = Instant::now();
        let (mut done, mut echoed) = (0, 0);
        if iters > 0 {
            send_whole(client, msg)?;
        }
        while done < iters {
            wait(poll, events)?;
            for event in events.iter() {
                if event.token() == SERVER {
                    drain(server, buf, send_whole)?;
                } else {
                    drain(client, buf, |_, got| {
                        echoed += got.len();
                        Ok(())
                    })?;
                    if echoed > msg.len() {
                        return Err(io::Error::other("mio floor: echo longer than the message"));
                    }
                    if echoed == msg.len() {
                        (done, echoed) = (done + 1, 0);
                        if done < iters {
                            send_whole(client, msg)?;
                        }
                    }
                }
            }
        }
        Ok(start.elapsed())
    }
}
