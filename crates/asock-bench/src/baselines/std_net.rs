//! std::net (and std::os::unix::net): blocking sockets, one thread per endpoint.
//!
//! Everything here is a constructor; the scenario bodies are the generic ones in
//! [`two_threads`]. TCP sockets get `TCP_NODELAY`, as in every
//! implementation of these benches.

use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::UnixStream;

use super::two_threads::{self, TwoThreads};
use super::{Fixture, Params, Scenario};
use crate::pin::Pinning;

/// Builds the std::net fixture for `scenario`, with the endpoint threads placed per `pinning`.
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
            two_threads::stream_pingpong(tcp_pair()?, params.msg_size, pinning)?
        }
        Scenario::UnixPingPong => {
            two_threads::stream_pingpong(UnixStream::pair()?, params.msg_size, pinning)?
        }
        Scenario::TcpBulk => {
            two_threads::stream_bulk(tcp_pair()?, params.bulk_total, params.bulk_chunk, pinning)?
        }
        Scenario::UdpPingPong => udp_pingpong(params, pinning)?,
        Scenario::TcpAccept => accept(pinning)?,
        Scenario::TcpFanIn => {
            let pairs = (0..params.fan_in).map(|_| tcp_pair()).collect::<io::Result<_>>()?;
            two_threads::stream_fan_in(pairs, params.msg_size, pinning)?
        }
    };
    Ok(Box::new(two))
}

/// A loopback TCP connection: (client, server), both with `TCP_NODELAY`.
///
/// # Errors
///
/// Binding, connecting or accepting failed.
pub fn tcp_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    Ok((client, server))
}

/// Two loopback UDP sockets connected to each other: (client, server).
///
/// # Errors
///
/// Binding or connecting failed.
pub fn udp_pair() -> io::Result<(UdpSocket, UdpSocket)> {
    let client = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    let server = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    client.connect(server.local_addr()?)?;
    server.connect(client.local_addr()?)?;
    Ok((client, server))
}

fn udp_pingpong(params: &Params, pinning: Pinning) -> io::Result<TwoThreads> {
    let (client, server) = udp_pair()?;
    let stopper = client.try_clone()?;
    two_threads::datagram_pingpong((client, server), stopper, params.msg_size, pinning)
}

fn accept(pinning: Pinning) -> io::Result<TwoThreads> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr: SocketAddr = listener.local_addr()?;
    let accept_once = move || listener.accept().map(drop);
    let connect_once = move || {
        let mut stream = TcpStream::connect(addr)?;
        // The server closes without writing: EOF proves the accept happened.
        match stream.read(&mut [0u8; 1])? {
            0 => Ok(()),
            _ => Err(io::Error::other("accept bench: unexpected data")),
        }
    };
    two_threads::accept(accept_once, connect_once, pinning)
}
