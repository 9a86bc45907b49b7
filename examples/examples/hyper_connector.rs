//! asock's Happy Eyeballs as hyper-util's connector: `asock::net::hyper::Connector` (cargo
//! feature `hyper`) opens each HTTP connection with `TcpStream::connect_with`, so hyper's
//! `Client` gets RFC 8305's race (both families resolved at once, staggered attempts, one
//! deadline), with no adapter to write: asock's `TcpStream` is hyper's `Read` / `Write` and
//! hyper-util's `Connection`.
//!
//! Run: `cargo run -p examples --example hyper_connector`
//!
//! The example starts a stock hyper HTTP/1 server on `tokio::net` (`127.0.0.1` only), then
//! fetches from it through hyper-util's `Client` with asock's connector, three ways:
//!
//! 1. `http://127.0.0.1:PORT/`: an IPv4 literal.
//! 2. `http://localhost:PORT/`: a name. Where `localhost` is also `::1`, IPv6 is tried first,
//!    is refused (nobody listens there), and IPv4 follows at once (a failure expedites the
//!    next attempt): no 250 ms wait.
//! 3. `http://[::1]:PORT/` (where the machine has `::1`): `Uri::host()` keeps the brackets,
//!    which the connector takes off; the attempt is refused, and asock's error reaches the
//!    caller through hyper-util's error chain.
//!
//! It asserts each response body, on a multi-thread tokio runtime (the connector's future is
//! `Send`, as `Client` requires). The other way round, an asock server answering a stock
//! client, is `hyper_server`.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

use asock::connect::ConnectOptions;
use asock::net::hyper::Connector;
use examples::ms;

// ===== a server to talk to =====

/// Serves `hello from hyper` on `127.0.0.1`, every connection on its own task.
async fn serve() -> std::io::Result<u16> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let hello = service_fn(|_: Request<Incoming>| async {
                    Ok::<_, std::convert::Infallible>(Response::new(Full::new(
                        &b"hello from hyper"[..],
                    )))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(conn), hello)
                    .await;
            });
        }
    });
    Ok(port)
}

// ===== the example =====

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let port = serve().await?;
    let options = ConnectOptions::new().timeout(Duration::from_secs(5)).all_errors(true);
    let client: Client<Connector, Empty<&'static [u8]>> =
        Client::builder(TokioExecutor::new()).build(Connector::with_options(options));

    // 1 and 2: an IPv4 literal, and a name.
    for host in ["127.0.0.1", "localhost"] {
        let uri: Uri = format!("http://{host}:{port}/").parse()?;
        let start = Instant::now();
        let response = client.get(uri.clone()).await?;
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await?.to_bytes();
        let elapsed = start.elapsed();
        println!("GET {uri} -> {:?} in {}", std::str::from_utf8(&body)?, ms(elapsed));
        assert_eq!(&body[..], b"hello from hyper");
        // A refused ::1 (for localhost) expedites IPv4: far below the 250 ms attempt delay.
        assert!(elapsed < Duration::from_millis(200), "{host}: {elapsed:?}");
    }

    // 3: an IPv6 literal in URI form, where nobody listens: refused, with the address named.
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        let uri: Uri = format!("http://[::1]:{port}/").parse()?;
        let error = client.get(uri.clone()).await.expect_err("nobody listens on ::1");
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        let mut refused = None;
        while let Some(e) = cause {
            if let Some(asock_error) = e.downcast_ref::<asock::Error>() {
                refused = Some(asock_error.to_string());
            }
            cause = e.source();
        }
        let refused = refused.expect("asock's error in the chain");
        println!("GET {uri} -> {refused}");
        assert!(refused.contains("Connection refused"), "{refused}");
    } else {
        println!("SKIPPED: no IPv6 loopback (::1) on this machine: the [::1] request");
    }
    println!("hyper-util's Client connected through asock's Happy Eyeballs");
    Ok(())
}
