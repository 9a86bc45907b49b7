//! Pacing (RFC 8305 §5), ordering (§4) and who wins.

use asock::connect::ConnectOptions;

use crate::scenario::{ms, World, OK, REFUSED};
use crate::table::race;

fn delay(ms_: u64) -> ConnectOptions {
    ConnectOptions::new().happy_eyeballs_delay(ms(ms_))
}

scenarios! {
    staggered_fall_through_every_250ms =>
        race(World::new(&[("::1", 1000, OK), ("1.1.1.1", 1000, OK), ("::2", 200, OK)]))
            .wins("::2")
            .at(250 + 250 + 200)
            .starts(&[("::1", 0), ("1.1.1.1", 250), ("::2", 500)]);

    early_success_starts_nothing_more =>
        race(World::new(&[("::1", 1000, OK), ("1.1.1.1", 100, OK), ("::2", 200, OK)]))
            .wins("1.1.1.1")
            .at(350)
            .starts(&[("::1", 0), ("1.1.1.1", 250)]); // ::2 never started

    custom_delay_lets_the_first_attempt_win =>
        race(World::new(&[("::1", 1000, OK), ("1.1.1.1", 1000, OK), ("::2", 200, OK)]))
            .options(delay(450))
            .wins("::1")
            .at(1000)
            .starts(&[("::1", 0), ("1.1.1.1", 450), ("::2", 900)]);

    delay_below_10ms_is_raised_to_10ms =>
        race(World::new(&[("::1", 1000, OK), ("1.1.1.1", 1000, OK), ("::2", 5, OK)]))
            .options(delay(1))
            .wins("::2")
            .at(25)
            .starts(&[("::1", 0), ("1.1.1.1", 10), ("::2", 20)]);

    delay_of_zero_is_raised_to_10ms =>
        race(World::new(&[("::1", 1000, OK), ("1.1.1.1", 5, OK)]))
            .options(delay(0))
            .wins("1.1.1.1")
            .at(15)
            .starts(&[("::1", 0), ("1.1.1.1", 10)]);

    delay_above_2s_is_lowered_to_2s =>
        race(World::new(&[("::1", 3000, OK), ("1.1.1.1", 10, OK)]))
            .options(delay(10_000))
            .wins("1.1.1.1")
            .at(2010)
            .starts(&[("::1", 0), ("1.1.1.1", 2000)]);

    failures_expedite_the_next_attempt =>
        race(World::new(&[
            ("::1", 100, REFUSED),
            ("1.1.1.1", 200, REFUSED),
            ("::2", 10_000, OK),
            ("2.2.2.2", 250, OK),
        ]))
        .wins("2.2.2.2")
        .at(100 + 200 + 250 + 250)
        .starts(&[("::1", 0), ("1.1.1.1", 100), ("::2", 300), ("2.2.2.2", 550)]);

    /// ::1 fails at 300, while 1.1.1.1 (started at 250) runs: ::2 still waits for 500.
    only_the_latest_attempt_failing_expedites =>
        race(World::new(&[("::1", 300, REFUSED), ("1.1.1.1", 10_000, OK), ("::2", 100, OK)]))
            .wins("::2")
            .at(600)
            .starts(&[("::1", 0), ("1.1.1.1", 250), ("::2", 500)]);

    families_interleave_starting_with_ipv6 =>
        race(World::new(&[
            ("1.1.1.1", 10_000, OK),
            ("2.2.2.2", 10_000, OK),
            ("3.3.3.3", 100, OK),
            ("::1", 10_000, OK),
            ("::2", 10_000, OK),
        ]))
        .wins("3.3.3.3")
        .at(1100)
        .starts(&[("::1", 0), ("1.1.1.1", 250), ("::2", 500), ("2.2.2.2", 750), ("3.3.3.3", 1000)]);

    /// A resolver that ignores the family hint answers both queries with the same v4-first
    /// list: IPv6 still goes first, and no address is attempted twice (the fakes panic if so).
    a_v4_first_mixed_answer_is_reordered_and_deduplicated =>
        race(World::new(&[
            ("1.1.1.1", 10_000, OK),
            ("2.2.2.2", 10_000, OK),
            ("::1", 10_000, OK),
            ("::2", 100, OK),
        ])
        .ignoring_hints())
        .wins("::2")
        .at(600)
        .starts(&[("::1", 0), ("1.1.1.1", 250), ("::2", 500)]);

    first_address_family_count_two =>
        race(World::new(&[
            ("::1", 10_000, OK),
            ("::2", 10_000, OK),
            ("::3", 10_000, OK),
            ("1.1.1.1", 10_000, OK),
            ("2.2.2.2", 50, OK),
        ]))
        .options(ConnectOptions::new().first_address_family_count(2))
        .wins("2.2.2.2")
        .at(1050)
        .starts(&[("::1", 0), ("::2", 250), ("1.1.1.1", 500), ("::3", 750), ("2.2.2.2", 1000)]);

    first_address_family_count_zero_counts_as_one =>
        race(World::new(&[("::1", 10_000, OK), ("::2", 10_000, OK), ("1.1.1.1", 50, OK)]))
            .options(ConnectOptions::new().first_address_family_count(0))
            .wins("1.1.1.1")
            .at(300)
            .starts(&[("::1", 0), ("1.1.1.1", 250)]);

    /// ::1 connects at 0 + 500, 1.1.1.1 at 250 + 250: the same instant. Exactly one is
    /// returned, the other closed, not leaked.
    two_attempts_connecting_at_the_same_instant_return_exactly_one =>
        race(World::new(&[("::1", 500, OK), ("1.1.1.1", 250, OK)]))
            .wins_one_of(&["::1", "1.1.1.1"])
            .at(500)
            .starts(&[("::1", 0), ("1.1.1.1", 250)]);

    three_attempts_connecting_at_the_same_instant_return_exactly_one =>
        race(World::new(&[("::1", 750, OK), ("1.1.1.1", 500, OK), ("::2", 250, OK)]))
            .wins_one_of(&["::1", "1.1.1.1", "::2"])
            .at(750)
            .starts(&[("::1", 0), ("1.1.1.1", 250), ("::2", 500)]);

    one_address_slow_success =>
        race(World::new(&[("1.2.3.4", 100_000, OK)]))
            .wins("1.2.3.4")
            .at(100_000)
            .starts(&[("1.2.3.4", 0)]);
}
