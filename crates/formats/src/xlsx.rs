//! Question banks kept in a spreadsheet: [`parse_xlsx`] reads an XLSX
//! workbook into the same [`ImportReport`] as the Aiken and GIFT imports,
//! and [`template`] writes the workbook lecturers start from.
//!
//! Policy:
//!
//! - **The first sheet** holds the questions; other sheets (the template's
//!   "Hướng dẫn") are not read. Its first non-empty row holds the column
//!   names of [`COLUMNS`], matched ignoring case, tone marks and spacing, in
//!   any order; a title row or two above it is allowed. `Loại` and
//!   `Câu hỏi` must be there; a missing optional column reads as empty.
//! - **Every other non-empty row is one question**, validated with
//!   [`validate`]; a row that cannot be imported is a problem with its
//!   spreadsheet row number and what to change, never a panic. Empty rows
//!   are skipped. A value in a column the template does not have is left
//!   out with a note.
//! - **Ids:** `Mã câu` when it is an id; otherwise it is made into one
//!   (`Câu 1` gives `cau-1`), or, when empty, the question is `xlsx-N` for
//!   the N-th question row. Ids are unique within the file (`-2`…), with a
//!   note whenever the id differs from `Mã câu`.
//! - **Not a workbook** (another format, damaged, password-protected) is an
//!   `Err` with what to do. So is a workbook that unpacks to more than
//!   [`MAX_UNPACKED_BYTES`] or holds more than [`MAX_TEXT_BYTES`] of text:
//!   the upload limit alone does not bound a compressed file.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::import::{excerpt, Ids, DEFAULT_CRITERION};
use calamine::{DataRef, Reader, Xlsx};
use lophoc_core::{
    api::MAX_IMPORT_BYTES,
    i18n::{format_bytes, Lang},
    note::Note,
    problem::{Problem, SheetHint},
    question::{
        import::{ImportNote, ImportReport, ImportedQuestion},
        validate, Accepted, Choice, Criterion, Difficulty, Question, QuestionBody, MAX_POINTS,
    },
    text::fold,
};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, Workbook, Worksheet, XlsxError,
};

/// The most a workbook may unpack to, all its parts together.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// The most cell text read from the question sheet.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Columns past this one (0-based) are not read.
const MAX_COLUMN: u32 = 64;

/// How many non-empty rows may stand above the header row.
const HEADER_SEARCH_ROWS: usize = 10;

/// The MIME type of an XLSX workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a column of the question sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Kind,
    Prompt,
    /// `Phương án A` (0) … `Phương án F` (5).
    Option(usize),
    Answer,
    Explanation,
    Topic,
    Difficulty,
    Points,
}

/// The template's columns, in its order, with their names in row 1.
pub const COLUMNS: [&str; 14] = [
    "Mã câu",
    "Loại",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Phương án E",
    "Phương án F",
    "Đáp án đúng",
    "Giải thích",
    "Chủ đề",
    "Độ khó",
    "Điểm",
];

const COLUMN_KINDS: [Column; 14] = [
    Column::Id,
    Column::Kind,
    Column::Prompt,
    Column::Option(0),
    Column::Option(1),
    Column::Option(2),
    Column::Option(3),
    Column::Option(4),
    Column::Option(5),
    Column::Answer,
    Column::Explanation,
    Column::Topic,
    Column::Difficulty,
    Column::Points,
];

const OPTION_LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// The question kinds a row may have: the Vietnamese name in the template,
/// and the English one Lophoc uses elsewhere (`single_choice`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Multiple,
    TrueFalse,
    Short,
    Essay,
}

const KINDS: [(Kind, &str, &str); 5] = [
    (Kind::Single, "một lựa chọn", "single_choice"),
    (Kind::Multiple, "nhiều lựa chọn", "multiple_choice"),
    (Kind::TrueFalse, "đúng sai", "true_false"),
    (Kind::Short, "trả lời ngắn", "short_answer"),
    (Kind::Essay, "tự luận", "essay"),
];

const NOT_XLSX: &str = "the file is not an Excel workbook (.xlsx), or it is damaged or \
     password-protected; in Excel, choose File → Save As → Excel Workbook (*.xlsx) and try again";

/// Reads the questions on the first sheet of an XLSX workbook. `Err` when
/// the bytes are not a workbook that can be read; problems with the sheet
/// or its rows are in the report.
pub fn parse_xlsx(bytes: &[u8]) -> Result<ImportReport, String> {
    check_unpacked_size(bytes)?;
    let rows = read_first_sheet(bytes)?;
    Ok(report(&rows))
}

/// The first sheet of a workbook as rows of cell texts (1-based row
/// numbers, cells by 0-based column, gaps as empty strings), for readers of
/// other tables than questions (class rosters).
pub fn sheet_rows(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>, String> {
    check_unpacked_size(bytes)?;
    let rows = read_first_sheet(bytes)?;
    Ok(rows
        .into_iter()
        .map(|(row, cells)| {
            let width = cells.keys().next_back().map_or(0, |c| *c as usize + 1);
            let mut line = vec![String::new(); width];
            for (col, text) in cells {
                if let Some(cell) = line.get_mut(col as usize) {
                    *cell = text;
                }
            }
            (row, line)
        })
        .collect())
}

/// Non-empty cell texts by 1-based row, then 0-based column.
type Rows = BTreeMap<u32, BTreeMap<u32, String>>;

/// Unpacks every part once, counting, so that neither a ZIP bomb nor a
/// lying size field gets as far as calamine.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| NOT_XLSX.to_string())?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|_| NOT_XLSX.to_string())?;
        let room = MAX_UNPACKED_BYTES - total;
        total += std::io::copy(&mut (&mut part).take(room + 1), &mut std::io::sink())
            .map_err(|_| NOT_XLSX.to_string())?;
        if total > MAX_UNPACKED_BYTES {
            return Err(format!(
                "the workbook unpacks to more than {} MB; keep only the question sheet, \
                 without pictures, or split the questions into several files",
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ));
        }
    }
    Ok(())
}

/// The non-empty cells of the first sheet, read as a stream (a sheet's
/// declared size is never used to allocate).
fn read_first_sheet(bytes: &[u8]) -> Result<Rows, String> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| NOT_XLSX.to_string())?;
    let name = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| "the workbook has no sheet".to_string())?;
    let unreadable = |_| format!("the sheet {name:?} could not be read; {NOT_XLSX}");
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows = Rows::new();
    let mut kept = 0;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        if col >= MAX_COLUMN {
            continue;
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        kept += text.len();
        if kept > MAX_TEXT_BYTES {
            return Err(format!(
                "the sheet holds more than {} MB of text; split the questions into several files",
                MAX_TEXT_BYTES / (1024 * 1024)
            ));
        }
        rows.entry(row.saturating_add(1))
            .or_default()
            .insert(col, text);
    }
    Ok(rows)
}

/// A cell as the lecturer sees it, trimmed; numbers without a trailing
/// `.0`, line ends as `\n`.
fn cell_text(value: &DataRef<'_>) -> String {
    let text = match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    };
    text.replace("\r\n", "\n").trim().to_string()
}

/// `text` folded (lowercase, no tone marks) with punctuation that people
/// put in headers and kind names turned into single spaces.
fn words(text: &str) -> String {
    fold(text)
        .replace(['_', '-', '/', '*', ':', '.', '(', ')'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn column_for(header: &str) -> Option<Column> {
    let key = words(header);
    COLUMNS
        .iter()
        .zip(COLUMN_KINDS)
        .find(|(name, _)| words(name) == key)
        .map(|(_, column)| column)
}

/// `A`, `B`… `Z`, `AA`… for a 0-based column.
fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The header row: its number, and the column each header names.
struct Header {
    row: u32,
    known: BTreeMap<u32, Column>,
    /// Columns whose header is not in the template, with that header.
    unknown: BTreeMap<u32, String>,
}

fn problem(report: &mut ImportReport, row: u32, label: &str, problem: Problem) {
    report.problem(row as usize, label, problem);
}

fn report(rows: &Rows) -> ImportReport {
    let mut report = ImportReport::default();
    let Some(header) = header(rows, &mut report) else {
        return report;
    };
    let mut ids = Ids::default();
    let mut ordinal = 0;
    for (&row, cells) in rows.range(header.row + 1..) {
        if !header.known.keys().any(|col| cells.contains_key(col)) {
            continue;
        }
        ordinal += 1;
        let unknown: Vec<Note> = header
            .unknown
            .iter()
            .filter(|(col, _)| cells.contains_key(col))
            .map(|(col, name)| Note::UnknownColumn {
                column: column_letter(*col),
                name: name.clone(),
            })
            .collect();
        let cell = |column: Column| {
            header
                .known
                .iter()
                .find(|(_, c)| **c == column)
                .and_then(|(col, _)| cells.get(col))
                .map(String::as_str)
        };
        read_row(&mut report, &mut ids, row, ordinal, cell, unknown);
    }
    report
}

/// Finds the header row among the first non-empty rows; reports why not.
fn header(rows: &Rows, report: &mut ImportReport) -> Option<Header> {
    let Some(&first) = rows.keys().next() else {
        problem(report, 1, "", Problem::SheetEmpty);
        return None;
    };
    let found = rows.iter().take(HEADER_SEARCH_ROWS).find(|(_, cells)| {
        cells
            .values()
            .any(|t| column_for(t) == Some(Column::Prompt))
    });
    let Some((&row, cells)) = found else {
        problem(
            report,
            first,
            "",
            Problem::NoHeaderRow {
                columns: COLUMNS.join(", "),
            },
        );
        return None;
    };
    let mut header = Header {
        row,
        known: BTreeMap::new(),
        unknown: BTreeMap::new(),
    };
    let mut ok = true;
    for (&col, text) in cells {
        match column_for(text) {
            Some(column) => {
                if let Some((&other, _)) = header.known.iter().find(|(_, c)| **c == column) {
                    problem(
                        report,
                        row,
                        "",
                        Problem::DuplicateColumn {
                            first: column_letter(other),
                            second: column_letter(col),
                            name: text.clone(),
                        },
                    );
                    ok = false;
                } else {
                    header.known.insert(col, column);
                }
            }
            None => {
                header.unknown.insert(col, text.clone());
            }
        }
    }
    if !header.known.values().any(|c| *c == Column::Kind) {
        problem(report, row, "", Problem::NoKindColumn);
        ok = false;
    }
    ok.then_some(header)
}

/// Reads one question row into the report: a question, or its problems.
fn read_row<'a>(
    report: &mut ImportReport,
    ids: &mut Ids,
    row: u32,
    ordinal: usize,
    cell: impl Fn(Column) -> Option<&'a str>,
    mut notes: Vec<Note>,
) {
    let given_id = cell(Column::Id);
    let prompt = cell(Column::Prompt).unwrap_or_default();
    let label = given_id
        .map(str::to_string)
        .unwrap_or_else(|| excerpt(prompt));
    let mut errors = Vec::new();
    if prompt.is_empty() {
        errors.push(Problem::EmptyColumn {
            column: "Câu hỏi".into(),
            hint: SheetHint::QuestionText,
        });
    }
    let points = match cell(Column::Points) {
        None => 1,
        Some(text) => match whole_points(text) {
            Some(p) => p,
            None => {
                errors.push(Problem::BadCell {
                    column: "Điểm".into(),
                    value: text.to_string(),
                    hint: SheetHint::Points { max: MAX_POINTS },
                });
                1
            }
        },
    };
    let difficulty = match cell(Column::Difficulty).map(words).as_deref() {
        None | Some("trung binh" | "medium") => Difficulty::Medium,
        Some("de" | "easy") => Difficulty::Easy,
        Some("kho" | "hard") => Difficulty::Hard,
        Some(_) => {
            errors.push(Problem::BadCell {
                column: "Độ khó".into(),
                value: cell(Column::Difficulty).unwrap_or_default().to_string(),
                hint: SheetHint::Difficulty,
            });
            Difficulty::Medium
        }
    };
    let options: Vec<(usize, &str)> = (0..OPTION_LETTERS.len())
        .filter_map(|i| cell(Column::Option(i)).map(|t| (i, t)))
        .collect();
    let answer = cell(Column::Answer).unwrap_or_default();
    let kind_text = cell(Column::Kind).unwrap_or_default();
    let kind = KINDS
        .iter()
        .find(|(_, vi, en)| words(kind_text) == words(vi) || words(kind_text) == words(en))
        .map(|k| k.0);
    let body = match kind {
        None => {
            errors.push(if kind_text.is_empty() {
                Problem::EmptyColumn {
                    column: "Loại".into(),
                    hint: SheetHint::Kind,
                }
            } else {
                Problem::BadCell {
                    column: "Loại".into(),
                    value: kind_text.to_string(),
                    hint: SheetHint::Kind,
                }
            });
            None
        }
        Some(kind @ (Kind::Single | Kind::Multiple)) => {
            choice_body(kind, &options, answer, &mut errors, &mut notes)
        }
        Some(kind) => {
            if !options.is_empty() {
                notes.push(Note::OptionColumnsUnused);
            }
            match kind {
                Kind::TrueFalse => match words(answer).as_str() {
                    "dung" | "d" | "true" | "t" => Some(true_false(true)),
                    "sai" | "s" | "false" | "f" => Some(true_false(false)),
                    "" => {
                        errors.push(Problem::EmptyColumn {
                            column: "Đáp án đúng".into(),
                            hint: SheetHint::TrueFalse,
                        });
                        None
                    }
                    _ => {
                        errors.push(Problem::BadCell {
                            column: "Đáp án đúng".into(),
                            value: answer.to_string(),
                            hint: SheetHint::TrueFalse,
                        });
                        None
                    }
                },
                Kind::Short => {
                    let accepted: Vec<String> = answer
                        .split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect();
                    if accepted.is_empty() {
                        errors.push(Problem::EmptyColumn {
                            column: "Đáp án đúng".into(),
                            hint: SheetHint::Accepted,
                        });
                        None
                    } else {
                        notes.push(Note::ShortAnswerCount {
                            count: accepted.len(),
                        });
                        Some(QuestionBody::ShortAnswer {
                            accepted: accepted.into_iter().map(Accepted::full).collect(),
                            ignore_tone_marks: false,
                        })
                    }
                }
                _ => {
                    if !answer.is_empty() {
                        notes.push(Note::AnswerColumnUnused);
                    }
                    notes.push(Note::EssayOneCriterion {
                        criterion: DEFAULT_CRITERION.to_string(),
                        points,
                    });
                    Some(QuestionBody::Essay {
                        rubric: vec![Criterion {
                            id: "toan-bai".to_string(),
                            description: DEFAULT_CRITERION.to_string(),
                            max_points: points,
                        }],
                    })
                }
            }
        }
    };
    let Some(body) = body.filter(|_| errors.is_empty()) else {
        for p in errors {
            problem(report, row, &label, p);
        }
        return;
    };
    let id = ids.take(given_id, format!("xlsx-{ordinal}"));
    if let Some(given) = given_id.filter(|g| *g != id) {
        notes.push(Note::IdChanged {
            given: given.to_string(),
            id: id.clone(),
        });
    }
    let topic = cell(Column::Topic).map(str::to_string);
    let question = Question {
        id: id.clone(),
        prompt: prompt.to_string(),
        points,
        difficulty,
        tags: topic.iter().cloned().collect(),
        explanation: cell(Column::Explanation).map(str::to_string),
        grader_note: None,
        body,
    };
    let mistakes = validate(&question);
    if mistakes.is_empty() {
        report.questions.push(ImportedQuestion {
            line: row as usize,
            id,
            question,
            category: topic,
            notes: notes.into_iter().map(ImportNote::from).collect(),
        });
    } else {
        for p in mistakes {
            problem(report, row, &label, p);
        }
    }
}

fn true_false(answer: bool) -> QuestionBody {
    QuestionBody::TrueFalse {
        answer,
        feedback_true: None,
        feedback_false: None,
    }
}

/// `2`, `2.0` (as Excel stores numbers) → 2; anything else, fractions and
/// out of range included → `None`.
fn whole_points(text: &str) -> Option<u32> {
    let points = match text.parse::<u32>() {
        Ok(p) => p,
        Err(_) => {
            let f = text.parse::<f64>().ok()?;
            if f.fract() != 0.0 || !(1.0..=f64::from(MAX_POINTS)).contains(&f) {
                return None;
            }
            f as u32
        }
    };
    (1..=MAX_POINTS).contains(&points).then_some(points)
}

/// The options and correct letters of a một lựa chọn / nhiều lựa chọn row.
fn choice_body(
    kind: Kind,
    options: &[(usize, &str)],
    answer: &str,
    errors: &mut Vec<Problem>,
    notes: &mut Vec<Note>,
) -> Option<QuestionBody> {
    let filled: Vec<String> = options
        .iter()
        .map(|(i, _)| OPTION_LETTERS[*i].to_string())
        .collect();
    if options.len() < 2 {
        errors.push(Problem::FewOptions {
            count: options.len(),
            min: 2,
        });
        return None;
    }
    if let Some(&(last, _)) = options.last() {
        if last + 1 > options.len() {
            notes.push(Note::OptionColumnsSkipped {
                before: OPTION_LETTERS[last].to_string(),
                letters: filled.clone(),
            });
        }
    }
    let mut letters: Vec<usize> = Vec::new();
    let tokens = answer
        .split(|c: char| c == ',' || c == ';' || c == '/' || c.is_whitespace())
        .filter(|t| !t.is_empty());
    for token in tokens {
        if !token.chars().all(|c| c.is_ascii_alphabetic()) {
            errors.push(Problem::BadCell {
                column: "Đáp án đúng".into(),
                value: answer.to_string(),
                hint: SheetHint::Letters,
            });
            return None;
        }
        for c in token.chars().map(|c| c.to_ascii_uppercase()) {
            let Some(i) = OPTION_LETTERS.iter().position(|l| *l == c) else {
                errors.push(Problem::UnknownLetter {
                    letter: c.to_string(),
                    letters: filled.join(", "),
                });
                return None;
            };
            if !options.iter().any(|(o, _)| *o == i) {
                errors.push(Problem::EmptyOptionCell {
                    letter: c.to_string(),
                    letters: filled.join(", "),
                });
                return None;
            }
            if !letters.contains(&i) {
                letters.push(i);
            }
        }
    }
    if letters.is_empty() {
        errors.push(Problem::EmptyColumn {
            column: "Đáp án đúng".into(),
            hint: SheetHint::Letters,
        });
        return None;
    }
    if kind == Kind::Single && letters.len() > 1 {
        errors.push(Problem::SeveralForSingle {
            answer: answer.to_string(),
        });
        return None;
    }
    let correct: Vec<String> = letters
        .iter()
        .map(|i| OPTION_LETTERS[*i].to_string())
        .collect();
    notes.push(Note::Choice {
        single: kind == Kind::Single,
        options: options.len(),
        correct,
    });
    let options = options
        .iter()
        .map(|(i, text)| Choice {
            id: OPTION_LETTERS[*i].to_ascii_lowercase().to_string(),
            text: (*text).to_string(),
            correct: letters.contains(i),
            feedback: None,
        })
        .collect();
    Some(if kind == Kind::Single {
        QuestionBody::SingleChoice { options }
    } else {
        QuestionBody::MultipleChoice { options }
    })
}

/// The example rows of the template, one per kind, in [`COLUMNS`] order
/// (`Điểm` last, as a number).
const EXAMPLES: [([&str; 13], u32); 5] = [
    (
        [
            "mau-mot-lua-chon",
            "một lựa chọn",
            "Cán bộ địa chính được người dân gửi phong bì \"cảm ơn\" sau khi giải quyết xong \
             hồ sơ. Cán bộ đó nên làm gì?",
            "Từ chối, và báo cáo thủ trưởng nếu người dân cố đưa",
            "Nhận, vì hồ sơ đã giải quyết xong",
            "Nhận rồi chia cho cả phòng",
            "",
            "",
            "",
            "A",
            "Quà tặng liên quan đến việc giải quyết công việc không được nhận, kể cả sau khi \
             việc đã xong.",
            "Phòng chống tham nhũng",
            "dễ",
        ],
        1,
    ),
    (
        [
            "mau-nhieu-lua-chon",
            "nhiều lựa chọn",
            "Những trường hợp nào dưới đây là xung đột lợi ích?",
            "Thẩm định hồ sơ xin cấp phép của người thân",
            "Từ chối một món quà của doanh nghiệp",
            "Góp vốn vào doanh nghiệp thuộc lĩnh vực mình quản lý",
            "Công khai bản kê khai tài sản",
            "",
            "",
            "A, C",
            "Xung đột lợi ích là khi lợi ích riêng có thể ảnh hưởng đến việc thực hiện công vụ.",
            "Phòng chống tham nhũng",
            "trung bình",
        ],
        2,
    ),
    (
        [
            "mau-dung-sai",
            "đúng sai",
            "Kê khai tài sản, thu nhập trung thực giúp bảo vệ chính người kê khai.",
            "",
            "",
            "",
            "",
            "",
            "",
            "Đúng",
            "",
            "Kê khai tài sản",
            "dễ",
        ],
        1,
    ),
    (
        [
            "mau-tra-loi-ngan",
            "trả lời ngắn",
            "Viết tên đầy đủ hoặc tên viết tắt của cơ quan hành chính nhà nước ở cấp xã.",
            "",
            "",
            "",
            "",
            "",
            "",
            "Ủy ban nhân dân xã|UBND xã",
            "",
            "Bộ máy nhà nước",
            "dễ",
        ],
        1,
    ),
    (
        [
            "mau-tu-luan",
            "tự luận",
            "Nêu ba biện pháp phòng ngừa tham nhũng tại cơ quan, đơn vị nơi anh/chị công tác.",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "Gợi ý: công khai, minh bạch trong hoạt động; chuyển đổi vị trí công tác; \
             kê khai tài sản, thu nhập.",
            "Phòng chống tham nhũng",
            "khó",
        ],
        5,
    ),
];

/// Column widths of the template, in characters, in [`COLUMNS`] order.
const WIDTHS: [f64; 14] = [
    20.0, 16.0, 50.0, 28.0, 28.0, 28.0, 28.0, 20.0, 20.0, 16.0, 40.0, 24.0, 12.0, 8.0,
];

/// What the "Hướng dẫn" sheet says about each column, in [`COLUMNS`] order
/// (the six option columns share one line).
fn guide(max_size: &str) -> Vec<(String, String)> {
    let rows = [
        (
            "Mã câu",
            "Không bắt buộc. Mã riêng của câu hỏi: chữ thường không dấu, số và dấu gạch \
            ngang, ví dụ pctn-01. Để trống thì hệ thống tự đặt mã. Nhập lại một câu có cùng mã sẽ \
            thay câu cũ trong ngân hàng.",
        ),
        (
            "Loại",
            "Bắt buộc. Một trong: một lựa chọn, nhiều lựa chọn, đúng sai, trả lời ngắn, \
            tự luận.",
        ),
        ("Câu hỏi", "Bắt buộc. Nội dung câu hỏi."),
        (
            "Phương án A … Phương án F",
            "Các phương án của câu một lựa chọn và nhiều lựa chọn: \
            ít nhất 2, nhiều nhất 6, điền từ cột A trở đi. Các loại câu khác để trống.",
        ),
        (
            "Đáp án đúng",
            "Một lựa chọn: một chữ cái, ví dụ B. Nhiều lựa chọn: các chữ cái cách \
            nhau bằng dấu phẩy, ví dụ A, C. Đúng sai: Đúng hoặc Sai. Trả lời ngắn: các câu trả lời \
            được chấp nhận, cách nhau bằng dấu |, ví dụ Ủy ban nhân dân|UBND (không phân biệt chữ \
            hoa, chữ thường). Tự luận: để trống.",
        ),
        (
            "Giải thích",
            "Không bắt buộc. Hiện cho học viên sau khi trả lời. Với câu tự luận, có \
            thể ghi gợi ý đáp án.",
        ),
        (
            "Chủ đề",
            "Không bắt buộc. Dùng để nhóm câu hỏi và rút câu hỏi theo chủ đề khi tạo \
            bài kiểm tra.",
        ),
        (
            "Độ khó",
            "Không bắt buộc: dễ, trung bình hoặc khó. Để trống là trung bình.",
        ),
        (
            "Điểm",
            "Không bắt buộc: số nguyên từ 1 đến 10000; để trống là 1. Với câu tự luận, \
            đây là điểm tối đa của tiêu chí chấm «Toàn bài».",
        ),
    ];
    let mut out: Vec<(String, String)> = rows
        .iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect();
    out.push((
        "Lưu ý".to_string(),
        format!(
            "Dòng đầu tiên của trang tính đầu tiên là tên các cột: giữ nguyên tên cột (viết hoa \
             hay không dấu đều được). Mỗi dòng tiếp theo là một câu hỏi; dòng trống được bỏ qua. \
             Chỉ trang tính đầu tiên được đọc. Tệp tối đa {max_size}. Các dòng ví dụ cũng sẽ \
             được nhập: hãy xoá chúng trước khi nhập câu hỏi của mình."
        ),
    ));
    out
}

/// The XLSX template: the question sheet with its header row and one
/// example per kind, and a "Hướng dẫn" sheet explaining each column. Empty
/// only if the writer fails, which it does not for this fixed content.
pub fn template() -> Vec<u8> {
    build_template().unwrap_or_else(|error| {
        tracing::error!(%error, "could not write the XLSX template");
        Vec::new()
    })
}

fn build_template() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Câu hỏi")?;
    for (col, (name, width)) in (0_u16..).zip(COLUMNS.iter().zip(WIDTHS)) {
        sheet.write_string_with_format(0, col, *name, &bold)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, (cells, points)) in (1_u32..).zip(EXAMPLES) {
        for (col, text) in (0_u16..).zip(cells) {
            if !text.is_empty() {
                sheet.write_string_with_format(row, col, text, &wrap)?;
            }
        }
        sheet.write_number(row, 13, points)?;
    }
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.1).collect();
    add_list(sheet, 1, &kinds, "Chọn loại câu hỏi.")?;
    add_list(
        sheet,
        12,
        &["dễ", "trung bình", "khó"],
        "Để trống là trung bình.",
    )?;

    let guide_sheet = workbook.add_worksheet();
    guide_sheet.set_name("Hướng dẫn")?;
    guide_sheet.write_string_with_format(0, 0, "Cột", &bold)?;
    guide_sheet.write_string_with_format(0, 1, "Cách điền", &bold)?;
    guide_sheet.set_column_width(0, 26)?;
    guide_sheet.set_column_width(1, 100)?;
    let max_size = format_bytes(Lang::Vi, MAX_IMPORT_BYTES as u64);
    for (row, (column, text)) in (1_u32..).zip(guide(&max_size)) {
        guide_sheet.write_string_with_format(row, 0, column, &bold)?;
        guide_sheet.write_string_with_format(row, 1, text, &wrap)?;
    }
    workbook.save_to_buffer()
}

/// A drop-down list on a column of the question sheet; other values are
/// allowed after a warning (the English kind names, say).
fn add_list(
    sheet: &mut Worksheet,
    col: u16,
    list: &[&str],
    message: &str,
) -> Result<(), XlsxError> {
    let validation = DataValidation::new()
        .allow_list_strings(list)?
        .set_input_message(message)?
        .set_error_style(DataValidationErrorStyle::Warning);
    sheet.add_data_validation(1, col, 1000, col, &validation)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely_and_letters_count_past_z() {
        assert_eq!(column_for("  CÂU HỎI "), Some(Column::Prompt));
        assert_eq!(column_for("Dap an dung*"), Some(Column::Answer));
        assert_eq!(column_for("phương án f"), Some(Column::Option(5)));
        assert_eq!(column_for("Ghi chú"), None);
        assert_eq!(column_for(""), None);
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(whole_points("2"), Some(2));
        assert_eq!(whole_points("3.0"), Some(3));
        assert_eq!(whole_points("1.5"), None);
        assert_eq!(whole_points("0"), None);
        assert_eq!(whole_points("hai"), None);
    }
}
