//! The kernels again, compiled for AVX2 with FMA, chosen at run time on x86-64 processors that
//! have them (nearly every one since 2013; the x86-64 baseline the library is built for has only
//! SSE2), and for AVX-512 where the processor has it (most servers since 2017, some desktops).
//! The code is the portable kernels', inlined here so the compiler uses the wider registers,
//! with fused multiply-adds. Phones (64-bit ARM) need none of this: NEON and FMA are their
//! baseline.
//!
//! Every width gives the same outputs to the bit: each lane is one output's sum, added in the
//! same order with the same fused multiply-add; a wider register only holds more of them.
//!
//! This is the crate's only `unsafe`: calling a function compiled for instructions the processor
//! may lack. Each call is behind the run-time check that it has them.

#![allow(unsafe_code)]

use crate::kernels::{self, Convolution, Depthwise, Finish, Fused, Packed};

/// Whether this processor has AVX2 and FMA (the answer is cached by the standard library).
pub(crate) fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// Whether this processor has AVX-512 Foundation (and so AVX2 and FMA, which every such
/// processor has; checked too, so a virtual machine that hides them is not trusted).
pub(crate) fn has_avx512f() -> bool {
    std::arch::is_x86_feature_detected!("avx512f") && has_avx2_fma()
}

/// `kernels::pointwise` for AVX2 with FMA; only after [`has_avx2_fma`].
pub(crate) fn pointwise_avx2_fma(input: &[f32], filter: Packed<'_>, bias: &[f32], out: &mut [f32], finish: Finish<'_>) {
    #[target_feature(enable = "avx2,fma")]
    fn compiled(input: &[f32], filter: Packed<'_>, bias: &[f32], out: &mut [f32], finish: Finish<'_>) {
        kernels::pointwise_with::<Fused, false>(input, filter, bias, out, finish);
    }
    debug_assert!(has_avx2_fma());
    // SAFETY: the caller checked `has_avx2_fma()`, so the processor runs AVX2 and FMA code.
    unsafe { compiled(input, filter, bias, out, finish) }
}

/// `kernels::depthwise` for AVX2 with FMA; only after [`has_avx2_fma`].
pub(crate) fn depthwise_avx2_fma(step: &Depthwise<'_>, out: &mut [f32]) {
    #[target_feature(enable = "avx2,fma")]
    fn compiled(step: &Depthwise<'_>, out: &mut [f32]) {
        kernels::depthwise_with::<Fused, false>(step, out);
    }
    debug_assert!(has_avx2_fma());
    // SAFETY: the caller checked `has_avx2_fma()`, so the processor runs AVX2 and FMA code.
    unsafe { compiled(step, out) }
}

/// `kernels::pointwise` for AVX-512, with blocks of `WIDE_LANES` outputs (one register each);
/// only after [`has_avx512f`].
pub(crate) fn pointwise_avx512f(input: &[f32], filter: Packed<'_>, bias: &[f32], out: &mut [f32], finish: Finish<'_>) {
    #[target_feature(enable = "avx512f,avx2,fma")]
    fn compiled(input: &[f32], filter: Packed<'_>, bias: &[f32], out: &mut [f32], finish: Finish<'_>) {
        kernels::pointwise_with::<Fused, true>(input, filter, bias, out, finish);
    }
    debug_assert!(has_avx512f());
    // SAFETY: the caller checked `has_avx512f()`, so the processor runs AVX-512, AVX2 and FMA code.
    unsafe { compiled(input, filter, bias, out, finish) }
}

/// `kernels::depthwise` for AVX-512 (its loops along many channels take 16 at a time); only
/// after [`has_avx512f`].
pub(crate) fn depthwise_avx512f(step: &Depthwise<'_>, out: &mut [f32]) {
    #[target_feature(enable = "avx512f,avx2,fma")]
    fn compiled(step: &Depthwise<'_>, out: &mut [f32]) {
        kernels::depthwise_with::<Fused, true>(step, out);
    }
    debug_assert!(has_avx512f());
    // SAFETY: the caller checked `has_avx512f()`, so the processor runs AVX-512, AVX2 and FMA code.
    unsafe { compiled(step, out) }
}

/// `kernels::conv_in_place` for AVX2 with FMA; only after [`has_avx2_fma`].
pub(crate) fn conv_in_place_avx2_fma<const K: usize, const ROW: usize, const STEP: usize>(step: &Convolution<'_>, out: &mut [f32]) {
    #[target_feature(enable = "avx2,fma")]
    fn compiled<const K: usize, const ROW: usize, const STEP: usize>(step: &Convolution<'_>, out: &mut [f32]) {
        kernels::conv_in_place_with::<Fused, false, K, ROW, STEP>(step, out);
    }
    debug_assert!(has_avx2_fma());
    // SAFETY: the caller checked `has_avx2_fma()`, so the processor runs AVX2 and FMA code.
    unsafe { compiled::<K, ROW, STEP>(step, out) }
}

/// `kernels::conv_in_place` for AVX-512, with blocks of `WIDE_LANES` outputs; only after
/// [`has_avx512f`].
pub(crate) fn conv_in_place_avx512f<const K: usize, const ROW: usize, const STEP: usize>(step: &Convolution<'_>, out: &mut [f32]) {
    #[target_feature(enable = "avx512f,avx2,fma")]
    fn compiled<const K: usize, const ROW: usize, const STEP: usize>(step: &Convolution<'_>, out: &mut [f32]) {
        kernels::conv_in_place_with::<Fused, true, K, ROW, STEP>(step, out);
    }
    debug_assert!(has_avx512f());
    // SAFETY: the caller checked `has_avx512f()`, so the processor runs AVX-512, AVX2 and FMA code.
    unsafe { compiled::<K, ROW, STEP>(step, out) }
}
