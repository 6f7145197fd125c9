//! Problems an author made: in a course folder, a draft, a question or a
//! question-bank file. Each is a code with its parameters (ids, numbers,
//! the offending text), never a sentence, so the staff pages show it in the
//! reader's language and the server's log in English.
//!
//! Policy: one variant per rule a person can fix, named for the rule; the
//! place (file, line, question) travels with it. The sentences live in the
//! second catalogue, [`ProblemMsg`], which only the `server` feature
//! compiles: the server sends each problem's sentences in both languages
//! beside its code, and the client reads only the sentences, so
//! no `.wasm` carries the codes' decoder or the catalogue. Text from another
//! library (a TOML or XML parser's message,
//! an I/O error) is English; it is kept as a secondary [`Problem::detail`],
//! never as the sentence.

use serde::{Deserialize, Serialize};

#[cfg(any(test, feature = "server"))]
use crate::i18n::{catalogue, Lang};

/// A part of a question that holds a text of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A choice of a single, multiple or drop-down question.
    Option,
    /// An item of an ordering question.
    Item,
    /// A pair of a matching question.
    Pair,
    /// The left side of a matching pair.
    LeftItem,
    /// The right side of a matching pair, or a distractor.
    RightItem,
}

/// A file a course lists beside its lessons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listed {
    Lesson,
    Situation,
    Assessment,
}

/// What to write in a spreadsheet cell, for [`Problem::EmptyColumn`] and
/// [`Problem::BadCell`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetHint {
    /// The question's text.
    QuestionText,
    /// A whole number of points from 1 to `max`.
    Points { max: u32 },
    /// dễ, trung bình or khó.
    Difficulty,
    /// One of the kinds of question.
    Kind,
    /// Đúng or Sai.
    TrueFalse,
    /// The accepted answers, separated by `|`.
    Accepted,
    /// Option letters such as `A` or `A, C`.
    Letters,
}

/// One problem, as a code with its parameters. See the module
/// documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    // Parsing and files.
    /// A parser (TOML, YAML, XML, ZIP…) could not read the text; `detail`
    /// is its own message, in English.
    Syntax {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column: Option<usize>,
        detail: String,
    },
    /// The file cannot be read; `detail` is the system's reason.
    Unreadable { detail: String },
    /// A file listed in `course.toml` does not exist.
    FileMissing {
        kind: Listed,
        id: String,
        file: String,
    },

    // Ids.
    /// An id breaks [`crate::ids::ID_RULE`]; `question` when it is an id
    /// inside a question (an option's, a criterion's).
    BadId {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<String>,
    },
    /// An id is used twice where it must be unique.
    DuplicateId {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<String>,
    },

    // Assessment settings.
    /// The pass mark is above 100%.
    PassMarkAbove100 { percent: u32 },
    /// The time limit is 0 seconds.
    ZeroTimeLimit,
    /// No attempt is allowed.
    NoAttempts,
    /// `closes_on` is not a date like 2026-12-31.
    BadClosingDate { value: String },

    // Questions. `gap` is the 1-based gap of a fill-in-the-blanks question.
    /// The question has no text.
    EmptyPrompt { question: String },
    /// A tag is empty.
    EmptyTag { question: String },
    /// The points are outside 1 to `max`.
    PointsOutOfRange {
        question: String,
        points: u32,
        max: u32,
    },
    /// A single choice (or a drop-down gap) has `correct` right options,
    /// not one.
    CorrectCount {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        correct: usize,
    },
    /// A multiple choice question has no right option.
    NoCorrectOption { question: String },
    /// Fewer than `min` options, items or pairs.
    TooFew {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        part: Part,
        min: usize,
        count: usize,
    },
    /// An option, item or side of a pair has no text.
    EmptyText {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        part: Part,
    },
    /// Two options, items or sides of pairs have the same text.
    RepeatedText {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        part: Part,
        text: String,
    },
    /// An essay question has no marking criterion.
    NoRubric { question: String },
    /// A marking criterion is worth 0 points.
    ZeroCriterion { question: String, criterion: String },
    /// An essay's criteria add up to more than `max` points.
    TooManyPoints {
        question: String,
        total: u64,
        max: u32,
    },
    /// No answer (text or value) is accepted.
    NoAnswer {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
    },
    /// An accepted answer is empty.
    EmptyAnswer {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
    },
    /// An answer earns less than 0% or more than 100%.
    CreditOutOfRange {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        answer: String,
        credit: String,
    },
    /// No answer earns full marks.
    NoFullCredit {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
    },
    /// A numerical answer's tolerance is negative.
    NegativeTolerance {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gap: Option<usize>,
        value: String,
    },
    /// A fill-in-the-blanks question has no gap.
    NoGaps { question: String },
    /// More gaps than `max`.
    TooManyGaps {
        question: String,
        gaps: usize,
        max: usize,
    },
    /// The text has no marker `{gap}` for a gap.
    MissingMarker { question: String, gap: usize },
    /// The marker of a gap appears more than once.
    RepeatedMarker {
        question: String,
        gap: usize,
        times: usize,
    },
    /// The text has a marker `{marker}` beyond the `gaps` gaps.
    MarkerWithoutGap {
        question: String,
        marker: usize,
        gaps: usize,
    },
    /// A gap's weight is outside 1 to `max`.
    GapWeight {
        question: String,
        gap: usize,
        weight: u32,
        max: u32,
    },
    /// Ordering, matching and opinion questions cannot be marked in an
    /// assessment.
    NotForAssessment { question: String },

    // Situations and branching scenarios.
    /// A situation has no scenario text.
    NoScenarioText { situation: String },
    /// A situation has no questions.
    NoQuestions { situation: String },
    /// A discussion set has no guidance notes.
    NoGuidance,
    /// Two choices of a step share an id.
    DuplicateChoice { step: String, choice: String },
    /// `start` names no step.
    UnknownStart { start: String },
    /// A choice leads to a step that does not exist.
    MissingStep {
        step: String,
        choice: String,
        target: String,
    },
    /// A choice leads to an ending that does not exist.
    MissingEnding {
        step: String,
        choice: String,
        target: String,
    },
    /// A step offers no choice.
    NoChoices { step: String },
    /// No path from the start reaches this step or ending.
    Unreachable { id: String },
    /// No ending can be reached from this step.
    NoWayOut { step: String },
    /// Steps form a loop and none allows a revisit.
    UnmarkedCycle { steps: Vec<String> },
    /// A step has no text.
    StepNoText { step: String },
    /// A choice has no text.
    ChoiceNoText { step: String, choice: String },
    /// An ending has no debrief.
    EndingNoDebrief { ending: String },

    // Courses, lessons, media, assessments.
    /// The course has no title.
    CourseNoTitle,
    /// `course.toml` names the course `id`, but the draft is `course`'s.
    CourseIdChanged { id: String, course: String },
    /// The server could not check the files; `detail` is its reason.
    ServerError { detail: String },
    /// The course has no module.
    NoModules,
    /// A module lists no lesson.
    ModuleNoLessons { module: String },
    /// `[completion]` names an assessment the course does not have.
    CompletionUnknownAssessment { id: String },
    /// `[completion]` requires nothing.
    CompletionEmpty,
    /// A media file's name has other characters than a-z, 0-9, `-_.`.
    MediaBadName,
    /// A media file is of a type the app does not play or show.
    MediaBadType,
    /// A media file is larger than `max` bytes.
    MediaTooLarge { bytes: usize, max: usize },
    /// A lesson does not start with front matter between `+++` lines.
    NoFrontMatter,
    /// The front matter is not closed by a `+++` line.
    FrontMatterOpen,
    /// A lesson has no title.
    LessonNoTitle,
    /// A link to `../media/…` names no media file.
    MissingMedia { link: String },
    /// A link to `….md` names no lesson of the course.
    MissingLesson { link: String, lesson: String },
    /// A link to neither a lesson, a media file nor a web address.
    BadLink { link: String },
    /// Two pools draw the same questions.
    PoolsOverlap { a: String, b: String },
    /// A pool wants more questions with its tag than the bank has left.
    PoolShort {
        tag: String,
        wanted: u32,
        available: u32,
    },
    /// A pool wants more hard questions with its tag than the bank has.
    PoolShortHard {
        tag: String,
        wanted: u32,
        available: u32,
    },
    /// A pool wants more hard questions than questions.
    PoolHardAboveCount {
        tag: String,
        count: u32,
        min_hard: u32,
    },

    // Question-bank files (GIFT, Aiken, Moodle XML, QTI, XLSX).
    /// The file holds a kind of question Lophoc has no form for; `kind`
    /// is the file's own name for it.
    Unsupported { kind: String },
    /// An `ANSWER:` line with no question before it (Aiken).
    AnswerWithoutQuestion,
    /// An option with no question text before it (Aiken).
    OptionWithoutQuestion,
    /// An option letter appears twice (Aiken).
    RepeatedLetter { letter: String, first: usize },
    /// A line that is neither an option nor `ANSWER:` (Aiken).
    StrayLine { previous: usize },
    /// `ANSWER:` does not name one option letter (Aiken).
    AnswerNotALetter { answer: String },
    /// `ANSWER:` names a letter no option has; `letters` are those it has.
    UnknownLetter { letter: String, letters: String },
    /// A title opened with `::` is never closed (GIFT).
    TitleOpen,
    /// A text with no answer part `{…}` (a GIFT description).
    NoAnswerPart,
    /// A `{` is never closed.
    BraceOpen,
    /// A `}` closes no `{`.
    BraceStray,
    /// A second `{` before the `}` of the one opened on line `opened`.
    NestedBrace { opened: usize },
    /// A second answer part in one question (GIFT).
    SecondAnswerPart,
    /// The text contains a gap marker like `{1}` that would become a blank.
    MarkerInText,
    /// Text stands before the first answer where none may; `pairs` when
    /// the answers are matching pairs (`= left -> right`), else options
    /// (`=` right, `~` wrong).
    TextBeforeAnswers {
        text: String,
        #[serde(default)]
        pairs: bool,
    },
    /// An option has no text; `marker` is the sign before it (`=`, `~`)
    /// where the format has one.
    OptionNoText {
        option: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        marker: Option<String>,
    },
    /// A matching pair has no `->`.
    PairNoArrow { pair: String },
    /// A matching pair has nothing after `->`.
    PairNoRight,
    /// An answer's weight is outside 0% to 100%.
    WeightOutOfRange { answer: String, weight: String },
    /// A text that should be a number is not.
    NotANumber { text: String },
    /// A numerical answer part with no number.
    NoNumber,
    /// A range whose end is before its start.
    RangeBackwards { min: String, max: String },
    /// A range too wide to compute.
    RangeTooWide,
    /// Options with no `ANSWER:` line after them, on lines `first` to
    /// `last` (Aiken).
    NoAnswerLine { first: usize, last: usize },
    /// A question text with no options and no `ANSWER:` line (Aiken).
    NoOptions,
    /// Fewer than `min` options, before the question has an id.
    FewOptions { count: usize, min: usize },
    /// A question's default mark is negative (Moodle).
    MarkNegative { mark: String },
    /// A question's default mark is above `max` points (Moodle).
    MarkTooHigh { mark: String, max: u32 },
    /// A matching item has no match.
    NoMatch { item: String },
    /// A cloze question has no subquestion.
    NoSubquestion,
    /// A cloze subquestion's answers are never closed by `}`.
    ClozeOpen { subquestion: String },
    /// A QTI item has several interactions.
    SeveralInteractions,
    /// A QTI item has no interaction.
    NoInteraction,
    /// An ordering interaction has no correct order (QTI).
    NoCorrectOrder,
    /// A package's manifest names an item it does not hold (QTI).
    ItemMissing { path: String },
    /// A file of a package is not UTF-8 text.
    NotUtf8,
    /// An XML file whose root is not the element the format needs.
    WrongRoot { found: String, wanted: String },
    /// Spreadsheet: a column that must be filled is empty; `hint` says what
    /// to write.
    EmptyColumn { column: String, hint: SheetHint },
    /// Spreadsheet: a cell holds a value its column does not take.
    BadCell {
        column: String,
        value: String,
        hint: SheetHint,
    },
    /// Spreadsheet: the right answer names an option whose cell is empty.
    EmptyOptionCell { letter: String, letters: String },
    /// Spreadsheet: a single choice row names several right options.
    SeveralForSingle { answer: String },
    /// Nothing after an answer's sign (`=` in GIFT).
    EmptyAfterMarker { marker: String },
    /// No answer of the question earns 100%.
    NoFullWeight,
    /// A tolerance is negative, before the question has an id.
    ToleranceNegative { tolerance: String },
    /// A text with no question, such as Moodle's "description" type.
    Description,
    /// The question lists no answer at all.
    NoAnswers,
    /// An answer has no text.
    BlankAnswer,
    /// Spreadsheet: the first sheet is empty.
    SheetEmpty,
    /// Spreadsheet: no row names the template's `columns`.
    NoHeaderRow { columns: String },
    /// Spreadsheet: two columns have the same name.
    DuplicateColumn {
        first: String,
        second: String,
        name: String,
    },
    /// Spreadsheet: there is no "Loại" (kind) column.
    NoKindColumn,
    /// The text around a GIFT answer part cannot be read.
    TextUnreadable,
    /// A required element is missing (QTI).
    MissingElement { element: String },
    /// An interaction has no response declaration (QTI).
    NoResponseDeclaration { interaction: String },
    /// A mapped value gives no exact percentage of the marks (QTI).
    NoExactShare { value: String },
    /// A number response has no correct value (QTI).
    NoCorrectValue,
    /// A match interaction has not two match sets (QTI).
    MatchSets,
    /// A match pairs an item with a choice that does not exist (QTI).
    UnknownMatch { item: String, target: String },
}

impl Problem {
    /// The question the problem is about, to find its line in a file.
    pub fn question(&self) -> Option<&str> {
        use Problem::*;
        match self {
            BadId { question, .. } | DuplicateId { question, .. } => question.as_deref(),
            EmptyPrompt { question }
            | EmptyTag { question }
            | PointsOutOfRange { question, .. }
            | CorrectCount { question, .. }
            | NoCorrectOption { question }
            | TooFew { question, .. }
            | EmptyText { question, .. }
            | RepeatedText { question, .. }
            | NoRubric { question }
            | ZeroCriterion { question, .. }
            | TooManyPoints { question, .. }
            | NoAnswer { question, .. }
            | EmptyAnswer { question, .. }
            | CreditOutOfRange { question, .. }
            | NoFullCredit { question, .. }
            | NegativeTolerance { question, .. }
            | NoGaps { question }
            | TooManyGaps { question, .. }
            | MissingMarker { question, .. }
            | RepeatedMarker { question, .. }
            | MarkerWithoutGap { question, .. }
            | GapWeight { question, .. }
            | NotForAssessment { question } => Some(question),
            _ => None,
        }
    }

    /// The other library's own words (a parser's message, an I/O error),
    /// for a secondary "technical detail" beside [`Problem::text`].
    pub fn detail(&self) -> Option<&str> {
        match self {
            Problem::Syntax { detail, .. }
            | Problem::Unreadable { detail }
            | Problem::ServerError { detail } => Some(detail),
            _ => None,
        }
    }
}

/// What to write in a spreadsheet cell, in `lang`.
#[cfg(any(test, feature = "server"))]
fn hint_text(hint: SheetHint, lang: Lang) -> String {
    let max = match hint {
        SheetHint::Points { max } => max,
        _ => 0,
    };
    let msg = match hint {
        SheetHint::QuestionText => ProblemMsg::HintQuestionText,
        SheetHint::Points { .. } => ProblemMsg::HintPoints,
        SheetHint::Difficulty => ProblemMsg::HintDifficulty,
        SheetHint::Kind => ProblemMsg::HintKind,
        SheetHint::TrueFalse => ProblemMsg::HintTrueFalse,
        SheetHint::Accepted => ProblemMsg::HintAccepted,
        SheetHint::Letters => ProblemMsg::HintLetters,
    };
    msg.format(lang, &[("max", &max.to_string())])
}

/// The braces GIFT writes, as values: a catalogue text reads `{` as a
/// placeholder.
#[cfg(any(test, feature = "server"))]
const BRACES: &[(&str, &str)] = &[("open", "{"), ("close", "}")];

#[cfg(any(test, feature = "server"))]
impl Problem {
    /// The sentence in `lang`, without [`Problem::detail`].
    pub fn text(&self, lang: Lang) -> String {
        use Problem::*;
        use ProblemMsg as M;
        let at = |question: &str, gap: &Option<usize>| match gap {
            Some(g) => M::AtGap.format(lang, &[("question", question), ("gap", &g.to_string())]),
            None => M::AtQuestion.format(lang, &[("question", question)]),
        };
        let part = |p: &Part, plural: bool| {
            match (p, plural) {
                (Part::Option, false) => M::PartOption,
                (Part::Option, true) => M::PartOptions,
                (Part::Item, false) => M::PartItem,
                (Part::Item, true) => M::PartItems,
                (Part::Pair, false) => M::PartPair,
                (Part::Pair, true) => M::PartPairs,
                (Part::LeftItem, _) => M::PartLeft,
                (Part::RightItem, _) => M::PartRight,
            }
            .text(lang)
        };
        let n = |v: &dyn ToString| v.to_string();
        match self {
            Syntax { line, column, .. } => match (line, column) {
                (Some(l), Some(c)) => {
                    M::SyntaxAt.format(lang, &[("line", &n(l)), ("column", &n(c))])
                }
                (Some(l), None) => M::SyntaxLine.format(lang, &[("line", &n(l))]),
                _ => M::Syntax.text(lang).to_string(),
            },
            Unreadable { .. } => M::Unreadable.text(lang).to_string(),
            FileMissing { kind, id, file } => {
                let kind = match kind {
                    Listed::Lesson => M::KindLesson,
                    Listed::Situation => M::KindSituation,
                    Listed::Assessment => M::KindAssessment,
                }
                .text(lang);
                M::FileMissing.format(lang, &[("kind", kind), ("id", id), ("file", file)])
            }
            BadId { id, question } => match question {
                Some(q) => M::BadIdIn.format(lang, &[("id", id), ("at", &at(q, &None))]),
                None => M::BadId.format(lang, &[("id", id)]),
            },
            DuplicateId { id, question } => match question {
                Some(q) => M::DuplicateIdIn.format(lang, &[("id", id), ("at", &at(q, &None))]),
                None => M::DuplicateId.format(lang, &[("id", id)]),
            },
            PassMarkAbove100 { percent } => {
                M::PassMarkAbove100.format(lang, &[("percent", &n(percent))])
            }
            ZeroTimeLimit => M::ZeroTimeLimit.text(lang).to_string(),
            NoAttempts => M::NoAttempts.text(lang).to_string(),
            BadClosingDate { value } => M::BadClosingDate.format(lang, &[("value", value)]),
            EmptyPrompt { question } => {
                M::EmptyPrompt.format(lang, &[("at", &at(question, &None))])
            }
            EmptyTag { question } => M::EmptyTag.format(lang, &[("at", &at(question, &None))]),
            PointsOutOfRange {
                question,
                points,
                max,
            } => M::PointsOutOfRange.format(
                lang,
                &[
                    ("at", &at(question, &None)),
                    ("points", &n(points)),
                    ("max", &n(max)),
                ],
            ),
            CorrectCount {
                question,
                gap,
                correct,
            } => M::CorrectCount.format(
                lang,
                &[("at", &at(question, gap)), ("correct", &n(correct))],
            ),
            NoCorrectOption { question } => {
                M::NoCorrectOption.format(lang, &[("at", &at(question, &None))])
            }
            TooFew {
                question,
                gap,
                part: p,
                min,
                count,
            } => M::TooFew.format(
                lang,
                &[
                    ("at", &at(question, gap)),
                    ("part", part(p, true)),
                    ("min", &n(min)),
                    ("count", &n(count)),
                ],
            ),
            EmptyText {
                question,
                gap,
                part: p,
            } => M::EmptyText.format(
                lang,
                &[("at", &at(question, gap)), ("part", part(p, false))],
            ),
            RepeatedText {
                question,
                gap,
                part: p,
                text,
            } => M::RepeatedText.format(
                lang,
                &[
                    ("at", &at(question, gap)),
                    ("part", part(p, false)),
                    ("text", text),
                ],
            ),
            NoRubric { question } => M::NoRubric.format(lang, &[("at", &at(question, &None))]),
            ZeroCriterion {
                question,
                criterion,
            } => M::ZeroCriterion.format(
                lang,
                &[("at", &at(question, &None)), ("criterion", criterion)],
            ),
            TooManyPoints {
                question,
                total,
                max,
            } => M::TooManyPoints.format(
                lang,
                &[
                    ("at", &at(question, &None)),
                    ("total", &n(total)),
                    ("max", &n(max)),
                ],
            ),
            NoAnswer { question, gap } => M::NoAnswer.format(lang, &[("at", &at(question, gap))]),
            EmptyAnswer { question, gap } => {
                M::EmptyAnswer.format(lang, &[("at", &at(question, gap))])
            }
            CreditOutOfRange {
                question,
                gap,
                answer,
                credit,
            } => M::CreditOutOfRange.format(
                lang,
                &[
                    ("at", &at(question, gap)),
                    ("answer", answer),
                    ("credit", credit),
                ],
            ),
            NoFullCredit { question, gap } => {
                M::NoFullCredit.format(lang, &[("at", &at(question, gap))])
            }
            NegativeTolerance {
                question,
                gap,
                value,
            } => M::NegativeTolerance.format(lang, &[("at", &at(question, gap)), ("value", value)]),
            NoGaps { question } => M::NoGaps.format(lang, &[("at", &at(question, &None))]),
            TooManyGaps {
                question,
                gaps,
                max,
            } => M::TooManyGaps.format(
                lang,
                &[
                    ("at", &at(question, &None)),
                    ("gaps", &n(gaps)),
                    ("max", &n(max)),
                ],
            ),
            MissingMarker { question, gap } => M::MissingMarker.format(
                lang,
                &[
                    ("at", &at(question, &None)),
                    ("gap", &n(gap)),
                    ("marker", &format!("{{{gap}}}")),
                ],
            ),
            RepeatedMarker {
                question,
                gap,
                times,
            } => M::RepeatedMarker.format(
                lang,
                &[
                    ("at", &at(question, &None)),
                    ("marker", &format!("{{{gap}}}")),
                    ("times", &n(times)),
                ],
            ),
            MarkerWithoutGap {
                question,
                marker,
                gaps,
            } => M::MarkerWithoutGap.format(
                lang,
                &[
                    ("at", &at(question, &None)),
                    ("marker", &format!("{{{marker}}}")),
                    ("gaps", &n(gaps)),
                ],
            ),
            GapWeight {
                question,
                gap,
                weight,
                max,
            } => M::GapWeight.format(
                lang,
                &[
                    ("at", &at(question, &Some(*gap))),
                    ("weight", &n(weight)),
                    ("max", &n(max)),
                ],
            ),
            NotForAssessment { question } => {
                M::NotForAssessment.format(lang, &[("at", &at(question, &None))])
            }
            NoScenarioText { situation } => {
                M::NoScenarioText.format(lang, &[("situation", situation)])
            }
            NoQuestions { situation } => M::NoQuestions.format(lang, &[("situation", situation)]),
            NoGuidance => M::NoGuidance.text(lang).to_string(),
            DuplicateChoice { step, choice } => {
                M::DuplicateChoice.format(lang, &[("step", step), ("choice", choice)])
            }
            UnknownStart { start } => M::UnknownStart.format(lang, &[("start", start)]),
            MissingStep {
                step,
                choice,
                target,
            } => M::MissingStep.format(
                lang,
                &[("step", step), ("choice", choice), ("target", target)],
            ),
            MissingEnding {
                step,
                choice,
                target,
            } => M::MissingEnding.format(
                lang,
                &[("step", step), ("choice", choice), ("target", target)],
            ),
            NoChoices { step } => M::NoChoices.format(lang, &[("step", step)]),
            Unreachable { id } => M::Unreachable.format(lang, &[("id", id)]),
            NoWayOut { step } => M::NoWayOut.format(lang, &[("step", step)]),
            UnmarkedCycle { steps } => {
                let steps: Vec<String> = steps.iter().map(|s| format!("“{s}”")).collect();
                M::UnmarkedCycle.format(lang, &[("steps", &steps.join(", "))])
            }
            StepNoText { step } => M::StepNoText.format(lang, &[("step", step)]),
            ChoiceNoText { step, choice } => {
                M::ChoiceNoText.format(lang, &[("step", step), ("choice", choice)])
            }
            EndingNoDebrief { ending } => M::EndingNoDebrief.format(lang, &[("ending", ending)]),
            CourseNoTitle => M::CourseNoTitle.text(lang).to_string(),
            CourseIdChanged { id, course } => {
                M::CourseIdChanged.format(lang, &[("id", id), ("course", course)])
            }
            ServerError { .. } => M::ServerError.text(lang).to_string(),
            NoModules => M::NoModules.text(lang).to_string(),
            ModuleNoLessons { module } => M::ModuleNoLessons.format(lang, &[("module", module)]),
            CompletionUnknownAssessment { id } => {
                M::CompletionUnknownAssessment.format(lang, &[("id", id)])
            }
            CompletionEmpty => M::CompletionEmpty.text(lang).to_string(),
            MediaBadName => M::MediaBadName.text(lang).to_string(),
            MediaBadType => M::MediaBadType.text(lang).to_string(),
            MediaTooLarge { bytes, max } => M::MediaTooLarge.format(
                lang,
                &[
                    ("size", &crate::i18n::format_bytes(lang, *bytes as u64)),
                    ("max", &crate::i18n::format_bytes(lang, *max as u64)),
                ],
            ),
            NoFrontMatter => M::NoFrontMatter.text(lang).to_string(),
            FrontMatterOpen => M::FrontMatterOpen.text(lang).to_string(),
            LessonNoTitle => M::LessonNoTitle.text(lang).to_string(),
            MissingMedia { link } => M::MissingMedia.format(lang, &[("link", link)]),
            MissingLesson { link, lesson } => {
                M::MissingLesson.format(lang, &[("link", link), ("lesson", lesson)])
            }
            BadLink { link } => M::BadLink.format(lang, &[("link", link)]),
            PoolsOverlap { a, b } => M::PoolsOverlap.format(lang, &[("a", a), ("b", b)]),
            PoolShort {
                tag,
                wanted,
                available,
            } => M::PoolShort.format(
                lang,
                &[
                    ("tag", tag),
                    ("wanted", &n(wanted)),
                    ("available", &n(available)),
                ],
            ),
            PoolShortHard {
                tag,
                wanted,
                available,
            } => M::PoolShortHard.format(
                lang,
                &[
                    ("tag", tag),
                    ("wanted", &n(wanted)),
                    ("available", &n(available)),
                ],
            ),
            PoolHardAboveCount {
                tag,
                count,
                min_hard,
            } => M::PoolHardAboveCount.format(
                lang,
                &[("tag", tag), ("count", &n(count)), ("hard", &n(min_hard))],
            ),
            Unsupported { kind } => M::Unsupported.format(lang, &[("kind", kind)]),
            AnswerWithoutQuestion => M::AnswerWithoutQuestion.text(lang).to_string(),
            OptionWithoutQuestion => M::OptionWithoutQuestion.text(lang).to_string(),
            RepeatedLetter { letter, first } => {
                M::RepeatedLetter.format(lang, &[("letter", letter), ("first", &n(first))])
            }
            StrayLine { previous } => M::StrayLine.format(lang, &[("previous", &n(previous))]),
            AnswerNotALetter { answer } => M::AnswerNotALetter.format(lang, &[("answer", answer)]),
            UnknownLetter { letter, letters } => {
                M::UnknownLetter.format(lang, &[("letter", letter), ("letters", letters)])
            }
            TitleOpen => M::TitleOpen.text(lang).to_string(),
            NoAnswerPart => M::NoAnswerPart.text(lang).to_string(),
            BraceOpen => M::BraceOpen.format(lang, BRACES),
            BraceStray => M::BraceStray.format(lang, BRACES),
            NestedBrace { opened } => M::NestedBrace.format(
                lang,
                &[("opened", &n(opened)), ("open", "{"), ("close", "}")],
            ),
            SecondAnswerPart => M::SecondAnswerPart.text(lang).to_string(),
            MarkerInText => M::MarkerInText.text(lang).to_string(),
            TextBeforeAnswers { text, pairs } => {
                let msg = if *pairs {
                    M::TextBeforePairs
                } else {
                    M::TextBeforeAnswers
                };
                msg.format(lang, &[("text", text)])
            }
            OptionNoText { option, marker } => match marker {
                Some(marker) => {
                    M::OptionNoText.format(lang, &[("option", option), ("marker", marker)])
                }
                None => M::OptionEmpty.format(lang, &[("option", option)]),
            },
            PairNoArrow { pair } => M::PairNoArrow.format(lang, &[("pair", pair)]),
            PairNoRight => M::PairNoRight.text(lang).to_string(),
            WeightOutOfRange { answer, weight } => {
                M::WeightOutOfRange.format(lang, &[("answer", answer), ("weight", weight)])
            }
            NotANumber { text } => M::NotANumber.format(lang, &[("text", text)]),
            NoNumber => M::NoNumber.text(lang).to_string(),
            RangeBackwards { min, max } => {
                M::RangeBackwards.format(lang, &[("min", min), ("max", max)])
            }
            RangeTooWide => M::RangeTooWide.text(lang).to_string(),
            NoAnswerLine { first, last } if first == last => {
                M::NoAnswerLineOne.format(lang, &[("first", &n(first))])
            }
            NoAnswerLine { first, last } => {
                M::NoAnswerLine.format(lang, &[("first", &n(first)), ("last", &n(last))])
            }
            NoOptions => M::NoOptions.text(lang).to_string(),
            FewOptions { count, min } => {
                M::FewOptions.format(lang, &[("count", &n(count)), ("min", &n(min))])
            }
            MarkNegative { mark } => M::MarkNegative.format(lang, &[("mark", mark)]),
            MarkTooHigh { mark, max } => {
                M::MarkTooHigh.format(lang, &[("mark", mark), ("max", &n(max))])
            }
            NoMatch { item } => M::NoMatch.format(lang, &[("item", item)]),
            NoSubquestion => M::NoSubquestion.format(lang, BRACES),
            ClozeOpen { subquestion } => {
                M::ClozeOpen.format(lang, &[("subquestion", subquestion), ("close", "}")])
            }
            SeveralInteractions => M::SeveralInteractions.text(lang).to_string(),
            NoInteraction => M::NoInteraction.text(lang).to_string(),
            NoCorrectOrder => M::NoCorrectOrder.text(lang).to_string(),
            ItemMissing { path } => M::ItemMissing.format(lang, &[("path", path)]),
            NotUtf8 => M::NotUtf8.text(lang).to_string(),
            WrongRoot { found, wanted } => {
                M::WrongRoot.format(lang, &[("found", found), ("wanted", wanted)])
            }
            EmptyColumn { column, hint } => M::EmptyColumn.format(
                lang,
                &[("column", column), ("hint", &hint_text(*hint, lang))],
            ),
            BadCell {
                column,
                value,
                hint,
            } => M::BadCell.format(
                lang,
                &[
                    ("column", column),
                    ("value", value),
                    ("hint", &hint_text(*hint, lang)),
                ],
            ),
            EmptyOptionCell { letter, letters } => {
                M::EmptyOptionCell.format(lang, &[("letter", letter), ("letters", letters)])
            }
            SeveralForSingle { answer } => M::SeveralForSingle.format(lang, &[("answer", answer)]),
            EmptyAfterMarker { marker } => M::EmptyAfterMarker.format(lang, &[("marker", marker)]),
            NoFullWeight => M::NoFullWeight.text(lang).to_string(),
            ToleranceNegative { tolerance } => {
                M::ToleranceNegative.format(lang, &[("tolerance", tolerance)])
            }
            Description => M::Description.text(lang).to_string(),
            NoAnswers => M::NoAnswers.text(lang).to_string(),
            BlankAnswer => M::BlankAnswer.text(lang).to_string(),
            SheetEmpty => M::SheetEmpty.text(lang).to_string(),
            NoHeaderRow { columns } => M::NoHeaderRow.format(lang, &[("columns", columns)]),
            DuplicateColumn {
                first,
                second,
                name,
            } => M::DuplicateColumn.format(
                lang,
                &[("first", first), ("second", second), ("name", name)],
            ),
            NoKindColumn => M::NoKindColumn.text(lang).to_string(),
            TextUnreadable => M::TextUnreadable.text(lang).to_string(),
            MissingElement { element } => M::MissingElement.format(lang, &[("element", element)]),
            NoResponseDeclaration { interaction } => {
                M::NoResponseDeclaration.format(lang, &[("interaction", interaction)])
            }
            NoExactShare { value } => M::NoExactShare.format(lang, &[("value", value)]),
            NoCorrectValue => M::NoCorrectValue.text(lang).to_string(),
            MatchSets => M::MatchSets.text(lang).to_string(),
            UnknownMatch { item, target } => {
                M::UnknownMatch.format(lang, &[("item", item), ("target", target)])
            }
        }
    }

    /// The [`Problem::detail`] introduced in `lang` ("Chi tiết kỹ thuật:
    /// …"), for a secondary line under [`Problem::text`].
    pub fn detail_text(&self, lang: Lang) -> Option<String> {
        self.detail()
            .map(|detail| ProblemMsg::Detail.format(lang, &[("detail", detail)]))
    }

    /// [`Problem::text`] followed by the [`Problem::detail`] in
    /// parentheses, for logs and the command line.
    pub fn text_with_detail(&self, lang: Lang) -> String {
        match self.detail() {
            Some(detail) => format!("{} ({detail})", self.text(lang)),
            None => self.text(lang),
        }
    }
}

#[cfg(any(test, feature = "server"))]
catalogue! {
    /// The sentence of a [`Problem`] (or a piece of one). Server only.
    ProblemMsg;

    Detail { vi: "Chi tiết kỹ thuật: {detail}", en: "Technical detail: {detail}" }
    AtQuestion { vi: "Câu hỏi “{question}”", en: "Question “{question}”" }
    AtGap { vi: "Câu hỏi “{question}”, ô trống số {gap}", en: "Question “{question}”, gap {gap}" }
    PartOption { vi: "phương án", en: "option" }
    PartOptions { vi: "phương án", en: "options" }
    PartItem { vi: "mục", en: "item" }
    PartItems { vi: "mục", en: "items" }
    PartPair { vi: "cặp ghép", en: "pair" }
    PartPairs { vi: "cặp ghép", en: "pairs" }
    PartLeft { vi: "vế trái", en: "left item" }
    PartRight { vi: "vế phải", en: "right item" }
    KindLesson { vi: "bài học", en: "lesson" }
    KindSituation { vi: "bộ tình huống", en: "situation set" }
    KindAssessment { vi: "bài kiểm tra", en: "assessment" }

    SyntaxAt {
        vi: "Viết sai cú pháp ở dòng {line}, cột {column}: máy không đọc được đoạn này. Hãy xem lại dấu ngoặc, dấu nháy và dấu bằng ở chỗ đó.",
        en: "Syntax error at line {line}, column {column}: this part cannot be read. Check the brackets, quotes and equals signs there.",
    }
    SyntaxLine {
        vi: "Viết sai cú pháp ở dòng {line}: máy không đọc được đoạn này.",
        en: "Syntax error at line {line}: this part cannot be read.",
    }
    Syntax {
        vi: "Viết sai cú pháp: máy không đọc được tệp này.",
        en: "Syntax error: the file cannot be read.",
    }
    Unreadable { vi: "Không mở được tệp này.", en: "The file cannot be opened." }
    FileMissing {
        vi: "Không tìm thấy tệp {file} của {kind} “{id}”.",
        en: "The file {file} of the {kind} “{id}” is missing.",
    }
    BadId {
        vi: "Mã “{id}” không hợp lệ: mã chỉ gồm chữ thường không dấu (a–z), chữ số và dấu gạch ngang, bắt đầu bằng chữ hoặc số, dài tối đa 64 ký tự.",
        en: "The id “{id}” is not valid: ids use only a-z, 0-9 and '-', start with a letter or digit, and have at most 64 characters.",
    }
    BadIdIn {
        vi: "{at}: mã “{id}” không hợp lệ (chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang).",
        en: "{at}: the id “{id}” is not valid (use only a-z, 0-9 and '-').",
    }
    DuplicateId { vi: "Mã “{id}” bị dùng hai lần.", en: "The id “{id}” is used twice." }
    DuplicateIdIn { vi: "{at}: mã “{id}” bị dùng hai lần.", en: "{at}: the id “{id}” is used twice." }

    PassMarkAbove100 {
        vi: "Điểm đạt đang là {percent}%, vượt quá 100%.",
        en: "The pass mark is {percent}%, above 100%.",
    }
    ZeroTimeLimit { vi: "Thời gian làm bài đang là 0 giây.", en: "The time limit is 0 seconds." }
    NoAttempts {
        vi: "Số lần làm bài đang là 0: không học viên nào làm được bài.",
        en: "No attempt is allowed: no trainee can sit it.",
    }
    BadClosingDate {
        vi: "Ngày đóng bài “{value}” không đúng dạng năm-tháng-ngày (ví dụ 2026-12-31).",
        en: "The closing date “{value}” is not a date like 2026-12-31.",
    }

    EmptyPrompt { vi: "{at}: chưa có nội dung câu hỏi.", en: "{at}: the question text is empty." }
    EmptyTag { vi: "{at}: có một nhãn để trống.", en: "{at}: a tag is empty." }
    PointsOutOfRange {
        vi: "{at}: số điểm là {points}; số điểm phải từ 1 đến {max}.",
        en: "{at}: it is worth {points} {points|point|points}; it must be worth 1 to {max}.",
    }
    CorrectCount {
        vi: "{at}: có {correct} phương án đúng; phải có đúng 1 phương án đúng.",
        en: "{at}: {correct} {correct|option is|options are} marked right; exactly 1 must be.",
    }
    NoCorrectOption {
        vi: "{at}: chưa đánh dấu phương án đúng nào.",
        en: "{at}: no option is marked right.",
    }
    TooFew {
        vi: "{at}: cần ít nhất {min} {part}, hiện mới có {count}.",
        en: "{at}: at least {min} {part} are needed; there {count|is|are} {count}.",
    }
    EmptyText { vi: "{at}: có {part} để trống.", en: "{at}: one {part} is empty." }
    RepeatedText {
        vi: "{at}: {part} “{text}” bị lặp lại.",
        en: "{at}: the {part} “{text}” appears twice.",
    }
    NoRubric { vi: "{at}: bài tự luận chưa có tiêu chí chấm.", en: "{at}: the essay has no marking criteria." }
    ZeroCriterion {
        vi: "{at}: tiêu chí chấm “{criterion}” đang được 0 điểm.",
        en: "{at}: the criterion “{criterion}” is worth 0 points.",
    }
    TooManyPoints {
        vi: "{at}: các tiêu chí chấm cộng lại được {total} điểm; tối đa là {max}.",
        en: "{at}: the criteria add up to {total} {total|point|points}; at most {max}.",
    }
    NoAnswer { vi: "{at}: chưa có đáp án nào được chấp nhận.", en: "{at}: no answer is accepted." }
    EmptyAnswer { vi: "{at}: có một đáp án để trống.", en: "{at}: an accepted answer is empty." }
    CreditOutOfRange {
        vi: "{at}: đáp án “{answer}” được {credit}% số điểm; mức điểm phải từ 0% đến 100%.",
        en: "{at}: the answer “{answer}” earns {credit}%; credit is 0% to 100%.",
    }
    NoFullCredit {
        vi: "{at}: không có đáp án nào được trọn điểm (100%).",
        en: "{at}: no answer is worth full marks (100%).",
    }
    NegativeTolerance {
        vi: "{at}: sai số cho phép của giá trị {value} là số âm.",
        en: "{at}: the tolerance of the value {value} is negative.",
    }
    NoGaps { vi: "{at}: câu điền khuyết chưa có ô trống nào.", en: "{at}: the fill-in-the-blanks text has no gaps." }
    TooManyGaps {
        vi: "{at}: có {gaps} ô trống; tối đa là {max}.",
        en: "{at}: it has {gaps} {gaps|gap|gaps}; at most {max}.",
    }
    MissingMarker {
        vi: "{at}: nội dung thiếu dấu {marker} để đặt ô trống số {gap}.",
        en: "{at}: the text has no marker {marker} for gap {gap}.",
    }
    RepeatedMarker {
        vi: "{at}: dấu {marker} xuất hiện {times} lần; mỗi ô trống chỉ đặt một lần.",
        en: "{at}: the marker {marker} appears {times} {times|time|times}; each gap is shown once.",
    }
    MarkerWithoutGap {
        vi: "{at}: dấu {marker} không ứng với ô trống nào (chỉ có {gaps} ô trống).",
        en: "{at}: the marker {marker} has no gap (there {gaps|is|are} {gaps}).",
    }
    GapWeight {
        vi: "{at}: hệ số là {weight}; hệ số phải từ 1 đến {max}.",
        en: "{at}: the weight is {weight}; it must be 1 to {max}.",
    }
    NotForAssessment {
        vi: "{at}: câu sắp xếp thứ tự, câu ghép nối và câu hỏi ý kiến không dùng được trong bài kiểm tra.",
        en: "{at}: ordering, matching and opinion questions cannot be used in an assessment.",
    }

    NoScenarioText { vi: "Tình huống “{situation}” chưa có nội dung.", en: "The situation “{situation}” has no scenario text." }
    NoQuestions { vi: "Tình huống “{situation}” chưa có câu hỏi nào.", en: "The situation “{situation}” has no questions." }
    NoGuidance {
        vi: "Bộ tình huống thảo luận cần phần gợi ý (guidance) để học viên đọc sau khi trả lời.",
        en: "A discussion set needs `guidance` notes for after answering.",
    }
    DuplicateChoice {
        vi: "Bước “{step}” có hai lựa chọn cùng mã “{choice}”.",
        en: "The step “{step}” has two choices “{choice}”.",
    }
    UnknownStart {
        vi: "Điểm bắt đầu “{start}” không phải là một bước của kịch bản.",
        en: "The start “{start}” is not a step.",
    }
    MissingStep {
        vi: "Lựa chọn “{choice}” ở bước “{step}” dẫn tới bước “{target}”, nhưng bước này không có.",
        en: "The choice “{choice}” of step “{step}” leads to step “{target}”, which does not exist.",
    }
    MissingEnding {
        vi: "Lựa chọn “{choice}” ở bước “{step}” dẫn tới kết thúc “{target}”, nhưng kết thúc này không có.",
        en: "The choice “{choice}” of step “{step}” leads to ending “{target}”, which does not exist.",
    }
    NoChoices { vi: "Bước “{step}” chưa có lựa chọn nào.", en: "The step “{step}” offers no choice." }
    Unreachable {
        vi: "Từ điểm bắt đầu không đi tới được “{id}”.",
        en: "“{id}” cannot be reached from the start.",
    }
    NoWayOut {
        vi: "Từ bước “{step}” không đi tới được kết thúc nào.",
        en: "No ending can be reached from the step “{step}”.",
    }
    UnmarkedCycle {
        vi: "Các bước {steps} tạo thành vòng lặp; nếu đó là ý định, hãy đánh dấu allow_revisit cho một bước.",
        en: "The steps {steps} form a loop; mark one allow_revisit if that is meant.",
    }
    StepNoText { vi: "Bước “{step}” chưa có nội dung.", en: "The step “{step}” has no text." }
    ChoiceNoText {
        vi: "Lựa chọn “{choice}” ở bước “{step}” chưa có nội dung.",
        en: "The choice “{choice}” of step “{step}” has no text.",
    }
    EndingNoDebrief {
        vi: "Kết thúc “{ending}” chưa có lời nhận xét.",
        en: "The ending “{ending}” has no debrief.",
    }

    CourseNoTitle { vi: "Chương trình chưa có tên.", en: "The course needs a title." }
    CourseIdChanged {
        vi: "Mã chương trình đang ghi là “{id}”, nhưng bản nháp này là của chương trình “{course}”; hãy giữ nguyên mã.",
        en: "id = “{id}”: this draft is the course “{course}”; keep its id.",
    }
    ServerError {
        vi: "Máy chủ gặp lỗi khi kiểm tra các tệp; hãy thử lại sau.",
        en: "The server could not check the files; try again later.",
    }
    NoModules {
        vi: "Chương trình chưa có chuyên đề nào (mục [[modules]]).",
        en: "The course needs at least one [[modules]] entry.",
    }
    ModuleNoLessons { vi: "Chuyên đề “{module}” chưa có bài học nào.", en: "The module “{module}” lists no lessons." }
    CompletionUnknownAssessment {
        vi: "Mục [completion] yêu cầu đạt bài kiểm tra “{id}”, nhưng chương trình không có bài này.",
        en: "[completion] pass: the course has no assessment “{id}”.",
    }
    CompletionEmpty {
        vi: "Mục [completion] chưa yêu cầu gì: hãy yêu cầu học hết bài học, làm các bộ tình huống hoặc đạt một bài kiểm tra.",
        en: "[completion] asks for nothing: require the lessons, the situation sets or an assessment.",
    }
    MediaBadName {
        vi: "Tên tệp chỉ được dùng chữ thường không dấu (a–z), chữ số, dấu gạch ngang, gạch dưới và dấu chấm.",
        en: "Media file names use only a-z, 0-9, '-', '_' and '.'.",
    }
    MediaBadType {
        vi: "Loại tệp này không dùng được; hãy dùng svg, png, jpg, webp, gif, mp3, ogg hoặc m4a.",
        en: "Unsupported media type (use svg, png, jpg, webp, gif, mp3, ogg or m4a).",
    }
    MediaTooLarge {
        vi: "Tệp nặng {size}; tối đa {max}.",
        en: "The file is {size}; the limit is {max}.",
    }
    NoFrontMatter {
        vi: "Bài học phải bắt đầu bằng phần thông tin đầu bài, đặt giữa hai dòng “+++”.",
        en: "A lesson starts with front matter between '+++' lines.",
    }
    FrontMatterOpen {
        vi: "Phần thông tin đầu bài chưa được đóng bằng một dòng “+++”.",
        en: "The front matter is not closed by a '+++' line.",
    }
    LessonNoTitle { vi: "Bài học chưa có tên (title).", en: "The lesson needs a title." }
    MissingMedia {
        vi: "Liên kết {link}: không có tệp này trong thư mục media.",
        en: "{link}: no such file in media/.",
    }
    MissingLesson {
        vi: "Liên kết {link}: chương trình không có bài học “{lesson}”.",
        en: "{link}: no lesson “{lesson}” in this course.",
    }
    BadLink {
        vi: "Liên kết {link}: chỉ liên kết tới một bài học (ten-bai.md), một tệp trong media (../media/ten-tep) hoặc một địa chỉ web.",
        en: "{link}: link to a lesson (name.md), a media file (../media/name) or a web address.",
    }
    PoolsOverlap {
        vi: "Nhóm “{a}” và nhóm “{b}” rút chung câu hỏi: mỗi câu hỏi chỉ gắn nhãn của một nhóm.",
        en: "The pools “{a}” and “{b}” share questions: give each question the tag of one pool only.",
    }
    PoolShort {
        vi: "Cần rút {wanted} câu có nhãn “{tag}” nhưng ngân hàng chỉ còn {available} câu.",
        en: "{wanted} {wanted|question|questions} tagged “{tag}” {wanted|is|are} wanted but only {available} {available|is|are} left.",
    }
    PoolShortHard {
        vi: "Cần rút {wanted} câu khó có nhãn “{tag}” nhưng ngân hàng chỉ còn {available} câu khó.",
        en: "{wanted} hard {wanted|question|questions} tagged “{tag}” {wanted|is|are} wanted but only {available} {available|is|are} left.",
    }
    PoolHardAboveCount {
        vi: "Nhóm có nhãn “{tag}” yêu cầu {hard} câu khó nhưng chỉ rút {count} câu.",
        en: "The pool tagged “{tag}” wants {hard} hard {hard|question|questions} but draws only {count}.",
    }

    Unsupported {
        vi: "Lophoc chưa có dạng câu hỏi tương ứng với loại “{kind}”, nên câu này không được nhập.",
        en: "Kind not supported: “{kind}” has no Lophoc form.",
    }
    AnswerWithoutQuestion {
        vi: "Dòng ANSWER: đứng một mình, phía trên không có câu hỏi nào.",
        en: "An ANSWER: line with no question before it.",
    }
    OptionWithoutQuestion {
        vi: "Phương án đứng trước khi có nội dung câu hỏi (có thể một dòng trống đã cắt đôi câu hỏi).",
        en: "An option with no question text before it (is a blank line splitting a question?).",
    }
    RepeatedLetter {
        vi: "Phương án {letter} xuất hiện hai lần (lần đầu ở dòng {first}).",
        en: "Option {letter} appears twice (first on line {first}).",
    }
    StrayLine {
        vi: "Dòng này không phải phương án (“A. …”) cũng không phải dòng ANSWER:. Có thể câu hỏi ở dòng {previous} thiếu dòng ANSWER:, hoặc một phương án bị xuống dòng (định dạng Aiken không cho phép).",
        en: "This line is neither an option (“A. …”) nor the ANSWER: line: either the question on line {previous} has no ANSWER: line, or an option runs over two lines, which Aiken does not allow.",
    }
    AnswerNotALetter {
        vi: "Dòng ANSWER: phải ghi đúng một chữ cái của phương án (A, B, …), không phải “{answer}”.",
        en: "ANSWER: must name one option letter (A, B, …), not “{answer}”.",
    }
    UnknownLetter {
        vi: "Đáp án ghi {letter} nhưng không có phương án {letter}; các phương án là {letters}.",
        en: "The answer names {letter}, but there is no option {letter}; the options are {letters}.",
    }
    TitleOpen {
        vi: "Tiêu đề mở bằng :: nhưng chưa đóng bằng ::.",
        en: "The title opened with :: is never closed with ::.",
    }
    NoAnswerPart {
        vi: "Đoạn này không có phần đáp án {…}, nên không phải một câu hỏi.",
        en: "A text with no answer part {…} is not a question.",
    }
    BraceOpen {
        vi: "Dấu {open} ở dòng này không có dấu {close} đóng lại.",
        en: "The {open} on this line is never closed by {close}.",
    }
    BraceStray {
        vi: "Dấu {close} ở dòng này không đóng dấu {open} nào.",
        en: "The {close} on this line closes no {open}.",
    }
    NestedBrace {
        vi: "Có thêm một dấu {open} trước dấu {close} đóng dấu {open} ở dòng {opened}; muốn viết dấu ngoặc trong nội dung hãy viết \\{open}.",
        en: "A second {open} before the {close} that closes the {open} on line {opened}; write \\{open} for a brace in a text.",
    }
    SecondAnswerPart {
        vi: "Câu này có hai phần đáp án {…}; mỗi câu chỉ có một (có thể thiếu dòng trống giữa hai câu).",
        en: "A second answer part {…}: a question has one (is a blank line missing between two questions?).",
    }
    MarkerInText {
        vi: "Nội dung có dấu như {1}, Lophoc sẽ hiểu là một ô trống nữa; hãy viết cách khác.",
        en: "The text contains a gap marker such as {1}, which Lophoc would read as a second blank; write it differently.",
    }
    TextBeforeAnswers {
        vi: "Đoạn “{text}” đứng trước đáp án đầu tiên; mỗi đáp án phải bắt đầu bằng dấu = (đúng) hoặc ~ (sai).",
        en: "“{text}” comes before the first answer; each answer starts with = (right) or ~ (wrong).",
    }
    TextBeforePairs {
        vi: "Đoạn “{text}” đứng trước cặp ghép đầu tiên; mỗi cặp được viết = vế trái -> vế phải.",
        en: "“{text}” comes before the first pair; each pair is written = left -> right.",
    }
    OptionNoText {
        vi: "Phương án {option} (sau dấu {marker}) chưa có nội dung.",
        en: "Option {option} (after {marker}) has no text.",
    }
    PairNoArrow {
        vi: "Cặp ghép “{pair}” thiếu dấu -> giữa vế trái và vế phải.",
        en: "The pair “{pair}” has no -> between its left and right items.",
    }
    PairNoRight { vi: "Cặp ghép không có gì sau dấu ->.", en: "The pair has nothing after ->." }
    WeightOutOfRange {
        vi: "Đáp án “{answer}” có trọng số {weight}; trọng số phải từ 0% đến 100%.",
        en: "The answer “{answer}” has weight {weight}; weights are 0% to 100%.",
    }
    NotANumber {
        vi: "“{text}” không phải là số; hãy viết như 1930, 3.5, 3:2 hoặc 1..5.",
        en: "“{text}” is not a number; write 1930, 3.5, 3:2 or 1..5.",
    }
    NoNumber { vi: "Phần đáp án số {#…} chưa có số nào.", en: "A numerical answer part {#…} with no number." }
    RangeBackwards {
        vi: "Khoảng {min}..{max} có số cuối nhỏ hơn số đầu.",
        en: "The range {min}..{max} ends before it starts.",
    }
    RangeTooWide { vi: "Khoảng số quá rộng.", en: "The range is too wide." }
    OptionEmpty { vi: "Phương án {option} chưa có nội dung.", en: "Option {option} has no text." }
    NoAnswerLineOne {
        vi: "Thiếu dòng ANSWER: sau phương án ở dòng {first}.",
        en: "No ANSWER: line after the option on line {first}.",
    }
    NoAnswerLine {
        vi: "Thiếu dòng ANSWER: sau các phương án (dòng {first}–{last}).",
        en: "No ANSWER: line after the options (lines {first}–{last}).",
    }
    NoOptions {
        vi: "Câu hỏi không có phương án nào và thiếu dòng ANSWER:.",
        en: "Question text with no options and no ANSWER: line.",
    }
    FewOptions {
        vi: "Câu này có {count} phương án; cần ít nhất {min}.",
        en: "The question has {count} {count|option|options}; at least {min} are needed.",
    }
    MarkNegative { vi: "Điểm mặc định {mark} là số âm.", en: "The default mark {mark} is negative." }
    MarkTooHigh {
        vi: "Điểm mặc định {mark} lớn hơn {max} điểm.",
        en: "The default mark {mark} is more than {max} {max|point|points}.",
    }
    NoMatch { vi: "Mục “{item}” chưa có vế ghép đúng.", en: "The item “{item}” has no match." }
    NoSubquestion {
        vi: "Câu điền khuyết (cloze) chưa có câu hỏi con nào, dạng {open}1:SHORTANSWER:=…{close}.",
        en: "A cloze question with no subquestion {open}1:SHORTANSWER:=…{close}.",
    }
    ClozeOpen {
        vi: "Câu hỏi con “{subquestion}”: phần đáp án chưa được đóng bằng dấu {close}.",
        en: "Subquestion “{subquestion}”: the answers are never closed by {close}.",
    }
    SeveralInteractions {
        vi: "Mục này có nhiều phần trả lời; một câu hỏi của Lophoc chỉ có một (hoặc các ô trống trong nội dung). Hãy tách thành nhiều câu.",
        en: "Several interactions in one item: a Lophoc question has one (or blanks in its text); split the item.",
    }
    NoInteraction {
        vi: "Mục này không có phần trả lời nào: đoạn văn không kèm câu hỏi thì không được nhập.",
        en: "The item has no interaction: a text with no question is not imported.",
    }
    NoCorrectOrder { vi: "Câu sắp xếp chưa có thứ tự đúng.", en: "The order interaction has no correct order." }
    ItemMissing {
        vi: "Danh mục của gói có ghi {path} nhưng trong gói không có tệp này.",
        en: "{path}: the manifest names this item, but the package does not hold it.",
    }
    NotUtf8 { vi: "Tệp này không phải văn bản mã UTF-8.", en: "The file is not UTF-8 text." }
    WrongRoot {
        vi: "Phần tử gốc <{found}> không phải <{wanted}> như định dạng yêu cầu.",
        en: "<{found}> is not <{wanted}>, the element the format needs.",
    }
    EmptyColumn { vi: "Cột “{column}” đang trống; {hint}.", en: "“{column}” is empty; {hint}." }
    BadCell {
        vi: "Cột “{column}” ghi “{value}”, không hợp lệ; {hint}.",
        en: "“{column}” is “{value}”, which is not valid; {hint}.",
    }
    EmptyOptionCell {
        vi: "Cột “Đáp án đúng” ghi phương án {letter}, nhưng ô “Phương án {letter}” đang trống; các phương án có nội dung là {letters}.",
        en: "“Đáp án đúng” names option {letter}, but “Phương án {letter}” is empty; the options are {letters}.",
    }
    SeveralForSingle {
        vi: "Câu một lựa chọn chỉ có một đáp án đúng, nhưng cột “Đáp án đúng” ghi “{answer}”; nếu có nhiều đáp án đúng, hãy chọn loại nhiều lựa chọn.",
        en: "A một lựa chọn question has exactly one right answer, but “Đáp án đúng” is “{answer}”; for several right answers use the kind nhiều lựa chọn.",
    }
    HintQuestionText { vi: "mỗi dòng cần có nội dung câu hỏi", en: "every row needs the question text" }
    HintPoints { vi: "hãy ghi một số nguyên từ 1 đến {max}", en: "write a whole number from 1 to {max}" }
    HintDifficulty { vi: "hãy ghi dễ, trung bình hoặc khó", en: "write dễ, trung bình or khó" }
    HintKind {
        vi: "hãy ghi một lựa chọn, nhiều lựa chọn, đúng sai, trả lời ngắn hoặc tự luận",
        en: "write một lựa chọn, nhiều lựa chọn, đúng sai, trả lời ngắn or tự luận",
    }
    HintTrueFalse { vi: "hãy ghi Đúng hoặc Sai", en: "write Đúng or Sai" }
    HintAccepted {
        vi: "hãy ghi các đáp án được chấp nhận, cách nhau bằng dấu |",
        en: "list the accepted answers, separated by |",
    }
    HintLetters {
        vi: "hãy ghi chữ cái của phương án đúng, ví dụ “B” hoặc “A, C”",
        en: "write the letters of the right options, e.g. “B” or “A, C”",
    }
    EmptyAfterMarker { vi: "Sau dấu {marker} chưa có đáp án.", en: "An empty answer after {marker}." }
    NoFullWeight {
        vi: "Không có đáp án nào được 100% số điểm; cần ít nhất một đáp án đúng hoàn toàn.",
        en: "No answer is worth 100%: the question needs at least one.",
    }
    ToleranceNegative { vi: "Sai số cho phép {tolerance} là số âm.", en: "The tolerance {tolerance} is negative." }
    Description {
        vi: "Đây là đoạn mô tả, không có câu trả lời; ngân hàng chỉ chứa câu hỏi. Hãy đưa đoạn này vào một bài học hoặc một tình huống.",
        en: "A description has no answer, and a question bank holds questions only; put its text in a lesson or a situation.",
    }
    NoAnswers { vi: "Câu này chưa có đáp án nào.", en: "The question has no answers." }
    BlankAnswer { vi: "Có một đáp án để trống.", en: "An answer is empty." }
    SheetEmpty {
        vi: "Trang tính đầu tiên đang trống; hãy điền vào tệp mẫu (Tải tệp mẫu Excel), mỗi câu hỏi một dòng.",
        en: "The first sheet is empty; fill in the template (Tải tệp mẫu Excel), one question per row.",
    }
    NoHeaderRow {
        vi: "Không tìm thấy dòng tiêu đề: dòng đầu phải có tên các cột của tệp mẫu ({columns}); chưa có cột nào tên “Câu hỏi”.",
        en: "No header row: the first row must hold the template's column names ({columns}); no column is named “Câu hỏi”.",
    }
    DuplicateColumn {
        vi: "Cột {first} và cột {second} cùng tên “{name}”; hãy giữ lại một cột.",
        en: "Columns {first} and {second} are both named “{name}”; keep one.",
    }
    NoKindColumn {
        vi: "Thiếu cột “Loại” (loại câu hỏi: một lựa chọn, nhiều lựa chọn, đúng sai, trả lời ngắn hoặc tự luận).",
        en: "There is no column “Loại” (the kind of question: một lựa chọn, nhiều lựa chọn, đúng sai, trả lời ngắn or tự luận).",
    }
    TextUnreadable {
        vi: "Không đọc được phần chữ quanh phần đáp án.",
        en: "The text around the answer part could not be read.",
    }
    MissingElement {
        vi: "Mục này thiếu phần tử <{element}>.",
        en: "The item has no <{element}>.",
    }
    NoResponseDeclaration {
        vi: "Phần trả lời <{interaction}> không có khai báo đáp án (qti-response-declaration).",
        en: "The <{interaction}> has no response declaration.",
    }
    NoExactShare {
        vi: "Mức điểm {value} không quy ra được một tỉ lệ phần trăm chính xác của số điểm câu hỏi.",
        en: "The value {value} gives no exact share of the marks.",
    }
    NoCorrectValue { vi: "Câu trả lời bằng số chưa có giá trị đúng.", en: "A number response with no correct value." }
    MatchSets { vi: "Câu ghép nối cần đúng hai nhóm để ghép với nhau.", en: "A match interaction needs two match sets." }
    UnknownMatch {
        vi: "Mục “{item}” được ghép với “{target}”, nhưng không có lựa chọn này.",
        en: "The match “{target}” of “{item}” is not among the choices.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_message_exists_in_every_language_with_the_same_placeholders() {
        let faults = ProblemMsg::faults();
        assert!(faults.is_empty(), "catalogue:\n{}", faults.join("\n"));
    }

    #[test]
    fn problems_read_as_sentences_in_each_language() {
        let gap = Problem::CorrectCount {
            question: "q1".into(),
            gap: Some(2),
            correct: 1,
        };
        assert_eq!(
            gap.text(Lang::Vi),
            "Câu hỏi “q1”, ô trống số 2: có 1 phương án đúng; phải có đúng 1 phương án đúng."
        );
        assert_eq!(
            gap.text(Lang::En),
            "Question “q1”, gap 2: 1 option is marked right; exactly 1 must be."
        );
        let marker = Problem::MissingMarker {
            question: "q1".into(),
            gap: 2,
        };
        assert_eq!(
            marker.text(Lang::Vi),
            "Câu hỏi “q1”: nội dung thiếu dấu {2} để đặt ô trống số 2."
        );
        assert_eq!(
            Problem::BraceOpen.text(Lang::Vi),
            "Dấu { ở dòng này không có dấu } đóng lại."
        );
        let syntax = Problem::Syntax {
            line: Some(3),
            column: Some(7),
            detail: "expected `=`".into(),
        };
        assert!(!syntax.text(Lang::Vi).contains("expected"));
        assert_eq!(syntax.detail(), Some("expected `=`"));
        assert_eq!(
            syntax.text_with_detail(Lang::En),
            "Syntax error at line 3, column 7: this part cannot be read. Check the brackets, \
             quotes and equals signs there. (expected `=`)"
        );
    }

    #[test]
    fn problems_travel_as_codes_with_parameters() {
        let p = Problem::TooFew {
            question: "q1".into(),
            gap: None,
            part: Part::Option,
            min: 2,
            count: 1,
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "too_few", "question": "q1", "part": "option", "min": 2, "count": 1})
        );
        assert_eq!(serde_json::from_value::<Problem>(json).unwrap(), p);
        assert_eq!(p.question(), Some("q1"));
        assert_eq!(
            serde_json::to_value(Problem::ZeroTimeLimit).unwrap(),
            serde_json::json!({"code": "zero_time_limit"})
        );
    }
}
