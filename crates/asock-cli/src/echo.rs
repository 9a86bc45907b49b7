//! `asock echo`: TCP, UDP and UNIX echo servers in one process, on loopback by default, all
//! on one thread: every connection is a future of one `asock::block_on`.

use std::pin::pin;
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, ServerOptions, SockAddr, SocketKind, UnixAddr};
use futures::future::{self, select, Either};
use futures::stream::FuturesUnordered;
use futures::StreamExt;

use crate::args::EchoArgs;
use crate::failure::Failure;
use crate::output::TARGET;
use crate::values;

/// Runs the subcommand.
pub fn run(args: EchoArgs) -> Result<(), Failure> {
    let addr = values::bind_address(&args.host, args.port)?;
    let tcp = asock::create_server(&addr, &ServerOptions::default())?;
    let tcp_addr = tcp.local_addr()?;
    // UDP on the same port number as TCP, as echo servers usually are.
    let udp = AsyncSocket::new(addr.family(), SocketKind::SOCK_DGRAM, None)?;
    udp.bind(&tcp_addr)?;
    let unix_addr = match &args.unix {
        Some(path) => values::unix_address(path),
        None => {
            SockAddr::Unix(UnixAddr::abstract_name(format!("asock-echo-{}", std::process::id())))
        }
    };
    let unix = AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
    unix.bind(&unix_addr)?;
    unix.listen(128)?;

    // The addresses are the command's output (a script reads them), hence stdout.
    println!("tcp  {tcp_addr}");
    println!("udp  {}", udp.local_addr()?);
    println!("unix {unix_addr}");
    if let Some(stop) = args.stop_after {
        println!("stopping after {:.3} s", stop.as_secs_f64());
    }

    asock::block_on(async {
        let serve =
            pin!(future::join3(serve_streams(&tcp), serve_streams(&unix), serve_datagrams(&udp)));
        match args.stop_after {
            Some(stop) => {
                let _ = select(serve, pin!(asock::sleep(stop))).await;
            }
            None => {
                serve.await;
            }
        }
    });
    if let SockAddr::Unix(UnixAddr::Pathname(path)) = &unix_addr {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Accepts forever; each connection echoes until its peer closes, beside the others.
async fn serve_streams(listener: &AsyncSocket) {
    let mut connections = FuturesUnordered::new();
    loop {
        let accepted = {
            let accept = pin!(listener.accept());
            if connections.is_empty() {
                accept.await
            } else {
                match select(accept, connections.next()).await {
                    Either::Left((accepted, _)) => accepted,
                    // A connection ended; dropping the accept loses no connection.
                    Either::Right(_) => continue,
                }
            }
        };
        match accepted {
            Ok((conn, _)) => connections.push(echo_stream(conn)),
            Err(error) => {
                // EMFILE and the like: back off briefly instead of spinning.
                tracing::warn!(target: TARGET, %error, "accept failed; retrying in 50 ms");
                asock::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn echo_stream(conn: AsyncSocket) {
    let mut buf = vec![0; 64 * 1024];
    while let Ok(n) = conn.recv(&mut buf).await {
        if n == 0 || conn.send_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

async fn serve_datagrams(socket: &AsyncSocket) {
    let mut buf = vec![0; 64 * 1024];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, from)) => {
                let _ = socket.send_to(&buf[..n], &from).await;
            }
            Err(error) => tracing::debug!(target: TARGET, %error, "udp receive failed"),
        }
    }
}
