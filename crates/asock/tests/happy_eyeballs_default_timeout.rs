//! `create_connection` without a timeout takes the default timeout, as Python's `timeout`
//! parameter defaults to `getdefaulttimeout()`: it bounds the call and becomes the socket's.
//!
//! A test binary of its own with a single test: the default timeout is process-wide.
#![cfg(target_os = "linux")]

#[path = "happy_eyeballs/scene.rs"]
#[macro_use]
#[allow(dead_code)] // this binary uses part of the scene
mod scene;

use std::time::Instant;

use asock::connect::ConnectOptions;
use asock::ErrorKind;

use crate::scene::{ms, Driver, Fixed, Form};

#[test]
fn the_default_timeout_bounds_the_call_and_becomes_the_sockets() {
    let scene = scene_or_skip!();
    let only_v6 = Fixed { v6: vec![scene.v6_addr()], v4: vec![] };
    asock::set_default_timeout(Some(ms(300))).unwrap();
    for form in [Form::Tokio, Form::BlockOn, Form::Blocking] {
        let driver = Driver::new(form);
        let start = Instant::now();
        let error = driver.connect(&only_v6, scene.port, &ConnectOptions::new()).unwrap_err();
        let elapsed = start.elapsed();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{form:?}");
        assert!(elapsed >= ms(300), "{form:?}: {elapsed:?}");
        assert!(elapsed < ms(1050), "{form:?}: {elapsed:?}");

        let options = ConnectOptions::new().happy_eyeballs_delay(ms(10));
        let conn = driver.connect(&scene.both(), scene.port, &options).unwrap();
        assert_eq!(conn.timeout(), Some(ms(300)), "{form:?}");
        scene.accept_v4();

        // A given timeout wins over the default.
        let options = options.timeout(ms(5000));
        let conn = driver.connect(&scene.both(), scene.port, &options).unwrap();
        assert_eq!(conn.timeout(), Some(ms(5000)), "{form:?}");
        scene.accept_v4();
    }
    asock::set_default_timeout(None).unwrap();
}
