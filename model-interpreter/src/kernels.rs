//! The arithmetic of each operator, on NHWC `f32` tensors of batch 1.
//!
//! Every inner loop runs along the channels with one multiply-add per lane and no reduction
//! (`out[c] += x · w[c]`), which the compiler turns into SIMD without reordering a sum: that is
//! why convolution filters are stored `[kh][kw][in][out]` (see `Interpreter::new`), not in
//! TFLite's `[out][kh][kw][in]`.

use crate::graph::{Activation, Padding, Window};

/// Height, width and channels of a batch-1 NHWC tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hwc {
    pub(super) height: usize,
    pub(super) width: usize,
    pub(super) channels: usize,
}

/// Rows and columns added before the input (TFLite's SAME scheme puts the smaller half first).
fn leading_pad(window: &Window, input: Hwc, output: Hwc) -> (usize, usize) {
    match window.padding {
        Padding::Valid => (0, 0),
        Padding::Explicit { top, left } => (top, left),
        Padding::Same => {
            let total = |out: usize, stride: usize, size: usize, inp: usize| ((out.saturating_sub(1)) * stride + size).saturating_sub(inp);
            (
                total(output.height, window.stride_h, window.height, input.height) / 2,
                total(output.width, window.stride_w, window.width, input.width) / 2,
            )
        }
    }
}

/// The input row (or column) under window offset `k` of output row `o`, if inside the input.
fn source(o: usize, stride: usize, k: usize, pad: usize, size: usize) -> Option<usize> {
    (o * stride + k).checked_sub(pad).filter(|i| *i < size)
}

fn activate(values: &mut [f32], activation: Activation) {
    match activation {
        Activation::Linear => {}
        Activation::Relu => values.iter_mut().for_each(|v| *v = v.max(0.0)),
        Activation::Relu6 => values.iter_mut().for_each(|v| *v = v.clamp(0.0, 6.0)),
    }
}

/// How a product is added: rounded once (a fused multiply-add, where the processor has one) or
/// twice. `f32::mul_add` is one instruction only where the target has FMA; elsewhere it is a
/// slow library call, so the plain form is the default.
pub(super) trait MultiplyAdd {
    /// `a · b + c`.
    fn multiply_add(a: f32, b: f32, c: f32) -> f32;
}

/// `a · b + c` as two operations.
#[cfg_attr(target_arch = "aarch64", allow(dead_code))]
pub(super) struct Separate;

impl MultiplyAdd for Separate {
    #[inline(always)]
    fn multiply_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

/// `a · b + c` as one fused operation.
#[cfg_attr(not(any(target_arch = "x86_64", target_arch = "aarch64")), allow(dead_code))]
pub(super) struct Fused;

impl MultiplyAdd for Fused {
    #[inline(always)]
    fn multiply_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

/// What the target always has: every 64-bit ARM processor (the phones) has fused multiply-add;
/// x86-64 guarantees only SSE2, and its wider units are chosen at run time (`simd`).
#[cfg(target_arch = "aarch64")]
type Native = Fused;
#[cfg(not(target_arch = "aarch64"))]
type Native = Separate;

/// Output channels computed together, their sums kept in registers: two SSE or NEON
/// registers, one AVX register.
const LANES: usize = 8;
/// The same for a 1×1 convolution on a processor with AVX-512: one of its registers. Only whole
/// blocks are this wide; the fewer than 16 outputs left are in blocks of `LANES`
/// (`pack_filter`), so no layer computes more padding outputs than it would with `LANES` alone.
const WIDE_LANES: usize = 16;
/// Pixels of a 1×1 convolution computed together, so each weight loaded serves eight of them
/// (8 × `LANES` sums: 8 AVX registers of the 16, or 16 NEON registers of the 32).
const PIXELS: usize = 8;

/// `L` values of `values` from `at`, as an array (so the compiler knows the length).
///
/// The kernels' loops over a block are written lane by lane over such arrays
/// (`for lane in 0..L`), not over zipped slices: that way LLVM makes each one vector operation
/// of the block's width. Over zipped slices it split a 16-lane block into pieces of 8, 4, 2 and
/// 2 lanes and kept the depthwise weights on the stack (seen in the code it generated for
/// AVX-512).
#[inline]
fn lanes<const L: usize>(values: &[f32], at: usize) -> [f32; L] {
    let mut block = [0.0; L];
    block.copy_from_slice(&values[at..at + L]);
    block
}

#[inline]
fn activated(value: f32, activation: Activation) -> f32 {
    match activation {
        Activation::Linear => value,
        Activation::Relu => value.max(0.0),
        Activation::Relu6 => value.clamp(0.0, 6.0),
    }
}

/// A convolution filter laid out for [`pointwise`], from TFLite's `[out][kh][kw][in]`, read as
/// `[out][depth]` with `depth = kh · kw · in`: for each block of outputs, the block's weights for
/// input 0, then input 1, …, so the kernel reads them in one sequential stream. Where the
/// processor has AVX-512, the first outputs are in blocks of `WIDE_LANES` (one register) and
/// the fewer than `WIDE_LANES` left in blocks of `LANES`; elsewhere all are in blocks of
/// `LANES`. The last block is filled up with zero weights: its missing outputs are computed and
/// never stored, which costs less than summing the few outputs past the last whole block one at
/// a time (a sum along the inputs does not vectorise without reordering it); the detectors' box
/// heads have 2, 4 or 6 outputs.
#[derive(Debug, Clone)]
pub(super) struct PackedFilter {
    /// How many outputs, from the first, are in blocks of `WIDE_LANES` (a multiple of it).
    wide_outputs: usize,
    values: Vec<f32>,
}

/// Packs `weights` for this processor's widest 1×1 kernel (see [`PackedFilter`]). Each output's
/// sum is the same at either width, to the bit: only how many outputs share a register changes,
/// not the order of any sum.
pub(super) fn pack_filter(weights: &[f32], co: usize, depth: usize) -> PackedFilter {
    let wide_outputs = if wide_kernels() { co / WIDE_LANES * WIDE_LANES } else { 0 };
    pack_filter_in(weights, co, depth, wide_outputs)
}

/// [`pack_filter`] with the first `wide_outputs` outputs (a multiple of `WIDE_LANES`) in wide
/// blocks.
fn pack_filter_in(weights: &[f32], co: usize, depth: usize, wide_outputs: usize) -> PackedFilter {
    let narrow_blocks = (co - wide_outputs).div_ceil(LANES);
    let mut values = Vec::with_capacity((wide_outputs + narrow_blocks * LANES) * depth);
    let blocks = (0..wide_outputs / WIDE_LANES)
        .map(|block| (block * WIDE_LANES, WIDE_LANES))
        .chain((0..narrow_blocks).map(|block| (wide_outputs + block * LANES, LANES)));
    for (first, lanes) in blocks {
        for k in 0..depth {
            values.extend((first..first + lanes).map(|channel| if channel < co { weights[channel * depth + k] } else { 0.0 }));
        }
    }
    PackedFilter { wide_outputs, values }
}

/// Whether this processor runs the `WIDE_LANES` kernels natively (AVX-512 on x86-64). Elsewhere
/// they would work, but two NEON or SSE registers per block of 8 is already what fits.
fn wide_kernels() -> bool {
    #[cfg(target_arch = "x86_64")]
    return crate::simd::has_avx512f();
    #[cfg(not(target_arch = "x86_64"))]
    return false;
}

/// What becomes of a convolution's sums: a residual tensor added (an `ADD` folded into the
/// convolution before it, see `interpreter::fuse`), then the activation, then a `PRELU` folded
/// into it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Finish<'a> {
    pub(super) activation: Activation,
    /// Values of the output's shape, added value by value.
    pub(super) residual: Option<&'a [f32]>,
    /// PReLU's slope for negative values, one per output channel.
    pub(super) slopes: Option<&'a [f32]>,
}

impl Finish<'_> {
    /// Only the activation.
    #[cfg(test)]
    pub(super) fn activation(activation: Activation) -> Self {
        Self { activation, residual: None, slopes: None }
    }

    /// Output value `at`, of output channel `channel`, from its sum.
    #[inline(always)]
    fn apply(&self, at: usize, channel: usize, sum: f32) -> f32 {
        let value = activated(self.residual.map_or(sum, |r| sum + r[at]), self.activation);
        self.slopes.map_or(value, |slopes| prelu_value(value, slopes[channel]))
    }

    /// Stores a whole block of sums, output values `at..at + L` of channels `c0..c0 + L`:
    /// [`Self::apply`] a block at a time, so that each stage is one vector operation.
    #[inline(always)]
    fn store<const L: usize>(&self, out: &mut [f32], at: usize, c0: usize, sums: &[f32; L]) {
        let mut values = *sums;
        if let Some(residual) = self.residual {
            let residual = lanes::<L>(residual, at);
            for lane in 0..L {
                values[lane] += residual[lane];
            }
        }
        activate(&mut values, self.activation);
        if let Some(slopes) = self.slopes {
            let slopes = lanes::<L>(slopes, c0);
            for lane in 0..L {
                values[lane] = prelu_value(values[lane], slopes[lane]);
            }
        }
        out[at..at + L].copy_from_slice(&values);
    }

    /// The same for the output values `from..from + len`, renumbered from 0 (`from` is the start
    /// of a pixel, so the channels keep their numbers).
    fn part(&self, from: usize, len: usize) -> Self {
        Self { residual: self.residual.map(|r| &r[from..from + len]), ..*self }
    }
}

/// A 1×1 convolution with stride 1 (most of the work in these models): a matrix product of the
/// pixels by the filter (packed by [`pack_filter`]), `PIXELS` pixels × one block of channels at
/// a time, with the widest multiply-add this processor has (see `simd`).
fn pointwise(input: &[f32], depth: usize, filter: &PackedFilter, bias: &[f32], out: &mut [f32], co: usize, finish: Finish<'_>) {
    let packed = Packed { values: &filter.values, wide_outputs: filter.wide_outputs, depth, co };
    if filter.wide_outputs > 0 {
        #[cfg(target_arch = "x86_64")]
        if crate::simd::has_avx512f() {
            return crate::simd::pointwise_avx512f(input, packed, bias, out, finish);
        }
        return pointwise_with::<Native, true>(input, packed, bias, out, finish);
    }
    #[cfg(target_arch = "x86_64")]
    if crate::simd::has_avx2_fma() {
        return crate::simd::pointwise_avx2_fma(input, packed, bias, out, finish);
    }
    pointwise_with::<Native, false>(input, packed, bias, out, finish);
}

/// A packed filter as the 1×1 kernel reads it: its weights, how many outputs are in wide blocks,
/// the input depth and the number of outputs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Packed<'a> {
    values: &'a [f32],
    wide_outputs: usize,
    depth: usize,
    co: usize,
}

/// [`pointwise`] with multiply-adds done by `M`, with wide blocks if `WIDE`; inlined into each
/// caller, so each caller's instruction set is the one used.
#[inline(always)]
pub(super) fn pointwise_with<M: MultiplyAdd, const WIDE: bool>(
    input: &[f32],
    filter: Packed<'_>,
    bias: &[f32],
    out: &mut [f32],
    finish: Finish<'_>,
) {
    let pixels = out.len() / filter.co;
    let mut first = 0;
    while first + PIXELS <= pixels {
        pointwise_block::<M, PIXELS, WIDE>(input, filter, bias, out, first, finish);
        first += PIXELS;
    }
    if first + PIXELS / 2 <= pixels {
        pointwise_block::<M, { PIXELS / 2 }, WIDE>(input, filter, bias, out, first, finish);
        first += PIXELS / 2;
    }
    for pixel in first..pixels {
        pointwise_block::<M, 1, WIDE>(input, filter, bias, out, pixel, finish);
    }
}

/// Up to `L` values of `values` from `at`, zeros after its end.
#[inline]
fn lanes_or_zeros<const L: usize>(values: &[f32], at: usize) -> [f32; L] {
    let mut block = [0.0; L];
    let present = values.get(at..).unwrap_or_default();
    let n = present.len().min(L);
    block[..n].copy_from_slice(&present[..n]);
    block
}

/// `P` pixels from `first`, every output.
#[inline(always)]
fn pointwise_block<M: MultiplyAdd, const P: usize, const WIDE: bool>(
    input: &[f32],
    filter: Packed<'_>,
    bias: &[f32],
    out: &mut [f32],
    first: usize,
    finish: Finish<'_>,
) {
    let depth = filter.depth;
    let pixels = Pixels(std::array::from_fn(|q| &input[(first + q) * depth..][..depth]));
    Tile { inputs: pixels, bias, co: filter.co, first, finish }.every_output::<M, P, WIDE>(filter, out);
}

/// The inputs of `P` output pixels, as a matrix-product kernel reads them.
trait TileInputs<const P: usize> {
    /// Inputs per pixel (weights per output).
    fn depth(&self) -> usize;

    /// The sums of one block of `L` outputs for the `P` pixels: `start` plus each input times
    /// its weights (the block's, packed by [`pack_filter`]), added in the filter's order.
    fn sums<M: MultiplyAdd, const L: usize>(&self, weights: &[f32], start: [f32; L]) -> [[f32; L]; P];
}

/// `P` pixels' inputs, each side by side (a 1×1 convolution's channels, or a patch).
#[derive(Clone, Copy)]
struct Pixels<'a, const P: usize>([&'a [f32]; P]);

impl<const P: usize> TileInputs<P> for Pixels<'_, P> {
    #[inline(always)]
    fn depth(&self) -> usize {
        self.0.first().map_or(0, |p| p.len())
    }

    #[inline(always)]
    fn sums<M: MultiplyAdd, const L: usize>(&self, weights: &[f32], start: [f32; L]) -> [[f32; L]; P] {
        let mut sums = [start; P];
        for (k, w) in weights.chunks_exact(L).enumerate() {
            let w = lanes::<L>(w, 0);
            for (sum, pixel) in sums.iter_mut().zip(self.0) {
                let x = pixel[k];
                for lane in 0..L {
                    sum[lane] = M::multiply_add(x, w[lane], sum[lane]);
                }
            }
        }
        sums
    }
}

/// `P` pixels' inputs (`I`) and where their outputs go.
struct Tile<'a, I> {
    inputs: I,
    bias: &'a [f32],
    co: usize,
    first: usize,
    finish: Finish<'a>,
}

impl<I: Copy> Tile<'_, I> {
    /// Every output: the wide blocks (if `WIDE`), then the narrow ones.
    #[inline(always)]
    fn every_output<M: MultiplyAdd, const P: usize, const WIDE: bool>(&self, filter: Packed<'_>, out: &mut [f32])
    where
        I: TileInputs<P>,
    {
        let (wide, narrow) = filter.values.split_at(filter.wide_outputs * filter.depth);
        if WIDE {
            self.blocks::<M, P, WIDE_LANES>(wide, 0, filter.wide_outputs, out);
        }
        self.blocks::<M, P, LANES>(narrow, filter.wide_outputs, filter.co, out);
    }

    /// Outputs `from..to` in blocks of `L`, from `weights` (theirs, packed); the last block may
    /// be filled up with zero weights, and only its outputs that exist are stored.
    #[inline(always)]
    fn blocks<M: MultiplyAdd, const P: usize, const L: usize>(&self, weights: &[f32], from: usize, to: usize, out: &mut [f32])
    where
        I: TileInputs<P>,
    {
        let Self { inputs, bias, co, first, finish } = *self;
        let depth = inputs.depth();
        let whole = (to - from) / L;
        let (whole_blocks, last_block) = weights.split_at(whole * L * depth);
        for (block, weights) in whole_blocks.chunks_exact(L * depth).enumerate() {
            let c0 = from + block * L;
            let sums = inputs.sums::<M, L>(weights, lanes(bias, c0));
            for (q, sum) in sums.iter().enumerate() {
                finish.store(out, (first + q) * co + c0, c0, sum);
            }
        }
        let c0 = from + whole * L;
        if c0 < to {
            let sums = inputs.sums::<M, L>(last_block, lanes_or_zeros(bias, c0));
            for (q, sum) in sums.iter().enumerate() {
                let at = (first + q) * co + c0;
                for (j, (o, s)) in out[at..at + to - c0].iter_mut().zip(sum).enumerate() {
                    *o = finish.apply(at + j, c0 + j, *s);
                }
            }
        }
    }
}

/// The window offsets `k` whose input cell `o · stride + k − pad` lies inside `0..size`.
#[inline]
fn inside(o: usize, stride: usize, pad: usize, window: usize, size: usize) -> std::ops::Range<usize> {
    let start = o * stride;
    let first = pad.saturating_sub(start);
    let last = (size + pad).saturating_sub(start).min(window);
    first..last.max(first)
}

/// The output columns whose window has every column inside the input row.
fn columns_inside(window: &Window, shape: Hwc, out_shape: Hwc, pad_left: usize) -> std::ops::Range<usize> {
    let first = pad_left.div_ceil(window.stride_w);
    let end = match (shape.width + pad_left).checked_sub(window.width) {
        Some(last_start) => (last_start / window.stride_w + 1).min(out_shape.width).max(first),
        None => first,
    };
    first..end
}

/// A convolution's operands: everything but the output.
#[derive(Debug, Clone, Copy)]
pub(super) struct Convolution<'a> {
    pub(super) input: &'a [f32],
    pub(super) shape: Hwc,
    pub(super) filter: &'a PackedFilter,
    pub(super) bias: &'a [f32],
    pub(super) out_shape: Hwc,
    pub(super) window: &'a Window,
    pub(super) finish: Finish<'a>,
}

impl Convolution<'_> {
    /// The filter as the matrix-product kernels read it.
    fn packed(&self) -> Packed<'_> {
        let depth = self.window.height * self.window.width * self.shape.channels;
        Packed { values: &self.filter.values, wide_outputs: self.filter.wide_outputs, depth, co: self.out_shape.channels }
    }
}

/// Convolution; `filter` is packed by [`pack_filter`]. A 1×1 window is a matrix product already.
/// A square 3×3 or 5×5 window (the three models' first layers, on 3 channels) is read in place
/// where it lies inside the input ([`conv_in_place`]). Any other window is made a matrix
/// product by copying each output pixel's window into a patch ([`conv_by_patches`]).
#[allow(clippy::too_many_arguments)] // the arguments are the operator's parts, named at the one call site
pub(super) fn conv(
    input: &[f32],
    shape: Hwc,
    filter: &PackedFilter,
    bias: &[f32],
    out: &mut [f32],
    out_shape: Hwc,
    window: &Window,
    finish: Finish<'_>,
) {
    let (ci, co) = (shape.channels, out_shape.channels);
    if window.height == 1 && window.width == 1 && window.stride_h == 1 && window.stride_w == 1 {
        return pointwise(input, ci, filter, bias, out, co, finish);
    }
    let step = Convolution { input, shape, filter, bias, out_shape, window, finish };
    // `conv_in_place::<K, ROW, STEP>`: a K×K window, K·in values per window row, stride·in
    // values from one pixel's window to the next; known when compiled, so the kernel's
    // addresses are constant offsets.
    match (window.height, window.width, ci, window.stride_w) {
        (3, 3, 3, 2) => conv_in_place::<3, 9, 6>(&step, out),
        (5, 5, 3, 2) => conv_in_place::<5, 15, 6>(&step, out),
        _ => conv_by_patches(&step, out),
    }
}

/// Convolution by patches, a row at a time: each output pixel's window is copied into a patch of
/// `kh · kw · in` values (zeros where it hangs over the border), in TFLite's filter order, and
/// the patches times the filter is the row.
fn conv_by_patches(step: &Convolution<'_>, out: &mut [f32]) {
    let Convolution { filter, bias, out_shape, finish, .. } = *step;
    let (patch_len, co) = (step.packed().depth, out_shape.channels);
    let mut patches = vec![0.0; out_shape.width * patch_len];
    for (oy, out_row) in out.chunks_exact_mut(out_shape.width * co).enumerate().take(out_shape.height) {
        for (ox, patch) in patches.chunks_exact_mut(patch_len).enumerate() {
            fill_patch(step, (oy, ox), patch);
        }
        let row_len = out_row.len();
        pointwise(&patches, patch_len, filter, bias, out_row, co, finish.part(oy * row_len, row_len));
    }
}

/// Copies the window of output pixel `(row, column)` into `patch`, zeros where it hangs over the
/// input's border.
fn fill_patch(step: &Convolution<'_>, (oy, ox): (usize, usize), patch: &mut [f32]) {
    let Convolution { input, shape, window, out_shape, .. } = *step;
    let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
    let ci = shape.channels;
    patch.fill(0.0);
    let columns = inside(ox, window.stride_w, pad_left, window.width, shape.width);
    let Some(ix) = (ox * window.stride_w + columns.start).checked_sub(pad_left) else { return };
    for ky in inside(oy, window.stride_h, pad_top, window.height, shape.height) {
        let iy = oy * window.stride_h + ky - pad_top;
        // The window's columns inside the input are side by side in both the input row and the
        // patch: one copy for all of them (the first layers have 3 channels, so a copy per
        // column would move 3 values at a time).
        let len = columns.len() * ci;
        let to = (ky * window.width + columns.start) * ci;
        patch[to..to + len].copy_from_slice(&input[(iy * shape.width + ix) * ci..][..len]);
    }
}

/// Convolution with a `K`×`K` window, read where it lies. For an output pixel whose window is
/// wholly inside the input, each of the window's rows is `ROW` values side by side in an input
/// row, in the filter's order, so the kernel reads them from the input itself ([`Windows`]);
/// only the border pixels are copied into a patch. With patches the first layer took 18% of the
/// face mesh's run and 19% of the short-range detector's; read in place, 10% and 16% (`perf`,
/// 2026-12-07). Side by side on one AVX-512 core the mesh ran 0.90 times as long and the
/// short-range detector 0.985 times; the full-range detector, whose first layer has the fewest
/// outputs (16), did not change measurably. The sums are added in the same order either way, so
/// the outputs are the same to the bit.
fn conv_in_place<const K: usize, const ROW: usize, const STEP: usize>(step: &Convolution<'_>, out: &mut [f32]) {
    if step.filter.wide_outputs > 0 {
        #[cfg(target_arch = "x86_64")]
        if crate::simd::has_avx512f() {
            return crate::simd::conv_in_place_avx512f::<K, ROW, STEP>(step, out);
        }
        // Wide blocks are packed only where AVX-512 runs them (`pack_filter`); elsewhere only a
        // test packs them, and the patches serve it. A second copy of this kernel for them
        // would be about 50 KB of dead code in the phone library.
        return conv_by_patches(step, out);
    }
    #[cfg(target_arch = "x86_64")]
    if crate::simd::has_avx2_fma() {
        return crate::simd::conv_in_place_avx2_fma::<K, ROW, STEP>(step, out);
    }
    conv_in_place_with::<Native, false, K, ROW, STEP>(step, out);
}

/// [`conv_in_place`] with multiply-adds done by `M`, with wide blocks if `WIDE` (the choice
/// [`pointwise`] makes, so a border pixel's patch and an inside pixel's parts are summed alike).
#[inline(always)]
pub(super) fn conv_in_place_with<M: MultiplyAdd, const WIDE: bool, const K: usize, const ROW: usize, const STEP: usize>(
    step: &Convolution<'_>,
    out: &mut [f32],
) {
    let Convolution { input, shape, bias, out_shape, window, finish, .. } = *step;
    let filter = step.packed();
    let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
    let (ci, co) = (shape.channels, out_shape.channels);
    let input_row_len = shape.width * ci;
    let columns = columns_inside(window, shape, out_shape, pad_left);
    let mut patch = vec![0.0; filter.depth];
    for (oy, out_row) in out.chunks_exact_mut(out_shape.width * co).enumerate().take(out_shape.height) {
        let row_len = out_row.len();
        let row_finish = finish.part(oy * row_len, row_len);
        let inside_columns = if inside(oy, window.stride_h, pad_top, K, shape.height).len() == K {
            let top = oy * window.stride_h - pad_top;
            let rows: [&[f32]; K] = std::array::from_fn(|ky| &input[(top + ky) * input_row_len..][..input_row_len]);
            // Where output column `ox`'s window starts in each input row.
            let window_start = |ox: usize| (ox * window.stride_w - pad_left) * ci;
            let mut ox = columns.start;
            while ox + PIXELS <= columns.end {
                window_block::<M, PIXELS, WIDE, K, ROW, STEP>(&rows, ox, window_start(ox), step, filter, out_row, row_finish);
                ox += PIXELS;
            }
            if ox + PIXELS / 2 <= columns.end {
                window_block::<M, { PIXELS / 2 }, WIDE, K, ROW, STEP>(&rows, ox, window_start(ox), step, filter, out_row, row_finish);
                ox += PIXELS / 2;
            }
            for ox in ox..columns.end {
                window_block::<M, 1, WIDE, K, ROW, STEP>(&rows, ox, window_start(ox), step, filter, out_row, row_finish);
            }
            columns.clone()
        } else {
            // A top or bottom border row.
            0..0
        };
        for ox in (0..inside_columns.start).chain(inside_columns.end..out_shape.width) {
            fill_patch(step, (oy, ox), &mut patch);
            let pixel = &mut out_row[ox * co..][..co];
            pointwise(&patch, filter.depth, step.filter, bias, pixel, co, row_finish.part(ox * co, co));
        }
    }
}

/// `P` output pixels of one row from column `first`, their windows wholly inside the input
/// (`rows` are the input rows under the window; the first pixel's starts at `start` in each),
/// every output: the wide blocks (if `WIDE`), then the narrow ones.
#[inline(always)]
fn window_block<M: MultiplyAdd, const P: usize, const WIDE: bool, const K: usize, const ROW: usize, const STEP: usize>(
    rows: &[&[f32]; K],
    first: usize,
    start: usize,
    step: &Convolution<'_>,
    filter: Packed<'_>,
    out_row: &mut [f32],
    finish: Finish<'_>,
) {
    let windows = Windows::<P, K, ROW, STEP> { spans: std::array::from_fn(|ky| &rows[ky][start..][..(P - 1) * STEP + ROW]) };
    Tile { inputs: windows, bias: step.bias, co: filter.co, first, finish }.every_output::<M, P, WIDE>(filter, out_row);
}

/// The windows of `P` neighbouring output pixels, read in place: for each of the `K` window
/// rows, the run of input values from the first pixel's window to the last's. A window row is
/// `ROW` values; the next pixel's starts `STEP` values on.
#[derive(Clone, Copy)]
struct Windows<'a, const P: usize, const K: usize, const ROW: usize, const STEP: usize> {
    spans: [&'a [f32]; K],
}

impl<const P: usize, const K: usize, const ROW: usize, const STEP: usize> TileInputs<P> for Windows<'_, P, K, ROW, STEP> {
    #[inline(always)]
    fn depth(&self) -> usize {
        K * ROW
    }

    /// The window's rows top to bottom, each left to right: the filter's order.
    #[inline(always)]
    fn sums<M: MultiplyAdd, const L: usize>(&self, weights: &[f32], start: [f32; L]) -> [[f32; L]; P] {
        let mut sums = [start; P];
        for (span, weights) in self.spans.iter().zip(weights.chunks_exact(ROW * L)) {
            for (k, w) in weights.chunks_exact(L).enumerate() {
                let w = lanes::<L>(w, 0);
                // The last pixel first: once its read is inside the span, so are the others'
                // (the same `k`, smaller offsets), and the compiler drops their bounds checks.
                // In pixel order each read kept its own check (seen in the generated code).
                for (q, sum) in sums.iter_mut().enumerate().rev() {
                    let x = span[q * STEP + k];
                    for lane in 0..L {
                        sum[lane] = M::multiply_add(x, w[lane], sum[lane]);
                    }
                }
            }
        }
        sums
    }
}

/// A per-channel convolution's operands: everything but the output.
#[derive(Debug, Clone, Copy)]
pub(super) struct Depthwise<'a> {
    pub(super) input: &'a [f32],
    pub(super) shape: Hwc,
    /// `[kh][kw][channels]`.
    pub(super) filter: &'a [f32],
    pub(super) bias: &'a [f32],
    pub(super) out_shape: Hwc,
    pub(super) window: &'a Window,
    pub(super) activation: Activation,
}

/// Per-channel convolution into `out` (see [`depthwise_with`] for the order of the work).
pub(super) fn depthwise(step: &Depthwise<'_>, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if crate::simd::has_avx512f() {
        return crate::simd::depthwise_avx512f(step, out);
    }
    #[cfg(target_arch = "x86_64")]
    if crate::simd::has_avx2_fma() {
        return crate::simd::depthwise_avx2_fma(step, out);
    }
    depthwise_with::<Native, false>(step, out);
}

/// [`depthwise`] with multiply-adds done by `M`, in one of two orders. A 3×3 window (every
/// depthwise step of the three models) over a whole number of channel blocks goes along each
/// row a block of channels at a time, its weights held in registers ([`depthwise_3x3`]): `WIDE`
/// blocks of `WIDE_LANES` where the channels divide into them (AVX-512), else of `LANES`. Any
/// other step goes a tap at a time over whole rows ([`depthwise_by_taps`]). Both add each
/// output's terms in the same order (bias, then the window's rows top to bottom, each left to
/// right), so which one runs changes no bit.
#[inline(always)]
pub(super) fn depthwise_with<M: MultiplyAdd, const WIDE: bool>(step: &Depthwise<'_>, out: &mut [f32]) {
    let (window, channels) = (step.window, step.shape.channels);
    let three_by_three = window.height == 3 && window.width == 3;
    if three_by_three && WIDE && channels.is_multiple_of(WIDE_LANES) {
        depthwise_3x3::<M, WIDE_LANES>(step, out);
    } else if three_by_three && channels.is_multiple_of(LANES) {
        depthwise_3x3::<M, LANES>(step, out);
    } else {
        depthwise_by_taps::<M>(step, out);
    }
}

/// [`depthwise_with`] for a 3×3 window and a whole number of `L`-channel blocks. Row by row: the
/// pixels whose window lies wholly inside the input, one block of channels at a time along the
/// row, with the block's nine weights and bias loaded once and kept in registers, each sum kept
/// in a register over the window and stored once; the border pixels one at a time
/// ([`depthwise_pixel`]). A tap at a time over whole rows instead loads and stores every sum at
/// each tap; with this order for every 3×3 step (where 32 or more channels went a tap at a
/// time), the models ran 1.36 (short range), 1.45 (full range) and 1.47 (mesh) times faster,
/// side by side on one AVX-512 core, with the same outputs to the bit.
#[inline(always)]
fn depthwise_3x3<M: MultiplyAdd, const L: usize>(step: &Depthwise<'_>, out: &mut [f32]) {
    const TAPS: usize = 9;
    let Depthwise { input, shape, filter, bias, out_shape, window, activation } = *step;
    let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
    let c = shape.channels;
    let input_row_len = shape.width * c;
    let std::ops::Range { start: first_inside, end: end_inside } = columns_inside(window, shape, out_shape, pad_left);
    for (oy, row) in out.chunks_exact_mut(out_shape.width * c).enumerate().take(out_shape.height) {
        let window_rows = inside(oy, window.stride_h, pad_top, window.height, shape.height);
        if window_rows.len() < window.height {
            // A top or bottom border row.
            for (ox, pixel) in row.chunks_exact_mut(c).enumerate() {
                depthwise_pixel::<M>(step, (oy, ox), pixel);
            }
            continue;
        }
        let top = oy * window.stride_h - pad_top;
        let input_rows: [&[f32]; 3] = std::array::from_fn(|ky| &input[(top + ky) * input_row_len..][..input_row_len]);
        for c0 in (0..c).step_by(L) {
            let weights: [[f32; L]; TAPS] = std::array::from_fn(|tap| lanes::<L>(filter, tap * c + c0));
            let start = lanes::<L>(bias, c0);
            for ox in first_inside..end_inside {
                let left = (ox * window.stride_w - pad_left) * c + c0;
                let mut sum = start;
                for (ky, input_row) in input_rows.iter().enumerate() {
                    for kx in 0..3 {
                        let x = lanes::<L>(input_row, left + kx * c);
                        let w = &weights[ky * 3 + kx];
                        for lane in 0..L {
                            sum[lane] = M::multiply_add(x[lane], w[lane], sum[lane]);
                        }
                    }
                }
                row[ox * c + c0..][..L].copy_from_slice(&sum);
            }
        }
        activate(&mut row[first_inside * c..end_inside * c], activation);
        for ox in (0..first_inside).chain(end_inside..out_shape.width) {
            depthwise_pixel::<M>(step, (oy, ox), &mut row[ox * c..][..c]);
        }
    }
}

/// One output pixel of a depthwise step, `(row, column)`, its taps inside the input in the
/// window's order.
#[inline(always)]
fn depthwise_pixel<M: MultiplyAdd>(step: &Depthwise<'_>, (oy, ox): (usize, usize), pixel: &mut [f32]) {
    let Depthwise { input, shape, filter, bias, out_shape, window, activation } = *step;
    let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
    let c = shape.channels;
    pixel.copy_from_slice(bias);
    for ky in inside(oy, window.stride_h, pad_top, window.height, shape.height) {
        let iy = oy * window.stride_h + ky - pad_top;
        for kx in inside(ox, window.stride_w, pad_left, window.width, shape.width) {
            let ix = ox * window.stride_w + kx - pad_left;
            let (x, w) = (&input[(iy * shape.width + ix) * c..][..c], &filter[(ky * window.width + kx) * c..][..c]);
            for ((o, x), w) in pixel.iter_mut().zip(x).zip(w) {
                *o = M::multiply_add(*x, *w, *o);
            }
        }
    }
    activate(pixel, activation);
}

/// [`depthwise_with`] for many channels: each output row starts as the bias, then every tap
/// adds its input row times its weights along the channels (one long vectorised loop per tap
/// and row, no per-pixel bookkeeping).
#[inline(always)]
fn depthwise_by_taps<M: MultiplyAdd>(step: &Depthwise<'_>, out: &mut [f32]) {
    let Depthwise { input, shape, filter, bias, out_shape, window, activation } = *step;
    let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
    let c = shape.channels;
    let row_len = out_shape.width * c;
    for (oy, row) in out.chunks_exact_mut(row_len).enumerate().take(out_shape.height) {
        for pixel in row.chunks_exact_mut(c) {
            pixel.copy_from_slice(bias);
        }
        for ky in inside(oy, window.stride_h, pad_top, window.height, shape.height) {
            let iy = oy * window.stride_h + ky - pad_top;
            let input_row = &input[iy * shape.width * c..][..shape.width * c];
            for kx in 0..window.width {
                let weights = &filter[(ky * window.width + kx) * c..][..c];
                // The output columns whose input column ox · stride + kx − pad is inside the row.
                let first = pad_left.saturating_sub(kx).div_ceil(window.stride_w);
                let end = (shape.width + pad_left).saturating_sub(kx).div_ceil(window.stride_w).min(out_shape.width);
                for ox in first..end {
                    let ix = ox * window.stride_w + kx - pad_left;
                    let (o, x) = (&mut row[ox * c..][..c], &input_row[ix * c..][..c]);
                    for ((o, x), w) in o.iter_mut().zip(x).zip(weights) {
                        *o = M::multiply_add(*x, *w, *o);
                    }
                }
            }
        }
        activate(row, activation);
    }
}

/// Maximum over a window (padding never wins: it is not part of the maximum).
pub(super) fn max_pool(input: &[f32], shape: Hwc, out: &mut [f32], out_shape: Hwc, window: &Window) {
    let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
    let c = shape.channels;
    for oy in 0..out_shape.height {
        for ox in 0..out_shape.width {
            let at = (oy * out_shape.width + ox) * c;
            let pixel = &mut out[at..at + c];
            pixel.fill(f32::NEG_INFINITY);
            for ky in 0..window.height {
                let Some(iy) = source(oy, window.stride_h, ky, pad_top, shape.height) else { continue };
                for kx in 0..window.width {
                    let Some(ix) = source(ox, window.stride_w, kx, pad_left, shape.width) else { continue };
                    let from = (iy * shape.width + ix) * c;
                    for (o, x) in pixel.iter_mut().zip(&input[from..from + c]) {
                        *o = o.max(*x);
                    }
                }
            }
        }
    }
}

/// Where output cell `o` samples the input, TFLite's way: the two input cells and the weight of
/// the second.
fn bilinear_source(o: usize, scale: f32, half_pixel_centers: bool, size: usize) -> (usize, usize, f32) {
    let at = if half_pixel_centers { (o as f32 + 0.5) * scale - 0.5 } else { o as f32 * scale };
    let lower = at.floor().max(0.0) as usize;
    let upper = (at.ceil().max(0.0) as usize).min(size - 1);
    (lower.min(size - 1), upper, at - lower as f32)
}

/// Bilinear resampling to the output's size (TFLite's `RESIZE_BILINEAR`, corners not aligned).
pub(super) fn resize_bilinear(input: &[f32], shape: Hwc, out: &mut [f32], out_shape: Hwc, half_pixel_centers: bool) {
    let c = shape.channels;
    let scale_y = shape.height as f32 / out_shape.height as f32;
    let scale_x = shape.width as f32 / out_shape.width as f32;
    for oy in 0..out_shape.height {
        let (y0, y1, fy) = bilinear_source(oy, scale_y, half_pixel_centers, shape.height);
        for ox in 0..out_shape.width {
            let (x0, x1, fx) = bilinear_source(ox, scale_x, half_pixel_centers, shape.width);
            let pixel = |y: usize, x: usize| &input[(y * shape.width + x) * c..][..c];
            let (a, b, cc, d) = (pixel(y0, x0), pixel(y0, x1), pixel(y1, x0), pixel(y1, x1));
            let to = &mut out[(oy * out_shape.width + ox) * c..][..c];
            for (i, o) in to.iter_mut().enumerate() {
                let top = a[i] + (b[i] - a[i]) * fx;
                let bottom = cc[i] + (d[i] - cc[i]) * fx;
                *o = top + (bottom - top) * fy;
            }
        }
    }
}

/// Each input pixel's channels spread over a `block × block` square: output `(y, x, c)` is
/// input `(y / block, x / block, ((y % block) · block + x % block) · out_channels + c)`.
pub(super) fn depth_to_space(input: &[f32], shape: Hwc, out: &mut [f32], out_shape: Hwc, block: usize) {
    let c = out_shape.channels;
    for y in 0..out_shape.height {
        for x in 0..out_shape.width {
            let from = ((y / block) * shape.width + x / block) * shape.channels + ((y % block) * block + x % block) * c;
            out[(y * out_shape.width + x) * c..][..c].copy_from_slice(&input[from..from + c]);
        }
    }
}

/// `a + b`, then the activation.
pub(super) fn add(a: &[f32], b: &[f32], out: &mut [f32], activation: Activation) {
    for ((o, a), b) in out.iter_mut().zip(a).zip(b) {
        *o = a + b;
    }
    activate(out, activation);
}

/// `max(0, x)`.
pub(super) fn relu(input: &[f32], out: &mut [f32]) {
    for (o, x) in out.iter_mut().zip(input) {
        *o = x.max(0.0);
    }
}

/// PReLU of one value: `x` where positive, else `slope · x` (the one rule for the `PRELU` step
/// and for one folded into a convolution).
#[inline(always)]
fn prelu_value(x: f32, slope: f32) -> f32 {
    if x > 0.0 { x } else { slope * x }
}

/// `x` where positive, else `alpha[c] · x`; `alpha` has one value per channel.
pub(super) fn prelu(input: &[f32], alpha: &[f32], out: &mut [f32]) {
    for (pixel_out, pixel_in) in out.chunks_exact_mut(alpha.len()).zip(input.chunks_exact(alpha.len())) {
        for ((o, x), a) in pixel_out.iter_mut().zip(pixel_in).zip(alpha) {
            *o = prelu_value(*x, *a);
        }
    }
}

/// Zeros around the input: `pads` is `[before, after]` for height, width and channels.
pub(super) fn pad(input: &[f32], shape: Hwc, out: &mut [f32], out_shape: Hwc, pads: [[usize; 2]; 3]) {
    out.fill(0.0);
    let [[top, _], [left, _], [front, _]] = pads;
    for y in 0..shape.height {
        for x in 0..shape.width {
            let from = (y * shape.width + x) * shape.channels;
            let to = ((y + top) * out_shape.width + x + left) * out_shape.channels + front;
            out[to..to + shape.channels].copy_from_slice(&input[from..from + shape.channels]);
        }
    }
}

/// The inputs joined: for each step of the axes before the joined one, `widths[i]` values of
/// input `i` in turn (for the last axis, a row of each).
pub(super) fn concat(inputs: &[&[f32]], widths: &[usize], out: &mut [f32]) {
    let total: usize = widths.iter().sum();
    if total == 0 {
        return;
    }
    for (row, out_row) in out.chunks_exact_mut(total).enumerate() {
        let mut at = 0;
        for (input, width) in inputs.iter().zip(widths) {
            out_row[at..at + width].copy_from_slice(&input[row * width..(row + 1) * width]);
            at += width;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAME_3X3_STRIDE_2: Window = Window { height: 3, width: 3, stride_h: 2, stride_w: 2, padding: Padding::Same };

    #[test]
    fn same_padding_puts_the_odd_pixel_after() {
        // TFLite: 4 → 2 with a 3-wide window, stride 2, needs 1 pixel of border, placed after.
        let shape = Hwc { height: 4, width: 4, channels: 1 };
        let out = Hwc { height: 2, width: 2, channels: 1 };
        assert_eq!(leading_pad(&SAME_3X3_STRIDE_2, shape, out), (0, 0));
        let five = Hwc { height: 5, width: 5, channels: 1 };
        let three = Hwc { height: 3, width: 3, channels: 1 };
        assert_eq!(leading_pad(&SAME_3X3_STRIDE_2, five, three), (1, 1));
    }

    #[test]
    fn convolution_matches_a_hand_computed_sum() {
        // A 3×3 input of one channel, two output channels, a 2×2 VALID window, stride 1.
        let input: Vec<f32> = (1..=9).map(|v| v as f32).collect();
        let shape = Hwc { height: 3, width: 3, channels: 1 };
        let out_shape = Hwc { height: 2, width: 2, channels: 2 };
        // [out][kh][kw][in], which packing keeps for fewer outputs than a block: channel 0 sums
        // the window, channel 1 takes the top-left minus the bottom-right.
        let filter = pack_filter(&[1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, -1.0], 2, 4);
        let window = Window { height: 2, width: 2, stride_h: 1, stride_w: 1, padding: Padding::Valid };
        let mut out = vec![0.0; 8];
        conv(&input, shape, &filter, &[0.5, 0.0], &mut out, out_shape, &window, Finish::activation(Activation::Linear));
        assert_eq!(out, vec![12.5, -4.0, 16.5, -4.0, 24.5, -4.0, 28.5, -4.0]);
        conv(&input, shape, &filter, &[0.5, 0.0], &mut out, out_shape, &window, Finish::activation(Activation::Relu));
        assert_eq!(out, vec![12.5, 0.0, 16.5, 0.0, 24.5, 0.0, 28.5, 0.0]);
    }

    #[test]
    fn depthwise_and_pool_respect_the_border() {
        let input: Vec<f32> = (1..=16).map(|v| v as f32).collect();
        let shape = Hwc { height: 4, width: 4, channels: 1 };
        let out_shape = Hwc { height: 2, width: 2, channels: 1 };
        let mut out = vec![0.0; 4];
        let step = Depthwise {
            input: &input,
            shape,
            filter: &[1.0; 9],
            bias: &[0.0],
            out_shape,
            window: &SAME_3X3_STRIDE_2,
            activation: Activation::Linear,
        };
        depthwise(&step, &mut out);
        // Windows at rows/cols 0..3 and 2..4 (the last one runs into the border after).
        assert_eq!(out, vec![54.0, 45.0, 72.0, 54.0]);
        max_pool(&input, shape, &mut out, out_shape, &Window { height: 2, width: 2, stride_h: 2, stride_w: 2, padding: Padding::Same });
        assert_eq!(out, vec![6.0, 8.0, 14.0, 16.0]);
    }

    #[test]
    fn resizing_and_depth_to_space_place_values_as_tflite_does() {
        // 2×2 → 4×4 with half-pixel centres: output cell 1 samples input 0.25, cell 0 clamps to 0.
        let shape = Hwc { height: 2, width: 2, channels: 1 };
        let out_shape = Hwc { height: 4, width: 4, channels: 1 };
        let mut out = vec![0.0; 16];
        resize_bilinear(&[0.0, 4.0, 8.0, 12.0], shape, &mut out, out_shape, true);
        assert_eq!(&out[..4], &[0.0, 1.0, 3.0, 4.0]);
        assert_eq!(&out[4..8], &[2.0, 3.0, 5.0, 6.0]);
        assert_eq!(&out[12..], &[8.0, 9.0, 11.0, 12.0]);
        // Without half-pixel centres output cell 1 samples input 0.5.
        resize_bilinear(&[0.0, 4.0, 8.0, 12.0], shape, &mut out, out_shape, false);
        assert_eq!(&out[..4], &[0.0, 2.0, 4.0, 4.0]);

        // One pixel of 8 channels (2 per output pixel) → a 2×2 square of 2 channels.
        let mut square = vec![0.0; 8];
        let deep: Vec<f32> = (0..8).map(|v| v as f32).collect();
        depth_to_space(&deep, Hwc { height: 1, width: 1, channels: 8 }, &mut square, Hwc { height: 2, width: 2, channels: 2 }, 2);
        assert_eq!(square, deep, "row-major squares keep the order for one pixel");
        let mut wide = vec![0.0; 16];
        let two: Vec<f32> = (0..16).map(|v| v as f32).collect();
        depth_to_space(&two, Hwc { height: 1, width: 2, channels: 8 }, &mut wide, Hwc { height: 2, width: 4, channels: 2 }, 2);
        // Row 0: pixel 0's (0,0), (0,1), then pixel 1's (0,0), (0,1); row 1 the same for (1,·).
        assert_eq!(wide, vec![0.0, 1.0, 2.0, 3.0, 8.0, 9.0, 10.0, 11.0, 4.0, 5.0, 6.0, 7.0, 12.0, 13.0, 14.0, 15.0]);
    }

    #[test]
    fn channel_padding_and_concatenation_place_values() {
        let shape = Hwc { height: 1, width: 2, channels: 2 };
        let out_shape = Hwc { height: 1, width: 2, channels: 3 };
        let mut out = vec![9.0; 6];
        pad(&[1.0, 2.0, 3.0, 4.0], shape, &mut out, out_shape, [[0, 0], [0, 0], [0, 1]]);
        assert_eq!(out, vec![1.0, 2.0, 0.0, 3.0, 4.0, 0.0]);
        let mut joined = vec![0.0; 6];
        concat(&[&[1.0, 2.0], &[3.0, 4.0, 5.0, 6.0]], &[1, 2], &mut joined);
        assert_eq!(joined, vec![1.0, 3.0, 4.0, 2.0, 5.0, 6.0]);
        let mut activated = vec![0.0; 3];
        prelu(&[-2.0, 3.0, -1.0], &[0.5, 0.5, 0.25], &mut activated);
        assert_eq!(activated, vec![-1.0, 3.0, -0.25]);
    }

    /// Deterministic values in −1…1 (a linear congruential sequence).
    fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 23) as f32 - 1.0
            })
            .collect()
    }

    /// The textbook convolution, one multiply-add at a time, with TFLite's `[out][kh][kw][in]`
    /// filter: what the blocked kernels must equal.
    fn reference_conv(
        input: &[f32],
        shape: Hwc,
        filter: &[f32],
        bias: &[f32],
        out_shape: Hwc,
        window: &Window,
        depthwise: bool,
    ) -> Vec<f32> {
        let (pad_top, pad_left) = leading_pad(window, shape, out_shape);
        let mut out = vec![0.0; out_shape.height * out_shape.width * out_shape.channels];
        for oy in 0..out_shape.height {
            for ox in 0..out_shape.width {
                for o in 0..out_shape.channels {
                    let mut sum = bias[o];
                    for ky in 0..window.height {
                        for kx in 0..window.width {
                            let (Some(iy), Some(ix)) = (
                                source(oy, window.stride_h, ky, pad_top, shape.height),
                                source(ox, window.stride_w, kx, pad_left, shape.width),
                            ) else {
                                continue;
                            };
                            let pixel = (iy * shape.width + ix) * shape.channels;
                            if depthwise {
                                sum += input[pixel + o] * filter[(ky * window.width + kx) * shape.channels + o];
                            } else {
                                for i in 0..shape.channels {
                                    sum += input[pixel + i] * filter[((o * window.height + ky) * window.width + kx) * shape.channels + i];
                                }
                            }
                        }
                    }
                    out[(oy * out_shape.width + ox) * out_shape.channels + o] = sum;
                }
            }
        }
        out
    }

    /// Whether the 8- and 16-output kernels both use fused multiply-adds here. On x86-64 without
    /// AVX-512 the 16-wide blocks (never packed there) run the portable two-rounding form.
    fn same_multiply_add_at_both_widths() -> bool {
        cfg!(target_arch = "aarch64") || wide_kernels()
    }

    fn assert_close(ours: &[f32], reference: &[f32], what: &str) {
        assert_eq!(ours.len(), reference.len(), "{what}");
        for (i, (a, b)) in ours.iter().zip(reference).enumerate() {
            assert!((a - b).abs() < 1e-4 * (1.0 + b.abs()), "{what}: value {i} is {a}, expected {b}");
        }
    }

    /// Every order a depthwise step can be taken in adds each output's terms in the same order,
    /// so which one runs (chosen by the window, the channels and the processor) changes no bit.
    #[test]
    fn every_depthwise_order_gives_the_same_bits() {
        let cases = [
            (9, 13, 32, 1, Padding::Same, Activation::Linear),
            (8, 11, 16, 2, Padding::Same, Activation::Relu),
            (7, 10, 48, 1, Padding::Explicit { top: 1, left: 1 }, Activation::Relu6),
            (6, 9, 16, 2, Padding::Valid, Activation::Linear),
            // Too narrow for any pixel to have its whole window inside.
            (3, 2, 16, 1, Padding::Same, Activation::Relu),
        ];
        for (n, (height, width, channels, stride, padding, activation)) in cases.into_iter().enumerate() {
            let window = Window { height: 3, width: 3, stride_h: stride, stride_w: stride, padding };
            let shape = Hwc { height, width, channels };
            let out_size = |size: usize| match padding {
                Padding::Same => size.div_ceil(stride),
                Padding::Valid => (size - 3) / stride + 1,
                Padding::Explicit { top, .. } => (size + 2 * top - 3) / stride + 1,
            };
            let out_shape = Hwc { height: out_size(height), width: out_size(width), channels };
            let (input, filter, bias) =
                (values(height * width * channels, n as u32), values(9 * channels, 50 + n as u32), values(channels, 90));
            let step = Depthwise { input: &input, shape, filter: &filter, bias: &bias, out_shape, window: &window, activation };
            let run = |kernel: fn(&Depthwise<'_>, &mut [f32])| {
                let mut out = vec![f32::NAN; out_shape.height * out_shape.width * channels];
                kernel(&step, &mut out);
                out.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            };
            let by_taps = run(depthwise_by_taps::<Fused>);
            let reference = reference_conv(&input, shape, &filter, &bias, out_shape, &window, true);
            let activated_reference: Vec<f32> = reference.iter().map(|v| activated(*v, activation)).collect();
            assert_close(&by_taps.iter().map(|b| f32::from_bits(*b)).collect::<Vec<_>>(), &activated_reference, &format!("case {n}"));
            assert_eq!(run(depthwise_3x3::<Fused, LANES>), by_taps, "case {n}: 3×3 in blocks of 8");
            assert_eq!(run(depthwise_3x3::<Fused, WIDE_LANES>), by_taps, "case {n}: 3×3 in blocks of 16");
            // What this processor runs, where its multiply-add is the fused one.
            if has_fused_multiply_add() {
                assert_eq!(run(depthwise), by_taps, "case {n}: the kernel chosen for this processor");
            }
        }
    }

    /// Whether the kernels chosen at run time here multiply-add in one rounding (AVX2 with FMA,
    /// AVX-512, NEON).
    fn has_fused_multiply_add() -> bool {
        #[cfg(target_arch = "x86_64")]
        return crate::simd::has_avx2_fma();
        #[cfg(not(target_arch = "x86_64"))]
        return cfg!(target_arch = "aarch64");
    }

    /// A window read in place and the same window copied into a patch give the same bits, for
    /// both shapes read in place (the models' first layers: 3×3 and 5×5 windows on 3 channels,
    /// stride 2), every padding, rows whose inside pixels fall in blocks of 8, 4 and 1, outputs
    /// in whole and part blocks, and blocks of 8 and of 16 outputs.
    #[test]
    fn a_window_read_in_place_gives_the_bits_of_its_patch() {
        let cases = [
            // The models' own first layers.
            (128, 128, 5, 24, Padding::Same, Finish::activation(Activation::Relu)),
            (192, 192, 3, 16, Padding::Same, Finish::activation(Activation::Relu)),
            (192, 192, 3, 32, Padding::Explicit { top: 1, left: 1 }, Finish::activation(Activation::Linear)),
            // Pixels with the whole window inside, per row: 14 (8 + 4 + 1 + 1), 7 (4 + 1 + 1 + 1),
            // 3 (1 + 1 + 1) and none.
            (9, 30, 3, 5, Padding::Valid, Finish::activation(Activation::Relu6)),
            (11, 17, 5, 19, Padding::Same, Finish::activation(Activation::Linear)),
            (7, 9, 5, 8, Padding::Explicit { top: 2, left: 2 }, Finish::activation(Activation::Relu)),
            (6, 3, 5, 16, Padding::Same, Finish::activation(Activation::Linear)),
        ];
        for (n, (height, width, k, co, padding, finish)) in cases.into_iter().enumerate() {
            let window = Window { height: k, width: k, stride_h: 2, stride_w: 2, padding };
            let shape = Hwc { height, width, channels: 3 };
            let out_size = |size: usize| match padding {
                Padding::Same => size.div_ceil(2),
                Padding::Valid => (size - k) / 2 + 1,
                Padding::Explicit { top, .. } => (size + 2 * top - k) / 2 + 1,
            };
            let out_shape = Hwc { height: out_size(height), width: out_size(width), channels: co };
            let input = values(height * width * 3, 500 + n as u32);
            let bias = values(co, 600 + n as u32);
            let filter = values(co * k * k * 3, 700 + n as u32);
            let slopes = values(co, 800 + n as u32);
            let residual = values(out_shape.height * out_shape.width * co, 900 + n as u32);
            // Half the cases with a folded PReLU and residual sum, so `Finish` is renumbered
            // for each pixel the same way on both paths.
            let finish = if n % 2 == 1 { Finish { residual: Some(&residual), slopes: Some(&slopes), ..finish } } else { finish };
            for wide_outputs in [0, co / WIDE_LANES * WIDE_LANES] {
                let packed = pack_filter_in(&filter, co, k * k * 3, wide_outputs);
                let step = Convolution { input: &input, shape, filter: &packed, bias: &bias, out_shape, window: &window, finish };
                let run = |kernel: &dyn Fn(&Convolution<'_>, &mut [f32])| {
                    let mut out = vec![f32::NAN; out_shape.height * out_shape.width * co];
                    kernel(&step, &mut out);
                    out.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                };
                let by_patches = run(&conv_by_patches);
                let in_place = run(&|step: &Convolution<'_>, out: &mut [f32]| {
                    conv(step.input, step.shape, step.filter, step.bias, out, step.out_shape, step.window, step.finish)
                });
                assert!(by_patches.iter().all(|b| !f32::from_bits(*b).is_nan()), "case {n}: every output written");
                assert_eq!(in_place, by_patches, "case {n}, {wide_outputs} outputs in blocks of 16");
                // The portable kernel (the phones' NEON code, compiled here for SSE2) with fused
                // multiply-adds, as on every phone: the same bits where this processor's are fused.
                if has_fused_multiply_add() {
                    let portable = run(&|step: &Convolution<'_>, out: &mut [f32]| match (k, wide_outputs > 0) {
                        (3, false) => conv_in_place_with::<Fused, false, 3, 9, 6>(step, out),
                        (3, true) => conv_in_place_with::<Fused, true, 3, 9, 6>(step, out),
                        (_, false) => conv_in_place_with::<Fused, false, 5, 15, 6>(step, out),
                        (_, true) => conv_in_place_with::<Fused, true, 5, 15, 6>(step, out),
                    });
                    assert_eq!(portable, by_patches, "case {n}, {wide_outputs} outputs in blocks of 16, portable kernel");
                }
                // And against the textbook sum, where no activation or fold changes it.
                if finish.residual.is_none() && matches!(finish.activation, Activation::Linear) {
                    let reference = reference_conv(&input, shape, &filter, &bias, out_shape, &window, false);
                    let ours: Vec<f32> = in_place.iter().map(|b| f32::from_bits(*b)).collect();
                    assert_close(&ours, &reference, &format!("case {n}"));
                }
            }
        }
    }

    #[test]
    fn blocked_kernels_equal_the_textbook_sum_for_any_channel_count() {
        // Channel counts below, at and past the 8-lane blocks, with remainders; pixel counts that
        // are not a multiple of the 8-pixel blocks; windows of the models' kinds.
        let cases = [
            (5, 7, 3, 24, 5, 2, Padding::Same),
            (6, 5, 13, 21, 1, 1, Padding::Same),
            (3, 3, 8, 8, 1, 1, Padding::Valid),
            (7, 6, 24, 2, 1, 1, Padding::Same),
            (9, 8, 4, 19, 3, 2, Padding::Valid),
            // A folded PAD of one on every side.
            (6, 7, 5, 11, 3, 2, Padding::Explicit { top: 1, left: 1 }),
            (5, 5, 16, 9, 3, 1, Padding::Explicit { top: 1, left: 1 }),
            // Rows wide enough for the depthwise blocks of pixels, with 8, 16 and 24 channels.
            (6, 11, 8, 8, 3, 1, Padding::Same),
            (7, 14, 16, 5, 3, 2, Padding::Same),
            (6, 13, 24, 3, 3, 2, Padding::Explicit { top: 1, left: 1 }),
        ];
        for (n, (height, width, ci, co, k, stride, padding)) in cases.into_iter().enumerate() {
            let window = Window { height: k, width: k, stride_h: stride, stride_w: stride, padding };
            let shape = Hwc { height, width, channels: ci };
            let out_size = |size: usize| match padding {
                Padding::Same => size.div_ceil(stride),
                Padding::Valid => (size - k) / stride + 1,
                Padding::Explicit { top, .. } => (size + 2 * top - k) / stride + 1,
            };
            let (out_h, out_w) = (out_size(height), out_size(width));
            let input = values(height * width * ci, n as u32);
            let bias = values(co, 100 + n as u32);
            let filter = values(co * k * k * ci, 200 + n as u32);
            let out_shape = Hwc { height: out_h, width: out_w, channels: co };
            let reference = reference_conv(&input, shape, &filter, &bias, out_shape, &window, false);
            // Blocks of 8 outputs, and as many of 16 (AVX-512's) as fit then blocks of 8.
            let mut by_width = [0, co / WIDE_LANES * WIDE_LANES].map(|wide_outputs| {
                let mut out = vec![0.0; out_h * out_w * co];
                let packed = pack_filter_in(&filter, co, k * k * ci, wide_outputs);
                conv(&input, shape, &packed, &bias, &mut out, out_shape, &window, Finish::activation(Activation::Linear));
                assert_close(&out, &reference, &format!("conv case {n}, {wide_outputs} outputs in blocks of 16"));
                out
            });
            // Where both widths multiply-add the same way (fused: AVX-512 beside AVX2, or NEON),
            // the width changes no bit.
            if same_multiply_add_at_both_widths() {
                let [narrow, wide] = std::mem::take(&mut by_width).map(|out| out.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
                assert_eq!(narrow, wide, "conv case {n}: blocks of 8 and of 16 differ");
            }

            let dw_shape = Hwc { height: out_h, width: out_w, channels: ci };
            let dw_filter = values(k * k * ci, 300 + n as u32);
            let mut dw = vec![0.0; out_h * out_w * ci];
            let dw_bias = values(ci, 400 + n as u32);
            let step = Depthwise {
                input: &input,
                shape,
                filter: &dw_filter,
                bias: &dw_bias,
                out_shape: dw_shape,
                window: &window,
                activation: Activation::Linear,
            };
            depthwise(&step, &mut dw);
            assert_close(
                &dw,
                &reference_conv(&input, shape, &dw_filter, &dw_bias, dw_shape, &window, true),
                &format!("depthwise case {n}"),
            );
        }
    }
}
