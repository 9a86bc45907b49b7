//! The addresses not yet attempted, and the order RFC 8305 §4 tries them in.
//!
//! Each family keeps its own queue in the resolver's order (getaddrinfo has already applied
//! RFC 6724 within the family). Which queue the next attempt comes from depends only on what
//! has been started so far: the first `first_family_count` attempts come from the preferred
//! family (IPv6 for a name; the first address's family for a given list), then the families
//! alternate; an empty queue yields to the other. Because the choice is made when an
//! attempt starts, answers that arrive mid-race (RFC 8305 §3's late AAAA, or the A answer
//! after an early AAAA) slot in with no re-sorting: a late IPv6 answer after IPv4 attempts is
//! simply next in line.

use std::collections::{HashSet, VecDeque};

use asock_core::{AddressFamily, SockAddr};

/// The queues of untried addresses of one race.
#[derive(Debug)]
pub(crate) struct Candidates {
    /// The preferred family's queue, then the other's.
    preferred: VecDeque<SockAddr>,
    other: VecDeque<SockAddr>,
    preferred_family: AddressFamily,
    /// Every address ever added, so an address answered twice is attempted once (a resolver
    /// that ignores the family hint answers both queries with the same list).
    seen: HashSet<SockAddr>,
    first_family_count: usize,
    started: usize,
    last_was_preferred: bool,
}

impl Candidates {
    /// Empty queues; `preferred` is `AF_INET6` or `AF_INET` (anything else counts as IPv6).
    pub(crate) fn new(first_family_count: usize, preferred: AddressFamily) -> Self {
        let preferred_family =
            if preferred == AddressFamily::AF_INET { preferred } else { AddressFamily::AF_INET6 };
        Candidates {
            preferred: VecDeque::new(),
            other: VecDeque::new(),
            preferred_family,
            seen: HashSet::new(),
            first_family_count: first_family_count.max(1),
            started: 0,
            last_was_preferred: false,
        }
    }

    /// Queues `addr` behind the others of its family. Returns `false` (and queues nothing)
    /// for an address already seen or one that is not IPv4/IPv6.
    pub(crate) fn push(&mut self, addr: SockAddr) -> bool {
        let family = addr.family();
        if family != AddressFamily::AF_INET6 && family != AddressFamily::AF_INET {
            return false;
        }
        let queue =
            if family == self.preferred_family { &mut self.preferred } else { &mut self.other };
        if !self.seen.insert(addr.clone()) {
            return false;
        }
        queue.push_back(addr);
        true
    }

    /// Takes the address the next attempt goes to.
    pub(crate) fn next(&mut self) -> Option<SockAddr> {
        let want_preferred = self.started < self.first_family_count || !self.last_was_preferred;
        let (wanted, other) = if want_preferred {
            (&mut self.preferred, &mut self.other)
        } else {
            (&mut self.other, &mut self.preferred)
        };
        let addr = wanted.pop_front().or_else(|| other.pop_front())?;
        self.started += 1;
        self.last_was_preferred = addr.family() == self.preferred_family;
        Some(addr)
    }

    /// Whether an address of `family` waits.
    pub(crate) fn has(&self, family: AddressFamily) -> bool {
        let queue = if family == self.preferred_family { &self.preferred } else { &self.other };
        !queue.is_empty()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.preferred.is_empty() && self.other.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(count: usize, addrs: &[&str]) -> Vec<String> {
        let mut c = Candidates::new(count, AddressFamily::AF_INET6);
        for a in addrs {
            c.push(a.parse().unwrap());
        }
        std::iter::from_fn(|| c.next()).map(|a| a.to_string()).collect()
    }

    #[test]
    fn interleaves_starting_with_ipv6_keeping_order_within_family() {
        assert_eq!(
            order(1, &["1.1.1.1:80", "2.2.2.2:80", "3.3.3.3:80", "[::1]:80", "[::2]:80"]),
            ["[::1]:80", "1.1.1.1:80", "[::2]:80", "2.2.2.2:80", "3.3.3.3:80"]
        );
    }

    #[test]
    fn first_family_count_puts_that_many_ipv6_first() {
        assert_eq!(
            order(2, &["[::1]:80", "[::2]:80", "[::3]:80", "1.1.1.1:80", "2.2.2.2:80"]),
            ["[::1]:80", "[::2]:80", "1.1.1.1:80", "[::3]:80", "2.2.2.2:80"]
        );
    }

    #[test]
    fn one_family_keeps_its_order() {
        assert_eq!(order(1, &["2.2.2.2:80", "1.1.1.1:80"]), ["2.2.2.2:80", "1.1.1.1:80"]);
    }

    #[test]
    fn duplicates_and_non_ip_addresses_are_dropped() {
        let mut c = Candidates::new(1, AddressFamily::AF_INET6);
        assert!(c.push("1.1.1.1:80".parse().unwrap()));
        assert!(!c.push("1.1.1.1:80".parse().unwrap()));
        assert!(!c.push(SockAddr::Unix(asock_core::UnixAddr::pathname("/x"))));
        assert_eq!(c.next().map(|a| a.to_string()).as_deref(), Some("1.1.1.1:80"));
        assert!(c.next().is_none());
        assert!(c.is_empty());
    }

    #[test]
    fn late_ipv6_goes_next_after_an_ipv4_attempt() {
        let mut c = Candidates::new(1, AddressFamily::AF_INET6);
        c.push("1.1.1.1:80".parse().unwrap());
        c.push("2.2.2.2:80".parse().unwrap());
        assert_eq!(c.next().unwrap().to_string(), "1.1.1.1:80");
        c.push("[::1]:80".parse().unwrap());
        c.push("[::2]:80".parse().unwrap());
        let rest: Vec<_> = std::iter::from_fn(|| c.next()).map(|a| a.to_string()).collect();
        assert_eq!(rest, ["[::1]:80", "2.2.2.2:80", "[::2]:80"]);
    }

    #[test]
    fn a_preferred_ipv4_goes_first_for_a_given_list() {
        let mut c = Candidates::new(1, AddressFamily::AF_INET);
        for a in ["1.1.1.1:80", "2.2.2.2:80", "[::1]:80"] {
            c.push(a.parse().unwrap());
        }
        let all: Vec<_> = std::iter::from_fn(|| c.next()).map(|a| a.to_string()).collect();
        assert_eq!(all, ["1.1.1.1:80", "[::1]:80", "2.2.2.2:80"]);
    }
}
