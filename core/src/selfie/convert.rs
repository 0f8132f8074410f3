//! Packed RGB → the camera layouts, for the desktop shell (whose cameras give RGB) and for tests
//! and the benchmark, which replay real photographs as if a phone camera had produced them.

/// BT.601 full-range RGB → (Y, U, V).
fn rgb_to_yuv(rgb: &[u8]) -> (u8, u8, u8) {
    let (r, g, b) = (i32::from(rgb[0]), i32::from(rgb[1]), i32::from(rgb[2]));
    let y = (77 * r + 150 * g + 29 * b) >> 8;
    let u = ((-43 * r - 85 * g + 128 * b) >> 8) + 128;
    let v = ((128 * r - 107 * g - 21 * b) >> 8) + 128;
    (y.clamp(0, 255) as u8, u.clamp(0, 255) as u8, v.clamp(0, 255) as u8)
}

/// An NV21 buffer from packed RGB of `width × height`; its row stride is the width rounded up
/// to even (so each chroma row holds whole V/U pairs).
/// Returns `None` when `rgb` is not exactly `width · height · 3` bytes.
pub fn rgb_to_nv21(width: u32, height: u32, rgb: &[u8]) -> Option<Vec<u8>> {
    let (w, h) = (width as usize, height as usize);
    if rgb.len() != w * h * 3 {
        return None;
    }
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let stride = 2 * cw;
    let mut out = vec![0u8; stride * (h + ch)];
    for y in 0..h {
        for x in 0..w {
            let (luma, u, v) = rgb_to_yuv(&rgb[(y * w + x) * 3..][..3]);
            out[y * stride + x] = luma;
            if y % 2 == 0 && x % 2 == 0 {
                let at = stride * h + (y / 2) * stride + (x / 2) * 2;
                out[at] = v;
                out[at + 1] = u;
            }
        }
    }
    Some(out)
}

/// The planes of a `YUV_420_888` image: `(y, u, v, y_row_stride, chroma_row_stride)`.
pub type Yuv420Planes = (Vec<u8>, Vec<u8>, Vec<u8>, u32, u32);

/// The three planes of `YUV_420_888` with chroma pixel stride 2 (U and V interleaved, as most
/// Android devices deliver): `(y, u, v, y_row_stride, chroma_row_stride)`, strides the width
/// rounded up to even.
pub fn rgb_to_yuv420_planes(width: u32, height: u32, rgb: &[u8]) -> Option<Yuv420Planes> {
    let nv21 = rgb_to_nv21(width, height, rgb)?;
    let (w, h) = (width as usize, height as usize);
    let stride = 2 * w.div_ceil(2);
    let y = nv21[..stride * h].to_vec();
    let vu = &nv21[stride * h..];
    // U plane starts one byte into the interleaved V/U rows; both share the row stride.
    let u = vu.get(1..).unwrap_or_default().to_vec();
    let v = vu.to_vec();
    Some((y, u, v, stride as u32, stride as u32))
}

/// A BGRA buffer with `row_stride ≥ 4·width` bytes per row (padding zeroed), as iOS delivers.
pub fn rgb_to_bgra(width: u32, height: u32, rgb: &[u8], row_stride: u32) -> Option<Vec<u8>> {
    let (w, h, stride) = (width as usize, height as usize, row_stride as usize);
    if rgb.len() != w * h * 3 || stride < w * 4 {
        return None;
    }
    let mut out = vec![0u8; stride * h];
    for y in 0..h {
        for x in 0..w {
            let src = &rgb[(y * w + x) * 3..][..3];
            let dst = &mut out[y * stride + x * 4..][..4];
            dst.copy_from_slice(&[src[2], src[1], src[0], 255]);
        }
    }
    Some(out)
}
