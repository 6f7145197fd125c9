//! QTI 3.0 export: one question as an item ([`export_item`]), and a bank
//! as a content package ([`export_package`]): `imsmanifest.xml`, one item
//! file per question under `items/`, an assessment test under `tests/`
//! (one section per category) and the images under `media/`.
//!
//! Policy: items use 1EdTech's QTI 3.0 names (`qti-assessment-item`,
//! `qti-choice-interaction`…, namespace [`QTI_NS`]) and say how to score
//! them in QTI's own terms, so that a QTI player scores an answer as
//! Lophoc does:
//!
//! | Lophoc | QTI 3.0 |
//! |---|---|
//! | single / multiple choice, true/false | `qti-choice-interaction`; single: the right option maps to the points (`map_response` template); multiple: each correct option maps to 1 and each wrong one to -1, bounded to `0..=C`, scored `× points / C`; true/false has the choices `true` and `false` |
//! | ordering | `qti-order-interaction`, ordered response; the items in their place counted, scored `× points / n` |
//! | matching (with distractors) | `qti-match-interaction`, two match sets, `directedPair` mapping of 1 per right pair, scored `× points / n` |
//! | short answer | `qti-text-entry-interaction`, string mapping (case-insensitive), one entry per accepted answer |
//! | numerical | `qti-text-entry-interaction` with a `float` response; `qti-equal` with an absolute tolerance per accepted value |
//! | fill in the blanks | a text entry (text or number) or `qti-inline-choice-interaction` in place of each `{n}` |
//! | essay / opinion | `qti-extended-text-interaction`; the rubric in a `qti-rubric-block` for scorers; an opinion is worth 0 |
//!
//! - `MAXSCORE` holds the points; partial credits are written exactly as
//!   mapped values in hundredths (`points × credit`) and the response
//!   processing divides by 100, so nothing is rounded.
//! - Option feedback is `qti-feedback-inline` in its choice; other
//!   feedback and the explanation are `qti-modal-feedback` (`FB_…`,
//!   `EXPLANATION`) that the response processing shows.
//! - Texts are XHTML made from the Markdown ([`super::markdown`]); a text
//!   whose formatting XHTML read back cannot give (tables, headings) is
//!   named in a comment in the item. Tags, category and difficulty travel in
//!   the package (the manifest's LOM metadata and the test's sections), not
//!   in a lone item.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use crate::import::excerpt;
use lophoc_core::number::Decimal;
use lophoc_core::question::{
    gap_markers, replace_gaps, Accepted, Choice, Criterion, Difficulty, Gap, NumericAnswer,
    Question, QuestionBody, FULL_CREDIT,
};

use super::markdown::{reads_back, to_xhtml};
use super::media::{self, Media, MEDIA_URL};
use super::moodle::RUBRIC_HEADING;
use super::xml::{escape_attr, escape_text};

/// The QTI 3.0 assessment namespace.
pub const QTI_NS: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
/// Where the QTI 3.0 XSD is published.
pub const QTI_XSD: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd";
/// The QTI 3.0 content packaging namespace.
pub const CP_NS: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
/// Where the QTI 3.0 content packaging XSD is published.
pub const CP_XSD: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd";
/// IEEE LOM, for the resources' tags and difficulty.
pub const LOM_NS: &str = "http://ltsc.ieee.org/xsd/LOM";
/// The `map_response` response processing template.
pub const MAP_RESPONSE: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml";
/// Modal feedback shown after answering: the explanation.
pub const EXPLANATION: &str = "EXPLANATION";

/// A QTI identifier for a Lophoc id (which may start with a digit, which
/// a QTI identifier may not: `_` is put before it, and dropped again on
/// import).
pub fn ident(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.to_string()
    } else {
        format!("_{id}")
    }
}

/// An exact decimal as a QTI float literal.
fn num(d: Decimal) -> String {
    d.to_string()
}

/// An item file: its XML and what it could not carry.
pub struct Item {
    pub xml: String,
    /// The bank images it shows.
    pub media: Vec<String>,
    pub notes: Vec<String>,
}

/// Writes one question as a QTI 3.0 item. Images are linked as
/// `<media_prefix><name>` (`../media/` inside a package).
pub fn export_item(q: &Question, media_prefix: &str) -> Item {
    let mut notes = Vec::new();
    let mut used = Vec::new();
    let mut xhtml = |md: &str, notes: &mut Vec<String>, what: &str| {
        if !reads_back(md) {
            notes.push(format!("the formatting of the {what} (a table, heading or quote) does not come back from XHTML exactly"));
        }
        for n in media::references(md) {
            if !used.contains(&n) {
                used.push(n);
            }
        }
        to_xhtml(md, |dest| match dest.strip_prefix(MEDIA_URL) {
            Some(name) if media::is_name(name) => format!("{media_prefix}{name}"),
            _ => dest.to_string(),
        })
    };
    let points = match &q.body {
        QuestionBody::Essay { rubric } => rubric.iter().map(|c| c.max_points).sum(),
        QuestionBody::Opinion {} => 0,
        _ => q.points,
    };
    let mut declarations = String::new();
    let mut body = String::new();
    let mut processing = String::new();
    let mut modal: Vec<(String, String)> = Vec::new();
    let mut outcomes = String::new();
    let mut feedback_ids: Vec<String> = Vec::new();
    let explanation = q.explanation.as_deref().filter(|e| !e.trim().is_empty());
    if let Some(e) = explanation {
        modal.push((EXPLANATION.to_string(), xhtml(e, &mut notes, "explanation")));
        feedback_ids.push(EXPLANATION.to_string());
    }
    match &q.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            let single = matches!(q.body, QuestionBody::SingleChoice { .. });
            let correct: Vec<&Choice> = options.iter().filter(|o| o.correct).collect();
            let c = correct.len();
            let cardinality = if single { "single" } else { "multiple" };
            declarations.push_str(&format!(
                "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" base-type=\"identifier\">\n    <qti-correct-response>\n{}    </qti-correct-response>\n    <qti-mapping default-value=\"0\" lower-bound=\"0\" upper-bound=\"{}\">\n",
                correct.iter().map(|o| format!("      <qti-value>{}</qti-value>\n", ident(&o.id))).collect::<String>(),
                if single { points as usize } else { c }
            ));
            // Single choice: the right option maps to the points. Multiple:
            // each correct option +1 and each wrong one -1, bounded to
            // 0..=C, then scaled by points / C (exact, see map_processing).
            for o in options {
                let value = match (single, o.correct) {
                    (true, true) => points.to_string(),
                    (true, false) => "0".into(),
                    (false, true) => "1".into(),
                    (false, false) => "-1".into(),
                };
                declarations.push_str(&format!(
                    "      <qti-map-entry map-key=\"{}\" mapped-value=\"{value}\"/>\n",
                    ident(&o.id)
                ));
            }
            declarations.push_str("    </qti-mapping>\n  </qti-response-declaration>\n");
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str(&format!(
                "\n<qti-choice-interaction response-identifier=\"RESPONSE\" max-choices=\"{}\" shuffle=\"true\">\n",
                if single { 1 } else { 0 }
            ));
            for o in options {
                body.push_str(&simple_choice(
                    "qti-simple-choice",
                    &ident(&o.id),
                    &o.text,
                    o.feedback.as_deref(),
                ));
            }
            body.push_str("</qti-choice-interaction>");
            let any_feedback = options.iter().any(|o| o.feedback.is_some());
            let scale = (!single).then_some((points, c));
            processing = map_processing("RESPONSE", any_feedback, &feedback_ids, scale);
        }
        QuestionBody::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            let right = if *answer { "true" } else { "false" };
            declarations.push_str(&format!(
                "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"identifier\">\n    <qti-correct-response>\n      <qti-value>{right}</qti-value>\n    </qti-correct-response>\n    <qti-mapping default-value=\"0\">\n      <qti-map-entry map-key=\"{right}\" mapped-value=\"{points}\"/>\n    </qti-mapping>\n  </qti-response-declaration>\n"
            ));
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str("\n<qti-choice-interaction response-identifier=\"RESPONSE\" max-choices=\"1\" shuffle=\"false\">\n");
            body.push_str(&simple_choice(
                "qti-simple-choice",
                "true",
                "Đúng",
                feedback_true.as_deref(),
            ));
            body.push_str(&simple_choice(
                "qti-simple-choice",
                "false",
                "Sai",
                feedback_false.as_deref(),
            ));
            body.push_str("</qti-choice-interaction>");
            processing = map_processing(
                "RESPONSE",
                feedback_true.is_some() || feedback_false.is_some(),
                &feedback_ids,
                None,
            );
        }
        QuestionBody::Ordering { items } => {
            let ids: Vec<String> = (1..=items.len()).map(|i| format!("i{i}")).collect();
            declarations.push_str(&format!(
                "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"ordered\" base-type=\"identifier\">\n    <qti-correct-response>\n{}    </qti-correct-response>\n  </qti-response-declaration>\n",
                ids.iter().map(|i| format!("      <qti-value>{i}</qti-value>\n")).collect::<String>()
            ));
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str(
                "\n<qti-order-interaction response-identifier=\"RESPONSE\" shuffle=\"true\">\n",
            );
            for (id, item) in ids.iter().zip(items) {
                body.push_str(&simple_choice("qti-simple-choice", id, item, None));
            }
            body.push_str("</qti-order-interaction>");
            // Count the items in their place, then scale: points × right / n.
            outcomes.push_str("  <qti-outcome-declaration identifier=\"RAW\" cardinality=\"single\" base-type=\"float\">\n    <qti-default-value>\n      <qti-value>0</qti-value>\n    </qti-default-value>\n  </qti-outcome-declaration>\n");
            processing.push_str("  <qti-response-processing>\n");
            for (n, id) in ids.iter().enumerate() {
                processing.push_str(&format!(
                    "    <qti-response-condition>\n      <qti-response-if>\n        <qti-match>\n          <qti-index n=\"{}\">\n            <qti-variable identifier=\"RESPONSE\"/>\n          </qti-index>\n          <qti-base-value base-type=\"identifier\">{id}</qti-base-value>\n        </qti-match>\n        <qti-set-outcome-value identifier=\"RAW\">\n          <qti-sum>\n            <qti-variable identifier=\"RAW\"/>\n            <qti-base-value base-type=\"float\">1</qti-base-value>\n          </qti-sum>\n        </qti-set-outcome-value>\n      </qti-response-if>\n    </qti-response-condition>\n",
                    n + 1
                ));
            }
            processing.push_str(&format!(
                "    <qti-set-outcome-value identifier=\"SCORE\">\n      <qti-divide>\n        <qti-product>\n          <qti-variable identifier=\"RAW\"/>\n          <qti-base-value base-type=\"float\">{points}</qti-base-value>\n        </qti-product>\n        <qti-base-value base-type=\"float\">{}</qti-base-value>\n      </qti-divide>\n    </qti-set-outcome-value>\n",
                items.len()
            ));
            processing.push_str(&feedback_rule(&[], &feedback_ids));
            processing.push_str("  </qti-response-processing>\n");
        }
        QuestionBody::Matching { pairs, distractors } => {
            let n = pairs.len();
            declarations.push_str(&format!(
                "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"multiple\" base-type=\"directedPair\">\n    <qti-correct-response>\n{}    </qti-correct-response>\n    <qti-mapping default-value=\"0\" lower-bound=\"0\">\n{}    </qti-mapping>\n  </qti-response-declaration>\n",
                (1..=n).map(|i| format!("      <qti-value>l{i} r{i}</qti-value>\n")).collect::<String>(),
                (1..=n).map(|i| format!("      <qti-map-entry map-key=\"l{i} r{i}\" mapped-value=\"1\"/>\n")).collect::<String>()
            ));
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str(&format!(
                "\n<qti-match-interaction response-identifier=\"RESPONSE\" max-associations=\"{n}\" shuffle=\"true\">\n  <qti-simple-match-set>\n"
            ));
            for (i, (left, _)) in pairs.iter().enumerate() {
                body.push_str(&format!(
                    "    <qti-simple-associable-choice identifier=\"l{}\" match-max=\"1\">{}</qti-simple-associable-choice>\n",
                    i + 1,
                    escape_text(left)
                ));
            }
            body.push_str("  </qti-simple-match-set>\n  <qti-simple-match-set>\n");
            let rights = pairs.iter().map(|(_, r)| r).chain(distractors);
            for (i, right) in rights.enumerate() {
                body.push_str(&format!(
                    "    <qti-simple-associable-choice identifier=\"r{}\" match-max=\"1\">{}</qti-simple-associable-choice>\n",
                    i + 1,
                    escape_text(right)
                ));
            }
            body.push_str("  </qti-simple-match-set>\n</qti-match-interaction>");
            processing = map_processing("RESPONSE", false, &feedback_ids, Some((points, n)));
        }
        QuestionBody::ShortAnswer {
            accepted,
            ignore_tone_marks,
        } => {
            if *ignore_tone_marks {
                notes.push("Lophoc also accepts answers without tone marks; QTI's mapping compares them as written".into());
            }
            declarations.push_str(&text_declaration("RESPONSE", accepted, points));
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str(&format!(
                "\n<p><qti-text-entry-interaction response-identifier=\"RESPONSE\" expected-length=\"{}\"/></p>",
                expected_length(accepted.iter().map(|a| a.text.as_str()))
            ));
            let fb = answer_feedback(
                &mut modal,
                "FB",
                accepted.iter().map(|a| a.feedback.as_deref()),
            );
            processing = text_processing("RESPONSE", "SCORE", accepted, &fb, &feedback_ids);
        }
        QuestionBody::Numerical { answers } => {
            declarations.push_str(&number_declaration("RESPONSE", answers));
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str("\n<p><qti-text-entry-interaction response-identifier=\"RESPONSE\" expected-length=\"10\"/></p>");
            let fb = answer_feedback(
                &mut modal,
                "FB",
                answers.iter().map(|a| a.feedback.as_deref()),
            );
            processing.push_str("  <qti-response-processing>\n    <qti-set-outcome-value identifier=\"SCORE\">\n      <qti-base-value base-type=\"float\">0</qti-base-value>\n    </qti-set-outcome-value>\n");
            processing.push_str(&number_rules(
                "RESPONSE",
                "SCORE",
                answers,
                i64::from(points),
                true,
                &fb,
            ));
            processing.push_str(&feedback_rule(&[], &feedback_ids));
            processing.push_str("  </qti-response-processing>\n");
        }
        QuestionBody::FillBlanks { gaps } => {
            let total: u32 = gaps.iter().map(Gap::weight).sum();
            let mut interactions = Vec::new();
            let mut rules = String::new();
            let mut mapped = Vec::new();
            for (g, gap) in gaps.iter().enumerate() {
                let rid = format!("RESPONSE_{}", g + 1);
                match gap {
                    Gap::ShortAnswer {
                        accepted,
                        ignore_tone_marks,
                        weight,
                    } => {
                        if *ignore_tone_marks {
                            notes.push(format!("blank {}: Lophoc also accepts answers without tone marks; QTI compares them as written", g + 1));
                        }
                        declarations.push_str(&text_declaration(&rid, accepted, *weight));
                        interactions.push(format!(
                            "<qti-text-entry-interaction response-identifier=\"{rid}\" expected-length=\"{}\"/>",
                            expected_length(accepted.iter().map(|a| a.text.as_str()))
                        ));
                        let fb = answer_feedback(
                            &mut modal,
                            &format!("FB_{}", g + 1),
                            accepted.iter().map(|a| a.feedback.as_deref()),
                        );
                        rules.push_str(&text_feedback_rules(&rid, accepted, &fb));
                        mapped.push(format!("<qti-map-response identifier=\"{rid}\"/>"));
                    }
                    Gap::Numerical { answers, weight } => {
                        declarations.push_str(&number_declaration(&rid, answers));
                        let gap_outcome = format!("GAP_{}", g + 1);
                        outcomes.push_str(&format!(
                            "  <qti-outcome-declaration identifier=\"{gap_outcome}\" cardinality=\"single\" base-type=\"float\">\n    <qti-default-value>\n      <qti-value>0</qti-value>\n    </qti-default-value>\n  </qti-outcome-declaration>\n"
                        ));
                        interactions.push(format!(
                            "<qti-text-entry-interaction response-identifier=\"{rid}\" expected-length=\"10\"/>"
                        ));
                        let fb = answer_feedback(
                            &mut modal,
                            &format!("FB_{}", g + 1),
                            answers.iter().map(|a| a.feedback.as_deref()),
                        );
                        rules.push_str(&number_rules(
                            &rid,
                            &gap_outcome,
                            answers,
                            i64::from(*weight),
                            false,
                            &fb,
                        ));
                        mapped.push(format!("<qti-variable identifier=\"{gap_outcome}\"/>"));
                    }
                    Gap::Choice { options, weight } => {
                        let right = options
                            .iter()
                            .find(|o| o.correct)
                            .map(|o| ident(&o.id))
                            .unwrap_or_default();
                        // Hundredths of the weight, like the other gaps.
                        let full = Decimal::from_int(i64::from(*weight))
                            .checked_mul_int(100)
                            .unwrap_or(Decimal::ZERO);
                        declarations.push_str(&format!(
                            "  <qti-response-declaration identifier=\"{rid}\" cardinality=\"single\" base-type=\"identifier\">\n    <qti-correct-response>\n      <qti-value>{right}</qti-value>\n    </qti-correct-response>\n    <qti-mapping default-value=\"0\">\n      <qti-map-entry map-key=\"{right}\" mapped-value=\"{}\"/>\n    </qti-mapping>\n  </qti-response-declaration>\n",
                            num(full)
                        ));
                        let mut inter = format!("<qti-inline-choice-interaction response-identifier=\"{rid}\" shuffle=\"true\">");
                        for o in options {
                            inter.push_str(&format!(
                                "<qti-inline-choice identifier=\"{}\">{}</qti-inline-choice>",
                                ident(&o.id),
                                escape_text(&o.text)
                            ));
                        }
                        inter.push_str("</qti-inline-choice-interaction>");
                        interactions.push(inter);
                        let fb = answer_feedback(
                            &mut modal,
                            &format!("FB_{}", g + 1),
                            options.iter().map(|o| o.feedback.as_deref()),
                        );
                        for (o, id) in options.iter().zip(&fb) {
                            if let Some(id) = id {
                                rules.push_str(&add_feedback_if(&format!("<qti-match>\n          <qti-variable identifier=\"{rid}\"/>\n          <qti-base-value base-type=\"identifier\">{}</qti-base-value>\n        </qti-match>", ident(&o.id)), id));
                            }
                        }
                        mapped.push(format!("<qti-map-response identifier=\"{rid}\"/>"));
                    }
                }
            }
            let prompt_html = xhtml(&q.prompt, &mut notes, "text");
            if gap_markers(&prompt_html, gaps.len()).len() != gaps.len() {
                notes.push("a blank's {n} marker is lost in the XHTML of the text".into());
            }
            body.push_str(&replace_gaps(&prompt_html, gaps.len(), |g| {
                interactions[g].clone()
            }));
            outcomes.push_str("  <qti-outcome-declaration identifier=\"RAW\" cardinality=\"single\" base-type=\"float\">\n    <qti-default-value>\n      <qti-value>0</qti-value>\n    </qti-default-value>\n  </qti-outcome-declaration>\n");
            processing.push_str("  <qti-response-processing>\n");
            processing.push_str(&rules);
            processing.push_str(&format!(
                "    <qti-set-outcome-value identifier=\"RAW\">\n      <qti-sum>\n        {}\n      </qti-sum>\n    </qti-set-outcome-value>\n    <qti-set-outcome-value identifier=\"SCORE\">\n      <qti-divide>\n        <qti-product>\n          <qti-variable identifier=\"RAW\"/>\n          <qti-base-value base-type=\"float\">{points}</qti-base-value>\n        </qti-product>\n        <qti-base-value base-type=\"float\">{}</qti-base-value>\n      </qti-divide>\n    </qti-set-outcome-value>\n",
                mapped.join("\n        "),
                u64::from(total) * 100
            ));
            processing.push_str(&feedback_rule(&[], &feedback_ids));
            processing.push_str("  </qti-response-processing>\n");
        }
        QuestionBody::Essay { rubric } => {
            declarations.push_str("  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"string\"/>\n");
            body.push_str(&rubric_block(rubric));
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str("\n<qti-extended-text-interaction response-identifier=\"RESPONSE\" expected-lines=\"10\"/>");
            if !feedback_ids.is_empty() {
                processing = format!(
                    "  <qti-response-processing>\n{}  </qti-response-processing>\n",
                    feedback_rule(&[], &feedback_ids)
                );
            }
        }
        QuestionBody::Opinion {} => {
            declarations.push_str("  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"string\"/>\n");
            body.push_str(&xhtml(&q.prompt, &mut notes, "prompt"));
            body.push_str("\n<qti-extended-text-interaction response-identifier=\"RESPONSE\" expected-lines=\"5\"/>");
            if !feedback_ids.is_empty() {
                processing = format!(
                    "  <qti-response-processing>\n{}  </qti-response-processing>\n",
                    feedback_rule(&[], &feedback_ids)
                );
            }
        }
    }
    let any_feedback = !modal.is_empty() || processing.contains("FEEDBACK");
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    for n in &notes {
        xml.push_str(&format!("<!-- {} -->\n", n.replace("--", "- -")));
    }
    xml.push_str(&format!(
        "<qti-assessment-item xmlns=\"{QTI_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{QTI_NS} {QTI_XSD}\" identifier=\"{}\" title=\"{}\" adaptive=\"false\" time-dependent=\"false\" xml:lang=\"vi\">\n",
        escape_attr(&ident(&q.id)),
        escape_attr(&Some(excerpt(&q.prompt)).filter(|t| !t.is_empty()).unwrap_or_else(|| q.id.clone()))
    ));
    xml.push_str(&declarations);
    xml.push_str(&format!(
        "  <qti-outcome-declaration identifier=\"SCORE\" cardinality=\"single\" base-type=\"float\" normal-maximum=\"{points}\">\n    <qti-default-value>\n      <qti-value>0</qti-value>\n    </qti-default-value>\n  </qti-outcome-declaration>\n  <qti-outcome-declaration identifier=\"MAXSCORE\" cardinality=\"single\" base-type=\"float\">\n    <qti-default-value>\n      <qti-value>{points}</qti-value>\n    </qti-default-value>\n  </qti-outcome-declaration>\n"
    ));
    if any_feedback {
        xml.push_str("  <qti-outcome-declaration identifier=\"FEEDBACK\" cardinality=\"multiple\" base-type=\"identifier\"/>\n");
    }
    xml.push_str(&outcomes);
    xml.push_str(&format!("  <qti-item-body>\n{body}\n  </qti-item-body>\n"));
    xml.push_str(&processing);
    for (id, content) in &modal {
        xml.push_str(&format!(
            "  <qti-modal-feedback outcome-identifier=\"FEEDBACK\" identifier=\"{id}\" show-hide=\"show\">\n    <qti-content-body>{}</qti-content-body>\n  </qti-modal-feedback>\n",
            content
        ));
    }
    xml.push_str("</qti-assessment-item>\n");
    Item {
        xml,
        media: used,
        notes,
    }
}

/// A choice with its text and inline feedback.
fn simple_choice(tag: &str, id: &str, text: &str, feedback: Option<&str>) -> String {
    let feedback = feedback
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            format!(
                "<qti-feedback-inline outcome-identifier=\"FEEDBACK\" identifier=\"{id}\" show-hide=\"show\">{}</qti-feedback-inline>",
                escape_text(f)
            )
        })
        .unwrap_or_default();
    format!(
        "  <{tag} identifier=\"{id}\">{}{feedback}</{tag}>\n",
        escape_text(text)
    )
}

/// Response processing that maps the response (the `map_response`
/// template when nothing else is needed); `response_feedback` shows the
/// inline feedback of what was chosen.
///
/// With `scale = Some((points, n))` the mapped sum counts shares (one per
/// right pair or option) and the score is `sum × points / n`, so that a
/// third of a point is never rounded.
fn map_processing(
    rid: &str,
    response_feedback: bool,
    feedback_ids: &[String],
    scale: Option<(u32, usize)>,
) -> String {
    if !response_feedback && feedback_ids.is_empty() && scale.is_none() {
        return format!("  <qti-response-processing template=\"{MAP_RESPONSE}\"/>\n");
    }
    let mapped = match scale {
        Some((points, n)) => format!(
            "<qti-divide>\n            <qti-product>\n              <qti-map-response identifier=\"{rid}\"/>\n              <qti-base-value base-type=\"float\">{points}</qti-base-value>\n            </qti-product>\n            <qti-base-value base-type=\"float\">{}</qti-base-value>\n          </qti-divide>",
            n.max(1)
        ),
        None => format!("<qti-map-response identifier=\"{rid}\"/>"),
    };
    let mut out = format!(
        "  <qti-response-processing>\n    <qti-response-condition>\n      <qti-response-if>\n        <qti-is-null>\n          <qti-variable identifier=\"{rid}\"/>\n        </qti-is-null>\n        <qti-set-outcome-value identifier=\"SCORE\">\n          <qti-base-value base-type=\"float\">0</qti-base-value>\n        </qti-set-outcome-value>\n      </qti-response-if>\n      <qti-response-else>\n        <qti-set-outcome-value identifier=\"SCORE\">\n          {mapped}\n        </qti-set-outcome-value>\n      </qti-response-else>\n    </qti-response-condition>\n"
    );
    let extra: Vec<String> = if response_feedback {
        vec![format!("<qti-variable identifier=\"{rid}\"/>")]
    } else {
        vec![]
    };
    out.push_str(&feedback_rule(&extra, feedback_ids));
    out.push_str("  </qti-response-processing>\n");
    out
}

/// Adds `feedback_ids` (and the values of `extra` expressions) to the
/// `FEEDBACK` outcome.
fn feedback_rule(extra: &[String], feedback_ids: &[String]) -> String {
    if extra.is_empty() && feedback_ids.is_empty() {
        return String::new();
    }
    let mut parts = vec!["<qti-variable identifier=\"FEEDBACK\"/>".to_string()];
    parts.extend(extra.iter().cloned());
    parts.extend(
        feedback_ids
            .iter()
            .map(|id| format!("<qti-base-value base-type=\"identifier\">{id}</qti-base-value>")),
    );
    format!(
        "    <qti-set-outcome-value identifier=\"FEEDBACK\">\n      <qti-multiple>\n        {}\n      </qti-multiple>\n    </qti-set-outcome-value>\n",
        parts.join("\n        ")
    )
}

/// `if condition then FEEDBACK += id`.
fn add_feedback_if(condition: &str, id: &str) -> String {
    format!(
        "    <qti-response-condition>\n      <qti-response-if>\n        {condition}\n        <qti-set-outcome-value identifier=\"FEEDBACK\">\n          <qti-multiple>\n            <qti-variable identifier=\"FEEDBACK\"/>\n            <qti-base-value base-type=\"identifier\">{id}</qti-base-value>\n          </qti-multiple>\n        </qti-set-outcome-value>\n      </qti-response-if>\n    </qti-response-condition>\n"
    )
}

/// Modal feedback for each answer that has one: `<prefix>_<k>` (1-based),
/// in answer order; the ids, `None` for answers with none.
fn answer_feedback<'a>(
    modal: &mut Vec<(String, String)>,
    prefix: &str,
    feedback: impl Iterator<Item = Option<&'a str>>,
) -> Vec<Option<String>> {
    feedback
        .enumerate()
        .map(|(k, f)| {
            let f = f.filter(|f| !f.trim().is_empty())?;
            let id = format!("{prefix}_{}", k + 1);
            modal.push((id.clone(), format!("<p>{}</p>", escape_text(f))));
            Some(id)
        })
        .collect()
}

/// A string response with a mapping of each accepted answer to
/// `unit × credit` (hundredths of the unit).
fn text_declaration(rid: &str, accepted: &[Accepted], unit: u32) -> String {
    let right = accepted
        .iter()
        .find(|a| a.credit == FULL_CREDIT)
        .map(|a| a.text.as_str())
        .unwrap_or_default();
    let mut out = format!(
        "  <qti-response-declaration identifier=\"{rid}\" cardinality=\"single\" base-type=\"string\">\n    <qti-correct-response>\n      <qti-value>{}</qti-value>\n    </qti-correct-response>\n    <qti-mapping default-value=\"0\">\n",
        escape_text(right)
    );
    for a in accepted {
        let value = a
            .credit
            .checked_mul_int(i64::from(unit))
            .unwrap_or(Decimal::ZERO);
        out.push_str(&format!(
            "      <qti-map-entry map-key=\"{}\" mapped-value=\"{}\" case-sensitive=\"false\"/>\n",
            escape_attr(&a.text),
            num(value)
        ));
    }
    out.push_str("    </qti-mapping>\n  </qti-response-declaration>\n");
    out
}

/// The score of a short answer (mapped hundredths / 100) and its feedback.
fn text_processing(
    rid: &str,
    outcome: &str,
    accepted: &[Accepted],
    fb: &[Option<String>],
    feedback_ids: &[String],
) -> String {
    let mut out = format!(
        "  <qti-response-processing>\n    <qti-set-outcome-value identifier=\"{outcome}\">\n      <qti-divide>\n        <qti-map-response identifier=\"{rid}\"/>\n        <qti-base-value base-type=\"float\">100</qti-base-value>\n      </qti-divide>\n    </qti-set-outcome-value>\n"
    );
    out.push_str(&text_feedback_rules(rid, accepted, fb));
    out.push_str(&feedback_rule(&[], feedback_ids));
    out.push_str("  </qti-response-processing>\n");
    out
}

fn text_feedback_rules(rid: &str, accepted: &[Accepted], fb: &[Option<String>]) -> String {
    accepted
        .iter()
        .zip(fb)
        .filter_map(|(a, id)| {
            let id = id.as_ref()?;
            Some(add_feedback_if(
                &format!(
                    "<qti-string-match case-sensitive=\"false\">\n          <qti-variable identifier=\"{rid}\"/>\n          <qti-base-value base-type=\"string\">{}</qti-base-value>\n        </qti-string-match>",
                    escape_text(&a.text)
                ),
                id,
            ))
        })
        .collect()
}

/// A float response whose correct response is the first full-credit value.
fn number_declaration(rid: &str, answers: &[NumericAnswer]) -> String {
    let right = answers
        .iter()
        .find(|a| a.credit == FULL_CREDIT)
        .map_or_else(String::new, |a| num(a.value));
    format!(
        "  <qti-response-declaration identifier=\"{rid}\" cardinality=\"single\" base-type=\"float\">\n    <qti-correct-response>\n      <qti-value>{right}</qti-value>\n    </qti-correct-response>\n  </qti-response-declaration>\n"
    )
}

/// For each accepted value in order: if the response equals it (within its
/// tolerance), `outcome` becomes at least `unit × credit` (hundredths of the
/// unit; divided by 100 when `in_points`, so a lone numerical question's
/// outcome is in points, while a blank's adds up with the other blanks'
/// mapped hundredths), and its feedback is shown.
fn number_rules(
    rid: &str,
    outcome: &str,
    answers: &[NumericAnswer],
    unit: i64,
    in_points: bool,
    fb: &[Option<String>],
) -> String {
    let mut out = String::new();
    for (a, id) in answers.iter().zip(fb) {
        let condition = if a.tolerance == Decimal::ZERO {
            format!(
                "<qti-equal tolerance-mode=\"exact\">\n          <qti-variable identifier=\"{rid}\"/>\n          <qti-base-value base-type=\"float\">{}</qti-base-value>\n        </qti-equal>",
                num(a.value)
            )
        } else {
            format!(
                "<qti-equal tolerance-mode=\"absolute\" tolerance=\"{t} {t}\">\n          <qti-variable identifier=\"{rid}\"/>\n          <qti-base-value base-type=\"float\">{}</qti-base-value>\n        </qti-equal>",
                num(a.value),
                t = num(a.tolerance)
            )
        };
        let value = a.credit.checked_mul_int(unit).unwrap_or(Decimal::ZERO);
        let gives = if in_points {
            format!(
                "<qti-divide>\n              <qti-base-value base-type=\"float\">{}</qti-base-value>\n              <qti-base-value base-type=\"float\">100</qti-base-value>\n            </qti-divide>",
                num(value)
            )
        } else {
            format!(
                "<qti-base-value base-type=\"float\">{}</qti-base-value>",
                num(value)
            )
        };
        let mut then = format!(
            "        <qti-set-outcome-value identifier=\"{outcome}\">\n          <qti-max>\n            <qti-variable identifier=\"{outcome}\"/>\n            {gives}\n          </qti-max>\n        </qti-set-outcome-value>\n"
        );
        if let Some(id) = id {
            then.push_str(&format!(
                "        <qti-set-outcome-value identifier=\"FEEDBACK\">\n          <qti-multiple>\n            <qti-variable identifier=\"FEEDBACK\"/>\n            <qti-base-value base-type=\"identifier\">{id}</qti-base-value>\n          </qti-multiple>\n        </qti-set-outcome-value>\n"
            ));
        }
        out.push_str(&format!(
            "    <qti-response-condition>\n      <qti-response-if>\n        {condition}\n{then}      </qti-response-if>\n    </qti-response-condition>\n"
        ));
    }
    out
}

/// The longest accepted answer, a little more, as the box's size hint.
fn expected_length<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(10)
        .clamp(5, 60)
        + 5
}

/// An essay's rubric for scorers: a heading and one `id (points): text`
/// item per criterion, as the Moodle export writes it.
fn rubric_block(rubric: &[Criterion]) -> String {
    let mut out = format!(
        "<qti-rubric-block use=\"scoring\" view=\"scorer\">\n  <qti-content-body>\n    <p>{}</p>\n    <ul>\n",
        escape_text(RUBRIC_HEADING)
    );
    for c in rubric {
        out.push_str(&format!(
            "      <li>{}</li>\n",
            escape_text(&format!(
                "{} ({}): {}",
                c.id,
                c.max_points,
                c.description.replace('\n', "\\n")
            ))
        ));
    }
    out.push_str("    </ul>\n  </qti-content-body>\n</qti-rubric-block>\n");
    out
}

/// A bank as a QTI 3.0 content package (ZIP bytes), and the notes of each
/// question that lost something.
pub fn export_package(
    bank: &[(Option<String>, Question)],
    media: &HashMap<String, Media>,
    title: &str,
) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut resources = String::new();
    let mut all_notes = Vec::new();
    let mut written_media: Vec<String> = Vec::new();
    // Sections of the test: one per category, in bank order.
    let mut sections: Vec<(Option<String>, Vec<String>)> = Vec::new();
    let put = |zip: &mut zip::ZipWriter<Cursor<Vec<u8>>>,
               path: &str,
               bytes: &[u8]|
     -> Result<(), String> {
        zip.start_file(path, options).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())
    };
    let mut used_files: HashMap<String, usize> = HashMap::new();
    for (category, q) in bank {
        let item = export_item(q, "../media/");
        let base = ident(&q.id);
        let n = used_files.entry(base.clone()).or_insert(0);
        *n += 1;
        let file = if *n == 1 {
            format!("items/{base}.xml")
        } else {
            format!("items/{base}-{n}.xml")
        };
        put(&mut zip, &file, item.xml.as_bytes())?;
        for note in &item.notes {
            all_notes.push(format!("{}: {note}", q.id));
        }
        let resource_id = format!(
            "item-{}",
            file.trim_start_matches("items/").trim_end_matches(".xml")
        );
        let mut files = format!("      <file href=\"{}\"/>\n", escape_attr(&file));
        for name in &item.media {
            match media.get(name) {
                Some(m) => {
                    let path = format!("media/{name}");
                    if !written_media.contains(name) {
                        put(&mut zip, &path, &m.bytes)?;
                        written_media.push(name.clone());
                    }
                    files.push_str(&format!("      <file href=\"{path}\"/>\n"));
                }
                None => all_notes.push(format!(
                    "{}: the image {name} is no longer in the bank",
                    q.id
                )),
            }
        }
        resources.push_str(&format!(
            "    <resource identifier=\"{resource_id}\" type=\"imsqti_item_xmlv3p0\" href=\"{}\">\n{}{}    </resource>\n",
            escape_attr(&file),
            lom(category.as_deref(), q),
            files
        ));
        match sections.last_mut() {
            Some((c, refs)) if c == category => refs.push(format!("{resource_id}\u{0}{file}")),
            _ => sections.push((category.clone(), vec![format!("{resource_id}\u{0}{file}")])),
        }
    }
    // The assessment test: one part, a section per category.
    let mut test = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<qti-assessment-test xmlns=\"{QTI_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{QTI_NS} {QTI_XSD}\" identifier=\"ngan-hang\" title=\"{}\">\n  <qti-test-part identifier=\"part-1\" navigation-mode=\"nonlinear\" submission-mode=\"simultaneous\">\n",
        escape_attr(title)
    );
    let mut dependencies = String::new();
    for (i, (category, refs)) in sections.iter().enumerate() {
        test.push_str(&format!(
            "    <qti-assessment-section identifier=\"section-{}\" title=\"{}\" visible=\"true\">\n",
            i + 1,
            escape_attr(category.as_deref().unwrap_or(title))
        ));
        for r in refs {
            let (id, file) = r.split_once('\u{0}').unwrap_or((r, r));
            test.push_str(&format!(
                "      <qti-assessment-item-ref identifier=\"{}\" href=\"../{}\"/>\n",
                escape_attr(id),
                escape_attr(file)
            ));
            dependencies.push_str(&format!(
                "      <dependency identifierref=\"{}\"/>\n",
                escape_attr(id)
            ));
        }
        test.push_str("    </qti-assessment-section>\n");
    }
    test.push_str("  </qti-test-part>\n</qti-assessment-test>\n");
    put(&mut zip, "tests/ngan-hang.xml", test.as_bytes())?;
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"{CP_NS}\" xmlns:lom=\"{LOM_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{CP_NS} {CP_XSD}\" identifier=\"lophoc-ngan-hang\">\n  <metadata>\n    <schema>QTI Package</schema>\n    <schemaversion>3.0.0</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n    <resource identifier=\"test\" type=\"imsqti_test_xmlv3p0\" href=\"tests/ngan-hang.xml\">\n      <file href=\"tests/ngan-hang.xml\"/>\n{dependencies}    </resource>\n{resources}  </resources>\n</manifest>\n"
    );
    put(&mut zip, "imsmanifest.xml", manifest.as_bytes())?;
    let bytes = zip.finish().map_err(|e| e.to_string())?.into_inner();
    Ok((bytes, all_notes))
}

/// The LOM metadata of an item resource: its category and tags as
/// keywords (the category first, as `category:` + path) and its
/// difficulty.
fn lom(category: Option<&str>, q: &Question) -> String {
    let mut keywords = String::new();
    if let Some(c) = category {
        keywords.push_str(&format!(
            "            <lom:keyword><lom:string>{}</lom:string></lom:keyword>\n",
            escape_text(&format!("{CATEGORY_KEYWORD}{c}"))
        ));
    }
    for t in &q.tags {
        keywords.push_str(&format!(
            "            <lom:keyword><lom:string>{}</lom:string></lom:keyword>\n",
            escape_text(t)
        ));
    }
    let difficulty = match q.difficulty {
        Difficulty::Easy => "easy",
        Difficulty::Medium => "medium",
        Difficulty::Hard => "difficult",
    };
    format!(
        "      <metadata>\n        <lom:lom>\n          <lom:general>\n{keywords}          </lom:general>\n          <lom:educational>\n            <lom:difficulty><lom:source>LOMv1.0</lom:source><lom:value>{difficulty}</lom:value></lom:difficulty>\n          </lom:educational>\n        </lom:lom>\n      </metadata>\n"
    )
}

/// The LOM keyword that carries a question's bank category.
pub const CATEGORY_KEYWORD: &str = "category:";

#[cfg(test)]
mod tests {
    use super::super::qti::parse_qti;
    use super::super::strategies;
    use super::super::xml::{self, Element};
    use super::*;
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;

    /// What QTI carries, compared as Lophoc shows it: Markdown texts by
    /// the XHTML they render to (QTI texts are XHTML), essays worth their
    /// rubric, opinions worth the default point.
    fn qti_view(q: &Question) -> Question {
        let mut q = q.clone();
        q.prompt = to_xhtml(&q.prompt, str::to_string);
        q.explanation = q
            .explanation
            .as_deref()
            .map(|e| to_xhtml(e, str::to_string));
        match &q.body {
            QuestionBody::Essay { rubric } => q.points = rubric.iter().map(|c| c.max_points).sum(),
            QuestionBody::Opinion {} => q.points = 1,
            _ => {}
        }
        q
    }

    fn bank_of(raw: Vec<(Option<String>, Question)>) -> Vec<(Option<String>, Question)> {
        raw.into_iter()
            .enumerate()
            .map(|(i, (category, mut q))| {
                q.id = format!("{}q{i}", if i % 2 == 0 { "" } else { "1" });
                if let Some(c) = &category {
                    q.tags.retain(|t| t != c);
                    q.tags.insert(0, c.clone());
                }
                (category, q)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// A bank of every kind QTI maps comes back from
        /// `parse_qti(export_package(..))` as the same questions (texts as
        /// they render), in the same categories, with their tags and
        /// difficulty, and nothing to report.
        #[test]
        fn package_export_then_import_gives_the_same_questions(
            raw in vec((option::of("[A-Z][a-zàđ]{1,6}( [a-z]{1,6})?"), strategies::question()), 1..6),
        ) {
            let bank = bank_of(raw);
            let (zip, notes) = export_package(&bank, &HashMap::new(), "Ngân hàng").map_err(TestCaseError::fail)?;
            prop_assume!(notes.is_empty());
            let imported = parse_qti(&zip).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let report = imported.report;
            prop_assert!(report.is_clean(), "{:?}", report.problems);
            let back: Vec<(Option<String>, Question)> = report
                .questions
                .into_iter()
                .map(|q| {
                    let mut question = q.question;
                    question.prompt = to_xhtml(&question.prompt, str::to_string);
                    question.explanation = question.explanation.as_deref().map(|e| to_xhtml(e, str::to_string));
                    (q.category, question)
                })
                .collect();
            let expected: Vec<(Option<String>, Question)> =
                bank.iter().map(|(c, q)| (c.clone(), qti_view(q))).collect();
            prop_assert_eq!(back, expected);
        }

        /// A single item file reads back as its question (without the
        /// package's tags, category and difficulty).
        #[test]
        fn item_export_then_import_gives_the_same_question(mut q in strategies::question()) {
            q.id = "cau-hoi".into();
            let item = export_item(&q, "media/");
            // Texts whose formatting XHTML cannot give back (raw HTML in
            // the Markdown) are named in the item instead; see
            // `what_does_not_read_back_is_named`.
            prop_assume!(item.notes.is_empty());
            let imported = parse_qti(item.xml.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert!(imported.report.is_clean(), "{:?}\n{}", imported.report.problems, item.xml);
            let mut back = imported.report.questions[0].question.clone();
            back.prompt = to_xhtml(&back.prompt, str::to_string);
            back.explanation = back.explanation.as_deref().map(|e| to_xhtml(e, str::to_string));
            let mut expected = qti_view(&q);
            expected.tags = vec![];
            expected.difficulty = Difficulty::Medium;
            prop_assert_eq!(back, expected, "{}", item.xml);
        }

        /// Every item Lophoc writes keeps the QTI 3.0 schema's structural
        /// rules checked by `check_item`.
        #[test]
        fn items_keep_the_schema_rules(mut q in strategies::question()) {
            q.id = "9-cau".into();
            let item = export_item(&q, "../media/");
            let root = xml::parse(&item.xml).map_err(|e| TestCaseError::fail(format!("{e:?}\n{}", item.xml)))?;
            if let Err(e) = check_item(&root) {
                return Err(TestCaseError::fail(format!("{e}\n{}", item.xml)));
            }
        }
    }

    /// The rules of the QTI 3.0 ASI schema (`imsqti_asiv3p0_v1p0.xsd`) that
    /// Lophoc's items could break, checked by hand (no registry package
    /// ships the XSD):
    ///
    /// 1. the root is `qti-assessment-item` with the attributes the schema
    ///    requires (`identifier`, `title`, `adaptive`, `time-dependent`) and
    ///    an identifier of the schema's `qti-identifier` form (a letter or
    ///    `_` first; letters, digits, `-`, `_`, `.`);
    /// 2. its children come in the schema's sequence: response
    ///    declarations, outcome declarations, the item body, response
    ///    processing, modal feedback;
    /// 3. every declaration has `identifier` and `cardinality` (and
    ///    `base-type` for responses), from the schema's value lists;
    ///    identifiers are unique;
    /// 4. every interaction names a declared response, and every declared
    ///    response has its interaction;
    /// 5. choices, match sets and inline choices have unique identifiers of
    ///    the identifier form; `max-choices` and `max-associations` are
    ///    non-negative integers;
    /// 6. modal and inline feedback name a declared outcome and have the
    ///    required `identifier` and `show-hide` (`show` or `hide`);
    /// 7. every mapping entry has `map-key` and a numeric `mapped-value`;
    ///    every `qti-base-value` has a `base-type` and a value of that
    ///    type;
    /// 8. only elements of the QTI content model and its XHTML subset
    ///    appear in the item body.
    pub(crate) fn check_item(root: &Element) -> Result<(), String> {
        let identifier_form = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if root.name != "qti-assessment-item" {
            return Err(format!("root {}", root.name));
        }
        for a in ["identifier", "title", "adaptive", "time-dependent"] {
            root.attr(a).ok_or(format!("rule 1: no {a}"))?;
        }
        if !identifier_form(root.attr("identifier").unwrap_or_default()) {
            return Err("rule 1: identifier form".into());
        }
        let order = [
            "qti-response-declaration",
            "qti-outcome-declaration",
            "qti-item-body",
            "qti-response-processing",
            "qti-modal-feedback",
        ];
        let mut at = 0;
        for c in root.elements() {
            let i = order
                .iter()
                .position(|o| *o == c.name)
                .ok_or(format!("rule 2: {}", c.name))?;
            if i < at {
                return Err(format!("rule 2: {} out of order", c.name));
            }
            at = i;
        }
        let mut declared = Vec::new();
        let mut outcomes = Vec::new();
        for d in root
            .children_named("qti-response-declaration")
            .chain(root.children_named("qti-outcome-declaration"))
        {
            let id = d.attr("identifier").ok_or("rule 3: identifier")?;
            if declared.contains(&id) || outcomes.contains(&id) {
                return Err(format!("rule 3: {id} twice"));
            }
            let card = d.attr("cardinality").ok_or("rule 3: cardinality")?;
            if !["single", "multiple", "ordered", "record"].contains(&card) {
                return Err(format!("rule 3: cardinality {card}"));
            }
            if d.name == "qti-response-declaration" {
                let bt = d.attr("base-type").ok_or("rule 3: base-type")?;
                if ![
                    "identifier",
                    "string",
                    "float",
                    "integer",
                    "directedPair",
                    "pair",
                    "boolean",
                    "point",
                ]
                .contains(&bt)
                {
                    return Err(format!("rule 3: base-type {bt}"));
                }
                declared.push(id);
            } else {
                outcomes.push(id);
            }
        }
        let body = root.child("qti-item-body").ok_or("no body")?;
        let mut used = Vec::new();
        let allowed = [
            "p",
            "div",
            "span",
            "strong",
            "em",
            "b",
            "i",
            "ul",
            "ol",
            "li",
            "br",
            "img",
            "a",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "blockquote",
            "pre",
            "code",
            "hr",
            "sub",
            "sup",
            "del",
            "qti-choice-interaction",
            "qti-simple-choice",
            "qti-order-interaction",
            "qti-match-interaction",
            "qti-simple-match-set",
            "qti-simple-associable-choice",
            "qti-text-entry-interaction",
            "qti-inline-choice-interaction",
            "qti-inline-choice",
            "qti-extended-text-interaction",
            "qti-feedback-inline",
            "qti-rubric-block",
            "qti-content-body",
            "qti-prompt",
        ];
        let mut stack: Vec<&Element> = vec![body];
        while let Some(e) = stack.pop() {
            for c in e.elements() {
                if !allowed.contains(&c.name.as_str()) {
                    return Err(format!("rule 8: <{}>", c.name));
                }
                if c.name.ends_with("-interaction") {
                    let r = c
                        .attr("response-identifier")
                        .ok_or("rule 4: response-identifier")?;
                    if !declared.contains(&r) {
                        return Err(format!("rule 4: {r} undeclared"));
                    }
                    used.push(r);
                    for a in ["max-choices", "max-associations"] {
                        if let Some(v) = c.attr(a) {
                            v.parse::<u32>().map_err(|_| format!("rule 5: {a}"))?;
                        }
                    }
                    let mut ids = Vec::new();
                    for ch in c
                        .descendants("qti-simple-choice")
                        .into_iter()
                        .chain(c.descendants("qti-simple-associable-choice"))
                        .chain(c.descendants("qti-inline-choice"))
                    {
                        let id = ch.attr("identifier").ok_or("rule 5: choice identifier")?;
                        if !identifier_form(id) || ids.contains(&id) {
                            return Err(format!("rule 5: choice {id}"));
                        }
                        ids.push(id);
                    }
                }
                if c.name == "qti-feedback-inline" {
                    check_feedback(c, &outcomes)?;
                }
                stack.push(c);
            }
        }
        for d in &declared {
            if !used.contains(d) {
                return Err(format!("rule 4: {d} has no interaction"));
            }
        }
        for m in root.children_named("qti-modal-feedback") {
            check_feedback(m, &outcomes)?;
        }
        for e in root.descendants("qti-map-entry") {
            e.attr("map-key").ok_or("rule 7: map-key")?;
            let v = e.attr("mapped-value").ok_or("rule 7: mapped-value")?;
            v.parse::<f64>()
                .map_err(|_| format!("rule 7: mapped-value {v}"))?;
        }
        for b in root.descendants("qti-base-value") {
            let t = b.text();
            match b.attr("base-type").ok_or("rule 7: base-type")? {
                "float" => {
                    t.trim()
                        .parse::<f64>()
                        .map_err(|_| format!("rule 7: float {t}"))?;
                }
                "identifier" => {
                    if !identifier_form(t.trim()) {
                        return Err(format!("rule 7: identifier {t}"));
                    }
                }
                "string" => {}
                other => return Err(format!("rule 7: base-type {other}")),
            }
        }
        Ok(())
    }

    fn check_feedback(f: &Element, outcomes: &[&str]) -> Result<(), String> {
        let o = f
            .attr("outcome-identifier")
            .ok_or("rule 6: outcome-identifier")?;
        if !outcomes.contains(&o) {
            return Err(format!("rule 6: outcome {o} undeclared"));
        }
        f.attr("identifier").ok_or("rule 6: identifier")?;
        match f.attr("show-hide") {
            Some("show" | "hide") => Ok(()),
            _ => Err("rule 6: show-hide".into()),
        }
    }

    #[test]
    fn what_does_not_read_back_is_named() {
        let mut q = Question {
            id: "bang".into(),
            prompt: "| Năm | Sự kiện |\n|---|---|\n| 1930 | Thành lập Đảng |".into(),
            points: 1,
            difficulty: Difficulty::Medium,
            tags: vec![],
            explanation: Some("<?php ?>".into()),
            grader_note: None,
            body: QuestionBody::Opinion {},
        };
        let item = export_item(&q, "media/");
        assert_eq!(item.notes.len(), 2, "{:?}", item.notes);
        assert!(item.xml.contains("<!-- the formatting of the prompt"));
        q.prompt = "Ý kiến của đồng chí?".into();
        q.explanation = None;
        assert!(export_item(&q, "media/").notes.is_empty());
    }

    /// The package's manifest and test keep the QTI 3.0 content packaging
    /// rules: the manifest is `imsmanifest.xml` at the root in the CP
    /// namespace; every resource has an identifier, a QTI 3.0 type and an
    /// `href` that is also one of its `<file>`s; every file named exists in
    /// the ZIP; every dependency names a resource; every item reference of
    /// the test names an item file of the package.
    #[test]
    fn packages_keep_the_packaging_rules() {
        use std::io::Read as _;
        let png = super::super::media::make({
            let mut out = Vec::new();
            image::RgbImage::new(1, 1)
                .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .unwrap();
            out
        })
        .unwrap();
        let q = |id: &str, prompt: String| Question {
            id: id.into(),
            prompt,
            points: 1,
            difficulty: Difficulty::Easy,
            tags: vec!["Dân vận".into()],
            explanation: Some("Vì **thế**.".into()),
            grader_note: None,
            body: QuestionBody::TrueFalse {
                answer: false,
                feedback_true: Some("Sai.".into()),
                feedback_false: None,
            },
        };
        let bank = vec![
            (
                Some("Dân vận".to_string()),
                q("cau-1", format!("Xem ![sơ đồ]({MEDIA_URL}{})", png.name)),
            ),
            (None, q("2-cau", "Đúng hay sai?".into())),
        ];
        let media = HashMap::from([(png.name.clone(), png.clone())]);
        let (zip, notes) = export_package(&bank, &media, "Ngân hàng").unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
        let mut files = HashMap::new();
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            files.insert(f.name().unwrap().to_string(), data);
        }
        let manifest = xml::parse(std::str::from_utf8(&files["imsmanifest.xml"]).unwrap()).unwrap();
        assert_eq!(manifest.name, "manifest");
        assert!(std::str::from_utf8(&files["imsmanifest.xml"])
            .unwrap()
            .contains(&format!("xmlns=\"{CP_NS}\"")));
        let resources = manifest.descendants("resource");
        let ids: Vec<&str> = resources
            .iter()
            .map(|r| r.attr("identifier").unwrap())
            .collect();
        for r in &resources {
            let t = r.attr("type").unwrap();
            assert!(
                t == "imsqti_item_xmlv3p0" || t == "imsqti_test_xmlv3p0",
                "{t}"
            );
            let href = r.attr("href").unwrap();
            let listed: Vec<&str> = r
                .children_named("file")
                .map(|f| f.attr("href").unwrap())
                .collect();
            assert!(listed.contains(&href));
            for f in listed {
                assert!(files.contains_key(f), "{f} not in the package");
            }
            for d in r.children_named("dependency") {
                assert!(ids.contains(&d.attr("identifierref").unwrap()));
            }
            if t == "imsqti_item_xmlv3p0" {
                let item = xml::parse(std::str::from_utf8(&files[href]).unwrap()).unwrap();
                check_item(&item).unwrap();
            }
        }
        assert!(files.contains_key(&format!("media/{}", png.name)));
        let test = xml::parse(std::str::from_utf8(&files["tests/ngan-hang.xml"]).unwrap()).unwrap();
        assert_eq!(test.name, "qti-assessment-test");
        let refs = test.descendants("qti-assessment-item-ref");
        assert_eq!(refs.len(), 2);
        for r in refs {
            let href = r.attr("href").unwrap().trim_start_matches("../");
            assert!(files.contains_key(href), "{href}");
        }
        // And the package reads back with its image.
        let back = parse_qti(&zip).unwrap();
        assert!(back.report.is_clean(), "{:?}", back.report.problems);
        assert_eq!(back.media, vec![png]);
        assert_eq!(
            back.report.questions[0].category.as_deref(),
            Some("Dân vận")
        );
        assert_eq!(back.report.questions[1].id, "2-cau");
        assert_eq!(
            back.report.questions[0].question.difficulty,
            Difficulty::Easy
        );
    }
}
