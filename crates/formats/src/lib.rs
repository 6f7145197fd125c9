//! lophoc-formats: the files Lophoc reads and writes for other systems, on
//! the server only — question banks in GIFT ([`gift`], [`gift_export`]),
//! Aiken ([`aiken`]), Moodle XML ([`moodle`], [`moodle_export`], with
//! Moodle's cloze syntax in [`cloze`]), QTI 3.0 items and content packages
//! ([`qti`], [`qti_export`]) and spreadsheets ([`xlsx`]); class rosters as
//! CSV ([`roster`]); learning records as xAPI statements ([`xapi`]).
//!
//! Policy:
//!
//! - **Server-only.** The trainee's `.wasm` never links this crate: what the
//!   client shows of an import is `lophoc-core`'s report
//!   ([`ImportReport`](lophoc_core::question::import::ImportReport)), and
//!   the question model is core's. Nothing here touches the server's store
//!   or routes either; the server calls these functions and stores what
//!   they return.
//! - **Solved problems are crates**: XML (quick-xml), spreadsheets
//!   (calamine, rust_xlsxwriter, zip), CSV (csv), base64, hashing (sha2),
//!   UUIDs (uuid), Markdown (pulldown-cmark); dates are core's calendar, which
//!   the client shares.
//! - **Read as the other system reads.** Moodle XML follows Moodle's
//!   `question/format/xml/format.php` and `qtype_multianswer`'s cloze
//!   syntax; QTI follows 1EdTech's QTI 3.0 names and content packaging.
//!   Each import answers with the same report: every question named (with
//!   its line, or its number in a package) and every part left out said so,
//!   never dropped silently ([`import`] holds the rules they share).
//! - **Exports read back.** What Lophoc writes in a format imports back as
//!   the same questions, up to what the format cannot carry, which the file
//!   itself says (property tests hold each format to it).
//! - **Images travel as bank media** ([`media`]): images embedded in a
//!   Moodle file (base64) or packed in a QTI package become files of the
//!   lecturer's bank, named by their content, and go back into the files
//!   Lophoc exports.

pub mod aiken;
pub mod cloze;
pub mod gift;
pub mod gift_export;
pub mod html;
pub mod import;
pub mod markdown;
pub mod media;
pub mod moodle;
pub mod moodle_export;
pub mod qti;
pub mod qti_export;
pub mod roster;
pub mod xapi;
pub mod xlsx;
pub mod xml;

/// Shared generators for the round-trip property tests.
#[cfg(test)]
pub(crate) mod strategies;
