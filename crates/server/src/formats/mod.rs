//! Question-bank interchange formats that only the server reads and
//! writes: Moodle XML ([`moodle`], [`moodle_export`], with Moodle's cloze
//! syntax in [`cloze`]) and QTI 3.0 items and content packages ([`qti`],
//! [`qti_export`]).
//!
//! Policy:
//!
//! - **Self-contained.** These modules use only `lophoc-core` (the
//!   question model, [`ImportReport`](lophoc_core::question::import::ImportReport),
//!   the HTML reader) and registry crates (quick-xml, base64, zip,
//!   pulldown-cmark, sha2); nothing of the server's store or routes. They
//!   can move into a server-only `crates/formats` crate as they are. The
//!   trainee's `.wasm` never links them (GIFT and Aiken, which the
//!   authoring form also needs, stay in `lophoc-core`).
//! - **Read as the other system reads.** Moodle XML follows Moodle's
//!   `question/format/xml/format.php` and `qtype_multianswer`'s cloze
//!   syntax; QTI follows 1EdTech's QTI 3.0 names and content packaging.
//!   Each import answers with the same report as GIFT: every question
//!   named (with its line, or its number in a package) and every part left
//!   out said so, never dropped silently.
//! - **Exports read back.** What Lophoc writes in a format imports back as
//!   the same questions, up to what the format cannot carry, which the file
//!   itself says (property tests hold each format to it).
//! - **Images travel as bank media** ([`media`]): images embedded in a
//!   Moodle file (base64) or packed in a QTI package become files of the
//!   lecturer's bank, named by their content, and go back into the files
//!   Lophoc exports.

pub mod cloze;
pub mod markdown;
pub mod media;
pub mod moodle;
pub mod moodle_export;
pub mod qti;
pub mod qti_export;
pub mod xml;

/// Shared generators for the round-trip property tests.
#[cfg(test)]
pub(crate) mod strategies;
