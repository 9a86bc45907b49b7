//! asock with its `tokio` feature off, under smol: an echo server on asock's typed sockets
//! and three clients, each sending a line and reading it back. The sockets wait on
//! async-io's reactor (smol's), and no tokio crate is in this package's dependency graph.
//!
//! Run: `cargo run -p smol-echo` (CI runs it, and checks `cargo tree -p smol-echo` for tokio).

use asock::net::{TcpListener, TcpStream};
use asock::reactor::Backend;
use smol::io::{AsyncReadExt, AsyncWriteExt};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Echoes what `socket` sends until it closes.
async fn echo(mut socket: TcpStream) -> std::io::Result<()> {
    let mut buf = [0; 4096];
    loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(()); // the client shut its side down
        }
        socket.write_all(&buf[..n]).await?;
    }
}

/// Connects, sends `message`, and returns what comes back.
async fn client(addr: std::net::SocketAddr, message: String) -> Result<String, BoxError> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(message.as_bytes()).await?;
    stream.close().await?; // futures' name for shutting the write side down
    let mut back = String::new();
    stream.read_to_string(&mut back).await?;
    Ok(back)
}

fn main() -> Result<(), BoxError> {
    smol::block_on(async {
        // Outside tokio and `asock::block_on`, with `async-io`: smol's own reactor.
        assert_eq!(Backend::current(), Backend::AsyncIo);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        println!("echo server on {addr} (tokio feature off, waiting on {:?})", Backend::current());
        smol::spawn(async move {
            while let Ok((socket, peer)) = listener.accept().await {
                smol::spawn(async move {
                    if let Err(e) = echo(socket).await {
                        eprintln!("{peer}: {e}");
                    }
                })
                .detach();
            }
        })
        .detach();

        let clients: Vec<_> = (0..3)
            .map(|i| smol::spawn(client(addr, format!("hello #{i} from a client\n"))))
            .collect();
        for (i, task) in clients.into_iter().enumerate() {
            let back = task.await?;
            print!("client {i} got back: {back}");
            if back != format!("hello #{i} from a client\n") {
                return Err(format!("client {i}: the echo differs").into());
            }
        }
        Ok(())
    })
}
