//! A given list of addresses (`happy_eyeballs_to`, `create_connection_to`): the same race
//! with no lookup, the first address's family preferred.

use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::ErrorKind;

use crate::scenario::{ms, World, OK, REFUSED};
use crate::table::race_to;

scenarios! {
    a_list_starts_at_once_with_no_resolution_delay =>
        race_to(World::new(&[("::1", 1000, OK), ("1.1.1.1", 100, OK)]))
            .wins("1.1.1.1")
            .at(350)
            .queries(&[])
            .starts(&[("::1", 0), ("1.1.1.1", 250)]);

    /// IPv4 first in the list: IPv4 is the preferred family, the families still interleave.
    a_list_prefers_its_first_address_family =>
        race_to(World::new(&[
            ("1.1.1.1", 10_000, OK),
            ("2.2.2.2", 10_000, OK),
            ("::1", 10_000, OK),
            ("::2", 100, OK),
        ]))
        .wins("::2")
        .at(850)
        .starts(&[("1.1.1.1", 0), ("::1", 250), ("2.2.2.2", 500), ("::2", 750)]);

    a_list_of_one_family_keeps_its_order =>
        race_to(World::new(&[("2.2.2.2", 100, REFUSED), ("1.1.1.1", 10, OK)]))
            .wins("1.1.1.1")
            .at(110)
            .starts(&[("2.2.2.2", 0), ("1.1.1.1", 100)]);

    an_address_given_twice_is_attempted_once =>
        race_to(World::new(&[("::1", 100, REFUSED), ("::1", 100, REFUSED), ("1.1.1.1", 10, OK)]))
            .wins("1.1.1.1")
            .at(110)
            .starts(&[("::1", 0), ("1.1.1.1", 100)]);

    a_list_failing_lists_every_error =>
        race_to(World::new(&[("::1", 30, REFUSED), ("1.1.1.1", 20, REFUSED)]))
            .options(ConnectOptions::new().all_errors(true))
            .fails(|error| {
                let listed: Vec<_> =
                    error.errors().iter().map(|(a, e)| (a.as_str(), e.raw_os_error())).collect();
                assert_eq!(
                    listed,
                    [("[::1]:80", Some(libc::ECONNREFUSED)), ("1.1.1.1:80", Some(libc::ECONNREFUSED))]
                );
            })
            .at(50)
            .starts(&[("::1", 0), ("1.1.1.1", 30)]);

    a_list_honours_the_timeout =>
        race_to(World::new(&[("::1", 10_000, OK), ("1.1.1.1", 10_000, OK)]))
            .options(ConnectOptions::new().timeout(ms(400)))
            .fails(|error| assert_eq!(error.kind(), ErrorKind::Timeout))
            .at(400)
            .starts(&[("::1", 0), ("1.1.1.1", 250)]);

    a_list_with_a_zero_timeout_fails_at_once =>
        race_to(World::new(&[("::1", 0, OK)]))
            .options(ConnectOptions::new().timeout(Duration::ZERO))
            .fails(|error| assert_eq!(error.kind(), ErrorKind::Timeout))
            .at(0)
            .starts(&[]);

    an_empty_list_is_invalid_input =>
        race_to(World::new(&[]))
            .fails(|error| {
                assert_eq!(error.kind(), ErrorKind::InvalidInput);
                assert_eq!(error.to_string(), "no address to connect to");
            })
            .at(0)
            .starts(&[]);

    a_list_skips_what_the_source_address_cannot_reach =>
        race_to(World::new(&[("1.1.1.1", 10, OK), ("::1", 100, OK)]))
            .options(ConnectOptions::new().source_address("[::1]:0".parse().unwrap()))
            .wins("::1")
            .at(100)
            .starts(&[("::1", 0)]);
}
