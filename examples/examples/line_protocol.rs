//! A protocol built on top of asock's `TcpStream`: a tiny line-based key-value store, over
//! tokio's `AsyncRead` / `AsyncWrite` (`BufReader::lines`), then over futures' on
//! `asock::block_on`.
//!
//! Run: `cargo run -p examples --example line_protocol`
//!
//! The protocol, one command per line, one reply line each:
//!
//! ```text
//! SET key value   ->  OK
//! GET key         ->  VALUE value   |  NOT_FOUND
//! DEL key         ->  DELETED       |  NOT_FOUND
//! QUIT            ->  BYE, and the server closes the connection
//! anything else   ->  ERROR why
//! ```
//!
//! [`reply`] is the protocol itself, with no I/O. Around it, the I/O traits do the framing:
//! `TcpStream` implements tokio's and futures' `AsyncRead` / `AsyncWrite` (on `&TcpStream`
//! too, so one task can read through a `BufReader` and write on the same stream), which is
//! all a codec needs; this is Python's `sock.makefile()` for async code. Part one runs a
//! server on tokio serving two clients at once, one writing what the other then reads; part
//! two runs the same server and a client as two futures joined under `asock::block_on`,
//! with futures' `AsyncBufReadExt::lines`. The whole of each part has a 5 s deadline
//! (`ModeExt::timeout`), so a bug fails rather than hangs. `ModeExt` needs a future of
//! `asock::Result`; `io::Error`s convert into `asock::Error` with `?`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asock::net::{TcpListener, TcpStream};
use asock::ModeExt;

type Store = Arc<Mutex<HashMap<String, String>>>;

/// The protocol: the reply to one command line, and whether the connection should end.
fn reply(line: &str, store: &Store) -> (String, bool) {
    let mut store = store.lock().expect("store lock");
    let mut words = line.splitn(3, ' ');
    let answer = match (words.next(), words.next(), words.next()) {
        (Some("SET"), Some(key), Some(value)) => {
            store.insert(key.to_owned(), value.to_owned());
            "OK".to_owned()
        }
        (Some("GET"), Some(key), None) => match store.get(key) {
            Some(value) => format!("VALUE {value}"),
            None => "NOT_FOUND".to_owned(),
        },
        (Some("DEL"), Some(key), None) => match store.remove(key) {
            Some(_) => "DELETED".to_owned(),
            None => "NOT_FOUND".to_owned(),
        },
        (Some("QUIT"), None, None) => return ("BYE".to_owned(), true),
        _ => format!("ERROR unknown command {line:?}"),
    };
    (answer, false)
}

// ===== over tokio's AsyncRead / AsyncWrite =====

mod over_tokio {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};

    use super::{reply, Store, TcpStream};

    /// Serves one connection until QUIT or the end of the stream.
    pub async fn serve(conn: TcpStream, store: Store) -> asock::Result<()> {
        let mut lines = BufReader::new(&conn).lines();
        while let Some(line) = lines.next_line().await? {
            let (answer, quit) = reply(&line, &store);
            (&conn).write_all(format!("{answer}\n").as_bytes()).await?;
            if quit {
                break;
            }
        }
        Ok(())
    }

    /// A client: sends a command line, reads one reply line.
    pub struct Client<'a> {
        pub sock: &'a TcpStream,
        pub lines: Lines<BufReader<&'a TcpStream>>,
    }

    impl<'a> Client<'a> {
        pub fn new(sock: &'a TcpStream) -> Self {
            Client { sock, lines: BufReader::new(sock).lines() }
        }

        pub async fn call(&mut self, command: &str) -> asock::Result<String> {
            self.sock.write_all(format!("{command}\n").as_bytes()).await?;
            let answer = self.lines.next_line().await?.unwrap_or_default();
            println!("  {command:<26} -> {answer}");
            Ok(answer)
        }
    }
}

async fn tokio_part() -> asock::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("tokio: key-value server on {addr}");
    let store = Store::default();
    let server = tokio::spawn(async move {
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let (conn, _peer) = listener.accept().await?;
            tasks.push(tokio::spawn(over_tokio::serve(conn, store.clone())));
        }
        for task in tasks {
            task.await.expect("connection task panicked")?;
        }
        Ok::<_, asock::Error>(())
    });

    // Two connections open at once: the writer's changes are what the reader sees.
    let (writer, reader) = (TcpStream::connect(addr).await?, TcpStream::connect(addr).await?);
    let (mut writer, mut reader) =
        (over_tokio::Client::new(&writer), over_tokio::Client::new(&reader));
    assert_eq!(writer.call("SET greeting hello, world").await?, "OK");
    assert_eq!(reader.call("GET greeting").await?, "VALUE hello, world");
    assert_eq!(reader.call("GET missing").await?, "NOT_FOUND");
    assert_eq!(writer.call("DEL greeting").await?, "DELETED");
    assert_eq!(reader.call("GET greeting").await?, "NOT_FOUND");
    assert!(writer.call("FLY away").await?.starts_with("ERROR"));
    assert_eq!(writer.call("QUIT").await?, "BYE");
    assert_eq!(reader.call("QUIT").await?, "BYE");
    // After BYE the server closes: the next read is the end of the stream.
    assert_eq!(reader.lines.next_line().await?, None);
    server.await.expect("server task panicked")?;
    Ok(())
}

// ===== over futures' AsyncRead / AsyncWrite, on asock's own reactor =====

async fn futures_part() -> asock::Result<()> {
    use futures::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use futures::StreamExt;

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("futures: key-value server on {addr}, under asock::block_on");
    let store = Store::default();

    let server = async {
        let (conn, _peer) = listener.accept().await?;
        let mut lines = BufReader::new(&conn).lines();
        while let Some(line) = lines.next().await {
            let (answer, quit) = reply(&line?, &store);
            (&conn).write_all(format!("{answer}\n").as_bytes()).await?;
            if quit {
                break;
            }
        }
        Ok::<_, asock::Error>(())
    };

    let client = async {
        let sock = TcpStream::connect(addr).await?;
        let mut lines = BufReader::new(&sock).lines();
        let mut answers = Vec::new();
        for command in ["SET lang rust", "GET lang", "QUIT"] {
            (&sock).write_all(format!("{command}\n").as_bytes()).await?;
            let answer = lines.next().await.transpose()?.unwrap_or_default();
            println!("  {command:<26} -> {answer}");
            answers.push(answer);
        }
        Ok::<_, asock::Error>(answers)
    };

    let ((), answers) = futures::future::try_join(server, client).await?;
    assert_eq!(answers, ["OK", "VALUE rust", "BYE"]);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let deadline = Duration::from_secs(5);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async { tokio_part().timeout(deadline).await })?;
    asock::block_on(futures_part().timeout(deadline))?;
    println!("ok");
    Ok(())
}
