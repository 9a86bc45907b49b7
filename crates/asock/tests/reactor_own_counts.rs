//! Resources the own reactor holds, counted. One test in its own binary: the counts are
//! process-wide.

mod reactor_support;

use std::time::Duration;

use asock::reactor::own_timer_count;
use asock::reactor::{own_registration_count, Interest, Registered};
use asock::sleep;
use reactor_support::{pair, read_once};

#[test]
fn dropped_sleeps_and_registrations_leave_nothing_behind() {
    reactor_support::bounded(|| {
        asock::block_on(async {
            // Timers: a polled (armed) sleep is removed when dropped, and a fired one is gone.
            let mut armed: Vec<_> =
                (1..=3).map(|s| Box::pin(sleep(Duration::from_secs(s)))).collect();
            for s in &mut armed {
                assert!(futures::poll!(s.as_mut()).is_pending());
            }
            assert_eq!(own_timer_count(), 3);
            drop(armed.remove(1));
            assert_eq!(own_timer_count(), 2);
            drop(armed);
            assert_eq!(own_timer_count(), 0);
            sleep(Duration::from_millis(5)).await;
            assert_eq!(own_timer_count(), 0);

            // Registrations: one per waiting fd, removed on drop.
            let (a, _b) = pair();
            let a = Registered::new(a);
            assert_eq!(own_registration_count(), 0);
            let mut buf = [0u8; 1];
            let mut read = Box::pin(a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)));
            assert!(futures::poll!(read.as_mut()).is_pending());
            drop(read);
            assert_eq!(own_registration_count(), 1);
            drop(a);
            assert_eq!(own_registration_count(), 0);
        });
    });
}
