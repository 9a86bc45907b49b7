//! The `hyper` feature: hyper's HTTP/1 client and server straight over asock's streams (no
//! adapter), on every executor; hyper-util's `Client` with asock's connectors (TCP with Happy
//! Eyeballs, UNIX) on tokio; the connectors' errors.

mod reactor_support;

use std::time::Duration;

use http_body_util::{BodyExt, Empty, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::client::legacy::connect::Connection;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower_service::Service;

use asock::connect::ConnectOptions;
use asock::net::hyper::{Connector, UnixConnector};
use asock::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use asock::Result;
use reactor_support::Executor;

on_every_backend!(http1_client_and_server_over_tcp_streams, http1_over_unix_streams);

/// hyper's errors, as asock's for the test bodies.
fn hyper_error(e: impl std::fmt::Display) -> asock::Error {
    asock::Error::invalid_input(format!("hyper: {e}"))
}

/// Answers every request with its method, path and body.
async fn echo(
    request: Request<Incoming>,
) -> std::result::Result<Response<Full<Bytes>>, hyper::Error> {
    let head = format!("{} {} ", request.method(), request.uri().path());
    let body = request.into_body().collect().await?.to_bytes();
    Ok(Response::new(Full::new(Bytes::from([head.as_bytes(), &body].concat()))))
}

/// One request over `io` with hyper's own client connection, the connection driven in the
/// same future (no task is spawned, so any executor runs it).
async fn one_request<I>(io: I, path: &str, body: &'static str) -> Result<Bytes>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake::<_, Full<Bytes>>(io).await.map_err(hyper_error)?;
    let exchange = async move {
        let request =
            Request::post(path).body(Full::new(Bytes::from(body))).map_err(hyper_error)?;
        let response = sender.send_request(request).await.map_err(hyper_error)?;
        assert_eq!(response.status(), 200);
        let bytes = response.into_body().collect().await.map_err(hyper_error)?.to_bytes();
        Ok::<_, asock::Error>(bytes) // `sender` dropped here: the connection then ends
    };
    let (connection, exchange) = futures::join!(connection, exchange);
    connection.map_err(hyper_error)?;
    exchange
}

async fn http1_client_and_server_over_tcp_streams(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = async {
        let (stream, _) = listener.accept().await?;
        assert!(!stream.connected().is_proxied());
        hyper::server::conn::http1::Builder::new()
            .serve_connection(stream, service_fn(echo))
            .await
            .map_err(hyper_error)
    };
    let client = async { one_request(TcpStream::connect(addr).await?, "/tcp", "over asock").await };
    let (served, answer) = futures::join!(server, client);
    served?;
    assert_eq!(&answer?[..], b"POST /tcp over asock");
    Ok(())
}

async fn http1_over_unix_streams(_: Executor) -> Result<()> {
    let (client, server) = UnixStream::pair()?;
    let serve =
        hyper::server::conn::http1::Builder::new().serve_connection(server, service_fn(echo));
    let (served, answer) = futures::join!(serve, one_request(client, "/unix", "pair"));
    served.map_err(hyper_error)?;
    assert_eq!(&answer?[..], b"POST /unix pair");
    Ok(())
}

// ===== hyper-util's Client with asock's connectors (tokio: the client's pool spawns) =====

/// Serves `echo` on `listener` until the runtime ends, each connection on its own task.
fn serve_tcp(listener: TcpListener) {
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let serve = hyper::server::conn::http1::Builder::new()
                .serve_connection(stream, service_fn(echo));
            tokio::spawn(serve);
        }
    });
}

fn tokio_test(body: impl std::future::Future<Output = Result<()>> + Send + 'static) {
    reactor_support::run(Executor::Tokio, |_| body);
}

#[test]
fn client_with_the_tcp_connector() {
    tokio_test(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        serve_tcp(listener);
        let client: Client<Connector, Full<Bytes>> =
            Client::builder(TokioExecutor::new()).build(Connector::new());
        // An IP literal and a name (Happy Eyeballs over what localhost resolves to).
        for host in ["127.0.0.1", "localhost"] {
            let uri: Uri = format!("http://{host}:{port}/path").parse().unwrap();
            let request =
                Request::post(uri).body(Full::new(Bytes::from("via the connector"))).unwrap();
            let response = client.request(request).await.map_err(hyper_error)?;
            let body = response.into_body().collect().await.map_err(hyper_error)?.to_bytes();
            assert_eq!(&body[..], b"POST /path via the connector");
        }
        Ok(())
    });
}

#[test]
fn connector_sets_nodelay_and_reports_refusals() {
    tokio_test(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let mut connector = Connector::new();
        let stream = connector.call(format!("http://localhost:{port}/").parse().unwrap()).await?;
        assert!(stream.nodelay()?);
        assert_eq!(stream.peer_addr()?, listener.local_addr()?);
        let mut plain = Connector::new().nodelay(false);
        let stream = plain.call(format!("http://127.0.0.1:{port}/").parse().unwrap()).await?;
        assert!(!stream.nodelay()?);
        drop(listener);

        // Refused: asock's error, reachable through hyper-util's error chain.
        let options = ConnectOptions::new().timeout(Duration::from_secs(5));
        let client: Client<Connector, Empty<Bytes>> =
            Client::builder(TokioExecutor::new()).build(Connector::with_options(options));
        let error =
            client.get(format!("http://127.0.0.1:{port}/").parse().unwrap()).await.unwrap_err();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        let mut errno = None;
        while let Some(e) = cause {
            if let Some(asock_error) = e.downcast_ref::<asock::Error>() {
                errno = asock_error.raw_os_error();
            }
            cause = e.source();
        }
        assert_eq!(errno, Some(libc::ECONNREFUSED), "{error:?}");
        Ok(())
    });
}

#[test]
fn connector_checks_the_uri() {
    tokio_test(async {
        let mut connector = Connector::new();
        let no_host = connector.call(Uri::from_static("/just/a/path")).await.unwrap_err();
        assert_eq!(no_host.kind(), asock::ErrorKind::InvalidInput);
        assert!(no_host.to_string().contains("without a host"), "{no_host}");
        let no_port = connector.call(Uri::from_static("gopher://127.0.0.1/")).await.unwrap_err();
        assert_eq!(no_port.to_string(), "no port in gopher://127.0.0.1/ and no default for gopher");
        // https defaults to 443, http to 80: nobody listens there on this machine's loopback
        // (or, if something does, the connection is made): either way not a URI error.
        let https = connector.call(Uri::from_static("https://127.0.0.1/")).await;
        assert!(https.map_or_else(|e| e.kind() != asock::ErrorKind::InvalidInput, |_| true));
        Ok(())
    });
}

#[test]
fn client_with_the_unix_connector() {
    tokio_test(async {
        let name = format!("\0asock-net-hyper-{}", std::process::id());
        let listener = UnixListener::bind(&name)?;
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let serve = hyper::server::conn::http1::Builder::new()
                    .serve_connection(stream, service_fn(echo));
                tokio::spawn(serve);
            }
        });
        let client: Client<UnixConnector, Full<Bytes>> =
            Client::builder(TokioExecutor::new()).build(UnixConnector::new(&name));
        // The URI's authority is only the Host header: the connector goes to the socket.
        let request = Request::put("http://service.local/v1/items")
            .body(Full::new(Bytes::from("item")))
            .unwrap();
        let response = client.request(request).await.map_err(hyper_error)?;
        let body = response.into_body().collect().await.map_err(hyper_error)?.to_bytes();
        assert_eq!(&body[..], b"PUT /v1/items item");
        let mut missing =
            UnixConnector::with_addr(asock::UnixAddr::abstract_name("asock-net-hyper-nobody"));
        let err = missing.call(Uri::from_static("http://x/")).await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED));
        Ok(())
    });
}
