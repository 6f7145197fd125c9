//! Moodle's cloze syntax (embedded answers, `qtype_multianswer`): the
//! `{1:SHORTANSWER:=Hà Nội#Đúng~%50%Hà Nam}` subquestions of a cloze
//! question's text.
//!
//! Policy: read as `qtype_multianswer_extract_question` reads them (Moodle
//! `question/type/multianswer/questiontype.php`, its `ANSWER_REGEX` family):
//!
//! - a subquestion is `{`, an optional weight (digits; 1 when absent), `:`,
//!   a type, `:`, answers separated by `~`, and `}`. Types: `SHORTANSWER`
//!   (`SA`, `MW`), `SHORTANSWER_C` (`SAC`, `MWC`, case-sensitive),
//!   `NUMERICAL` (`NM`), `MULTICHOICE` (`MC`, a drop-down) and its
//!   `_V`/`_H` (radio buttons) and `_S` (shuffled) forms, `MULTIRESPONSE`
//!   (`MR`…, checkboxes);
//! - an answer is an optional `=` (100%) or `%n%` (n%, `.` or `,`), its text
//!   (at least one character; it ends at a `~`, `#` or `}` that no `\` or
//!   `&` stands before), and an optional `#feedback` (ending at a `~` or `}`
//!   with no `\` before it). HTML entities are decoded and `\}` `\#` read as
//!   `}` `#`, as Moodle does; a numerical answer is `value` or
//!   `value:tolerance`;
//! - text that does not start a subquestion (`{1}`, `{a}`) is text. One
//!   that starts like one (`{1:SA:`) but does not end like one is a problem,
//!   not text: Moodle would read it otherwise than its author meant.
//!
//! Writing ([`write_gap`]) puts every character Moodle treats specially
//! in an answer or feedback (`~ # } \ & = %`) as a numeric character
//! reference (`&#126;`), which Moodle decodes back and never reads as
//! syntax, so any text survives the trip.

use crate::html::decode_entities;
use lophoc_core::number::Decimal;
use lophoc_core::problem::Problem;

/// A subquestion found in a cloze text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sub {
    /// Byte range of the whole `{…}` in the text.
    pub start: usize,
    pub end: usize,
    pub weight: u32,
    pub kind: SubKind,
    pub answers: Vec<Alt>,
}

/// What a subquestion asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubKind {
    ShortAnswer {
        case_sensitive: bool,
    },
    Numerical,
    /// One answer of several: a drop-down (`MULTICHOICE`), or radio buttons
    /// in a column or a row (`_V`, `_H`).
    Choice {
        dropdown: bool,
    },
    /// Checkboxes (`MULTIRESPONSE`).
    MultiResponse,
}

/// One answer of a subquestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alt {
    /// Percent of the subquestion's marks: 100 for `=`, `n` for `%n%`, 0
    /// when neither is written.
    pub credit: Decimal,
    /// The answer text as written (entities and escapes decoded).
    pub text: String,
    pub feedback: Option<String>,
}

/// Something that starts like a subquestion but is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub start: usize,
    pub problem: Problem,
}

const TYPES: [(&str, SubKind); 28] = [
    ("NUMERICAL", SubKind::Numerical),
    ("NM", SubKind::Numerical),
    ("MULTICHOICE", SubKind::Choice { dropdown: true }),
    ("MC", SubKind::Choice { dropdown: true }),
    ("MULTICHOICE_V", SubKind::Choice { dropdown: false }),
    ("MCV", SubKind::Choice { dropdown: false }),
    ("MULTICHOICE_H", SubKind::Choice { dropdown: false }),
    ("MCH", SubKind::Choice { dropdown: false }),
    (
        "SHORTANSWER",
        SubKind::ShortAnswer {
            case_sensitive: false,
        },
    ),
    (
        "SA",
        SubKind::ShortAnswer {
            case_sensitive: false,
        },
    ),
    (
        "MW",
        SubKind::ShortAnswer {
            case_sensitive: false,
        },
    ),
    (
        "SHORTANSWER_C",
        SubKind::ShortAnswer {
            case_sensitive: true,
        },
    ),
    (
        "SAC",
        SubKind::ShortAnswer {
            case_sensitive: true,
        },
    ),
    (
        "MWC",
        SubKind::ShortAnswer {
            case_sensitive: true,
        },
    ),
    ("MULTICHOICE_S", SubKind::Choice { dropdown: true }),
    ("MCS", SubKind::Choice { dropdown: true }),
    ("MULTICHOICE_VS", SubKind::Choice { dropdown: false }),
    ("MCVS", SubKind::Choice { dropdown: false }),
    ("MULTICHOICE_HS", SubKind::Choice { dropdown: false }),
    ("MCHS", SubKind::Choice { dropdown: false }),
    ("MULTIRESPONSE", SubKind::MultiResponse),
    ("MR", SubKind::MultiResponse),
    ("MULTIRESPONSE_H", SubKind::MultiResponse),
    ("MRH", SubKind::MultiResponse),
    ("MULTIRESPONSE_S", SubKind::MultiResponse),
    ("MRS", SubKind::MultiResponse),
    ("MULTIRESPONSE_HS", SubKind::MultiResponse),
    ("MRHS", SubKind::MultiResponse),
];

/// The type name and kind at the start of `s` followed by `:`, if any.
fn type_at(s: &str) -> Option<(usize, SubKind)> {
    let name_len = s
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || *b == b'_')
        .count();
    let name = &s[..name_len];
    if !s[name_len..].starts_with(':') {
        return None;
    }
    TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, k)| (name_len + 1, k))
}

/// The subquestions of `text`, in order, and the places that start like
/// one but are not.
pub fn find(text: &str) -> (Vec<Sub>, Vec<Malformed>) {
    let mut subs = Vec::new();
    let mut bad = Vec::new();
    let mut i = 0;
    while let Some(rel) = text[i..].find('{') {
        let start = i + rel;
        let after = &text[start + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let head = after[digits..]
            .strip_prefix(':')
            .and_then(|rest| type_at(rest).map(|(len, kind)| (digits + 1 + len, kind)));
        let Some((head_len, kind)) = head else {
            i = start + 1;
            continue;
        };
        let weight = if digits == 0 {
            1
        } else {
            after[..digits].parse().unwrap_or(u32::MAX)
        };
        let body_start = start + 1 + head_len;
        match alternatives(text, body_start) {
            Ok((answers, end)) => {
                subs.push(Sub {
                    start,
                    end,
                    weight,
                    kind,
                    answers,
                });
                i = end;
            }
            Err(problem) => {
                bad.push(Malformed { start, problem });
                i = body_start;
            }
        }
    }
    (subs, bad)
}

/// True when `text[..at]` ends with what makes a following `~ # }` text
/// in an answer: a `\`, a `&` or `&amp;`.
fn shielded(text: &str, at: usize) -> bool {
    let before = &text[..at];
    before.ends_with('\\') || before.ends_with('&') || before.ends_with("&amp;")
}

/// The answers starting at `from`, and the end of the closing `}`.
fn alternatives(text: &str, from: usize) -> Result<(Vec<Alt>, usize), Problem> {
    let open = || Problem::ClozeOpen {
        subquestion: crate::import::excerpt(&text[from..]),
    };
    let mut answers = Vec::new();
    let mut at = from;
    loop {
        let rest = &text[at..];
        let (credit, skip) = fraction(rest)?;
        at += skip;
        // The answer: at least one character, then up to a terminator.
        let first = text[at..].chars().next().ok_or_else(open)?;
        let mut end = at + first.len_utf8();
        let terminator = loop {
            let Some(c) = text[end..].chars().next() else {
                return Err(open());
            };
            if matches!(c, '~' | '#' | '}') && !shielded(text, end) {
                break c;
            }
            end += c.len_utf8();
        };
        let answer = unescape(&text[at..end]);
        at = end + 1;
        let mut feedback = None;
        let mut terminator = terminator;
        if terminator == '#' {
            let mut f_end = at;
            terminator = loop {
                let Some(c) = text[f_end..].chars().next() else {
                    return Err(open());
                };
                if matches!(c, '~' | '}') && !text[..f_end].ends_with('\\') {
                    break c;
                }
                f_end += c.len_utf8();
            };
            feedback = Some(unescape(&text[at..f_end])).filter(|f| !f.trim().is_empty());
            at = f_end + 1;
        }
        answers.push(Alt {
            credit,
            text: answer,
            feedback,
        });
        if terminator == '}' {
            return Ok((answers, at));
        }
    }
}

/// `=` or `%n%` at the start of `s`: the credit and the bytes taken.
fn fraction(s: &str) -> Result<(Decimal, usize), Problem> {
    if s.starts_with('=') {
        return Ok((Decimal::from_int(100), 1));
    }
    if let Some(rest) = s.strip_prefix('%') {
        let number_len = rest
            .char_indices()
            .take_while(|&(i, c)| {
                c.is_ascii_digit() || (i == 0 && c == '-') || c == '.' || c == ','
            })
            .count();
        let number = &rest[..number_len];
        let valid = number
            .trim_start_matches('-')
            .starts_with(|c: char| c.is_ascii_digit());
        if valid && rest[number_len..].starts_with('%') {
            let credit =
                Decimal::parse(&number.replace(',', ".")).map_err(|_| Problem::NotANumber {
                    text: format!("%{number}%"),
                })?;
            return Ok((credit, number_len + 2));
        }
    }
    Ok((Decimal::ZERO, 0))
}

/// An answer or feedback as Moodle reads it: entities decoded, `\}` and
/// `\#` made `}` and `#`.
fn unescape(raw: &str) -> String {
    decode_entities(raw).replace("\\}", "}").replace("\\#", "#")
}

/// Moodle's `NUMERICAL_ALTERNATIVE_REGEX`: `value` or `value:tolerance`,
/// each `-?digits[.,digits][e±n]`. `None` for anything else (`*`).
pub fn numeric(answer: &str) -> Option<(Decimal, Decimal)> {
    let answer = answer.trim();
    let (value, tolerance) = match answer.split_once(':') {
        Some((v, t)) => (v, Some(t)),
        None => (answer, None),
    };
    let read = |s: &str| {
        let ok = !s.is_empty()
            && s.trim_start_matches('-').bytes().all(|b| {
                b.is_ascii_digit() || matches!(b, b'.' | b',' | b'e' | b'E' | b'+' | b'-')
            });
        if ok {
            Decimal::parse(&s.replace(',', ".")).ok()
        } else {
            None
        }
    };
    Some((read(value)?, tolerance.map_or(Some(Decimal::ZERO), read)?))
}

/// `text` with every character that is syntax in a cloze answer or
/// feedback written as a character reference (see the module doc).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            '~' | '#' | '}' | '{' | '\\' | '&' => out.push_str(&format!("&#{};", u32::from(c))),
            '=' | '%' if i == 0 => out.push_str(&format!("&#{};", u32::from(c))),
            _ => out.push(c),
        }
    }
    out
}

/// True for a text no cloze answer can hold: Moodle decodes references
/// before it reads `\}` and `\#`, so a backslash before `}` or `#` is
/// always read as an escape.
pub fn unrepresentable(text: &str) -> bool {
    text.contains("\\}") || text.contains("\\#")
}

/// True when `text` holds something Moodle would read as a subquestion
/// (so a cloze text must not contain it outside its gaps).
pub fn looks_like_sub(text: &str) -> bool {
    let (subs, bad) = find(text);
    !subs.is_empty() || !bad.is_empty()
}

/// How a cloze answer is written: its fraction marker, text and feedback.
pub fn write_alt(credit: Decimal, text: &str, feedback: Option<&str>) -> String {
    let marker = if credit == Decimal::from_int(100) {
        "=".to_string()
    } else if credit == Decimal::ZERO {
        String::new()
    } else {
        format!("%{credit}%")
    };
    let mut out = format!("{marker}{}", encode(text));
    if let Some(f) = feedback.filter(|f| !f.trim().is_empty()) {
        out.push('#');
        out.push_str(&encode(f));
    }
    out
}

/// A subquestion from its parts: `{weight:TYPE:alt~alt}`.
pub fn write_sub(weight: u32, kind: &str, alts: &[String]) -> String {
    format!("{{{weight}:{kind}:{}}}", alts.join("~"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> Decimal {
        Decimal::from_int(n)
    }

    #[test]
    fn reads_subquestions_as_moodle_does() {
        let text =
            "Năm {1:NUMERICAL:=1930:0#Đúng~%50%1929:1} tại {2:MC:Quảng Châu~=Hồng Kông#Đúng rồi} \
                    của {SA:x} {a} {3} {:SAC:=Nguyễn Ái Quốc~*#Chưa đúng} và {1:MR:=a~=b}.";
        let (subs, bad) = find(text);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(subs.len(), 4);
        assert_eq!(subs[0].kind, SubKind::Numerical);
        assert_eq!(subs[0].answers[0].text, "1930:0");
        assert_eq!(subs[0].answers[0].feedback.as_deref(), Some("Đúng"));
        assert_eq!(subs[0].answers[1].credit, d(50));
        assert_eq!(numeric(&subs[0].answers[1].text), Some((d(1929), d(1))));
        assert_eq!(subs[1].kind, SubKind::Choice { dropdown: true });
        assert_eq!(subs[1].answers[0].credit, d(0));
        assert_eq!(subs[1].answers[1].text, "Hồng Kông");
        assert_eq!(
            subs[2].kind,
            SubKind::ShortAnswer {
                case_sensitive: true
            }
        );
        assert_eq!(subs[2].weight, 1);
        assert_eq!(subs[2].answers[1].text, "*");
        assert_eq!(subs[3].kind, SubKind::MultiResponse);
        assert_eq!(
            &text[subs[1].start..subs[1].end],
            "{2:MC:Quảng Châu~=Hồng Kông#Đúng rồi}"
        );
    }

    #[test]
    fn escapes_and_entities_are_text() {
        let (subs, _) = find(r"{1:SA:=a\}b\#c&#126;d&amp;e#f\~g~%33,5%x}");
        assert_eq!(subs[0].answers[0].text, "a}b#c~d&e");
        assert_eq!(subs[0].answers[0].feedback.as_deref(), Some(r"f\~g"));
        assert_eq!(subs[0].answers[1].credit, Decimal::parse("33.5").unwrap());
        // `&#…;` does not start feedback (Moodle's lookbehind on `&`).
        let (subs, _) = find("{1:SA:=&#35;x}");
        assert_eq!(subs[0].answers[0].text, "#x");
    }

    #[test]
    fn a_broken_subquestion_is_reported() {
        let (subs, bad) = find("Năm {1:NUMERICAL:=1930");
        assert!(subs.is_empty());
        assert_eq!(bad[0].start, "Năm ".len());
        assert_eq!(numeric("*"), None);
        assert_eq!(numeric("2,5"), Some((Decimal::parse("2.5").unwrap(), d(0))));
    }

    proptest! {
        /// Any answer and feedback written by `write_alt` reads back as
        /// written, in any position, with any credit.
        #[test]
        fn written_answers_read_back(
            answers in proptest::collection::vec(("\\PC{1,12}", proptest::option::of("\\PC{1,8}"), 0i64..=100), 1..4),
        ) {
            // Moodle itself cannot hold these (see `unrepresentable`).
            for (t, f, _) in &answers {
                prop_assume!(!unrepresentable(t) && !f.as_deref().is_some_and(unrepresentable));
            }
            let alts: Vec<String> = answers
                .iter()
                .map(|(t, f, c)| write_alt(d(*c), t, f.as_deref()))
                .collect();
            let text = format!("a {} b", write_sub(2, "SHORTANSWER", &alts));
            let (subs, bad) = find(&text);
            prop_assert!(bad.is_empty(), "{:?} {}", bad, text);
            prop_assert_eq!(subs.len(), 1, "{}", text);
            for (alt, (t, f, c)) in subs[0].answers.iter().zip(&answers) {
                prop_assert_eq!(&alt.text, t);
                prop_assert_eq!(alt.feedback.clone(), f.clone().filter(|f| !f.trim().is_empty()));
                prop_assert_eq!(alt.credit, d(*c));
            }
        }
    }
}
