//! Runs a [`Graph`]: every shape checked once when the interpreter is made, so that running it
//! only does arithmetic, in buffers allocated once and reused for every frame.

use crate::ModelError;
use crate::graph::{Activation, Graph, Op, Padding, Window};
use crate::kernels::{self, Depthwise, Finish, Hwc, PackedFilter};

/// One operator with its weights laid out for its kernel and its shapes resolved.
#[derive(Debug)]
enum Step {
    Conv {
        input: usize,
        output: usize,
        shapes: [Hwc; 2],
        filter: PackedFilter,
        bias: Vec<f32>,
        window: Window,
        activation: Activation,
        /// A tensor of the output's shape added before the activation (a folded `ADD`).
        residual: Option<usize>,
        /// PReLU's slopes, one per output channel, applied after the activation (a folded `PRELU`).
        slopes: Option<Vec<f32>>,
    },
    Depthwise {
        input: usize,
        output: usize,
        shapes: [Hwc; 2],
        filter: Vec<f32>,
        bias: Vec<f32>,
        window: Window,
        activation: Activation,
    },
    MaxPool {
        input: usize,
        output: usize,
        shapes: [Hwc; 2],
        window: Window,
    },
    Add {
        a: usize,
        b: usize,
        output: usize,
        activation: Activation,
    },
    Relu {
        input: usize,
        output: usize,
    },
    Prelu {
        input: usize,
        output: usize,
        alpha: Vec<f32>,
    },
    Pad {
        input: usize,
        output: usize,
        shapes: [Hwc; 2],
        pads: [[usize; 2]; 3],
    },
    Resize {
        input: usize,
        output: usize,
        shapes: [Hwc; 2],
        half_pixel_centers: bool,
    },
    DepthToSpace {
        input: usize,
        output: usize,
        shapes: [Hwc; 2],
        block: usize,
    },
    /// A reshape: the same values in a new shape.
    Copy {
        input: usize,
        output: usize,
    },
    /// Joined along an axis: each input gives `blocks[i]` values per step of the axes before it.
    Concat {
        inputs: Vec<usize>,
        blocks: Vec<usize>,
        output: usize,
    },
}

impl Step {
    /// The tensors this step reads.
    fn inputs(&self) -> Vec<usize> {
        match self {
            Step::Conv { input, residual, .. } => std::iter::once(*input).chain(*residual).collect(),
            Step::Depthwise { input, .. }
            | Step::MaxPool { input, .. }
            | Step::Relu { input, .. }
            | Step::Prelu { input, .. }
            | Step::Pad { input, .. }
            | Step::Copy { input, .. }
            | Step::Resize { input, .. }
            | Step::DepthToSpace { input, .. } => vec![*input],
            Step::Add { a, b, .. } => vec![*a, *b],
            Step::Concat { inputs, .. } => inputs.clone(),
        }
    }

    fn output(&self) -> usize {
        match self {
            Step::Conv { output, .. }
            | Step::Depthwise { output, .. }
            | Step::MaxPool { output, .. }
            | Step::Add { output, .. }
            | Step::Relu { output, .. }
            | Step::Prelu { output, .. }
            | Step::Pad { output, .. }
            | Step::Copy { output, .. }
            | Step::Resize { output, .. }
            | Step::DepthToSpace { output, .. }
            | Step::Concat { output, .. } => *output,
        }
    }
}

/// A loaded model: its tensors and the steps that fill them, with buffers allocated once and
/// reused by every run. One per analysing thread (running needs `&mut`).
#[derive(Debug)]
pub struct Interpreter {
    shapes: Vec<Vec<usize>>,
    values: Vec<Vec<f32>>,
    steps: Vec<Step>,
    input: usize,
    outputs: Vec<usize>,
}

/// Passes over the data saved where a step can do another's work on the way:
/// - an `ADD` right after a convolution, of its output and another tensor (a residual
///   connection), becomes part of the convolution: it adds the other tensor as it stores each
///   value (all 16 of the short-range detector's, 16 of the full-range's 19);
/// - a `Relu` right after a convolution or a sum that has no activation of its own becomes that
///   step's activation, writing straight into the `Relu`'s output (17 steps of the short-range
///   detector);
/// - a `PRELU` right after a convolution that has no activation of its own (a residual sum
///   folded into it is fine) becomes the last thing the convolution does to each value, even
///   where other steps come in between (the mesh's two heads interleave): 19 of the face
///   mesh's 23 (the other 4 follow a sum that is not folded);
/// - a `PAD` of zeros around the rows and columns, read only by the window right after it (the
///   full-range detector pads before each of its 42 depthwise steps), becomes that window's
///   border, so the padded copy is never made.
///
/// Only where nothing else reads the tensor in between, which then never exists.
fn fuse(steps: Vec<Step>, shapes: &[Vec<usize>], outputs: &[usize]) -> Vec<Step> {
    let mut reads = vec![0usize; shapes.len()];
    for input in steps.iter().flat_map(Step::inputs) {
        if let Some(count) = reads.get_mut(input) {
            *count += 1;
        }
    }
    let private = |tensor: usize| reads.get(tensor) == Some(&1) && !outputs.contains(&tensor);
    let mut fused: Vec<Step> = Vec::with_capacity(steps.len());
    for mut step in steps {
        match &mut step {
            Step::Relu { input, output } => {
                let (input, output) = (*input, *output);
                let fusable = private(input) && shapes.get(input) == shapes.get(output);
                let producer = fused.last_mut().filter(|last| fusable && last.output() == input);
                if let Some(
                    Step::Conv { output: to, activation: activation @ Activation::Linear, .. }
                    | Step::Depthwise { output: to, activation: activation @ Activation::Linear, .. }
                    | Step::Add { output: to, activation: activation @ Activation::Linear, .. },
                ) = producer
                {
                    *to = output;
                    *activation = Activation::Relu;
                    continue;
                }
            }
            Step::Prelu { input, output, alpha } => {
                let (input, output) = (*input, *output);
                // The producer need not be the last step (the mesh's two heads interleave): every
                // tensor is written once, so nothing in between can read the PReLU's output.
                let fusable = private(input) && shapes.get(input) == shapes.get(output);
                let producer = fused.iter_mut().rev().find(|step| step.output() == input).filter(|_| fusable);
                if let Some(Step::Conv { output: to, activation: Activation::Linear, slopes: slopes @ None, .. }) = producer {
                    *to = output;
                    *slopes = Some(std::mem::take(alpha));
                    continue;
                }
            }
            Step::Add { a, b, output, activation } => {
                let (a, b, output, activation_after) = (*a, *b, *output, *activation);
                // The convolution is the last step, or the one before a step that makes the other
                // term (the short-range detector pads the residual's channels between them):
                // that step then runs first, so the term exists when the convolution adds it.
                let between = match fused.last() {
                    Some(Step::Conv { .. }) => None,
                    Some(last) if fused.len() >= 2 && (last.output() == a || last.output() == b) => fused.pop(),
                    _ => None,
                };
                let mut folded = false;
                if let Some(Step::Conv { output: to, activation: activation @ Activation::Linear, residual: residual @ None, .. }) =
                    fused.last_mut()
                {
                    let summed = *to;
                    let other = if summed == a { b } else { a };
                    let fusable = (summed == a || summed == b)
                        && other != summed
                        && private(summed)
                        && shapes.get(summed) == shapes.get(output)
                        && shapes.get(other) == shapes.get(output)
                        && between.as_ref().is_none_or(|step| step.output() == other && !step.inputs().contains(&summed));
                    if fusable {
                        *to = output;
                        *activation = activation_after;
                        *residual = Some(other);
                        folded = true;
                    }
                }
                if let Some(between) = between {
                    // Back where it was, or before the convolution that now reads it.
                    let at = if folded { fused.len() - 1 } else { fused.len() };
                    fused.insert(at, between);
                }
                if folded {
                    continue;
                }
            }
            Step::Conv { input, shapes: [from, _], window, .. } | Step::Depthwise { input, shapes: [from, _], window, .. }
                if window.padding == Padding::Valid && private(*input) =>
            {
                if let Some(Step::Pad { input: unpadded, output, shapes: [unpadded_shape, _], pads: [[top, _], [left, _], [0, 0]] }) =
                    fused.last()
                    && *output == *input
                {
                    window.padding = Padding::Explicit { top: *top, left: *left };
                    *input = *unpadded;
                    *from = *unpadded_shape;
                    fused.pop();
                }
            }
            _ => {}
        }
        fused.push(step);
    }
    fused
}

fn hwc(shape: &[usize]) -> Result<Hwc, ModelError> {
    match shape {
        [1, height, width, channels] => Ok(Hwc { height: *height, width: *width, channels: *channels }),
        other => Err(ModelError::new(format!("expected a batch-1 NHWC shape, got {other:?}"))),
    }
}

/// The output size TFLite gives a window over `input` cells.
fn windowed(input: usize, size: usize, stride: usize, padding: Padding) -> Option<usize> {
    match padding {
        Padding::Same => Some(input.div_ceil(stride)),
        Padding::Valid => Some(input.saturating_sub(size) / stride + 1),
        // Only made by `fuse`, after the shapes were checked.
        Padding::Explicit { .. } => None,
    }
}

fn check_window(input: Hwc, output: Hwc, window: &Window) -> Result<(), ModelError> {
    let height = windowed(input.height, window.height, window.stride_h, window.padding);
    let width = windowed(input.width, window.width, window.stride_w, window.padding);
    if (height, width) != (Some(output.height), Some(output.width)) || input.height < 1 || input.width < 1 {
        return Err(ModelError::new(format!("window {window:?} maps {input:?} to {output:?}, expected {height:?}×{width:?}")));
    }
    Ok(())
}

fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), ModelError> {
    if condition { Ok(()) } else { Err(ModelError::new(what())) }
}

impl Interpreter {
    /// Loads a `.tflite` file: its first subgraph, weights converted to `f32`, every shape checked.
    pub fn load(tflite: &[u8]) -> Result<Self, ModelError> {
        Self::new(Graph::parse(tflite)?)
    }

    fn new(graph: Graph) -> Result<Self, ModelError> {
        Self::build(graph, true)
    }

    /// `fuse`: fold fusable steps into their neighbours (off only to test that pass).
    fn build(graph: Graph, fuse: bool) -> Result<Self, ModelError> {
        let shapes: Vec<Vec<usize>> = graph.tensors.iter().map(|t| t.shape.clone()).collect();
        let len = |i: usize| shapes.get(i).map_or(0, |s| s.iter().product::<usize>());
        let constant = |i: usize| {
            graph.tensors.get(i).and_then(|t| t.constant.clone()).ok_or_else(|| ModelError::new(format!("tensor {i} is not a constant")))
        };
        let shape = |i: usize| shapes.get(i).map(Vec::as_slice).unwrap_or(&[]);

        let mut steps = Vec::new();
        for op in graph.ops {
            let step = match &op {
                Op::Conv { input, filter, bias, output, window, activation } => {
                    let (i, o) = (hwc(shape(*input))?, hwc(shape(*output))?);
                    check_window(i, o, window)?;
                    let weights = constant(*filter)?;
                    let expected = [o.channels, window.height, window.width, i.channels];
                    ensure(shape(*filter) == expected, || format!("conv filter {:?}, expected {expected:?}", shape(*filter)))?;
                    let bias = constant(*bias)?;
                    ensure(bias.len() == o.channels, || "conv bias size".into())?;
                    let filter = kernels::pack_filter(&weights, o.channels, window.height * window.width * i.channels);
                    Step::Conv {
                        input: *input,
                        output: *output,
                        shapes: [i, o],
                        filter,
                        bias,
                        window: *window,
                        activation: *activation,
                        residual: None,
                        slopes: None,
                    }
                }
                Op::Depthwise { input, filter, bias, output, window, activation } => {
                    let (i, o) = (hwc(shape(*input))?, hwc(shape(*output))?);
                    check_window(i, o, window)?;
                    let expected = [1, window.height, window.width, i.channels];
                    ensure(shape(*filter) == expected && o.channels == i.channels, || format!("depthwise filter {:?}", shape(*filter)))?;
                    let bias = constant(*bias)?;
                    ensure(bias.len() == o.channels, || "depthwise bias size".into())?;
                    Step::Depthwise {
                        input: *input,
                        output: *output,
                        shapes: [i, o],
                        filter: constant(*filter)?,
                        bias,
                        window: *window,
                        activation: *activation,
                    }
                }
                Op::Prelu { input, alpha, output } => {
                    let channels = shape(*input).last().copied().unwrap_or(0);
                    let alpha = constant(*alpha)?;
                    ensure(alpha.len() == channels && channels > 0 && len(*input) == len(*output), || "prelu sizes".into())?;
                    Step::Prelu { input: *input, output: *output, alpha }
                }
                Op::MaxPool { input, output, window } => {
                    let (i, o) = (hwc(shape(*input))?, hwc(shape(*output))?);
                    check_window(i, o, window)?;
                    ensure(i.channels == o.channels, || "pool channels".into())?;
                    Step::MaxPool { input: *input, output: *output, shapes: [i, o], window: *window }
                }
                Op::Add { a, b, output, activation } => {
                    ensure(len(*a) == len(*output) && len(*b) == len(*output), || "add of different sizes".into())?;
                    Step::Add { a: *a, b: *b, output: *output, activation: *activation }
                }
                Op::Relu { input, output } => {
                    ensure(len(*input) == len(*output), || "relu sizes".into())?;
                    Step::Relu { input: *input, output: *output }
                }
                Op::Reshape { input, output } => {
                    ensure(len(*input) == len(*output), || "reshape changes the element count".into())?;
                    Step::Copy { input: *input, output: *output }
                }
                Op::Pad { input, output, pads } => {
                    let (i, o) = (hwc(shape(*input))?, hwc(shape(*output))?);
                    let grown = |size: usize, [before, after]: [usize; 2]| size + before + after;
                    ensure(
                        pads[0] == [0, 0]
                            && grown(i.height, pads[1]) == o.height
                            && grown(i.width, pads[2]) == o.width
                            && grown(i.channels, pads[3]) == o.channels,
                        || format!("pad {pads:?} does not map {i:?} to {o:?}"),
                    )?;
                    Step::Pad { input: *input, output: *output, shapes: [i, o], pads: [pads[1], pads[2], pads[3]] }
                }
                Op::ResizeBilinear { input, output, half_pixel_centers } => {
                    let (i, o) = (hwc(shape(*input))?, hwc(shape(*output))?);
                    ensure(i.channels == o.channels && i.height > 0 && i.width > 0, || format!("resize {i:?} to {o:?}"))?;
                    Step::Resize { input: *input, output: *output, shapes: [i, o], half_pixel_centers: *half_pixel_centers }
                }
                Op::DepthToSpace { input, output, block } => {
                    let (i, o) = (hwc(shape(*input))?, hwc(shape(*output))?);
                    ensure(o.height == i.height * block && o.width == i.width * block && i.channels == o.channels * block * block, || {
                        format!("depth to space by {block}: {i:?} to {o:?}")
                    })?;
                    Step::DepthToSpace { input: *input, output: *output, shapes: [i, o], block: *block }
                }
                Op::Concat { inputs, output, axis } => {
                    let out = shape(*output);
                    // Every input has the output's shape except along the axis, where they add up.
                    let apart = |s: &[usize]| s.iter().enumerate().filter(|(d, _)| d != axis).map(|(_, n)| *n).collect::<Vec<_>>();
                    let along: usize = inputs.iter().map(|i| shape(*i).get(*axis).copied().unwrap_or(0)).sum();
                    ensure(
                        *axis < out.len() && inputs.iter().all(|i| apart(shape(*i)) == apart(out)) && out.get(*axis) == Some(&along),
                        || format!("concatenation of {inputs:?} on axis {axis}"),
                    )?;
                    let blocks = inputs.iter().map(|i| shape(*i)[*axis..].iter().product()).collect();
                    Step::Concat { inputs: inputs.clone(), blocks, output: *output }
                }
            };
            // A step whose output is also an input would read the buffer it is writing.
            let reads_its_output = match &op {
                Op::Conv { input, .. } | Op::Depthwise { input, .. } | Op::Relu { input, .. } | Op::Prelu { input, .. } => {
                    *input == step.output()
                }
                Op::Pad { input, .. }
                | Op::MaxPool { input, .. }
                | Op::Reshape { input, .. }
                | Op::ResizeBilinear { input, .. }
                | Op::DepthToSpace { input, .. } => *input == step.output(),
                Op::Add { a, b, .. } => *a == step.output() || *b == step.output(),
                Op::Concat { inputs, .. } => inputs.contains(&step.output()),
            };
            ensure(!reads_its_output, || format!("operator writes its own input, tensor {}", step.output()))?;
            steps.push(step);
        }
        hwc(shape(graph.input))?;
        let steps = if fuse { self::fuse(steps, &shapes, &graph.outputs) } else { steps };
        // Constants are values like any other, so a step may read one as an input.
        let values = graph.tensors.iter().enumerate().map(|(i, t)| t.constant.clone().unwrap_or_else(|| vec![0.0; len(i)])).collect();
        Ok(Self { shapes, values, steps, input: graph.input, outputs: graph.outputs })
    }

    /// The input's height, width and channels (the models here take one NHWC image).
    pub fn input_shape(&self) -> (usize, usize, usize) {
        match self.shapes.get(self.input).map(Vec::as_slice) {
            Some([_, h, w, c]) => (*h, *w, *c),
            _ => (0, 0, 0),
        }
    }

    /// The input tensor, to be filled before [`run`](Self::run).
    pub fn input_mut(&mut self) -> &mut [f32] {
        &mut self.values[self.input]
    }

    /// Output `n` after the last run, flattened (empty if there is no output `n`).
    pub fn output(&self, n: usize) -> &[f32] {
        self.outputs.get(n).and_then(|i| self.values.get(*i)).map_or(&[], Vec::as_slice)
    }

    /// Runs every step on the current input.
    pub fn run(&mut self) {
        for step in &self.steps {
            let output = step.output();
            // The output's buffer is taken out while the step reads its inputs (never the same tensor).
            let mut out = std::mem::take(&mut self.values[output]);
            let values = &self.values;
            match step {
                Step::Conv { input, shapes: [i, o], filter, bias, window, activation, residual, slopes, .. } => {
                    let finish =
                        Finish { activation: *activation, residual: residual.map(|r| values[r].as_slice()), slopes: slopes.as_deref() };
                    kernels::conv(&values[*input], *i, filter, bias, &mut out, *o, window, finish);
                }
                Step::Depthwise { input, shapes: [i, o], filter, bias, window, activation, .. } => {
                    let step =
                        Depthwise { input: &values[*input], shape: *i, filter, bias, out_shape: *o, window, activation: *activation };
                    kernels::depthwise(&step, &mut out);
                }
                Step::MaxPool { input, shapes: [i, o], window, .. } => kernels::max_pool(&values[*input], *i, &mut out, *o, window),
                Step::Add { a, b, activation, .. } => kernels::add(&values[*a], &values[*b], &mut out, *activation),
                Step::Relu { input, .. } => kernels::relu(&values[*input], &mut out),
                Step::Prelu { input, alpha, .. } => kernels::prelu(&values[*input], alpha, &mut out),
                Step::Pad { input, shapes: [i, o], pads, .. } => kernels::pad(&values[*input], *i, &mut out, *o, *pads),
                Step::Copy { input, .. } => out.copy_from_slice(&values[*input]),
                Step::Resize { input, shapes: [i, o], half_pixel_centers, .. } => {
                    kernels::resize_bilinear(&values[*input], *i, &mut out, *o, *half_pixel_centers);
                }
                Step::DepthToSpace { input, shapes: [i, o], block, .. } => {
                    kernels::depth_to_space(&values[*input], *i, &mut out, *o, *block)
                }
                Step::Concat { inputs, blocks, .. } => {
                    let parts: Vec<&[f32]> = inputs.iter().map(|i| values[*i].as_slice()).collect();
                    kernels::concat(&parts, blocks, &mut out);
                }
            }
            self.values[output] = out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Interpreter, Step};

    /// MediaPipe's BlazeFace models, vendored for the selfie engine.
    const MODEL: &[u8] = include_bytes!("../../core/models/face_detection_short_range.tflite");
    const FULL_RANGE: &[u8] = include_bytes!("../../core/models/face_detection_full_range_sparse.tflite");
    /// MediaPipe's face mesh, whose activations are `PRELU`s.
    const FACE_MESH: &[u8] = include_bytes!("../../core/models/face_landmark.tflite");

    #[test]
    fn the_face_model_loads_with_its_shapes() {
        let model = Interpreter::load(MODEL).expect("loads");
        assert_eq!(model.input_shape(), (128, 128, 3));
        assert_eq!(model.output(0).len(), 896 * 16);
        assert_eq!(model.output(1).len(), 896);
        assert!(model.output(2).is_empty());
    }

    /// Both interpreters, given the same input, give the same outputs to the bit.
    fn assert_same_outputs(fused: &mut Interpreter, plain: &mut Interpreter) {
        for (i, value) in fused.input_mut().iter_mut().enumerate() {
            *value = ((i * 31) % 200) as f32 / 100.0 - 1.0;
        }
        let input = fused.input_mut().to_vec();
        plain.input_mut().copy_from_slice(&input);
        fused.run();
        plain.run();
        assert_eq!(fused.output(0), plain.output(0));
        assert_eq!(fused.output(1), plain.output(1));
    }

    #[test]
    fn fusing_the_relus_changes_no_output() {
        let parse = || crate::graph::Graph::parse(MODEL).expect("parses");
        let mut fused = Interpreter::build(parse(), true).expect("loads");
        let mut plain = Interpreter::build(parse(), false).expect("loads");
        let relus = parse().ops.iter().filter(|op| matches!(op, crate::graph::Op::Relu { .. })).count();
        assert_eq!(relus, 17);
        let adds = plain.steps.iter().filter(|s| matches!(s, Step::Add { .. })).count();
        assert_eq!(adds, 16);
        // Every relu and every residual sum is folded (the PADs here are along the channels,
        // which are not).
        assert_eq!(fused.steps.len() + relus + adds, plain.steps.len(), "every relu and add is fused");
        assert_same_outputs(&mut fused, &mut plain);
    }

    #[test]
    fn folding_the_pads_into_the_windows_changes_no_output() {
        let parse = || crate::graph::Graph::parse(FULL_RANGE).expect("parses");
        let mut fused = Interpreter::build(parse(), true).expect("loads");
        let mut plain = Interpreter::build(parse(), false).expect("loads");
        let pads = plain.steps.iter().filter(|s| matches!(s, Step::Pad { .. })).count();
        let left = fused.steps.iter().filter(|s| matches!(s, Step::Pad { .. })).count();
        assert_eq!((pads, left), (43, 0), "every pad of the full-range model is folded");
        let sums = |i: &Interpreter| i.steps.iter().filter(|s| matches!(s, Step::Add { .. })).count();
        // Three of its sums do not come right after the convolution that makes one of their terms.
        assert_eq!((sums(&plain), sums(&fused)), (19, 3), "16 of the full-range model's 19 sums are folded");
        assert_same_outputs(&mut fused, &mut plain);
    }

    #[test]
    fn folding_the_prelus_into_the_convolutions_changes_no_output() {
        let parse = || crate::graph::Graph::parse(FACE_MESH).expect("parses");
        let mut fused = Interpreter::build(parse(), true).expect("loads");
        let mut plain = Interpreter::build(parse(), false).expect("loads");
        let prelus = |i: &Interpreter| i.steps.iter().filter(|s| matches!(s, Step::Prelu { .. })).count();
        let folded = fused.steps.iter().filter(|s| matches!(s, Step::Conv { slopes: Some(_), .. })).count();
        assert_eq!((prelus(&plain), prelus(&fused), folded), (23, 4, 19), "19 of the mesh's 23 PReLUs are folded");
        // The 4 left each follow a sum that is not folded (the two heads' last residual blocks).
        for (at, step) in fused.steps.iter().enumerate() {
            if let Step::Prelu { input, .. } = step {
                let producer = fused.steps[..at].iter().rev().find(|s| s.output() == *input);
                assert!(matches!(producer, Some(Step::Add { .. })), "a PReLU not after a sum is left (tensor {input})");
            }
        }
        assert!(!plain.output(0).is_empty() && !plain.output(1).is_empty(), "the mesh has landmarks and a face score");
        assert_same_outputs(&mut fused, &mut plain);
    }

    #[test]
    fn a_truncated_model_is_an_error_at_every_length() {
        for len in (0..MODEL.len()).step_by(211) {
            assert!(Interpreter::load(&MODEL[..len]).is_err(), "{len} bytes loaded");
        }
    }

    #[test]
    fn a_corrupted_model_is_refused_or_runs_but_never_panics() {
        // Bytes spread over the whole file (tables, vtables, shapes, weights) set to values that
        // break offsets, counts and enums; a model that still loads must run.
        let (mut refused, mut ran) = (0, 0);
        for (n, at) in (0..MODEL.len()).step_by(MODEL.len() / 150).enumerate() {
            let mut bytes = MODEL.to_vec();
            bytes[at] = [0xff, 0x00, 0x80, 0x7f][n % 4];
            match Interpreter::load(&bytes) {
                Ok(mut model) => {
                    model.run();
                    ran += 1;
                }
                Err(_) => refused += 1,
            }
        }
        // Most of the file is weights, so most corruptions still load; some must not.
        assert!(refused > 0 && ran > 0, "refused {refused}, ran {ran}");
    }
}
