//! hyper over asock (cargo feature `hyper`): hyper's `Read` / `Write` and hyper-util's
//! `Connection` for [`TcpStream`] and [`UnixStream`], and two connectors for hyper-util's
//! `Client`: [`Connector`] (TCP, Happy Eyeballs) and [`UnixConnector`] (one UNIX socket).
//!
//! A server hands an accepted stream straight to hyper; a client gives hyper-util's
//! `Client` a connector. Neither needs an adapter (`TokioIo`) of its own:
//!
//! ```
//! use http_body_util::{BodyExt, Empty, Full};
//! use hyper::{body::Incoming, service::service_fn, Request, Response};
//! use hyper_util::{client::legacy::Client, rt::TokioExecutor};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! // A server: each accepted asock stream goes to hyper as it is.
//! let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
//! let port = listener.local_addr()?.port();
//! tokio::spawn(async move {
//!     while let Ok((stream, _)) = listener.accept().await {
//!         let hello = service_fn(|_: Request<Incoming>| async {
//!             Ok::<_, std::convert::Infallible>(Response::new(Full::new(&b"hello"[..])))
//!         });
//!         tokio::spawn(hyper::server::conn::http1::Builder::new().serve_connection(stream, hello));
//!     }
//! });
//!
//! // A client whose connections are asock's Happy Eyeballs.
//! let client: Client<_, Empty<&[u8]>> =
//!     Client::builder(TokioExecutor::new()).build(asock::net::hyper::Connector::new());
//! let response = client.get(format!("http://localhost:{port}/").parse()?).await?;
//! assert_eq!(&response.into_body().collect().await?.to_bytes()[..], b"hello");
//! # Ok(())
//! # }
//! ```
//!
//! The streams' hyper traits are their tokio `AsyncRead` / `AsyncWrite`, through hyper-util's
//! `TokioIo` (which fills hyper's uninitialised read buffers without zeroing them). hyper's
//! client and server work on any executor; hyper-util's `Client` wants a tokio runtime for
//! its pool, as with any connector.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use ::hyper::rt::{Read, ReadBufCursor, Write};
use ::hyper::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;

use super::{unix_addr_of_path, TcpStream, UnixStream};
use crate::async_socket::AsyncSocket;
use crate::connect::ConnectOptions;
use asock_core::{Error, Result, UnixAddr};

// ===== hyper's Read / Write, hyper-util's Connection =====

/// hyper's traits on a `&AsyncSocket`, through hyper-util's `TokioIo` (tokio's traits,
/// which `&AsyncSocket` implements).
fn io(sock: &AsyncSocket) -> TokioIo<&AsyncSocket> {
    TokioIo::new(sock)
}

macro_rules! hyper_io {
    ($($ty:ty),*) => {$(
        impl Read for $ty {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: ReadBufCursor<'_>,
            ) -> Poll<io::Result<()>> {
                Pin::new(&mut io(self.as_socket())).poll_read(cx, buf)
            }
        }

        impl Write for $ty {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                Pin::new(&mut io(self.as_socket())).poll_write(cx, buf)
            }

            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                Pin::new(&mut io(self.as_socket())).poll_write_vectored(cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                Pin::new(&mut io(self.as_socket())).poll_flush(cx)
            }

            fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                Pin::new(&mut io(self.as_socket())).poll_shutdown(cx)
            }
        }

        impl Connection for $ty {
            /// A plain connection: no proxy, no HTTP/2 negotiated.
            fn connected(&self) -> Connected {
                Connected::new()
            }
        }
    )*};
}

hyper_io!(TcpStream, UnixStream);

// ===== connectors =====

/// The future of a connector: the stream, or the error hyper-util's `Client` reports.
///
/// ```
/// use asock::net::hyper::{Connector, ConnectorFuture};
/// use asock::net::TcpStream;
/// use tower_service::Service;
///
/// # asock::block_on(async {
/// let listener = asock::net::TcpListener::bind("127.0.0.1:0").await?;
/// let uri = format!("http://{}/", listener.local_addr()?).parse().unwrap();
/// let connecting: ConnectorFuture<TcpStream> = Connector::new().call(uri);
/// assert_eq!(connecting.await?.peer_addr()?, listener.local_addr()?);
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
pub type ConnectorFuture<S> = Pin<Box<dyn Future<Output = Result<S>> + Send + 'static>>;

/// hyper-util's connector over asock: each connection is [`TcpStream::connect_with`], so a
/// name's IPv6 and IPv4 addresses race (Happy Eyeballs, RFC 8305) under the
/// [`ConnectOptions`] given.
///
/// The URI's host is a name or an IP literal (`http://[::1]:8080/` too); its port defaults
/// to 80 for `http` and 443 for `https` (for which a TLS connector wraps this one). Every
/// connection gets `TCP_NODELAY` unless [`nodelay(false)`](Self::nodelay) (HTTP writes
/// whole messages: Nagle's algorithm only delays them).
///
/// ```
/// use std::time::Duration;
/// use asock::connect::ConnectOptions;
/// use asock::net::hyper::Connector;
///
/// let connector = Connector::with_options(
///     ConnectOptions::new().timeout(Duration::from_secs(5)).all_errors(true),
/// );
/// # let _ = connector;
/// ```
///
/// # Cancel safety
///
/// A connection future dropped (by the client, on a timeout) closes every socket of its race.
#[derive(Debug, Clone)]
pub struct Connector {
    options: ConnectOptions,
    nodelay: bool,
}

impl Connector {
    /// A connector with the default [`ConnectOptions`] (Python's default timeout) and
    /// `TCP_NODELAY`.
    ///
    /// ```
    /// let connector = asock::net::hyper::Connector::new();
    /// # let _ = connector;
    /// ```
    #[must_use]
    pub fn new() -> Connector {
        Connector::with_options(ConnectOptions::new())
    }

    /// A connector racing with `options` (timeout, attempt delay, source address, all
    /// errors).
    ///
    /// ```
    /// use asock::connect::ConnectOptions;
    ///
    /// let connector = asock::net::hyper::Connector::with_options(ConnectOptions::new().all_errors(true));
    /// # let _ = connector;
    /// ```
    #[must_use]
    pub fn with_options(options: ConnectOptions) -> Connector {
        Connector { options, nodelay: true }
    }

    /// Whether connections get `TCP_NODELAY` (the default: `true`).
    ///
    /// ```
    /// let connector = asock::net::hyper::Connector::new().nodelay(false);
    /// # let _ = connector;
    /// ```
    #[must_use]
    pub fn nodelay(mut self, nodelay: bool) -> Connector {
        self.nodelay = nodelay;
        self
    }
}

impl Default for Connector {
    fn default() -> Self {
        Connector::new()
    }
}

impl tower_service::Service<Uri> for Connector {
    type Response = TcpStream;
    type Error = Error;
    type Future = ConnectorFuture<TcpStream>;

    /// Always ready: each call races on its own.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Connects to `uri`'s host and port.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a URI without a host, or without a port and with a scheme other
    /// than `http` / `https`; otherwise those of [`TcpStream::connect_with`].
    fn call(&mut self, uri: Uri) -> ConnectorFuture<TcpStream> {
        let (options, nodelay) = (self.options.clone(), self.nodelay);
        Box::pin(async move {
            let (host, port) = host_and_port(&uri)?;
            let stream = TcpStream::connect_with((host, port), &options).await?;
            stream.set_nodelay(nodelay)?;
            Ok(stream)
        })
    }
}

/// `uri`'s host (IPv6 literals without their brackets) and port.
fn host_and_port(uri: &Uri) -> Result<(&str, u16)> {
    let host =
        uri.host().ok_or_else(|| Error::invalid_input(format!("URI without a host: {uri}")))?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let port = match (uri.port_u16(), uri.scheme_str()) {
        (Some(port), _) => port,
        (None, Some("http") | None) => 80,
        (None, Some("https")) => 443,
        (None, Some(other)) => {
            return Err(Error::invalid_input(format!(
                "no port in {uri} and no default for {other}"
            )))
        }
    };
    Ok((host, port))
}

/// hyper-util's connector to one UNIX socket, whatever the URI (a Docker daemon, a local
/// service): the URI still gives the request's path and `Host` header.
///
/// ```
/// use asock::net::hyper::UnixConnector;
///
/// let connector = UnixConnector::new("/var/run/docker.sock");
/// # let _ = connector;
/// ```
///
/// # Cancel safety
///
/// A connection future dropped closes its socket.
#[derive(Clone)]
pub struct UnixConnector {
    addr: UnixAddr,
}

impl UnixConnector {
    /// Connects to the socket at `path` (a leading NUL byte: an abstract name).
    ///
    /// ```
    /// let connector = asock::net::hyper::UnixConnector::new("\0my-service");
    /// # let _ = connector;
    /// ```
    #[must_use]
    pub fn new(path: impl AsRef<std::path::Path>) -> UnixConnector {
        UnixConnector { addr: unix_addr_of_path(path.as_ref()) }
    }

    /// Connects to `addr`.
    ///
    /// ```
    /// let name = asock::UnixAddr::abstract_name("my-service");
    /// let connector = asock::net::hyper::UnixConnector::with_addr(name);
    /// # let _ = connector;
    /// ```
    #[must_use]
    pub fn with_addr(addr: UnixAddr) -> UnixConnector {
        UnixConnector { addr }
    }
}

impl fmt::Debug for UnixConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnixConnector").field(&format_args!("{}", self.addr)).finish()
    }
}

impl tower_service::Service<Uri> for UnixConnector {
    type Response = UnixStream;
    type Error = Error;
    type Future = ConnectorFuture<UnixStream>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Connects to the socket, whatever `uri` says.
    ///
    /// # Errors
    ///
    /// Those of [`UnixStream::connect_addr`].
    fn call(&mut self, _uri: Uri) -> ConnectorFuture<UnixStream> {
        let addr = self.addr.clone();
        Box::pin(async move { UnixStream::connect_addr(&addr).await })
    }
}
