//! Parses a few addresses the way a user types them and prints each family's view.
//!
//! Run: `cargo run -p examples --example sockaddr`

use asock::SockAddr;

fn main() -> Result<(), asock::Error> {
    for text in ["127.0.0.1:8080", "[::1]:443"] {
        let addr: SockAddr = text.parse()?;
        let raw = addr.to_raw()?;
        println!("{text:<20} family={:<10} raw_len={}", addr.family().to_string(), raw.len());
    }
    Ok(())
}
