//! Uploaded photos made small enough for mobile data: scaled down to
//! [`MAX_IMAGE_WIDTH`] and recompressed.
//!
//! Policy: only PNG and JPEG are touched; anything else, and anything that
//! does not decode within the limits, is kept exactly as uploaded (the
//! content loader still checks it). A recompressed file is kept only when
//! it is smaller or the image was scaled. An imported zip's images are
//! scaled only when wider than the limit ([`shrink_if_wide`]), so a course
//! exported and imported again comes back as it was.
//!
//! Decoding runs on blocking threads only, one image at a time in the whole
//! server ([`decode_permits`]): a decode may take up to 256 MB and a core
//! for a while, and on a two-core server the other core must stay free for
//! everyone else (live-quiz answers above all).

use std::{
    io::Cursor,
    sync::atomic::{AtomicUsize, Ordering},
};

use tokio::sync::{Semaphore, SemaphorePermit};

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

/// Images decoded at once in the whole server.
const CONCURRENT_DECODES: usize = 1;
static DECODE_PERMITS: Semaphore = Semaphore::const_new(CONCURRENT_DECODES);
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// The permits an image decode takes.
pub fn decode_permits() -> &'static Semaphore {
    &DECODE_PERMITS
}

/// How many decodes are waiting for a permit now.
pub fn decodes_waiting() -> usize {
    WAITING.load(Ordering::SeqCst)
}

/// Waits for a decode permit, blocking the thread: call on a blocking
/// thread (`spawn_blocking`), never on the async workers. Outside a
/// runtime (tools, unit tests) nothing competes and no permit is taken.
fn decode_permit() -> Option<SemaphorePermit<'static>> {
    let handle = tokio::runtime::Handle::try_current().ok()?;
    WAITING.fetch_add(1, Ordering::SeqCst);
    let permit = handle.block_on(DECODE_PERMITS.acquire()).ok();
    WAITING.fetch_sub(1, Ordering::SeqCst);
    permit
}

fn format_of(name: &str) -> Option<ImageFormat> {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("png") => Some(ImageFormat::Png),
        Some("jpg" | "jpeg") => Some(ImageFormat::Jpeg),
        _ => None,
    }
}

/// The bytes to store for an imported file named `name`: scaled down only
/// when the image is wider than [`MAX_IMAGE_WIDTH`] (its header says so
/// without decoding it). Blocks: call on a blocking thread.
pub fn shrink_if_wide(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let Some(format) = format_of(name) else {
        return bytes;
    };
    let wide = ImageReader::with_format(Cursor::new(&bytes), format)
        .into_dimensions()
        .is_ok_and(|(width, _)| width > MAX_IMAGE_WIDTH);
    if wide {
        shrink(name, bytes)
    } else {
        bytes
    }
}

/// The bytes to store for an uploaded file named `name`. Blocks: call on a
/// blocking thread.
pub fn shrink(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let Some(format) = format_of(name) else {
        return bytes;
    };
    let _permit = decode_permit();
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
    fn imports_scale_only_wide_images() {
        let narrow = png(300, 200);
        assert_eq!(shrink_if_wide("hep.png", narrow.clone()), narrow);
        let bytes = shrink_if_wide("rong.png", png(2000, 100));
        let image = image::load_from_memory(&bytes).map(|i| i.width());
        assert_eq!(image.ok(), Some(MAX_IMAGE_WIDTH));
        assert_eq!(shrink_if_wide("x.svg", b"<svg/>".to_vec()), b"<svg/>");
    }

    #[test]
    fn other_files_and_undecodable_ones_are_kept_as_they_are() {
        assert_eq!(shrink("am-thanh.mp3", b"ID3...".to_vec()), b"ID3...");
        assert_eq!(shrink("hong.jpg", b"not a jpeg".to_vec()), b"not a jpeg");
        let small = png(10, 10);
        assert!(shrink("nho.png", small.clone()).len() <= small.len());
    }
}
