//! `asock listen [HOST] PORT`: accept a connection (or many) and pipe it, netcat-style.

use asock::blocking::{ServerOptions, Socket};
use asock::{AddressFamily, Protocol, SockAddr, SocketKind, UnixAddr};

use crate::args::{Args, Spec, UsageError};
use crate::{pipe, Failure};

const SPEC: Spec = Spec { options: &["unix"], flags: &["keep", "udp"], max_positional: 2 };

/// Runs the subcommand.
pub fn run(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, SPEC)?;
    if let Some(path) = args.option("unix") {
        return unix(path, &args);
    }
    let (host, port) = match args.positional.as_slice() {
        [port] => ("", port.as_str()),
        [host, port] => (host.as_str(), port.as_str()),
        _ => return Err(UsageError("listen needs [HOST] PORT (or --unix PATH)".into()).into()),
    };
    let port: u16 = port.parse().map_err(|_| UsageError(format!("bad port {port:?}")))?;
    let addr = bind_address(host, port)?;
    if args.flag("udp") {
        let socket = Socket::new(addr.family(), SocketKind::SOCK_DGRAM, Protocol::from(0))?;
        socket.bind(&addr)?;
        eprintln!("listening on udp {}", socket.local_addr()?);
        return Ok(pipe::datagram(socket, None, std::time::Duration::from_millis(500))?);
    }
    let listener = asock::blocking::create_server(&addr, &ServerOptions::default())?;
    eprintln!("listening on tcp {}", listener.local_addr()?);
    serve(&listener, args.flag("keep"))
}

/// Where to bind: `""` is every IPv4 address (Python's `""`), a numeric host as it is.
fn bind_address(host: &str, port: u16) -> Result<SockAddr, UsageError> {
    if host.contains(':') {
        let ip: std::net::Ipv6Addr = host
            .trim_matches(['[', ']'])
            .parse()
            .map_err(|_| UsageError(format!("bad host {host:?}")))?;
        return Ok(std::net::SocketAddr::from((ip, port)).into());
    }
    SockAddr::inet(host, port).map_err(|e| UsageError(e.to_string()))
}

fn unix(path: &str, args: &Args) -> Result<(), Failure> {
    let addr = SockAddr::Unix(match path.strip_prefix('@') {
        Some(name) => UnixAddr::abstract_name(name),
        None => UnixAddr::pathname(path),
    });
    let kind = if args.flag("udp") { SocketKind::SOCK_DGRAM } else { SocketKind::SOCK_STREAM };
    let socket = Socket::new(AddressFamily::AF_UNIX, kind, Protocol::from(0))?;
    socket.bind(&addr)?;
    let _cleanup = RemoveOnDrop(if path.starts_with('@') { None } else { Some(path.to_owned()) });
    eprintln!("listening on unix {addr}");
    if args.flag("udp") {
        return Ok(pipe::datagram(socket, None, std::time::Duration::from_millis(500))?);
    }
    socket.listen(None)?;
    serve(&socket, args.flag("keep"))
}

/// One connection piped both ways; with `keep`, connection after connection, output only
/// (stdin cannot be shared among them).
fn serve(listener: &Socket, keep: bool) -> Result<(), Failure> {
    loop {
        let (conn, peer) = listener.accept()?;
        eprintln!("connection from {peer}");
        pipe::stream(conn, !keep)?;
        if !keep {
            return Ok(());
        }
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
