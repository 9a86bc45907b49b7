//! `asock connect`: Happy Eyeballs to a host or over a list of addresses, then netcat. As with
//! netcat, the command ends once both directions have: all of stdin sent and the write side
//! shut down at its EOF, and the peer's side read to its EOF (see `pipe::stream`).

use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::{AddressFamily, AsyncSocket, Protocol, SockAddr, SocketKind, UnixAddr};

use crate::args::ConnectArgs;
use crate::failure::Failure;
use crate::output::TARGET;
use crate::pipe;
use crate::values::{self, Target};

/// How long a datagram pipe waits for answers after stdin's EOF.
const LINGER: Duration = Duration::from_millis(500);

/// Runs the subcommand.
pub fn run(args: ConnectArgs) -> Result<(), Failure> {
    asock::block_on(connect(args))
}

async fn connect(args: ConnectArgs) -> Result<(), Failure> {
    if let Some(path) = &args.unix {
        return unix(path, args.udp, args.timeout).await;
    }
    let target = values::connect_target(&args.target).map_err(Failure::Usage)?;
    if args.udp {
        return udp(&target).await;
    }
    let mut options = ConnectOptions::new().all_errors(true);
    if let Some(timeout) = args.timeout {
        options = options.timeout(timeout);
    }
    if let Some(source) = args.source {
        options = options.source_address(source);
    }
    if let Some(delay) = args.delay {
        options = options.happy_eyeballs_delay(delay);
    }
    let socket = match &target {
        Target::HostPort(host, port) => asock::create_connection(host, *port, &options)
            .await
            .map_err(|e| Failure::for_host(host, e))?,
        Target::Addresses(addrs) => asock::connect::create_connection_to(addrs, &options).await?,
    };
    // The connect deadline is not a limit on the conversation that follows.
    socket.set_timeout(None)?;
    tracing::debug!(target: TARGET, peer = %socket.peer_addr()?, local = %socket.local_addr()?, "connected");
    Ok(pipe::stream(&socket, Some(pipe::stdin_chunks())).await?)
}

async fn unix(path: &str, datagram: bool, timeout: Option<Duration>) -> Result<(), Failure> {
    let addr = values::unix_address(path);
    let kind = if datagram { SocketKind::SOCK_DGRAM } else { SocketKind::SOCK_STREAM };
    let socket = AsyncSocket::new(AddressFamily::AF_UNIX, kind, None)?;
    if datagram {
        // Autobind, so that the peer has an address to answer to.
        socket.bind(SockAddr::Unix(UnixAddr::Unnamed))?;
    }
    match timeout {
        Some(timeout) => socket.connect(&addr).timeout(timeout).await?,
        None => socket.connect(&addr).await?,
    }
    if datagram {
        return Ok(pipe::datagram(&socket, Some(addr), LINGER).await?);
    }
    Ok(pipe::stream(&socket, Some(pipe::stdin_chunks())).await?)
}

/// UDP to the first address the target gives (a name's first answer).
async fn udp(target: &Target) -> Result<(), Failure> {
    let addr = match target {
        Target::Addresses(addrs) => addrs[0].clone(),
        Target::HostPort(host, port) => {
            let bare = values::strip_brackets(host);
            let infos = asock::getaddrinfo(
                bare,
                i64::from(*port),
                AddressFamily::AF_UNSPEC,
                SocketKind::SOCK_DGRAM,
                Protocol::from(0),
                0,
            )
            .await
            .map_err(|e| Failure::for_host(bare, e))?;
            let first = infos
                .into_iter()
                .next()
                .ok_or_else(|| asock::Error::gai(asock::consts::EAI_NONAME, None))?;
            first.addr
        }
    };
    let socket = AsyncSocket::new(addr.family(), SocketKind::SOCK_DGRAM, None)?;
    socket.connect(&addr).await?;
    Ok(pipe::datagram(&socket, Some(addr), LINGER).await?)
}
