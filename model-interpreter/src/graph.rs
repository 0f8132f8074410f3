//! A `.tflite` model read into a graph of the operators our face models use, with every weight
//! as `f32`.
//!
//! MediaPipe stores the weights as float16 behind `DEQUANTIZE` operators (this is what
//! `tract-tflite` 0.23.9 does not translate). They are constants, so they are converted once
//! here, at load, and the graph that runs holds no `DEQUANTIZE` at all. Any operator or option
//! outside the supported set is refused at load with its name, never guessed at run time.

use crate::ModelError;
use crate::flatbuffer::Table;

// BuiltinOperator codes (tensorflow/lite/schema/schema.fbs).
const ADD: i32 = 0;
const CONCATENATION: i32 = 2;
const CONV_2D: i32 = 3;
const DEPTHWISE_CONV_2D: i32 = 4;
const DEPTH_TO_SPACE: i32 = 5;
const DEQUANTIZE: i32 = 6;
const MAX_POOL_2D: i32 = 17;
const RELU: i32 = 19;
const RESHAPE: i32 = 22;
const RESIZE_BILINEAR: i32 = 23;
const PAD: i32 = 34;
const PRELU: i32 = 54;
const DENSIFY: i32 = 124;

/// The most values one tensor may hold: 64 MiB of `f32`, far above the largest tensor of the
/// face models (192×192×32), so that a corrupted shape is an error, not an allocation that aborts.
const MAX_TENSOR_ELEMENTS: usize = 1 << 24;

// TensorType codes.
const FLOAT32: u8 = 0;
const FLOAT16: u8 = 1;
const INT32: u8 = 2;

/// How a window is placed over the input (TFLite's two schemes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Padding {
    /// Output `ceil(in / stride)`; the missing border split with the smaller half before.
    Same,
    /// No border: output `ceil((in - window + 1) / stride)`.
    Valid,
    /// A zero border of `top` rows and `left` columns before the input, and whatever the output
    /// size implies after it: an explicit `PAD` folded into the window that reads it (never read
    /// from a file).
    Explicit { top: usize, left: usize },
}

/// An activation fused into the operator before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Activation {
    /// None.
    Linear,
    /// `max(0, x)`.
    Relu,
    /// `min(max(0, x), 6)`.
    Relu6,
}

/// A window operator's geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    pub(super) height: usize,
    pub(super) width: usize,
    pub(super) stride_h: usize,
    pub(super) stride_w: usize,
    pub(super) padding: Padding,
}

/// One operator, by tensor index.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Op {
    /// NHWC convolution with an `[out, kh, kw, in]` filter and a bias.
    Conv { input: usize, filter: usize, bias: usize, output: usize, window: Window, activation: Activation },
    /// Per-channel convolution with a `[1, kh, kw, channels]` filter (multiplier 1) and a bias.
    Depthwise { input: usize, filter: usize, bias: usize, output: usize, window: Window, activation: Activation },
    /// Element-wise sum of two tensors of one shape.
    Add { a: usize, b: usize, output: usize, activation: Activation },
    /// `max(0, x)`.
    Relu { input: usize, output: usize },
    /// `x` where positive, else `alpha[c] · x`.
    Prelu { input: usize, alpha: usize, output: usize },
    /// Zeros added around each of the 4 dimensions (`[before, after]` per dimension).
    Pad { input: usize, output: usize, pads: [[usize; 2]; 4] },
    /// Maximum over a window.
    MaxPool { input: usize, output: usize, window: Window },
    /// Same values, new shape.
    Reshape { input: usize, output: usize },
    /// Bilinear upscaling to the output's height and width (TFLite's half-pixel centres or not).
    ResizeBilinear { input: usize, output: usize, half_pixel_centers: bool },
    /// Each pixel's channels spread over a `block × block` square of pixels.
    DepthToSpace { input: usize, output: usize, block: usize },
    /// Joined along one axis.
    Concat { inputs: Vec<usize>, output: usize, axis: usize },
}

/// One tensor: its shape, and its values when it is a constant.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tensor {
    pub(super) shape: Vec<usize>,
    pub(super) constant: Option<Vec<f32>>,
}

impl Tensor {
    pub(super) fn len(&self) -> usize {
        self.shape.iter().product()
    }
}

/// A model ready to run: tensors, operators in order, the input and the outputs.
#[derive(Debug, Clone)]
pub(super) struct Graph {
    pub(super) tensors: Vec<Tensor>,
    pub(super) ops: Vec<Op>,
    pub(super) input: usize,
    pub(super) outputs: Vec<usize>,
}

fn f16_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits >> 15) << 31;
    let exponent = u32::from((bits >> 10) & 0x1f);
    let mantissa = u32::from(bits & 0x3ff);
    let value = match (exponent, mantissa) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let shift = mantissa.leading_zeros() - 21;
            sign | ((113 - shift) << 23) | (((mantissa << shift) & 0x3ff) << 13)
        }
        (0x1f, _) => sign | 0x7f80_0000 | (mantissa << 13),
        _ => sign | ((exponent + 112) << 23) | (mantissa << 13),
    };
    f32::from_bits(value)
}

/// A constant stored sparse: every dimension dense but the last, which is compressed (CSR).
/// This is the one form MediaPipe's full-range detector uses; any other is refused.
struct Sparse {
    /// `segments[r]..segments[r + 1]` are row `r`'s stored values.
    segments: Vec<usize>,
    /// The column of each stored value.
    indices: Vec<usize>,
    columns: usize,
}

/// The values of a `SparseIndexVector` union (`Int32Vector`, `Uint16Vector`, `Uint8Vector`).
fn sparse_index_vector(kind: u8, table: Option<Table<'_>>) -> Result<Vec<usize>, ModelError> {
    let table = table.ok_or_else(|| ModelError::new("sparse index vector missing".into()))?;
    match kind {
        1 => table.i32s(0)?.into_iter().map(|v| index(v, "sparse index")).collect(),
        2 => Ok(table.u16s(0)?.into_iter().map(usize::from).collect()),
        3 => Ok(table.bytes(0)?.iter().map(|v| usize::from(*v)).collect()),
        other => Err(ModelError::new(format!("sparse index vector type {other} not supported"))),
    }
}

fn sparse(parameters: Table<'_>, shape: &[usize]) -> Result<Sparse, ModelError> {
    let refuse = |what: &str| ModelError::new(format!("sparse tensor {shape:?}: {what} not supported"));
    // SparsityParameters: traversal_order 0, block_map 1, dim_metadata 2.
    let identity: Vec<i32> = (0..shape.len() as i32).collect();
    if parameters.i32s(0)? != identity || !parameters.i32s(1)?.is_empty() {
        return Err(refuse("a traversal order or block map"));
    }
    let dims = parameters.tables(2)?;
    let (last, leading) = dims.split_last().ok_or_else(|| refuse("no dimension metadata"))?;
    if dims.len() != shape.len() {
        return Err(refuse("metadata for another rank"));
    }
    // DimensionMetadata: format 0 (0 dense, 1 CSR), dense_size 1, segments type 2 and value 3,
    // indices type 4 and value 5.
    for (dim, size) in leading.iter().zip(shape) {
        if dim.u8(0, 0)? != 0 || index(dim.i32(1, 0)?, "dense size")? != *size {
            return Err(refuse("a compressed dimension before the last"));
        }
    }
    if last.u8(0, 0)? != 1 {
        return Err(refuse("a dense last dimension"));
    }
    let segments = sparse_index_vector(last.u8(2, 0)?, last.table(3)?)?;
    let indices = sparse_index_vector(last.u8(4, 0)?, last.table(5)?)?;
    let rows: usize = shape.iter().rev().skip(1).product();
    let columns = shape.last().copied().unwrap_or(0);
    let ordered = segments.windows(2).all(|w| w[0] <= w[1]) && segments.first() == Some(&0);
    if segments.len() != rows + 1 || !ordered || segments.last() != Some(&indices.len()) || indices.iter().any(|c| *c >= columns) {
        return Err(refuse("inconsistent segments or indices"));
    }
    Ok(Sparse { segments, indices, columns })
}

impl Sparse {
    /// The dense values, row-major, from the stored values in order.
    fn densify(&self, stored: &[f32]) -> Result<Vec<f32>, ModelError> {
        if stored.len() != self.indices.len() {
            return Err(ModelError::new(format!("{} stored values for {} indices", stored.len(), self.indices.len())));
        }
        let rows = self.segments.len() - 1;
        let mut dense = vec![0.0; rows * self.columns];
        for (row, bounds) in self.segments.windows(2).enumerate() {
            for at in bounds[0]..bounds[1] {
                dense[row * self.columns + self.indices[at]] = stored[at];
            }
        }
        Ok(dense)
    }
}

fn index(value: i32, what: &str) -> Result<usize, ModelError> {
    usize::try_from(value).map_err(|_| ModelError::new(format!("{what}: negative index {value}")))
}

fn positive(value: i32, what: &str) -> Result<usize, ModelError> {
    usize::try_from(value).ok().filter(|v| *v > 0).ok_or_else(|| ModelError::new(format!("{what}: {value} is not positive")))
}

fn activation(code: u8) -> Result<Activation, ModelError> {
    match code {
        0 => Ok(Activation::Linear),
        1 => Ok(Activation::Relu),
        3 => Ok(Activation::Relu6),
        other => Err(ModelError::new(format!("fused activation {other} not supported"))),
    }
}

fn padding(code: u8) -> Result<Padding, ModelError> {
    match code {
        0 => Ok(Padding::Same),
        1 => Ok(Padding::Valid),
        other => Err(ModelError::new(format!("padding {other} not supported"))),
    }
}

/// The `[kh, kw]` of a filter shaped `[_, kh, kw, _]`.
fn filter_size(tensors: &[Tensor], filter: usize) -> Result<(usize, usize), ModelError> {
    match tensors.get(filter).map(|t| t.shape.as_slice()) {
        Some([_, kh, kw, _]) => Ok((*kh, *kw)),
        _ => Err(ModelError::new(format!("filter tensor {filter} is not 4-dimensional"))),
    }
}

impl Graph {
    /// Reads a `.tflite` file (its first subgraph).
    pub(super) fn parse(file: &[u8]) -> Result<Self, ModelError> {
        let model = Table::root(file)?;
        let codes = model
            .tables(1)?
            .iter()
            .map(|code| Ok(code.i32(3, 0)?.max(i32::from(code.u8(0, 0)?))))
            .collect::<Result<Vec<_>, ModelError>>()?;
        let buffers = model.tables(4)?;
        let subgraph = model.tables(2)?.into_iter().next().ok_or_else(|| ModelError::new("no subgraph".into()))?;

        // Tensors with their raw constant bytes; float16 and int32 constants are kept raw until an
        // operator says what they are.
        let mut tensors = Vec::new();
        let mut raw: Vec<(u8, &[u8])> = Vec::new();
        let mut sparsity: Vec<Option<Sparse>> = Vec::new();
        for tensor in subgraph.tables(0)? {
            let shape = tensor.i32s(0)?.into_iter().map(|d| index(d, "tensor shape")).collect::<Result<Vec<_>, _>>()?;
            let elements = shape.iter().try_fold(1usize, |n, d| n.checked_mul(*d)).filter(|n| *n <= MAX_TENSOR_ELEMENTS);
            if elements.is_none() {
                return Err(ModelError::new(format!("tensor shape {shape:?} larger than {MAX_TENSOR_ELEMENTS} values")));
            }
            let kind = tensor.u8(1, FLOAT32)?;
            let buffer = index(tensor.i32(2, 0)?, "tensor buffer")?;
            let data = match buffers.get(buffer) {
                Some(b) => b.bytes(0)?,
                None => return Err(ModelError::new(format!("tensor buffer {buffer} missing"))),
            };
            let constant = match (kind, data.is_empty()) {
                (_, true) => None,
                (FLOAT32, false) => Some(data.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()),
                (FLOAT16 | INT32, false) => None,
                (other, false) => return Err(ModelError::new(format!("tensor type {other} not supported"))),
            };
            // Tensor slot 6: sparsity parameters.
            sparsity.push(tensor.table(6)?.map(|p| sparse(p, &shape)).transpose()?);
            raw.push((kind, data));
            tensors.push(Tensor { shape, constant });
        }
        let int32s = |tensor: usize| -> Result<Vec<i32>, ModelError> {
            match raw.get(tensor) {
                Some((INT32, data)) if !data.is_empty() => {
                    Ok(data.chunks_exact(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
                }
                _ => Err(ModelError::new(format!("tensor {tensor} is not an int32 constant"))),
            }
        };

        let mut ops = Vec::new();
        for op in subgraph.tables(3)? {
            let code = *codes.get(index(op.i32(0, 0)?, "opcode")?).ok_or_else(|| ModelError::new("opcode out of range".into()))?;
            let inputs = op.i32s(1)?;
            let outputs = op.i32s(2)?;
            let input = |i: usize| {
                inputs.get(i).ok_or_else(|| ModelError::new(format!("operator {code} lacks input {i}"))).and_then(|v| index(*v, "input"))
            };
            let output = outputs
                .first()
                .ok_or_else(|| ModelError::new(format!("operator {code} has no output")))
                .and_then(|v| index(*v, "output"))?;
            let options = op.table(4)?;
            let option_u8 = |slot: usize, default: u8| options.map_or(Ok(default), |o| o.u8(slot, default));
            let option_i32 = |slot: usize, default: i32| options.map_or(Ok(default), |o| o.i32(slot, default));
            match code {
                DENSIFY => {
                    // A sparse float16 constant becomes the dense f32 constant of its output (the
                    // DEQUANTIZE after it then only passes it on).
                    let from = input(0)?;
                    let dense = match (raw.get(from), sparsity.get(from)) {
                        (Some((FLOAT16, data)), Some(Some(sparse))) => sparse
                            .densify(&data.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect::<Vec<_>>())?,
                        _ => return Err(ModelError::new(format!("DENSIFY of tensor {from}, which is not a sparse float16 constant"))),
                    };
                    let target = tensors.get_mut(output).ok_or_else(|| ModelError::new("DENSIFY output out of range".into()))?;
                    target.constant = Some(dense);
                }
                DEQUANTIZE => {
                    // A float16 constant becomes the f32 constant of its output.
                    let from = input(0)?;
                    let values = match (raw.get(from), tensors.get(from).and_then(|t| t.constant.clone())) {
                        (Some((FLOAT16, data)), _) if !data.is_empty() && sparsity.get(from).is_some_and(Option::is_none) => {
                            data.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect()
                        }
                        // Densified already, in f32.
                        (Some((FLOAT16, _)), Some(dense)) => dense,
                        _ => return Err(ModelError::new(format!("DEQUANTIZE of tensor {from}, which is not a float16 constant"))),
                    };
                    let target = tensors.get_mut(output).ok_or_else(|| ModelError::new("DEQUANTIZE output out of range".into()))?;
                    target.constant = Some(values);
                }
                CONV_2D | DEPTHWISE_CONV_2D => {
                    let filter = input(1)?;
                    let (height, width) = filter_size(&tensors, filter)?;
                    // Conv2DOptions: padding 0, stride_w 1, stride_h 2, activation 3, dilations 4, 5.
                    // DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, multiplier 3, activation 4, dilations 5, 6.
                    let (activation_slot, dilation_slots) = if code == CONV_2D { (3, [4, 5]) } else { (4, [5, 6]) };
                    if dilation_slots.iter().map(|s| option_i32(*s, 1)).any(|d| !matches!(d, Ok(1))) {
                        return Err(ModelError::new("dilated convolution not supported".into()));
                    }
                    let window = Window {
                        height,
                        width,
                        stride_w: positive(option_i32(1, 1)?, "stride")?,
                        stride_h: positive(option_i32(2, 1)?, "stride")?,
                        padding: padding(option_u8(0, 0)?)?,
                    };
                    let activation = activation(option_u8(activation_slot, 0)?)?;
                    let (input, bias) = (input(0)?, input(2)?);
                    ops.push(if code == CONV_2D {
                        Op::Conv { input, filter, bias, output, window, activation }
                    } else {
                        if option_i32(3, 1)? != 1 {
                            return Err(ModelError::new("depthwise multiplier other than 1 not supported".into()));
                        }
                        Op::Depthwise { input, filter, bias, output, window, activation }
                    });
                }
                ADD => ops.push(Op::Add { a: input(0)?, b: input(1)?, output, activation: activation(option_u8(0, 0)?)? }),
                RELU => ops.push(Op::Relu { input: input(0)?, output }),
                PRELU => ops.push(Op::Prelu { input: input(0)?, alpha: input(1)?, output }),
                PAD => {
                    let pads = int32s(input(1)?)?;
                    let pads: Vec<usize> = pads.into_iter().map(|p| index(p, "padding")).collect::<Result<_, _>>()?;
                    let [a, b, c, d, e, f, g, h] = pads.as_slice() else {
                        return Err(ModelError::new("PAD needs a 4×2 padding".into()));
                    };
                    ops.push(Op::Pad { input: input(0)?, output, pads: [[*a, *b], [*c, *d], [*e, *f], [*g, *h]] });
                }
                MAX_POOL_2D => {
                    // Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, activation 5.
                    if option_u8(5, 0)? != 0 {
                        return Err(ModelError::new("fused activation on a pool not supported".into()));
                    }
                    let window = Window {
                        padding: padding(option_u8(0, 0)?)?,
                        stride_w: positive(option_i32(1, 1)?, "stride")?,
                        stride_h: positive(option_i32(2, 1)?, "stride")?,
                        width: positive(option_i32(3, 1)?, "pool width")?,
                        height: positive(option_i32(4, 1)?, "pool height")?,
                    };
                    ops.push(Op::MaxPool { input: input(0)?, output, window });
                }
                RESHAPE => ops.push(Op::Reshape { input: input(0)?, output }),
                RESIZE_BILINEAR => {
                    // ResizeBilinearOptions: new_height 0, new_width 1 (both unused), align_corners 2, half_pixel_centers 3.
                    if option_u8(2, 0)? != 0 {
                        return Err(ModelError::new("resize with aligned corners not supported".into()));
                    }
                    ops.push(Op::ResizeBilinear { input: input(0)?, output, half_pixel_centers: option_u8(3, 0)? != 0 });
                }
                DEPTH_TO_SPACE => {
                    ops.push(Op::DepthToSpace { input: input(0)?, output, block: positive(option_i32(0, 0)?, "block size")? })
                }
                CONCATENATION => {
                    // ConcatenationOptions: axis 0 (negative counts from the end), activation 1.
                    if option_u8(1, 0)? != 0 {
                        return Err(ModelError::new("fused activation on a concatenation not supported".into()));
                    }
                    let rank = tensors.get(output).map_or(0, |t| t.shape.len()) as i32;
                    let axis = option_i32(0, 0)?;
                    let axis = index(if axis < 0 { axis + rank } else { axis }, "concatenation axis")?;
                    let inputs = inputs.iter().map(|i| index(*i, "input")).collect::<Result<Vec<_>, _>>()?;
                    ops.push(Op::Concat { inputs, output, axis });
                }
                other => return Err(ModelError::new(format!("operator {other} not supported"))),
            }
        }

        let input = subgraph.i32s(1)?.first().copied().ok_or_else(|| ModelError::new("no input".into())).and_then(|i| index(i, "input"))?;
        let outputs = subgraph.i32s(2)?.into_iter().map(|o| index(o, "output")).collect::<Result<Vec<_>, _>>()?;
        let graph = Self { tensors, ops, input, outputs };
        graph.check()?;
        Ok(graph)
    }

    /// Every index in range, every weight present and of the size its shape says.
    fn check(&self) -> Result<(), ModelError> {
        let tensor = |i: usize| self.tensors.get(i).ok_or_else(|| ModelError::new(format!("tensor {i} out of range")));
        let constant = |i: usize| -> Result<(), ModelError> {
            let t = tensor(i)?;
            match &t.constant {
                Some(values) if values.len() == t.len() => Ok(()),
                _ => Err(ModelError::new(format!("tensor {i} should be a constant of {} values", t.len()))),
            }
        };
        tensor(self.input)?;
        for output in &self.outputs {
            tensor(*output)?;
        }
        for op in &self.ops {
            match op {
                Op::Conv { input, filter, bias, output, .. } | Op::Depthwise { input, filter, bias, output, .. } => {
                    tensor(*input)?;
                    tensor(*output)?;
                    constant(*filter)?;
                    constant(*bias)?;
                }
                Op::Prelu { input, alpha, output } => {
                    tensor(*input)?;
                    tensor(*output)?;
                    constant(*alpha)?;
                }
                Op::Add { a, b, output, .. } => {
                    for i in [a, b, output] {
                        tensor(*i)?;
                    }
                }
                Op::Relu { input, output }
                | Op::Pad { input, output, .. }
                | Op::MaxPool { input, output, .. }
                | Op::Reshape { input, output }
                | Op::ResizeBilinear { input, output, .. }
                | Op::DepthToSpace { input, output, .. } => {
                    tensor(*input)?;
                    tensor(*output)?;
                }
                Op::Concat { inputs, output, .. } => {
                    for i in inputs {
                        tensor(*i)?;
                    }
                    tensor(*output)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::f16_to_f32;

    #[test]
    fn float16_values_convert_exactly() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert_eq!(f16_to_f32(0x8000).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24)); // smallest subnormal
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24)); // largest subnormal
        assert!(f16_to_f32(0x7c00).is_infinite());
    }
}
