//! An errno error costs no allocation: `EAGAIN` is what every wait of an async socket starts
//! with, so making, asking and converting one must stay off the heap.
//!
//! A binary of its own, with a global allocator that counts the allocations made by the
//! current thread (so tests running alongside on other threads do not disturb the count).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::io;

use asock_core::{Error, ErrorKind, Result};

/// The system allocator, counting this thread's allocations.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // A thread being torn down has no slot any more; its allocations are not ours to count.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded to System with the same arguments; the count is only
// bookkeeping on the side (a const-initialised thread-local without a destructor, which
// allocates nothing itself).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded as is; the caller upholds alloc's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is; ptr came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// How many allocations `f` made on this thread.
fn allocations_of(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn would_block() -> Result<usize> {
    Err(Error::from_errno(black_box(libc::EAGAIN)))
}

#[test]
fn an_errno_error_is_made_asked_and_dropped_without_allocating() {
    let n = allocations_of(|| {
        let result = black_box(would_block());
        let e = result.unwrap_err();
        assert!(e.is_would_block());
        assert_eq!(e.kind(), ErrorKind::Os);
        assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));
        assert_eq!(e.errno(), Some(libc::EAGAIN));
        assert_eq!(e.io_kind(), io::ErrorKind::WouldBlock);
        assert!(!e.is_resource_exhausted());
        drop(black_box(e));
    });
    assert_eq!(n, 0);
}

#[test]
fn an_errno_converts_to_and_from_io_error_without_allocating() {
    let n = allocations_of(|| {
        let io = io::Error::from(Error::from_errno(black_box(libc::EAGAIN)));
        let back = Error::from(black_box(io));
        assert!(back.is_would_block());
        let io = io::Error::from_raw_os_error(black_box(libc::ECONNRESET));
        assert_eq!(Error::from(io).raw_os_error(), Some(libc::ECONNRESET));
    });
    assert_eq!(n, 0);
}

#[test]
fn a_would_block_io_error_without_errno_converts_without_allocating() {
    // What a `try_io` closure answers: `io::ErrorKind::WouldBlock.into()`.
    let n = allocations_of(|| {
        let e = Error::from(io::Error::from(black_box(io::ErrorKind::WouldBlock)));
        assert!(e.is_would_block());
        let io = io::Error::from(e);
        assert_eq!(io.kind(), io::ErrorKind::WouldBlock);
    });
    assert_eq!(n, 0);
}

#[test]
fn the_counter_sees_the_allocation_of_a_boxed_error() {
    // The zero counts above mean something only if an allocation would have been seen.
    let n = allocations_of(|| drop(black_box(Error::timeout())));
    assert!(n >= 1, "Error::timeout() boxes its detail: {n} allocations seen");
}

#[test]
fn error_is_at_most_two_words() {
    // Documented in error/mod.rs: the tag and one word (the errno, an io::Error or a box).
    assert!(std::mem::size_of::<Error>() <= 16);
    assert!(std::mem::size_of::<Result<usize>>() <= 16);
}
