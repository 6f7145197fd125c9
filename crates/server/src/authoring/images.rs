//! Uploaded photos made small enough for mobile data: scaled down to
//! [`MAX_IMAGE_WIDTH`] and recompressed.
//!
//! Policy: only PNG and JPEG are touched; anything else, and anything that
//! does not decode within the limits, is kept exactly as uploaded (the
//! content loader still checks it). A recompressed file is kept only when
//! it is smaller or the image was scaled.

use std::io::Cursor;

use image::{
    codecs::{
        jpeg::JpegEncoder,
        png::{CompressionType, FilterType as PngFilter, PngEncoder},
    },
    imageops::FilterType,
    ImageFormat, ImageReader, Limits,
};

/// Widest image kept, in pixels: a phone screen at twice its density, or
/// a projector.
pub const MAX_IMAGE_WIDTH: u32 = 1280;
const JPEG_QUALITY: u8 = 80;
/// Largest image decoded, per side and in memory.
const MAX_SIDE: u32 = 12_000;
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// The bytes to store for an uploaded file named `name`.
pub fn shrink(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let format = match name.rsplit_once('.').map(|(_, e)| e) {
        Some("png") => ImageFormat::Png,
        Some("jpg" | "jpeg") => ImageFormat::Jpeg,
        _ => return bytes,
    };
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let Ok(image) = reader.decode() else {
        return bytes;
    };
    let scaled = image.width() > MAX_IMAGE_WIDTH;
    let image = if scaled {
        image.resize(MAX_IMAGE_WIDTH, u32::MAX, FilterType::Triangle)
    } else {
        image
    };
    let mut out = Vec::new();
    let encoded = match format {
        ImageFormat::Jpeg => image
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
            .is_ok(),
        _ => image
            .write_with_encoder(PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Best,
                PngFilter::Adaptive,
            ))
            .is_ok(),
    };
    if encoded && (scaled || out.len() < bytes.len()) {
        out
    } else {
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map(|()| out)
            .unwrap_or_default()
    }

    #[test]
    fn wide_images_are_scaled_to_the_limit_keeping_their_shape() {
        let bytes = shrink("anh.png", png(2000, 1000));
        let image = image::load_from_memory(&bytes).map(|i| (i.width(), i.height()));
        assert_eq!(image.ok(), Some((MAX_IMAGE_WIDTH, 640)));
    }

    #[test]
    fn other_files_and_undecodable_ones_are_kept_as_they_are() {
        assert_eq!(shrink("am-thanh.mp3", b"ID3...".to_vec()), b"ID3...");
        assert_eq!(shrink("hong.jpg", b"not a jpeg".to_vec()), b"not a jpeg");
        let small = png(10, 10);
        assert!(shrink("nho.png", small.clone()).len() <= small.len());
    }
}
