//! [`UnixListener`]: a listening UNIX stream socket, as tokio's.

use std::path::Path;

use super::common::{typed_socket, UNIX_STREAM};
use super::listener_methods::listener_methods;
use super::tcp_listener::BACKLOG;
use super::{unix_addr, unix_addr_of_path, UnixStream};
use crate::async_socket::AsyncSocket;
use asock_core::{AddressFamily, Result, SockAddr, SocketKind, UnixAddr};

/// A UNIX stream socket listening for connections: tokio's `UnixListener` over an
/// [`AsyncSocket`].
///
/// Addresses are paths, or names in Linux's abstract namespace (no file; gone with the
/// socket): a path that starts with a NUL byte, as in Python and tokio, or an explicit
/// [`UnixAddr::Abstract`] through [`bind_addr`](Self::bind_addr).
///
/// ```
/// use asock::net::{UnixListener, UnixStream};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # asock::block_on(async {
/// let name = format!("\0asock-doc-listener-{}", std::process::id());
/// let listener = UnixListener::bind(&name)?;
/// let mut client = UnixStream::connect(&name).await?;
/// let (mut conn, _peer) = listener.accept().await?;
/// client.write_all(b"over a unix socket").await?;
/// client.shutdown().await?;
/// let mut got = String::new();
/// conn.read_to_string(&mut got).await?;
/// assert_eq!(got, "over a unix socket");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct UnixListener {
    sock: AsyncSocket,
}

typed_socket!(
    UnixListener,
    fits: UNIX_STREAM,
    std: std::os::unix::net::UnixListener,
    tokio: tokio::net::UnixListener,
    setup: "let sock = asock::net::UnixListener::bind(format!(\"\\0asock-doc-{}\", std::process::id()))?;",
    std_setup: "use std::os::linux::net::SocketAddrExt;\nlet name = format!(\"asock-doc-std-{}\", std::process::id());\nlet addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;\nlet std_socket = std::os::unix::net::UnixListener::bind_addr(&addr)?;",
);

listener_methods!(
    UnixListener,
    stream: UnixStream,
    addr: UnixAddr,
    peer_addr: unix_addr,
    peer_note: " (usually [`UnixAddr::Unnamed`](UnixAddr::Unnamed): clients rarely bind)",
    setup: "let sock = asock::net::UnixListener::bind(\"\")?; // autobind: a fresh abstract name",
    connect: "let client = asock::block_on(asock::net::UnixStream::connect_addr(&sock.local_addr()?))?;",
);

impl UnixListener {
    /// Creates a UNIX stream socket bound to `path` and listening (backlog 1024). A path
    /// that starts with a NUL byte names the abstract namespace; an empty path autobinds
    /// to a fresh abstract name. No runtime is needed: the socket registers at its first
    /// wait.
    ///
    /// A file left at `path` by an earlier listener makes this fail with `EADDRINUSE`:
    /// remove it first (asock, like tokio and std, never removes files).
    ///
    /// ```
    /// use asock::net::UnixListener;
    /// use asock::UnixAddr;
    ///
    /// let path = std::env::temp_dir().join(format!("asock-doc-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let listener = UnixListener::bind(&path)?;
    /// assert_eq!(listener.local_addr()?, UnixAddr::pathname(&path));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `EADDRINUSE` for a path in use; `ENOENT` / `EACCES` for its directory;
    /// `InvalidInput` for a path longer than `sun_path` (107 bytes).
    pub fn bind(path: impl AsRef<Path>) -> Result<UnixListener> {
        UnixListener::bind_addr(&unix_addr_of_path(path.as_ref()))
    }

    /// [`bind`](Self::bind) to a [`UnixAddr`]: a path, an abstract name, or `Unnamed`
    /// (autobind).
    ///
    /// ```
    /// use asock::net::UnixListener;
    /// use asock::UnixAddr;
    ///
    /// let name = UnixAddr::abstract_name(format!("asock-doc-{}", std::process::id()));
    /// let listener = UnixListener::bind_addr(&name)?;
    /// assert_eq!(listener.local_addr()?, name);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`bind`](Self::bind).
    pub fn bind_addr(addr: &UnixAddr) -> Result<UnixListener> {
        let sock = AsyncSocket::new(AddressFamily::AF_UNIX, SocketKind::SOCK_STREAM, None)?;
        sock.bind(SockAddr::Unix(addr.clone()))?;
        sock.listen(BACKLOG)?;
        Ok(UnixListener { sock })
    }

    /// The address the listener is bound to: `getsockname(2)`.
    ///
    /// ```
    /// let listener = asock::net::UnixListener::bind("")?;
    /// assert!(matches!(listener.local_addr()?, asock::UnixAddr::Abstract(_)));
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The errno of `getsockname(2)`.
    pub fn local_addr(&self) -> Result<UnixAddr> {
        unix_addr(self.sock.local_addr()?)
    }
}
