//! `selfie::still::decode_jpeg`, the decode of an uploaded JPEG that the service's liveness
//! check (`reference-service/src/domain/liveness_check.rs`, sides 160..=1280), the reference
//! partner and the phone all use, on any bytes. Never a panic; a decoded picture has the size
//! its header declared, inside the accepted sides, and a frame of exactly that size; and the
//! decode never holds more memory than its limit (counted by the allocator below), however
//! large the size a small file declares.
#![no_main]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use identity_pass_core::selfie::still::{StillError, decode_jpeg};
use libfuzzer_sys::fuzz_target;

/// The service's liveness frames: `FRAME_SIDES` in the service.
const SIDES: std::ops::RangeInclusive<u32> = 160..=1280;

/// The system allocator, counting the bytes held now and the most held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(held, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fuzz_target!(|data: &[u8]| {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = decode_jpeg(data, SIDES);
    let used = PEAK.load(Ordering::Relaxed) - before;
    // The decoder's limit (largest side² × 4 bytes), plus the RGB copy of the result (side² × 3)
    // and a megabyte for the decoder's tables and buffers.
    let largest = *SIDES.end() as usize;
    let bound = largest * largest * 7 + (1 << 20);
    assert!(used <= bound, "{used} bytes held while decoding {} bytes (bound {bound})", data.len());
    match result {
        Ok(still) => {
            assert!(SIDES.contains(&still.width()) && SIDES.contains(&still.height()));
            let frame = still.frame().expect("a decoded still is a valid frame");
            assert_eq!((frame.width(), frame.height()), (still.width(), still.height()));
        }
        Err(StillError::Dimensions { width, height }) => assert!(!SIDES.contains(&width) || !SIDES.contains(&height)),
        Err(StillError::Undecodable) => {}
    }
});
