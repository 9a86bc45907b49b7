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

use std::collections::HashSet;

use asock_core::{AddressFamily, SockAddr};

use super::first_in_place::FirstInPlace;

/// Up to this many addresses, an address answered twice is found by comparing it with each
/// one kept; past it, a hash set takes over, so a resolver answering thousands of addresses
/// costs no quadratic time. Most races see one to four addresses: comparing is cheaper than
/// hashing them, and needs no allocation.
const COMPARE_UP_TO: usize = 16;

/// The queues of untried addresses of one race.
///
/// Both queues live in one list, every address ever added in the order added (no allocation
/// for one address, at most one per answer for more, and the record of what was seen): a
/// family's queue is its addresses from that
/// family's cursor on. Within a family addresses are taken in order, so everything of that
/// family before its cursor has been taken and everything after it waits.
#[derive(Debug)]
pub(crate) struct Candidates {
    /// Every address ever added, once each.
    addrs: FirstInPlace<SockAddr>,
    /// Per queue (0: the preferred family, 1: the other), the index in `addrs` where its next
    /// address is looked for.
    cursor: [usize; 2],
    /// Per queue, how many of its addresses wait.
    waiting: [usize; 2],
    preferred_family: AddressFamily,
    /// Every address in `addrs`, once there are more than [`COMPARE_UP_TO`].
    seen: Option<HashSet<SockAddr>>,
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
            addrs: FirstInPlace::default(),
            cursor: [0, 0],
            waiting: [0, 0],
            preferred_family,
            seen: None,
            first_family_count: first_family_count.max(1),
            started: 0,
            last_was_preferred: false,
        }
    }

    /// Makes room for `more` addresses at once (an answer's worth), so a race allocates once.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.addrs.reserve(more);
    }

    /// Queues `addr` behind the others of its family. Returns `false` (and queues nothing)
    /// for an address already seen or one that is not IPv4/IPv6.
    pub(crate) fn push(&mut self, addr: SockAddr) -> bool {
        let family = addr.family();
        if family != AddressFamily::AF_INET6 && family != AddressFamily::AF_INET {
            return false;
        }
        let known = match &mut self.seen {
            Some(seen) => !seen.insert(addr.clone()),
            None => self.addrs.iter().any(|known| *known == addr),
        };
        if known {
            return false;
        }
        self.waiting[self.queue_of(family)] += 1;
        self.addrs.push(addr);
        if self.seen.is_none() && self.addrs.len() > COMPARE_UP_TO {
            self.seen = Some(self.addrs.iter().cloned().collect());
        }
        true
    }

    /// Takes the address the next attempt goes to.
    pub(crate) fn next(&mut self) -> Option<SockAddr> {
        let want_preferred = self.started < self.first_family_count || !self.last_was_preferred;
        let wanted = if want_preferred { 0 } else { 1 };
        // A family that has run out yields to the other.
        let queue = [wanted, 1 - wanted].into_iter().find(|&q| self.waiting[q] > 0)?;
        let (index, addr) = self
            .addrs
            .iter()
            .enumerate()
            .skip(self.cursor[queue])
            .find(|(_, a)| self.queue_of(a.family()) == queue)?;
        let addr = addr.clone();
        self.cursor[queue] = index + 1;
        self.waiting[queue] -= 1;
        self.started += 1;
        self.last_was_preferred = queue == 0;
        Some(addr)
    }

    /// Whether an address of `family` waits.
    pub(crate) fn has(&self, family: AddressFamily) -> bool {
        self.waiting[self.queue_of(family)] > 0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.waiting == [0, 0]
    }

    /// 0 for the preferred family's queue, 1 for the other's.
    fn queue_of(&self, family: AddressFamily) -> usize {
        usize::from(family != self.preferred_family)
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
    fn a_long_answer_with_duplicates_is_tried_once_each_in_order() {
        // Past COMPARE_UP_TO addresses the hash set takes over: duplicates before and after
        // the switch are still dropped.
        let mut c = Candidates::new(1, AddressFamily::AF_INET);
        let addr =
            |i: usize| -> SockAddr { format!("10.0.{}.{}:80", i / 256, i % 256).parse().unwrap() };
        for i in 0..40 {
            assert!(c.push(addr(i)));
            assert!(!c.push(addr(i)));
            assert!(!c.push(addr(i / 2)));
        }
        let all: Vec<_> = std::iter::from_fn(|| c.next()).collect();
        assert_eq!(all, (0..40).map(addr).collect::<Vec<_>>());
        assert!(!c.push(addr(7)));
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
