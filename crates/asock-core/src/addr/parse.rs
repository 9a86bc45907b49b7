//! Parsing addresses from the text a user would type.

use std::str::FromStr;

use super::SockAddr;
use crate::{Error, Result};

impl FromStr for SockAddr {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        text.parse::<std::net::SocketAddr>()
            .map(SockAddr::from)
            .map_err(|_| Error::invalid_input(format!("invalid socket address: {text:?}")))
    }
}
