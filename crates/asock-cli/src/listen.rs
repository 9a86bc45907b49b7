//! `asock listen [HOST] PORT`: accept a connection (or many) and pipe it, netcat-style.

use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, ServerOptions, SockAddr, SocketKind};

use crate::args::ListenArgs;
use crate::failure::Failure;
use crate::output::TARGET;
use crate::{pipe, values};

/// How long a datagram pipe waits for more after stdin's EOF.
const LINGER: Duration = Duration::from_millis(500);

/// Runs the subcommand.
pub fn run(args: ListenArgs) -> Result<(), Failure> {
    asock::block_on(listen(args))
}

async fn listen(args: ListenArgs) -> Result<(), Failure> {
    if let Some(path) = &args.unix {
        return unix(path, &args).await;
    }
    let (host, port) = match args.address.as_slice() {
        [port] => ("", port.as_str()),
        [host, port] => (host.as_str(), port.as_str()),
        _ => return Err(Failure::Usage("listen needs [HOST] PORT (or --unix PATH)".into())),
    };
    let port = values::port(port).map_err(|e| Failure::Usage(format!("PORT: {e}")))?;
    values::bind_host(host).map_err(|e| Failure::Usage(format!("HOST: {e}")))?;
    let addr = values::bind_address(host, port)?;
    if args.udp {
        let socket = AsyncSocket::new(addr.family(), SocketKind::SOCK_DGRAM, None)?;
        socket.bind(&addr)?;
        tracing::info!(target: TARGET, "listening on udp {}", socket.local_addr()?);
        return Ok(pipe::datagram(&socket, None, LINGER).await?);
    }
    let listener = asock::create_server(&addr, &ServerOptions::default())?;
    tracing::info!(target: TARGET, "listening on tcp {}", listener.local_addr()?);
    serve(&listener, args.keep).await
}

async fn unix(path: &str, args: &ListenArgs) -> Result<(), Failure> {
    let addr = values::unix_address(path);
    let kind = if args.udp { SocketKind::SOCK_DGRAM } else { SocketKind::SOCK_STREAM };
    let socket = AsyncSocket::new(AddressFamily::AF_UNIX, kind, None)?;
    socket.bind(&addr)?;
    let _cleanup = RemoveOnDrop(if path.starts_with('@') { None } else { Some(path.to_owned()) });
    tracing::info!(target: TARGET, "listening on unix {addr}");
    if args.udp {
        return Ok(pipe::datagram(&socket, None, LINGER).await?);
    }
    socket.listen(128)?;
    serve(&socket, args.keep).await
}

/// One connection piped both ways; with `keep`, connection after connection, output only
/// (stdin cannot be shared among them).
async fn serve(listener: &AsyncSocket, keep: bool) -> Result<(), Failure> {
    loop {
        let (conn, peer) = listener.accept().await?;
        tracing::info!(target: TARGET, "connection from {}", peer_name(&peer));
        let stdin = (!keep).then(pipe::stdin_chunks);
        pipe::stream(&conn, stdin).await?;
        if !keep {
            return Ok(());
        }
    }
}

/// A peer's address for the status line (an unbound UNIX client has none).
fn peer_name(peer: &SockAddr) -> String {
    match peer.to_string() {
        name if name.is_empty() => "an unnamed socket".into(),
        name => name,
    }
}

/// Removes a UNIX socket's path when the command ends, as `nc -lU` leaves none behind.
struct RemoveOnDrop(Option<String>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}
