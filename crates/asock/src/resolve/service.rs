//! `Service`: `getaddrinfo`'s port argument: a number, a service name, or nothing.

use std::ffi::CString;
use std::fmt;

use asock_core::{Error, Result};

/// The port argument of [`getaddrinfo`](crate::blocking::getaddrinfo): Python's `port`, which
/// may be an int, a str (a number or a service name from /etc/services) or `None`.
///
/// Numbers go to the C library as decimal text, exactly as CPython formats them, so they wrap
/// as glibc wraps them: `65536` is port 0 and `2**40 + 80` port 80, while a negative number is
/// refused with `EAI_SERVICE`. Names are looked up by the C library for the socket kind asked
/// for (`"http"` is 80 over TCP).
///
/// ```
/// use asock::resolve::Service;
///
/// assert_eq!(Service::from(443), Service::Number(443));
/// assert_eq!(Service::from("https"), Service::Name("https".into()));
/// assert_eq!(Service::from(None), Service::Any);
/// assert_eq!(Service::from(Some(8080u16)), Service::Number(8080));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Service {
    /// No port (Python's `None`): the C library gets a null service, the port is 0.
    #[default]
    Any,
    /// A port number, wrapped by the C library as CPython's int port is.
    Number(i64),
    /// A service name or a number as text (Python's str), passed through unchanged.
    Name(String),
}

impl Service {
    /// The C string CPython passes for this port: decimal text, the name, or null.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a name with an embedded NUL.
    pub(crate) fn to_c_string(&self) -> Result<Option<CString>> {
        match self {
            Service::Any => Ok(None),
            Service::Number(n) => Ok(CString::new(n.to_string()).ok()),
            Service::Name(name) => CString::new(name.as_str())
                .map(Some)
                .map_err(|_| Error::invalid_input("embedded null character in service name")),
        }
    }

    /// The service as the text [`Resolve`](super::Resolve) implementations receive.
    #[must_use]
    pub fn as_text(&self) -> Option<String> {
        match self {
            Service::Any => None,
            Service::Number(n) => Some(n.to_string()),
            Service::Name(name) => Some(name.clone()),
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Service::Any => f.write_str("None"),
            Service::Number(n) => write!(f, "{n}"),
            Service::Name(name) => f.write_str(name),
        }
    }
}

macro_rules! service_from_int {
    ($($int:ty),*) => {$(
        impl From<$int> for Service {
            fn from(port: $int) -> Self {
                Service::Number(i64::from(port))
            }
        }
    )*};
}
service_from_int!(u8, u16, u32, i8, i16, i32, i64);

impl From<&str> for Service {
    fn from(name: &str) -> Self {
        Service::Name(name.to_owned())
    }
}

impl From<String> for Service {
    fn from(name: String) -> Self {
        Service::Name(name)
    }
}

impl From<&String> for Service {
    fn from(name: &String) -> Self {
        Service::Name(name.clone())
    }
}

/// `None` is Python's `None`; `Some(port)` a port number. (One `Option` impl only, so that a
/// bare `None` needs no type annotation.)
impl From<Option<u16>> for Service {
    fn from(port: Option<u16>) -> Self {
        port.map_or(Service::Any, Service::from)
    }
}
