//! An echo server and its clients on `tokio::net`: the "before" of a move to asock. Its twin,
//! `echo_asock`, is this file with one line changed, the import of `TcpListener` and
//! `TcpStream` (`examples/tests/echo_twins.rs` checks that nothing else differs).
//!
//! Run: `cargo run -p examples --example echo_tokio`
//!
//! The server echoes every connection on its own task until the client closes; `main` runs
//! three clients at once, each sending a line and reading it back.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

// The one line that differs between the twins:
use tokio::net::{TcpListener, TcpStream};

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
    stream.shutdown().await?;
    let mut back = String::new();
    stream.read_to_string(&mut back).await?;
    Ok(back)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("echo server on {addr}");
    tokio::spawn(async move {
        while let Ok((socket, peer)) = listener.accept().await {
            tokio::spawn(async move {
                if let Err(e) = echo(socket).await {
                    eprintln!("{peer}: {e}");
                }
            });
        }
    });

    let clients: Vec<_> =
        (0..3).map(|i| tokio::spawn(client(addr, format!("hello #{i} from a client\n")))).collect();
    for (i, task) in clients.into_iter().enumerate() {
        let back = task.await??;
        print!("client {i} got back: {back}");
        assert_eq!(back, format!("hello #{i} from a client\n"));
    }
    println!("ok");
    Ok(())
}
