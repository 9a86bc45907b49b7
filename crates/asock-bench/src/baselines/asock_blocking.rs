//! asock's `blocking::Socket` in blocking mode, in the same two-thread fixtures as std::net.
//!
//! The sockets are made exactly as [`std_net`]'s and then adopted
//! (`Socket::from(std)`: same fd, blocking mode), so the two differ only in the calls the
//! benchmark loop makes: `Read` / `Write` on streams, `send` / `recv_into` on datagrams,
//! `accept`, `connect` and `recv_into` for the accept rate.

use std::io;
use std::net::{Ipv4Addr, TcpListener};

use asock::blocking::Socket;
use asock::{AddressFamily, Protocol, SockAddr, SocketKind};

use super::two_threads::{self, Datagram, TwoThreads};
use super::{std_net, Fixture, Params, Scenario};
use crate::pin::Pinning;

/// Builds the `blocking::Socket` fixture for `scenario`, endpoint threads placed per `pinning`.
///
/// # Errors
///
/// Socket set-up failed, or `pinning` is not available on this machine.
pub fn fixture(
    scenario: Scenario,
    params: &Params,
    pinning: Pinning,
) -> io::Result<Box<dyn Fixture>> {
    let two = match scenario {
        Scenario::TcpPingPong => {
            two_threads::stream_pingpong(adopt(std_net::tcp_pair()?), params.msg_size, pinning)?
        }
        Scenario::UnixPingPong => two_threads::stream_pingpong(
            adopt(std::os::unix::net::UnixStream::pair()?),
            params.msg_size,
            pinning,
        )?,
        Scenario::TcpBulk => two_threads::stream_bulk(
            adopt(std_net::tcp_pair()?),
            params.bulk_total,
            params.bulk_chunk,
            pinning,
        )?,
        Scenario::UdpPingPong => {
            let (client, server) = adopt(std_net::udp_pair()?);
            let stopper = client.dup()?;
            two_threads::datagram_pingpong((client, server), stopper, params.msg_size, pinning)?
        }
        Scenario::TcpAccept => accept(pinning)?,
        Scenario::TcpFanIn => {
            let pairs = (0..params.fan_in)
                .map(|_| std_net::tcp_pair().map(adopt))
                .collect::<io::Result<_>>()?;
            two_threads::stream_fan_in(pairs, params.msg_size, pinning)?
        }
    };
    Ok(Box::new(two))
}

fn adopt<T: Into<Socket>>((client, server): (T, T)) -> (Socket, Socket) {
    (client.into(), server.into())
}

impl Datagram for Socket {
    fn send(&self, buf: &[u8]) -> io::Result<usize> {
        Ok(Socket::send(self, buf)?)
    }
    fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv_into(buf, 0)?)
    }
}

fn accept(pinning: Pinning) -> io::Result<TwoThreads> {
    let listener = Socket::from(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?);
    let addr: SockAddr = listener.local_addr()?;
    let accept_once = move || Ok(listener.accept().map(drop)?);
    let connect_once = move || {
        let stream =
            Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::IPPROTO_IP)?;
        stream.connect(&addr)?;
        match stream.recv_into(&mut [0u8; 1], 0)? {
            0 => Ok(()),
            _ => Err(io::Error::other("accept bench: unexpected data")),
        }
    };
    two_threads::accept(accept_once, connect_once, pinning)
}
