//! The two queries (RFC 8305 §3): parallel, the Resolution Delay, late answers, failures.

use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::{AddressFamily, ErrorKind};

use crate::scenario::{ms, Answer, World, OK, REFUSED};
use crate::table::race;

scenarios! {
    /// A answered at 30; the negative AAAA answer at 40 ended the wait for it.
    both_families_are_queried_at_once_aaaa_first =>
        race(World::new(&[("1.1.1.1", 10, OK)]).aaaa(Answer::Rows, 40).a(Answer::Rows, 30))
            .wins("1.1.1.1")
            .at(50)
            .queries(&[(AddressFamily::AF_INET6, 0), (AddressFamily::AF_INET, 0)])
            .starts(&[("1.1.1.1", 40)]);

    aaaa_answering_first_starts_at_once_and_a_joins_later =>
        race(World::new(&[("1.1.1.1", 1000, OK), ("::1", 1000, OK)]).a(Answer::Rows, 100))
            .wins("::1")
            .at(1000)
            .starts(&[("::1", 0), ("1.1.1.1", 250)]);

    a_first_waits_for_aaaa_arriving_within_the_resolution_delay =>
        race(World::new(&[("1.1.1.1", 1000, OK), ("::1", 1000, OK)]).aaaa(Answer::Rows, 30))
            .wins("::1")
            .at(30 + 1000)
            .starts(&[("::1", 30), ("1.1.1.1", 280)]);

    /// IPv4 starts when the 50 ms delay ends; ::1 arrives at 80 and is next in line (at
    /// 300), ahead of 2.2.2.2.
    aaaa_after_the_resolution_delay_is_merged_into_the_race =>
        race(
            World::new(&[("1.1.1.1", 1000, OK), ("2.2.2.2", 1000, OK), ("::1", 100, OK)])
                .aaaa(Answer::Rows, 80),
        )
        .wins("::1")
        .at(400)
        .starts(&[("1.1.1.1", 50), ("::1", 300)]);

    late_aaaa_starts_at_once_when_every_ipv4_attempt_already_failed =>
        race(World::new(&[("1.1.1.1", 10, REFUSED), ("::1", 100, OK)]).aaaa(Answer::Rows, 80))
            .wins("::1")
            .at(180)
            .starts(&[("1.1.1.1", 50), ("::1", 80)]);

    custom_resolution_delay =>
        race(World::new(&[("1.1.1.1", 1000, OK), ("::1", 1000, OK)]).aaaa(Answer::Rows, 80))
            .options(ConnectOptions::new().resolution_delay(ms(100)))
            .wins("::1")
            .at(1080)
            .starts(&[("::1", 80), ("1.1.1.1", 330)]);

    zero_resolution_delay_starts_ipv4_on_its_answer =>
        race(World::new(&[("1.1.1.1", 1000, OK), ("::1", 100, OK)]).aaaa(Answer::Rows, 30))
            .options(ConnectOptions::new().resolution_delay(Duration::ZERO))
            .wins("::1")
            .at(250 + 100)
            .starts(&[("1.1.1.1", 0), ("::1", 250)]);

    /// A delay beyond the clock's range waits for the AAAA answer, however late.
    resolution_delay_too_large_for_the_clock_waits_for_aaaa =>
        race(World::new(&[("1.1.1.1", 100, OK), ("::1", 10_000, OK)]).aaaa(Answer::Rows, 5000))
            .options(ConnectOptions::new().resolution_delay(Duration::MAX))
            .wins("1.1.1.1")
            .at(5000 + 250 + 100)
            .starts(&[("::1", 5000), ("1.1.1.1", 5250)]);

    a_negative_aaaa_answer_ends_the_resolution_delay_early =>
        race(World::new(&[("1.1.1.1", 100, OK)]).aaaa(Answer::Empty, 20))
            .wins("1.1.1.1")
            .at(120)
            .starts(&[("1.1.1.1", 20)]);

    no_ipv6_at_all =>
        race(World::new(&[("1.1.1.1", 1000, OK), ("2.2.2.2", 100, OK)]).aaaa(Answer::Empty, 0))
            .wins("2.2.2.2")
            .at(350)
            .starts(&[("1.1.1.1", 0), ("2.2.2.2", 250)]);

    no_ipv4_at_all =>
        race(World::new(&[("::1", 1000, OK), ("::2", 100, OK)]).a(Answer::Empty, 0))
            .wins("::2")
            .at(350)
            .starts(&[("::1", 0), ("::2", 250)]);

    a_failing_aaaa_query_is_ignored_when_ipv4_works =>
        race(World::new(&[("1.1.1.1", 100, OK)]).aaaa(Answer::Fail(libc::EAI_AGAIN), 10))
            .wins("1.1.1.1")
            .at(110)
            .starts(&[("1.1.1.1", 10)]);

    a_failing_a_query_is_ignored_when_ipv6_works =>
        race(World::new(&[("::1", 100, OK)]).a(Answer::Fail(libc::EAI_AGAIN), 0))
            .wins("::1")
            .at(100)
            .starts(&[("::1", 0)]);

    /// The A query's error is the one reported.
    both_queries_failing_gives_the_gai_error =>
        race(
            World::new(&[])
                .aaaa(Answer::Fail(libc::EAI_NODATA), 0)
                .a(Answer::Fail(libc::EAI_NONAME), 20),
        )
        .options(ConnectOptions::new().all_errors(true))
        .fails(|error| {
            assert_eq!(error.kind(), ErrorKind::Gai);
            assert_eq!(error.errno(), Some(libc::EAI_NONAME));
            assert_eq!(error.to_string(), "[Errno -2] Name or service not known");
        })
        .at(20)
        .starts(&[]);

    two_empty_answers_give_eai_nodata =>
        race(World::new(&[]).aaaa(Answer::Empty, 0).a(Answer::Empty, 0))
            .fails(|error| {
                assert_eq!(error.kind(), ErrorKind::Gai);
                assert_eq!(error.errno(), Some(libc::EAI_NODATA));
            })
            .at(0)
            .starts(&[]);

    /// docs/happy-eyeballs.md draws this race; keep the two in step.
    the_timeline_of_docs_happy_eyeballs_md =>
        race(
            World::new(&[
                ("2001:db8::1", 10_000, OK),
                ("2001:db8::2", 10_000, OK),
                ("192.0.2.1", 20, REFUSED),
                ("192.0.2.2", 40, OK),
            ])
            .a(Answer::Rows, 5)
            .aaaa(Answer::Rows, 20),
        )
        .wins("192.0.2.2")
        .at(580)
        .starts(&[("2001:db8::1", 20), ("192.0.2.1", 270), ("2001:db8::2", 290), ("192.0.2.2", 540)]);
}
