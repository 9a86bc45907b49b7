//! `SystemResolver`: the C library's resolver behind the [`Resolve`] trait.

use super::{lookup, Hints, Resolve, ResolveFuture, Service};

/// The C library's `getaddrinfo` as a [`Resolve`]: what `create_connection` uses by default.
///
/// Numeric hosts are answered at once; names are looked up on a blocking thread, as
/// [`asock::getaddrinfo`](crate::getaddrinfo) does, whatever the executor.
///
/// ```
/// use asock::resolve::{Hints, Resolve, SystemResolver};
/// use asock::AddressFamily;
///
/// let hints = Hints { family: AddressFamily::AF_INET6, ..Hints::default() };
/// let infos = futures::executor::block_on(SystemResolver.getaddrinfo(Some("::1"), Some("80"), hints))?;
/// assert!(infos.iter().all(|info| info.addr.to_string() == "[::1]:80"));
/// # Ok::<(), asock::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn getaddrinfo(&self, host: Option<&str>, port: Option<&str>, hints: Hints) -> ResolveFuture {
        let port = port.map_or(Service::Any, Service::from);
        Box::pin(lookup::getaddrinfo(
            host,
            port,
            hints.family,
            hints.kind,
            hints.proto,
            hints.flags,
        ))
    }
}
