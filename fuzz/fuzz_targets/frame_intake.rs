//! Frame intake as the shells call it (`Frame::new` with the planes they hand over: NV21,
//! YUV_420_888 with any row and pixel strides, BGRA, RGB; any width, height and length), then
//! the readers behind it. A bad frame is a typed error; a frame accepted is read without
//! panicking, turned upright in any of the four rotations it has exactly height×width (or
//! width×height) pixels, and its evidence JPEG decodes back to the size it claims.
#![no_main]

use identity_pass_core::selfie::capture::evidence_frame;
use identity_pass_core::selfie::rotation::UprightCopy;
use identity_pass_core::selfie::still::decode_jpeg;
use identity_pass_core::selfie::{Frame, PixelFormat, Plane, Rotation};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Sides up to a few hundred pixels most of the time (so accepted frames are common), any u32 sometimes.
fn side(u: &mut Unstructured<'_>) -> Result<u32> {
    Ok(if u.ratio(1, 8)? { u.arbitrary()? } else { u.int_in_range(0..=300)? })
}

fn stride(u: &mut Unstructured<'_>, at_least: u32) -> Result<u32> {
    Ok(if u.ratio(1, 8)? { u.arbitrary()? } else { at_least.saturating_add(u.int_in_range(0..=8)?) })
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let format = *u.choose(&[PixelFormat::Nv21, PixelFormat::Yuv420, PixelFormat::Bgra, PixelFormat::Rgb])?;
    let (width, height) = (side(u)?, side(u)?);
    let plane_count = if u.ratio(1, 16)? {
        u.int_in_range(0..=4)?
    } else if format == PixelFormat::Yuv420 {
        3
    } else {
        1
    };
    let mut shapes = Vec::new();
    for index in 0..plane_count {
        let (bytes, cols) = match format {
            PixelFormat::Bgra => (4, width),
            PixelFormat::Rgb => (3, width),
            _ if index == 0 => (1, width),
            _ => (1, width.div_ceil(2)),
        };
        let pixel_stride = if u.ratio(1, 8)? { u.arbitrary()? } else { u.int_in_range(bytes..=bytes + 1)? };
        let row_stride = stride(u, cols.saturating_mul(pixel_stride.max(1)))?;
        let length: u16 = u.arbitrary()?;
        shapes.push((row_stride, pixel_stride, usize::from(length)));
    }
    let mut data = Vec::new();
    for &(_, _, length) in &shapes {
        let mut bytes = u.bytes(length.min(u.len()))?.to_vec();
        // Short of the fuzzer's bytes, a plane is padded with a pattern so large frames still occur.
        if u.ratio(1, 2)? {
            bytes.resize(length, 0x5a);
        }
        data.push(bytes);
    }
    let planes: Vec<Plane<'_>> =
        shapes.iter().zip(&data).map(|(&(row_stride, pixel_stride, _), bytes)| Plane { data: bytes, row_stride, pixel_stride }).collect();
    let Ok(frame) = Frame::new(width, height, format, &planes) else { return Ok(()) };
    assert_eq!((frame.width(), frame.height(), frame.format()), (width, height, format));

    let rotation = *u.choose(&[Rotation::Upright, Rotation::Clockwise90, Rotation::HalfTurn, Rotation::Clockwise270])?;
    let upright = UprightCopy::of(&frame, rotation);
    let turned = upright.frame().expect("an upright copy is a valid frame");
    let expected = if matches!(rotation, Rotation::Clockwise90 | Rotation::Clockwise270) { (height, width) } else { (width, height) };
    assert_eq!((turned.width(), turned.height()), expected, "{width}x{height} {format:?} turned {rotation:?}");

    if let Ok(evidence) = evidence_frame(&frame, 1) {
        let (w, h) = (evidence.width(), evidence.height());
        assert!(w >= 1 && h >= 1 && w <= width && h <= height, "evidence {w}x{h} of a {width}x{height} frame");
        let decoded = decode_jpeg(evidence.expose_jpeg(), 1..=u32::from(u16::MAX)).expect("our own evidence JPEG decodes");
        assert_eq!((decoded.width(), decoded.height()), (w, h));
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
