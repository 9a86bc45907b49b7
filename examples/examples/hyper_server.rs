//! A hyper HTTP/1 server on asock's listeners (cargo feature `hyper`): each accepted
//! `asock::net::TcpStream` or `UnixStream` goes to hyper as it is, with no adapter.
//!
//! Run: `cargo run -p examples --example hyper_server`
//!
//! The server answers `GET /hello` with a greeting and `POST /echo` with the request body
//! (anything else is a 404). It listens twice, on `127.0.0.1` (TCP) and on an abstract UNIX
//! name, each connection on its own tokio task, and stops when the example ends. Then:
//!
//! 1. a stock client, hyper-util's `Client` with its own `HttpConnector` (tokio's sockets),
//!    fetches over TCP, and asock's `Connector` fetches the same requests: the answers must
//!    be the same, byte for byte;
//! 2. asock's `UnixConnector` fetches over the UNIX socket (hyper-util has no UNIX connector
//!    of its own), and must get the same answers again.
//!
//! The other way round, asock's connector against a stock server, is `hyper_connector`.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use asock::net::hyper::{Connector, UnixConnector};
use asock::net::{TcpListener, UnixListener};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The application: a greeting, an echo, and 404 for the rest.
async fn app(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let response = match (request.method(), request.uri().path()) {
        (&Method::GET, "/hello") => Response::new(Full::new(Bytes::from("hello from asock"))),
        (&Method::POST, "/echo") => {
            let body = request.into_body().collect().await?.to_bytes();
            Response::new(Full::new(body))
        }
        _ => {
            let mut not_found = Response::new(Full::new(Bytes::from("not found")));
            *not_found.status_mut() = StatusCode::NOT_FOUND;
            not_found
        }
    };
    Ok(response)
}

/// Serves `app` on every connection `accept` gives, each on its own task.
macro_rules! serve {
    ($listener:expr) => {{
        let listener = $listener;
        tokio::spawn(async move {
            while let Ok((stream, _peer)) = listener.accept().await {
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(stream, service_fn(app));
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        eprintln!("server: connection error: {e}");
                    }
                });
            }
        })
    }};
}

/// The three requests every client makes: (method, path, body).
const REQUESTS: [(&str, &str, &str); 3] =
    [("GET", "/hello", ""), ("POST", "/echo", "echo me"), ("GET", "/missing", "")];

/// What `client` answers to [`REQUESTS`] at `base`: status and body of each.
async fn fetch_all<C>(
    name: &str,
    client: &Client<C, Full<Bytes>>,
    base: &str,
) -> Result<Vec<(u16, Bytes)>, BoxError>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    let mut answers = Vec::new();
    for (method, path, body) in REQUESTS {
        let uri: Uri = format!("{base}{path}").parse()?;
        let request =
            Request::builder().method(method).uri(uri).body(Full::new(Bytes::from(body)))?;
        let response = client.request(request).await?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        println!(
            "{name:>22}: {method:<4} {base}{path} -> {status} {:?}",
            String::from_utf8_lossy(&body)
        );
        answers.push((status, body));
    }
    Ok(answers)
}

async fn run() -> Result<(), BoxError> {
    let tcp = TcpListener::bind("127.0.0.1:0").await?;
    let port = tcp.local_addr()?.port();
    let name = format!("\0asock-hyper-server-{}", std::process::id());
    let unix = UnixListener::bind(&name)?;
    println!("server: http://127.0.0.1:{port}/ and unix:@{}", &name[1..]);
    let servers = [serve!(tcp), serve!(unix)];

    let base = format!("http://127.0.0.1:{port}");
    let stock = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let expected = fetch_all("hyper-util's connector", &stock, &base).await?;
    assert_eq!(
        expected,
        [
            (200, Bytes::from("hello from asock")),
            (200, Bytes::from("echo me")),
            (404, Bytes::from("not found"))
        ]
    );

    let asock_client = Client::builder(TokioExecutor::new()).build(Connector::new());
    assert_eq!(fetch_all("asock's Connector", &asock_client, &base).await?, expected);

    // Over UNIX: the URI's authority is only the Host header.
    let unix_client = Client::builder(TokioExecutor::new()).build(UnixConnector::new(&name));
    assert_eq!(
        fetch_all("asock's UnixConnector", &unix_client, "http://localhost").await?,
        expected
    );

    for server in servers {
        server.abort();
    }
    println!("ok: the same answers over a stock connector, asock's, and a UNIX socket");
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    // A bound on the whole example, so a bug fails instead of hanging.
    tokio::time::timeout(Duration::from_secs(20), run()).await.map_err(|_| "timed out")?
}
