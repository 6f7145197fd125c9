//! Notes on an imported question: what a question-bank import (GIFT,
//! Aiken, Moodle XML, QTI, XLSX) kept, changed or left out, each as a code
//! with its parameters (lines, option ids, weights, names), never a
//! sentence, so the lecturer reads them in the interface's language.
//!
//! Policy: as [`crate::problem`]'s problems. One variant per thing an
//! import does that the lecturer should know of, the same variant for the
//! same fact in every format; where it happened (a line, a gap) travels
//! with it. The sentences live in the third catalogue, [`NoteMsg`], which
//! only the `server` feature compiles: the server sends each note's
//! sentences in both languages beside its code
//! (`crate::question::import::ImportNote`), and the client reads only the
//! sentences, so no `.wasm` carries the catalogue. Values from the file
//! (names, answers, weights as written) are quoted as they are.

use serde::{Deserialize, Serialize};

#[cfg(any(test, feature = "server"))]
use crate::i18n::{catalogue, Lang};

/// The kind of the one gap a GIFT missing-word question becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blank {
    /// A drop-down list of options.
    Choice,
    /// Typed text.
    Text,
    /// A number.
    Number,
}

/// Why an image of a file is not kept with the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageRefusal {
    /// Larger than `max_mb` megabytes.
    TooLarge { max_mb: usize },
    /// An SVG image, which can carry scripts.
    Svg,
    /// Not a PNG, JPEG, GIF or WebP image.
    NotAnImage,
}

/// One note on an imported question, as a code with its parameters. See
/// the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Note {
    // Ids, categories and tags.
    /// A GIFT comment `// [id:…]` gave the id.
    IdFromComment { idnumber: String, id: String },
    /// The question's title (GIFT `::title::`) gave the id.
    IdFromTitle { title: String, id: String },
    /// Moodle's `<idnumber>` gave the id.
    IdFromIdnumber { idnumber: String, id: String },
    /// Moodle's question name gave the id.
    IdFromName { name: String, id: String },
    /// A QTI item's identifier gave the id; `path` is the item's file in
    /// the package.
    IdFromIdentifier {
        path: String,
        identifier: String,
        id: String,
    },
    /// The spreadsheet's "Mã câu" was not a valid id, or not unique in the
    /// file: the question got `id`.
    IdChanged { given: String, id: String },
    /// The category (GIFT `$CATEGORY:`, Moodle's, a QTI package's) is also
    /// a tag.
    CategoryKept { category: String },
    /// A GIFT comment `// [tag:…]` gave a tag.
    TagKept { tag: String },

    // The kind each question was read as, and its answers.
    /// A single or multiple choice question with `options` options, the
    /// ids (or letters) of the right ones in `correct`.
    Choice {
        single: bool,
        options: usize,
        correct: Vec<String>,
    },
    /// A true/false question whose statement is `answer`.
    TrueFalse { answer: bool },
    /// A short answer question accepting `accepted` for full marks.
    ShortAnswer { accepted: Vec<String> },
    /// A short answer question with `count` accepted answers.
    ShortAnswerCount { count: usize },
    /// A numerical question accepting `values` (with their tolerance).
    Numerical { values: Vec<String> },
    /// A numerical question with `count` accepted values.
    NumericalCount { count: usize },
    /// A matching question of `pairs` pairs.
    Matching { pairs: usize },
    /// An ordering question of `items` items.
    Ordering { items: usize },
    /// A fill-in-the-blanks question (Moodle's cloze, QTI's inline
    /// interactions) with `gaps` gaps.
    FillBlanks { gaps: usize },
    /// A GIFT missing-word question became a fill-in-the-blanks question
    /// with one gap, `{1}` in its text.
    MissingWordGap { blank: Blank },
    /// A GIFT missing-word question of another kind keeps its kind, with
    /// Moodle's `_____` in its text.
    MissingWordUnderscores,
    /// An essay worth 0 marks became an opinion question.
    Opinion,
    /// An essay kept Lophoc's own rubric (from a file Lophoc exported).
    RubricKept { criteria: usize },
    /// An essay with no rubric in the file is marked on one criterion.
    EssayOneCriterion { criterion: String, points: u32 },

    // Texts.
    /// The general feedback became the explanation; `marker` is its sign
    /// in the file where it has one (GIFT's `####`).
    GeneralFeedbackKept {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        marker: Option<String>,
    },
    /// The explanation (QTI's own) was kept.
    ExplanationKept,
    /// A QTI modal feedback became the explanation.
    ModalFeedbackKept { id: String },
    /// A QTI modal feedback was left out: there is one explanation.
    ModalFeedbackLeftOut { id: String },
    /// HTML texts were rewritten as Markdown; `lines` where the file
    /// numbers them (GIFT's `[html]`), else empty.
    HtmlAsMarkdown { lines: Vec<usize> },
    /// Elements dropped from HTML with their content (scripts, frames).
    HtmlDropped { elements: Vec<String> },

    // Feedback.
    /// An option's feedback was kept.
    OptionFeedbackKept { option: String },
    /// The feedback for the answer `answer` of a true/false question was
    /// kept.
    TrueFalseFeedbackKept { answer: bool },
    /// An accepted answer's feedback was kept.
    AnswerFeedbackKept {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        answer: String,
    },
    /// A numerical value's feedback was kept.
    ValueFeedbackKept { line: usize, value: String },
    /// GIFT's feedback for any other number was left out.
    OtherNumberFeedbackLeftOut { line: usize, feedback: String },
    /// A Moodle hint was left out.
    HintLeftOut { line: usize },
    /// Moodle's combined feedback `field` (`correctfeedback`…) was left out.
    CombinedFeedbackLeftOut { field: String },
    /// A QTI feedback or template element was left out of a text.
    FeedbackElementLeftOut { line: usize, element: String },

    // Marks and answers.
    /// A weight of a wrong option of a single choice question was dropped.
    SingleWeightDropped {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        option: String,
        weight: String,
    },
    /// A multiple choice question's weights are not equal shares; Lophoc
    /// gives each of the `correct` right options one share. `lines` are
    /// the first and last answer's, where the file numbers them.
    UnequalShares {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lines: Option<(usize, usize)>,
        weights: Vec<String>,
        correct: usize,
    },
    /// An accepted answer earns `credit` (a percentage as written).
    AnswerCredit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        answer: String,
        credit: String,
    },
    /// A numerical value earns `credit`.
    ValueCredit { value: String, credit: String },
    /// The partial credit of a drop-down gap's wrong options was dropped.
    DropDownPartialDropped { gap: usize },
    /// Moodle's `*`, any other answer (or number), was left out;
    /// `with_feedback` when it had feedback.
    CatchAllLeftOut {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        #[serde(default)]
        number: bool,
        #[serde(default)]
        with_feedback: bool,
    },
    /// Moodle reads `*` in `answer` as any text; Lophoc compares it as
    /// written.
    Wildcard {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        answer: String,
    },
    /// Moodle's "case matters" was left out: Lophoc ignores case.
    CaseIgnored {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
    },
    /// An answer is case-sensitive in the file (QTI): Lophoc ignores case.
    AnswerCaseIgnored { answer: String },
    /// Tone marks must match: "ignore tone marks" is off.
    ToneMarksMustMatch,
    /// Moodle's units were left out.
    UnitsLeftOut,
    /// Moodle's default mark was rounded up to whole points.
    MarkRoundedUp { mark: String, points: u32 },
    /// A QTI maximum score was rounded up to whole points.
    MaxScoreRoundedUp { score: String, points: u32 },
    /// Moodle shows only some items of an ordering question; Lophoc all.
    SubsetShownAll,
    /// Moodle's grading type of an ordering question was left out.
    GradingTypeLeftOut,
    /// A cloze gap's radio buttons are shown as a drop-down.
    RadioAsDropDown { gap: usize },
    /// A right item with no left item became a distractor.
    Distractor {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        item: String,
    },

    // Images.
    /// An image was kept with the bank under `name`.
    ImageKept { image: String, name: String },
    /// An image was not kept, for `reason`.
    ImageRefused { image: String, reason: ImageRefusal },
    /// An image was left out: one import keeps at most `max`.
    TooManyImages { image: String, max: usize },
    /// An image a Moodle text names is not in the file; the link stays.
    ImageNotInFile { image: String },
    /// An image a QTI text names is not in the package; left out.
    ImageNotInPackage { image: String },
    /// An image in a text Lophoc shows as plain text (an option, an item, a
    /// feedback) was left out; `text` is the start of that text, where
    /// known.
    ImageInPlainText {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// A Moodle `<file>` is not valid base64.
    FileNotBase64 { line: usize, name: String },

    // Aiken.
    /// The question follows the options of the question on line
    /// `previous`, which had no `ANSWER:` line, with no blank line between.
    FollowsUnfinished { line: usize, previous: usize },

    // Spreadsheets.
    /// Column `column`, headed `name`, is not in the template.
    UnknownColumn { column: String, name: String },
    /// The "Phương án" columns of a question that has no options.
    OptionColumnsUnused,
    /// The "Đáp án đúng" column of an essay.
    AnswerColumnUnused,
    /// Some "Phương án" cells before "Phương án `before`" are empty; the
    /// options are `letters`.
    OptionColumnsSkipped {
        before: String,
        letters: Vec<String>,
    },
}

#[cfg(any(test, feature = "server"))]
impl Note {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Note::*;
        use NoteMsg as M;
        let n = |v: &dyn ToString| v.to_string();
        let quoted = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("“{i}”"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let truth = |value: bool| if value { M::True } else { M::False }.text(lang);
        let at_line = |line: Option<usize>, text: String| match line {
            Some(l) => M::AtLine.format(lang, &[("line", &n(&l)), ("text", &text)]),
            None => text,
        };
        let at_gap = |gap: Option<usize>, text: String| match gap {
            Some(g) => M::AtGap.format(lang, &[("gap", &n(&g)), ("text", &text)]),
            None => text,
        };
        match self {
            IdFromComment { idnumber, id } => {
                M::IdFromComment.format(lang, &[("idnumber", idnumber), ("id", id)])
            }
            IdFromTitle { title, id } => {
                M::IdFromTitle.format(lang, &[("title", title), ("id", id)])
            }
            IdFromIdnumber { idnumber, id } => {
                M::IdFromIdnumber.format(lang, &[("idnumber", idnumber), ("id", id)])
            }
            IdFromName { name, id } => M::IdFromName.format(lang, &[("name", name), ("id", id)]),
            IdFromIdentifier {
                path,
                identifier,
                id,
            } => M::IdFromIdentifier.format(
                lang,
                &[("path", path), ("identifier", identifier), ("id", id)],
            ),
            IdChanged { given, id } => M::IdChanged.format(lang, &[("given", given), ("id", id)]),
            CategoryKept { category } => M::CategoryKept.format(lang, &[("category", category)]),
            TagKept { tag } => M::TagKept.format(lang, &[("tag", tag)]),
            Choice {
                single,
                options,
                correct,
            } => {
                let msg = if *single {
                    M::ChoiceSingle
                } else {
                    M::ChoiceMultiple
                };
                let correct = if correct.is_empty() {
                    M::NoneCorrect.text(lang).to_string()
                } else {
                    correct.join(", ")
                };
                msg.format(lang, &[("options", &n(options)), ("correct", &correct)])
            }
            TrueFalse { answer } => M::TrueFalse.format(lang, &[("answer", truth(*answer))]),
            ShortAnswer { accepted } => {
                M::ShortAnswer.format(lang, &[("accepted", &quoted(accepted))])
            }
            ShortAnswerCount { count } => M::ShortAnswerCount.format(lang, &[("count", &n(count))]),
            Numerical { values } => M::Numerical.format(lang, &[("values", &values.join("; "))]),
            NumericalCount { count } => M::NumericalCount.format(lang, &[("count", &n(count))]),
            Matching { pairs } => M::Matching.format(lang, &[("pairs", &n(pairs))]),
            Ordering { items } => M::Ordering.format(lang, &[("items", &n(items))]),
            FillBlanks { gaps } => M::FillBlanks.format(lang, &[("gaps", &n(gaps))]),
            MissingWordGap { blank } => {
                let blank = match blank {
                    Blank::Choice => M::BlankChoice,
                    Blank::Text => M::BlankText,
                    Blank::Number => M::BlankNumber,
                }
                .text(lang);
                M::MissingWordGap.format(lang, &[("blank", blank), ("marker", "{1}")])
            }
            MissingWordUnderscores => M::MissingWordUnderscores.text(lang).to_string(),
            Opinion => M::Opinion.text(lang).to_string(),
            RubricKept { criteria } => M::RubricKept.format(lang, &[("criteria", &n(criteria))]),
            EssayOneCriterion { criterion, points } => M::EssayOneCriterion
                .format(lang, &[("criterion", criterion), ("points", &n(points))]),
            GeneralFeedbackKept { marker } => match marker {
                Some(marker) => M::GeneralFeedbackMarked.format(lang, &[("marker", marker)]),
                None => M::GeneralFeedbackKept.text(lang).to_string(),
            },
            ExplanationKept => M::ExplanationKept.text(lang).to_string(),
            ModalFeedbackKept { id } => M::ModalFeedbackKept.format(lang, &[("id", id)]),
            ModalFeedbackLeftOut { id } => M::ModalFeedbackLeftOut.format(lang, &[("id", id)]),
            HtmlAsMarkdown { lines } => match lines.as_slice() {
                [] => M::HtmlAsMarkdown.text(lang).to_string(),
                [line] => at_line(Some(*line), M::HtmlTextAsMarkdown.text(lang).to_string()),
                lines => {
                    let listed: Vec<String> = lines.iter().map(usize::to_string).collect();
                    M::AtLineList.format(
                        lang,
                        &[
                            ("lines", &listed.join(", ")),
                            ("text", M::HtmlTextAsMarkdown.text(lang)),
                        ],
                    )
                }
            },
            HtmlDropped { elements } => {
                M::HtmlDropped.format(lang, &[("elements", &elements.join(", "))])
            }
            OptionFeedbackKept { option } => {
                M::OptionFeedbackKept.format(lang, &[("option", option)])
            }
            TrueFalseFeedbackKept { answer } => {
                M::TrueFalseFeedbackKept.format(lang, &[("answer", truth(*answer))])
            }
            AnswerFeedbackKept { line, answer } => at_line(
                *line,
                M::AnswerFeedbackKept.format(lang, &[("answer", answer)]),
            ),
            ValueFeedbackKept { line, value } => at_line(
                Some(*line),
                M::ValueFeedbackKept.format(lang, &[("value", value)]),
            ),
            OtherNumberFeedbackLeftOut { line, feedback } => at_line(
                Some(*line),
                M::OtherNumberFeedbackLeftOut.format(lang, &[("feedback", feedback)]),
            ),
            HintLeftOut { line } => at_line(Some(*line), M::HintLeftOut.text(lang).to_string()),
            CombinedFeedbackLeftOut { field } => {
                M::CombinedFeedbackLeftOut.format(lang, &[("field", field)])
            }
            FeedbackElementLeftOut { line, element } => at_line(
                Some(*line),
                M::FeedbackElementLeftOut.format(lang, &[("element", element)]),
            ),
            SingleWeightDropped {
                line,
                option,
                weight,
            } => at_line(
                *line,
                M::SingleWeightDropped.format(lang, &[("option", option), ("weight", weight)]),
            ),
            UnequalShares {
                lines,
                weights,
                correct,
            } => {
                let text = M::UnequalShares.format(
                    lang,
                    &[("weights", &weights.join(", ")), ("correct", &n(correct))],
                );
                match lines {
                    Some((first, last)) if first == last => at_line(Some(*first), text),
                    Some((first, last)) => M::AtLines.format(
                        lang,
                        &[("first", &n(first)), ("last", &n(last)), ("text", &text)],
                    ),
                    None => text,
                }
            }
            AnswerCredit {
                line,
                answer,
                credit,
            } => at_line(
                *line,
                M::AnswerCredit.format(lang, &[("answer", answer), ("credit", credit)]),
            ),
            ValueCredit { value, credit } => {
                M::ValueCredit.format(lang, &[("value", value), ("credit", credit)])
            }
            DropDownPartialDropped { gap } => {
                at_gap(Some(*gap), M::DropDownPartialDropped.text(lang).to_string())
            }
            CatchAllLeftOut {
                line,
                gap,
                number,
                with_feedback,
            } => {
                let msg = match (number, with_feedback) {
                    (false, false) => M::CatchAll,
                    (false, true) => M::CatchAllWithFeedback,
                    (true, false) => M::CatchAllNumber,
                    (true, true) => M::CatchAllNumberWithFeedback,
                };
                at_line(*line, at_gap(*gap, msg.text(lang).to_string()))
            }
            Wildcard { line, gap, answer } => at_line(
                *line,
                at_gap(*gap, M::Wildcard.format(lang, &[("answer", answer)])),
            ),
            CaseIgnored { gap } => at_gap(*gap, M::CaseIgnored.text(lang).to_string()),
            AnswerCaseIgnored { answer } => {
                M::AnswerCaseIgnored.format(lang, &[("answer", answer)])
            }
            ToneMarksMustMatch => M::ToneMarksMustMatch.text(lang).to_string(),
            UnitsLeftOut => M::UnitsLeftOut.text(lang).to_string(),
            MarkRoundedUp { mark, points } => {
                M::MarkRoundedUp.format(lang, &[("mark", mark), ("points", &n(points))])
            }
            MaxScoreRoundedUp { score, points } => {
                M::MaxScoreRoundedUp.format(lang, &[("score", score), ("points", &n(points))])
            }
            SubsetShownAll => M::SubsetShownAll.text(lang).to_string(),
            GradingTypeLeftOut => M::GradingTypeLeftOut.text(lang).to_string(),
            RadioAsDropDown { gap } => {
                at_gap(Some(*gap), M::RadioAsDropDown.text(lang).to_string())
            }
            Distractor { line, item } => {
                at_line(*line, M::Distractor.format(lang, &[("item", item)]))
            }
            ImageKept { image, name } => {
                M::ImageKept.format(lang, &[("image", image), ("name", name)])
            }
            ImageRefused { image, reason } => {
                let reason = match reason {
                    ImageRefusal::TooLarge { max_mb } => {
                        M::RefusedTooLarge.format(lang, &[("max", &n(max_mb))])
                    }
                    ImageRefusal::Svg => M::RefusedSvg.text(lang).to_string(),
                    ImageRefusal::NotAnImage => M::RefusedNotAnImage.text(lang).to_string(),
                };
                M::ImageRefused.format(lang, &[("image", image), ("reason", &reason)])
            }
            TooManyImages { image, max } => {
                M::TooManyImages.format(lang, &[("image", image), ("max", &n(max))])
            }
            ImageNotInFile { image } => M::ImageNotInFile.format(lang, &[("image", image)]),
            ImageNotInPackage { image } => M::ImageNotInPackage.format(lang, &[("image", image)]),
            ImageInPlainText { text } => match text {
                Some(text) => M::ImageInText.format(lang, &[("text", text)]),
                None => M::ImageInChoice.text(lang).to_string(),
            },
            FileNotBase64 { line, name } => at_line(
                Some(*line),
                M::FileNotBase64.format(lang, &[("name", name)]),
            ),
            FollowsUnfinished { line, previous } => at_line(
                Some(*line),
                M::FollowsUnfinished.format(lang, &[("previous", &n(previous))]),
            ),
            UnknownColumn { column, name } => {
                M::UnknownColumn.format(lang, &[("column", column), ("name", name)])
            }
            OptionColumnsUnused => M::OptionColumnsUnused.text(lang).to_string(),
            AnswerColumnUnused => M::AnswerColumnUnused.text(lang).to_string(),
            OptionColumnsSkipped { before, letters } => M::OptionColumnsSkipped.format(
                lang,
                &[("before", before), ("letters", &letters.join(", "))],
            ),
        }
    }
}

#[cfg(any(test, feature = "server"))]
catalogue! {
    /// The sentence of a [`Note`] (or a piece of one). Server only.
    NoteMsg;

    AtLine { vi: "Dòng {line}: {text}", en: "Line {line}: {text}" }
    AtLines { vi: "Dòng {first}–{last}: {text}", en: "Lines {first}–{last}: {text}" }
    AtLineList { vi: "Dòng {lines}: {text}", en: "Lines {lines}: {text}" }
    AtGap { vi: "Ô trống số {gap}: {text}", en: "Gap {gap}: {text}" }
    True { vi: "Đúng", en: "true" }
    False { vi: "Sai", en: "false" }
    NoneCorrect { vi: "không có", en: "none" }
    BlankChoice { vi: "danh sách chọn", en: "a drop-down" }
    BlankText { vi: "ô nhập chữ", en: "a short answer" }
    BlankNumber { vi: "ô nhập số", en: "a number" }

    IdFromComment {
        vi: "Mã câu hỏi “{id}” được lấy từ chú thích [id:{idnumber}].",
        en: "The id “{id}” comes from the comment [id:{idnumber}].",
    }
    IdFromTitle {
        vi: "Mã câu hỏi “{id}” được lấy từ tiêu đề “{title}”.",
        en: "The id “{id}” comes from the title “{title}”.",
    }
    IdFromIdnumber {
        vi: "Mã câu hỏi “{id}” được lấy từ mã số (idnumber) “{idnumber}” của Moodle.",
        en: "The id “{id}” comes from the Moodle idnumber “{idnumber}”.",
    }
    IdFromName {
        vi: "Mã câu hỏi “{id}” được lấy từ tên câu hỏi “{name}”.",
        en: "The id “{id}” comes from the question name “{name}”.",
    }
    IdFromIdentifier {
        vi: "Mã câu hỏi “{id}” được lấy từ định danh (identifier) “{identifier}” của tệp {path}.",
        en: "The id “{id}” comes from the identifier “{identifier}” of {path}.",
    }
    IdChanged {
        vi: "Giá trị “{given}” ở cột “Mã câu” được đổi thành mã “{id}” (mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, và không trùng nhau trong một tệp).",
        en: "The “Mã câu” “{given}” became the id “{id}” (ids use only a-z, 0-9 and '-', and are unique in a file).",
    }
    CategoryKept {
        vi: "Danh mục “{category}” được giữ làm nhãn của câu hỏi.",
        en: "The category “{category}” is kept as a tag.",
    }
    TagKept {
        vi: "Chú thích [tag:{tag}] được giữ làm nhãn của câu hỏi.",
        en: "The comment [tag:{tag}] is kept as a tag.",
    }

    ChoiceSingle {
        vi: "Câu một lựa chọn: {options} phương án, phương án đúng: {correct}.",
        en: "Single choice: {options} {options|option|options}, {correct} correct.",
    }
    ChoiceMultiple {
        vi: "Câu nhiều lựa chọn: {options} phương án, các phương án đúng: {correct}.",
        en: "Multiple choice: {options} {options|option|options}, {correct} correct.",
    }
    TrueFalse {
        vi: "Câu đúng/sai: nhận định này là “{answer}”.",
        en: "True/false: the statement is {answer}.",
    }
    ShortAnswer {
        vi: "Câu trả lời ngắn; đáp án được chấp nhận: {accepted}.",
        en: "Short answer accepting {accepted}.",
    }
    ShortAnswerCount {
        vi: "Câu trả lời ngắn: {count} đáp án được chấp nhận.",
        en: "Short answer: {count} accepted {count|answer|answers}.",
    }
    Numerical {
        vi: "Câu trả lời bằng số; giá trị được chấp nhận: {values}.",
        en: "Numerical, accepting {values}.",
    }
    NumericalCount {
        vi: "Câu trả lời bằng số: {count} giá trị được chấp nhận.",
        en: "Numerical: {count} accepted {count|value|values}.",
    }
    Matching { vi: "Câu ghép cặp: {pairs} cặp ghép.", en: "Matching: {pairs} {pairs|pair|pairs}." }
    Ordering { vi: "Câu sắp xếp: {items} mục.", en: "Ordering: {items} {items|item|items}." }
    FillBlanks {
        vi: "Câu điền vào chỗ trống: {gaps} ô trống.",
        en: "Fill in the blanks: {gaps} {gaps|gap|gaps}.",
    }
    MissingWordGap {
        vi: "Câu điền từ còn thiếu: được nhập thành câu điền vào chỗ trống có một ô trống ({blank}), đánh dấu {marker} trong nội dung.",
        en: "Missing word: a fill-in-the-blanks question with one gap ({blank}), {marker} in the text.",
    }
    MissingWordUnderscores {
        vi: "Câu điền từ còn thiếu: sau phần đáp án vẫn còn nội dung; như Moodle, chỗ trống được hiện là _____ trong nội dung.",
        en: "Missing word: text follows the answer part; as in Moodle, the blank shows as _____ in the text.",
    }
    Opinion {
        vi: "Câu tự luận 0 điểm: được nhập thành câu hỏi ý kiến (thu thập câu trả lời, không chấm điểm).",
        en: "An essay worth 0 marks: an opinion question (answers collected, never marked).",
    }
    RubricKept {
        vi: "Câu tự luận: giữ {criteria} tiêu chí chấm của tệp.",
        en: "Essay: the rubric's {criteria} {criteria|criterion|criteria} kept.",
    }
    EssayOneCriterion {
        vi: "Câu tự luận: tệp không có tiêu chí chấm, nên câu được chấm theo một tiêu chí “{criterion}”, {points} điểm; hãy sửa tiêu chí chấm trước khi xuất bản.",
        en: "Essay: the file has no rubric, so it is marked on one criterion “{criterion}” worth {points} {points|point|points}; edit the rubric before publishing.",
    }

    GeneralFeedbackKept {
        vi: "Phản hồi chung được giữ làm phần giải thích.",
        en: "The general feedback is kept as the explanation.",
    }
    GeneralFeedbackMarked {
        vi: "Phản hồi chung ({marker}) được giữ làm phần giải thích.",
        en: "The general feedback ({marker}) is kept as the explanation.",
    }
    ExplanationKept { vi: "Đã giữ phần giải thích.", en: "The explanation is kept." }
    ModalFeedbackKept {
        vi: "Phản hồi “{id}” được giữ làm phần giải thích.",
        en: "The modal feedback “{id}” is kept as the explanation.",
    }
    ModalFeedbackLeftOut {
        vi: "Đã bỏ phản hồi “{id}” vì mỗi câu hỏi của Lophoc chỉ có một phần giải thích.",
        en: "The modal feedback “{id}” is left out: Lophoc has one explanation.",
    }
    HtmlAsMarkdown {
        vi: "Các đoạn HTML được chuyển sang Markdown (nội dung của Lophoc viết bằng Markdown).",
        en: "The HTML texts were rewritten as Markdown (Lophoc texts are Markdown).",
    }
    HtmlTextAsMarkdown {
        vi: "Đoạn [html] được chuyển sang Markdown (nội dung của Lophoc viết bằng Markdown).",
        en: "The [html] text was rewritten as Markdown (Lophoc texts are Markdown).",
    }
    HtmlDropped {
        vi: "Đã loại khỏi HTML các thẻ sau cùng nội dung bên trong, không cho chạy: {elements}.",
        en: "Dropped from the HTML with their content, never run: {elements}.",
    }

    OptionFeedbackKept {
        vi: "Đã giữ phản hồi của phương án {option}.",
        en: "The feedback on option {option} is kept.",
    }
    TrueFalseFeedbackKept {
        vi: "Đã giữ phản hồi khi học viên chọn “{answer}”.",
        en: "The feedback for the answer “{answer}” is kept.",
    }
    AnswerFeedbackKept {
        vi: "Đã giữ phản hồi của đáp án “{answer}”.",
        en: "The feedback on the answer “{answer}” is kept.",
    }
    ValueFeedbackKept {
        vi: "Đã giữ phản hồi của giá trị {value}.",
        en: "The feedback on the value {value} is kept.",
    }
    OtherNumberFeedbackLeftOut {
        vi: "Đã bỏ phản hồi “{feedback}” dành cho mọi số khác vì Lophoc không có phản hồi riêng cho số sai (hãy đưa nội dung này vào phản hồi chung).",
        en: "The feedback “{feedback}” for any other number is left out: Lophoc has no feedback for wrong numbers (put it in the general feedback).",
    }
    HintLeftOut { vi: "Đã bỏ gợi ý vì Lophoc không có phần gợi ý.", en: "A hint is left out: Lophoc has no hints." }
    CombinedFeedbackLeftOut {
        vi: "Đã bỏ phản hồi tổng hợp ({field}) vì Lophoc hiện phản hồi của từng đáp án và phần giải thích.",
        en: "The combined feedback ({field}) is left out: Lophoc shows each answer's feedback and the explanation.",
    }
    FeedbackElementLeftOut {
        vi: "Đã bỏ phần tử <{element}> vì Lophoc hiện phản hồi sau khi học viên trả lời.",
        en: "<{element}> is left out: Lophoc shows feedback after answering.",
    }

    SingleWeightDropped {
        vi: "Đã bỏ trọng số {weight} của phương án {option} vì câu một lựa chọn chỉ có trọn điểm hoặc không điểm.",
        en: "The weight {weight} of option {option} is dropped: a single choice question is all or nothing.",
    }
    UnequalShares {
        vi: "Các trọng số {weights} của Moodle không chia đều; Lophoc tính điểm từng phần như sau: câu có {correct} phương án đúng (trọng số dương), mỗi phương án đúng mà học viên chọn được 1/{correct} số điểm, mỗi phương án sai mà học viên chọn bị trừ 1/{correct}.",
        en: "The Moodle weights {weights} are not equal shares; Lophoc's partial credit is: each of the {correct} correct {correct|option|options} (those with a positive weight) chosen earns 1/{correct} of the points and each wrong option chosen takes 1/{correct} away.",
    }
    AnswerCredit {
        vi: "Đáp án “{answer}” được {credit} số điểm.",
        en: "The answer “{answer}” earns {credit}.",
    }
    ValueCredit { vi: "Giá trị {value} được {credit} số điểm.", en: "The value {value} earns {credit}." }
    DropDownPartialDropped {
        vi: "Đã bỏ điểm từng phần của các phương án sai vì danh sách chọn chỉ có trọn điểm hoặc không điểm.",
        en: "The partial credit of wrong options is dropped: a drop-down is all or nothing.",
    }
    CatchAll {
        vi: "Đã bỏ đáp án “*” (mọi câu trả lời khác) vì Lophoc không có đáp án nhận mọi câu trả lời.",
        en: "The answer “*” (any other answer) is left out: Lophoc has no catch-all answer.",
    }
    CatchAllWithFeedback {
        vi: "Đã bỏ đáp án “*” (mọi câu trả lời khác) cùng phản hồi của nó vì Lophoc không có đáp án nhận mọi câu trả lời.",
        en: "The answer “*” (any other answer, with its feedback) is left out: Lophoc has no catch-all answer.",
    }
    CatchAllNumber {
        vi: "Đã bỏ đáp án “*” (mọi số khác) vì Lophoc không có đáp án nhận mọi câu trả lời.",
        en: "The answer “*” (any other number) is left out: Lophoc has no catch-all answer.",
    }
    CatchAllNumberWithFeedback {
        vi: "Đã bỏ đáp án “*” (mọi số khác) cùng phản hồi của nó vì Lophoc không có đáp án nhận mọi câu trả lời.",
        en: "The answer “*” (any other number, with its feedback) is left out: Lophoc has no catch-all answer.",
    }
    Wildcard {
        vi: "Moodle hiểu dấu * trong “{answer}” là một đoạn chữ bất kỳ; Lophoc so khớp đúng như đã viết.",
        en: "Moodle reads * in “{answer}” as any text; Lophoc compares it as written.",
    }
    CaseIgnored {
        vi: "Đã bỏ tùy chọn phân biệt chữ hoa, chữ thường của Moodle vì Lophoc không phân biệt chữ hoa, chữ thường.",
        en: "Moodle's “case matters” is left out: Lophoc ignores case.",
    }
    AnswerCaseIgnored {
        vi: "Trong tệp, đáp án “{answer}” phân biệt chữ hoa, chữ thường; Lophoc không phân biệt.",
        en: "The answer “{answer}” is case-sensitive in the file; Lophoc ignores case.",
    }
    ToneMarksMustMatch {
        vi: "Câu trả lời phải gõ đúng dấu (tùy chọn “Chấp nhận cả khi gõ không dấu” đang tắt); hãy bật tùy chọn này nếu muốn chấp nhận cả câu trả lời gõ không dấu.",
        en: "Tone marks must match (“Also accept answers typed without tone marks” is off); turn it on to accept answers typed without tone marks too.",
    }
    UnitsLeftOut {
        vi: "Đã bỏ đơn vị đo vì đáp án của câu trả lời bằng số trong Lophoc chỉ là số.",
        en: "Units are left out: Lophoc's numerical answers are plain numbers.",
    }
    MarkRoundedUp {
        vi: "Điểm mặc định {mark} được làm tròn lên {points} điểm (Lophoc chấm theo điểm nguyên).",
        en: "The default mark {mark} is rounded up to {points} {points|point|points} (Lophoc marks questions in whole points).",
    }
    MaxScoreRoundedUp {
        vi: "Điểm tối đa {score} được làm tròn lên {points} điểm (Lophoc chấm theo điểm nguyên).",
        en: "The maximum score {score} is rounded up to {points} {points|point|points} (Lophoc marks in whole points).",
    }
    SubsetShownAll {
        vi: "Moodle chỉ hiện một số mục; Lophoc hiện tất cả các mục.",
        en: "Moodle shows only some of the items; Lophoc shows them all.",
    }
    GradingTypeLeftOut {
        vi: "Đã bỏ cách chấm điểm của Moodle vì Lophoc cho một phần số điểm với mỗi mục đặt đúng vị trí.",
        en: "Moodle's grading type is left out: Lophoc gives a share of the points for each item in its right place.",
    }
    RadioAsDropDown {
        vi: "Các nút chọn của Moodle được hiện thành danh sách chọn.",
        en: "Moodle's radio buttons are shown as a drop-down.",
    }
    Distractor {
        vi: "Vế phải “{item}” không có vế trái nên được giữ làm phương án nhiễu.",
        en: "The right item “{item}” with no left item is kept as a distractor.",
    }

    ImageKept {
        vi: "Hình ảnh “{image}” được lưu cùng ngân hàng câu hỏi với tên {name}.",
        en: "The image “{image}” is kept with the bank as {name}.",
    }
    ImageRefused { vi: "Đã bỏ hình ảnh “{image}” vì {reason}.", en: "The image “{image}” is left out: {reason}." }
    RefusedTooLarge { vi: "ảnh lớn hơn {max} MB", en: "larger than {max} MB" }
    RefusedSvg {
        vi: "ảnh SVG có thể chứa mã chạy được; hãy lưu lại dưới dạng PNG",
        en: "an SVG image, which can carry scripts; save it as PNG",
    }
    RefusedNotAnImage {
        vi: "không phải ảnh PNG, JPEG, GIF hay WebP",
        en: "not a PNG, JPEG, GIF or WebP image",
    }
    TooManyImages {
        vi: "Đã bỏ hình ảnh “{image}” vì mỗi lần nhập chỉ lưu tối đa {max} hình ảnh.",
        en: "The image “{image}” is left out: more than {max} images in one file.",
    }
    ImageNotInFile {
        vi: "Hình ảnh “{image}” không có trong tệp; liên kết được giữ nguyên như đã viết.",
        en: "The image “{image}” is not in the file; its link is left as written.",
    }
    ImageNotInPackage {
        vi: "Đã bỏ hình ảnh “{image}” vì trong gói không có tệp này.",
        en: "The image “{image}” is not in the package; left out.",
    }
    ImageInText {
        vi: "Đã bỏ hình ảnh trong “{text}” vì phương án, mục và phản hồi trong Lophoc chỉ là chữ.",
        en: "An image in “{text}” is left out: options, items and feedback are text in Lophoc.",
    }
    ImageInChoice {
        vi: "Đã bỏ một hình ảnh trong phương án vì phương án trong Lophoc chỉ là chữ.",
        en: "An image in a choice is left out: choices are text in Lophoc.",
    }
    FileNotBase64 {
        vi: "Tệp “{name}” không phải dữ liệu base64 hợp lệ nên đã bị bỏ.",
        en: "The file “{name}” is not valid base64; left out.",
    }

    FollowsUnfinished {
        vi: "Câu này nằm ngay sau các phương án của câu hỏi ở dòng {previous} (không có dòng trống xen giữa), mà câu đó thiếu dòng ANSWER:; hãy kiểm tra xem đây có phải phần còn lại của câu đó không.",
        en: "This question follows, with no blank line, the options of the question on line {previous}, which had no ANSWER: line; check that it is not the rest of that question.",
    }

    UnknownColumn {
        vi: "Cột {column} (“{name}”) không có trong tệp mẫu nên giá trị của cột này đã bị bỏ qua.",
        en: "Column {column} (“{name}”) is not in the template; its value was left out.",
    }
    OptionColumnsUnused {
        vi: "Các cột “Phương án” chỉ dùng cho câu một lựa chọn và nhiều lựa chọn nên đã bị bỏ qua.",
        en: "The “Phương án” columns are only for một lựa chọn and nhiều lựa chọn questions; they were left out.",
    }
    AnswerColumnUnused {
        vi: "Câu tự luận không dùng cột “Đáp án đúng” nên cột này đã bị bỏ qua (có thể ghi đáp án mẫu vào cột “Giải thích”).",
        en: "“Đáp án đúng” is not used by tự luận questions; it was left out (a model answer can go in “Giải thích”).",
    }
    OptionColumnsSkipped {
        vi: "Có ô “Phương án” để trống trước ô “Phương án {before}”; các phương án là {letters}.",
        en: "Some “Phương án” cells before “Phương án {before}” are empty; the options are {letters}.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_message_exists_in_every_language_with_the_same_placeholders() {
        let faults = NoteMsg::faults();
        assert!(faults.is_empty(), "catalogue:\n{}", faults.join("\n"));
    }

    /// Where a note stands in [`one_of_each`]: a match with no wildcard,
    /// so a new code does not compile until it has a sample there.
    fn index(note: &Note) -> usize {
        match note {
            Note::IdFromComment { .. } => 0,
            Note::IdFromTitle { .. } => 1,
            Note::IdFromIdnumber { .. } => 2,
            Note::IdFromName { .. } => 3,
            Note::IdFromIdentifier { .. } => 4,
            Note::IdChanged { .. } => 5,
            Note::CategoryKept { .. } => 6,
            Note::TagKept { .. } => 7,
            Note::Choice { .. } => 8,
            Note::TrueFalse { .. } => 9,
            Note::ShortAnswer { .. } => 10,
            Note::ShortAnswerCount { .. } => 11,
            Note::Numerical { .. } => 12,
            Note::NumericalCount { .. } => 13,
            Note::Matching { .. } => 14,
            Note::Ordering { .. } => 15,
            Note::FillBlanks { .. } => 16,
            Note::MissingWordGap { .. } => 17,
            Note::MissingWordUnderscores => 18,
            Note::Opinion => 19,
            Note::RubricKept { .. } => 20,
            Note::EssayOneCriterion { .. } => 21,
            Note::GeneralFeedbackKept { .. } => 22,
            Note::ExplanationKept => 23,
            Note::ModalFeedbackKept { .. } => 24,
            Note::ModalFeedbackLeftOut { .. } => 25,
            Note::HtmlAsMarkdown { .. } => 26,
            Note::HtmlDropped { .. } => 27,
            Note::OptionFeedbackKept { .. } => 28,
            Note::TrueFalseFeedbackKept { .. } => 29,
            Note::AnswerFeedbackKept { .. } => 30,
            Note::ValueFeedbackKept { .. } => 31,
            Note::OtherNumberFeedbackLeftOut { .. } => 32,
            Note::HintLeftOut { .. } => 33,
            Note::CombinedFeedbackLeftOut { .. } => 34,
            Note::FeedbackElementLeftOut { .. } => 35,
            Note::SingleWeightDropped { .. } => 36,
            Note::UnequalShares { .. } => 37,
            Note::AnswerCredit { .. } => 38,
            Note::ValueCredit { .. } => 39,
            Note::DropDownPartialDropped { .. } => 40,
            Note::CatchAllLeftOut { .. } => 41,
            Note::Wildcard { .. } => 42,
            Note::CaseIgnored { .. } => 43,
            Note::AnswerCaseIgnored { .. } => 44,
            Note::ToneMarksMustMatch => 45,
            Note::UnitsLeftOut => 46,
            Note::MarkRoundedUp { .. } => 47,
            Note::MaxScoreRoundedUp { .. } => 48,
            Note::SubsetShownAll => 49,
            Note::GradingTypeLeftOut => 50,
            Note::RadioAsDropDown { .. } => 51,
            Note::Distractor { .. } => 52,
            Note::ImageKept { .. } => 53,
            Note::ImageRefused { .. } => 54,
            Note::TooManyImages { .. } => 55,
            Note::ImageNotInFile { .. } => 56,
            Note::ImageNotInPackage { .. } => 57,
            Note::ImageInPlainText { .. } => 58,
            Note::FileNotBase64 { .. } => 59,
            Note::FollowsUnfinished { .. } => 60,
            Note::UnknownColumn { .. } => 61,
            Note::OptionColumnsUnused => 62,
            Note::AnswerColumnUnused => 63,
            Note::OptionColumnsSkipped { .. } => 64,
        }
    }

    /// One note of each code, with its parameters as an import fills them.
    fn one_of_each() -> Vec<Note> {
        let s = |t: &str| t.to_string();
        vec![
            Note::IdFromComment {
                idnumber: s("q-7"),
                id: s("q-7"),
            },
            Note::IdFromTitle {
                title: s("Câu tốt"),
                id: s("cau-tot"),
            },
            Note::IdFromIdnumber {
                idnumber: s("LH 01"),
                id: s("lh-01"),
            },
            Note::IdFromName {
                name: s("Tên hành vi"),
                id: s("ten-hanh-vi"),
            },
            Note::IdFromIdentifier {
                path: s("items/q1.xml"),
                identifier: s("Q_1"),
                id: s("q-1"),
            },
            Note::IdChanged {
                given: s("Câu 1"),
                id: s("cau-1"),
            },
            Note::CategoryKept {
                category: s("Phòng chống tham nhũng"),
            },
            Note::TagKept { tag: s("de") },
            Note::Choice {
                single: true,
                options: 4,
                correct: vec![s("b")],
            },
            Note::TrueFalse { answer: false },
            Note::ShortAnswer {
                accepted: vec![s("“tham ô”"), s("“tham nhũng”")],
            },
            Note::ShortAnswerCount { count: 12 },
            Note::Numerical {
                values: vec![s("1930 ± 0")],
            },
            Note::NumericalCount { count: 2 },
            Note::Matching { pairs: 3 },
            Note::Ordering { items: 1 },
            Note::FillBlanks { gaps: 2 },
            Note::MissingWordGap {
                blank: Blank::Choice,
            },
            Note::MissingWordUnderscores,
            Note::Opinion,
            Note::RubricKept { criteria: 2 },
            Note::EssayOneCriterion {
                criterion: s("Nội dung"),
                points: 1,
            },
            Note::GeneralFeedbackKept {
                marker: Some(s("####")),
            },
            Note::ExplanationKept,
            Note::ModalFeedbackKept { id: s("fb1") },
            Note::ModalFeedbackLeftOut { id: s("fb2") },
            Note::HtmlAsMarkdown { lines: vec![3, 9] },
            Note::HtmlDropped {
                elements: vec![s("script")],
            },
            Note::OptionFeedbackKept { option: s("c") },
            Note::TrueFalseFeedbackKept { answer: true },
            Note::AnswerFeedbackKept {
                line: Some(4),
                answer: s("tham nhũng"),
            },
            Note::ValueFeedbackKept {
                line: 5,
                value: s("1930"),
            },
            Note::OtherNumberFeedbackLeftOut {
                line: 6,
                feedback: s("Sai năm"),
            },
            Note::HintLeftOut { line: 7 },
            Note::CombinedFeedbackLeftOut {
                field: s("correctfeedback"),
            },
            Note::FeedbackElementLeftOut {
                line: 8,
                element: s("qti-feedback-inline"),
            },
            Note::SingleWeightDropped {
                line: Some(1),
                option: s("b"),
                weight: s("50%"),
            },
            Note::UnequalShares {
                lines: Some((14, 16)),
                weights: vec![s("50%"), s("50%"), s("-100%")],
                correct: 2,
            },
            Note::AnswerCredit {
                line: None,
                answer: s("tham nhũng"),
                credit: s("50%"),
            },
            Note::ValueCredit {
                value: s("1931"),
                credit: s("50%"),
            },
            Note::DropDownPartialDropped { gap: 1 },
            Note::CatchAllLeftOut {
                line: Some(9),
                gap: None,
                number: false,
                with_feedback: true,
            },
            Note::Wildcard {
                line: None,
                gap: Some(2),
                answer: s("tham*"),
            },
            Note::CaseIgnored { gap: None },
            Note::AnswerCaseIgnored {
                answer: s("Hà Nội"),
            },
            Note::ToneMarksMustMatch,
            Note::UnitsLeftOut,
            Note::MarkRoundedUp {
                mark: s("1.5"),
                points: 2,
            },
            Note::MaxScoreRoundedUp {
                score: s("2.5"),
                points: 3,
            },
            Note::SubsetShownAll,
            Note::GradingTypeLeftOut,
            Note::RadioAsDropDown { gap: 1 },
            Note::Distractor {
                line: Some(4),
                item: s("1920"),
            },
            Note::ImageKept {
                image: s("so do.png"),
                name: s("105d05ab.png"),
            },
            Note::ImageRefused {
                image: s("x.svg"),
                reason: ImageRefusal::Svg,
            },
            Note::TooManyImages {
                image: s("y.png"),
                max: 50,
            },
            Note::ImageNotInFile { image: s("z.png") },
            Note::ImageNotInPackage {
                image: s("media/w.png"),
            },
            Note::ImageInPlainText {
                text: Some(s("Phương án a")),
            },
            Note::FileNotBase64 {
                line: 12,
                name: s("anh.png"),
            },
            Note::FollowsUnfinished {
                line: 5,
                previous: 1,
            },
            Note::UnknownColumn {
                column: s("B"),
                name: s("GHI CHÚ"),
            },
            Note::OptionColumnsUnused,
            Note::AnswerColumnUnused,
            Note::OptionColumnsSkipped {
                before: s("C"),
                letters: vec![s("a"), s("c")],
            },
        ]
    }

    #[test]
    fn every_note_reads_as_a_filled_sentence_in_each_language() {
        let notes = one_of_each();
        let indices: Vec<usize> = notes.iter().map(index).collect();
        assert_eq!(
            indices,
            (0..notes.len()).collect::<Vec<_>>(),
            "one sample of each code, in order"
        );
        for note in &notes {
            for lang in Lang::ALL {
                let text = note.text(lang);
                // Every placeholder filled: a `{name` left is an unfilled
                // one (`{1}` is a gap marker, a value).
                let unfilled = text
                    .match_indices('{')
                    .any(|(at, _)| text[at + 1..].starts_with(|c: char| c.is_alphabetic()));
                assert!(!unfilled, "{note:?} in {lang:?}: {text}");
                assert!(
                    text.ends_with('.') || text.ends_with(')'),
                    "{note:?} in {lang:?} is no sentence: {text}"
                );
                assert!(
                    text.chars().next().is_some_and(|c| !c.is_lowercase()),
                    "{note:?} in {lang:?} starts in lower case: {text}"
                );
            }
        }
    }

    #[test]
    fn notes_read_as_sentences_in_each_language() {
        let weight = Note::SingleWeightDropped {
            line: Some(1),
            option: "b".into(),
            weight: "50%".into(),
        };
        assert_eq!(
            weight.text(Lang::Vi),
            "Dòng 1: Đã bỏ trọng số 50% của phương án b vì câu một lựa chọn chỉ có trọn điểm \
             hoặc không điểm."
        );
        assert_eq!(
            weight.text(Lang::En),
            "Line 1: The weight 50% of option b is dropped: a single choice question is all \
             or nothing."
        );
        let choice = Note::Choice {
            single: false,
            options: 1,
            correct: vec!["a".into()],
        };
        assert_eq!(
            choice.text(Lang::En),
            "Multiple choice: 1 option, a correct."
        );
        assert_eq!(
            choice.text(Lang::Vi),
            "Câu nhiều lựa chọn: 1 phương án, các phương án đúng: a."
        );
        let html = |lines: Vec<usize>| Note::HtmlAsMarkdown { lines }.text(Lang::En);
        assert!(html(vec![30]).starts_with("Line 30: The [html] text"));
        assert!(html(vec![30, 31]).starts_with("Lines 30, 31: The [html] text"));
        assert!(html(vec![]).starts_with("The HTML texts"));
        let shares = |lines| {
            Note::UnequalShares {
                lines,
                weights: vec!["70%".into(), "30%".into(), "0%".into()],
                correct: 2,
            }
            .text(Lang::Vi)
        };
        assert!(shares(Some((2, 4))).starts_with("Dòng 2–4: Các trọng số 70%, 30%, 0% của Moodle"));
        assert!(shares(Some((2, 2))).starts_with("Dòng 2: Các trọng số"));
        assert!(shares(None).starts_with("Các trọng số"));
        assert_eq!(
            Note::MissingWordGap {
                blank: Blank::Choice
            }
            .text(Lang::En),
            "Missing word: a fill-in-the-blanks question with one gap (a drop-down), {1} in \
             the text."
        );
        assert_eq!(
            Note::ImageRefused {
                image: "a.png".into(),
                reason: ImageRefusal::TooLarge { max_mb: 2 },
            }
            .text(Lang::Vi),
            "Đã bỏ hình ảnh “a.png” vì ảnh lớn hơn 2 MB."
        );
    }

    #[test]
    fn notes_travel_as_codes_with_parameters() {
        let note = Note::AnswerCredit {
            line: Some(3),
            answer: "tham nhũng".into(),
            credit: "50%".into(),
        };
        let json = serde_json::to_value(&note).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "answer_credit", "line": 3, "answer": "tham nhũng", "credit": "50%"})
        );
        assert_eq!(serde_json::from_value::<Note>(json).unwrap(), note);
        assert_eq!(
            serde_json::to_value(Note::ToneMarksMustMatch).unwrap(),
            serde_json::json!({"code": "tone_marks_must_match"})
        );
    }
}
