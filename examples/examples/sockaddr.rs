//! Parses a few addresses the way a user types them and prints each family's view.
//!
//! Run: `cargo run -p examples --example sockaddr`
//!
//! `SockAddr` is every family's address in one enum (Python passes a tuple whose shape
//! depends on the family). Each parsed address is turned into the kernel's `sockaddr` form
//! (`to_raw`, what `bind` and `connect` pass) and back, which must give the same address.

use asock::SockAddr;

fn main() -> Result<(), asock::Error> {
    // The text, and the size of the sockaddr the kernel expects for its family.
    for (text, sockaddr_len) in [("127.0.0.1:8080", 16), ("[::1]:443", 28)] {
        let addr: SockAddr = text.parse()?;
        let raw = addr.to_raw()?;
        println!("{text:<20} family={:<10} raw_len={}", addr.family().to_string(), raw.len());
        assert_eq!(raw.len() as usize, sockaddr_len, "sockaddr_in is 16 bytes, sockaddr_in6 28");
        assert_eq!(SockAddr::from_raw(&raw)?, addr, "through the kernel's form and back");
        assert_eq!(addr.to_string(), text, "printed as typed");
    }
    Ok(())
}
