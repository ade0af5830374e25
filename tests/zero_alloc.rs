//! Once the engine is loaded and warm, evaluating a claim with the trace off allocates
//! nothing: checked with a counting global allocator over every sample claim.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use chrono::NaiveDate;
use kongtun::model::document::read_batch;
use kongtun::model::outcome::Outcome;
use kongtun::rules::Options;
use kongtun::Engine;

struct Counting;

thread_local! {
    // Per thread: the test harness runs other tests on other threads at the same time.
    // A const-initialised Cell needs no allocation to reach, so the allocator may use it.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // During thread teardown the slot may be gone; such allocations are not ours.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn warm_evaluation_allocates_nothing_with_trace_off() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let engine = Engine::load(root.join("rules")).expect("seed packs");
    let claims: Vec<_> = read_batch(&[root.join("examples/claims")]).into_iter().filter_map(|r| r.claim.ok()).collect();
    assert!(claims.len() >= 29, "every sample claim: OP, IP, DRG, tiers, caps, findings, late, expired");
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).expect("date");
    let mut out = Outcome::default();
    let options = Options { trace: false };
    // Warm up: buffers grow to the largest claim once.
    for claim in &claims {
        engine.evaluate_into(claim, as_of, options, &mut out).expect("evaluates");
    }
    let before = allocations();
    for _ in 0..3 {
        for claim in &claims {
            engine.evaluate_into(claim, as_of, options, &mut out).expect("evaluates");
        }
    }
    let allocations = allocations() - before;
    assert_eq!(allocations, 0, "{allocations} allocations while evaluating {} warm claims", claims.len() * 3);
}

#[test]
fn tracing_allocates_and_the_counter_sees_it() {
    // The counter is live: the same loop with the trace on must allocate.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let engine = Engine::load(root.join("rules")).expect("seed packs");
    let claims: Vec<_> = read_batch(&[root.join("examples/claims")]).into_iter().filter_map(|r| r.claim.ok()).collect();
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 15).expect("date");
    let mut out = Outcome::default();
    let before = allocations();
    for claim in &claims {
        engine.evaluate_into(claim, as_of, Options { trace: true }, &mut out).expect("evaluates");
    }
    assert!(allocations() > before);
}
