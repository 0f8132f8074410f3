//! The kernels again, compiled for AVX2 with FMA, chosen at run time on x86-64 processors that
//! have them (nearly every one since 2013; the x86-64 baseline the library is built for has only
//! SSE2). The code is the portable kernels', inlined here so the compiler uses the wider
//! registers, with fused multiply-adds. Phones (64-bit ARM) need none of this: NEON and FMA are
//! their baseline.
//!
//! This is the crate's only `unsafe`: calling a function compiled for instructions the processor
//! may lack. Each call is behind the run-time check that it has them.

#![allow(unsafe_code)]

use crate::kernels::{self, Depthwise, Finish, Fused};

/// Whether this processor has AVX2 and FMA (the answer is cached by the standard library).
pub(crate) fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// `kernels::pointwise` for AVX2 with FMA; only after [`has_avx2_fma`].
pub(crate) fn pointwise_avx2_fma(
    input: &[f32],
    depth: usize,
    filter: &[f32],
    bias: &[f32],
    out: &mut [f32],
    co: usize,
    finish: Finish<'_>,
) {
    #[target_feature(enable = "avx2,fma")]
    fn compiled(input: &[f32], depth: usize, filter: &[f32], bias: &[f32], out: &mut [f32], co: usize, finish: Finish<'_>) {
        kernels::pointwise_with::<Fused>(input, depth, filter, bias, out, co, finish);
    }
    debug_assert!(has_avx2_fma());
    // SAFETY: the caller checked `has_avx2_fma()`, so the processor runs AVX2 and FMA code.
    unsafe { compiled(input, depth, filter, bias, out, co, finish) }
}

/// `kernels::depthwise` for AVX2 with FMA; only after [`has_avx2_fma`].
pub(crate) fn depthwise_avx2_fma(step: &Depthwise<'_>, out: &mut [f32]) {
    #[target_feature(enable = "avx2,fma")]
    fn compiled(step: &Depthwise<'_>, out: &mut [f32]) {
        kernels::depthwise_with::<Fused>(step, out);
    }
    debug_assert!(has_avx2_fma());
    // SAFETY: the caller checked `has_avx2_fma()`, so the processor runs AVX2 and FMA code.
    unsafe { compiled(step, out) }
}
