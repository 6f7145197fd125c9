//! An answer in words, once: what a lecturer reads in a trainee's record
//! and what a phone shows after answering in a live session.
//!
//! Policy: answers name options by id and items by authored index, so
//! wording one needs the question's texts. Who words it decides only how an
//! option is named ([`Wording`]): by its authored text in a trainee's record
//! ([`QuestionBody`]), or lettered as the projector showed it on a live
//! phone ([`Lettered`]). Everything else — the order of the parts, "Đúng" or
//! "Sai", the arrows and dashes — is [`answer_text`]'s alone.

use crate::{
    i18n::{Lang, Msg},
    question::{Answer, Gap, PresentedBody, PresentedGap, QuestionBody},
};

/// How a question names the parts of an answer. `None` when the question
/// has no such part (an answer to a changed question).
pub trait Wording {
    /// Option `id` of a single- or multiple-choice question.
    fn option(&self, id: &str) -> Option<String>;
    /// Option `id` of the drop-down of blank `gap` (from 0).
    fn gap_option(&self, gap: usize, id: &str) -> Option<String>;
    /// Item `index` (authored order) of an ordering question.
    fn item(&self, index: usize) -> Option<String>;
    /// The left item `left` and right item `right` (authored indexes,
    /// distractors after the pairs) of a matching question.
    fn pair(&self, left: usize, right: usize) -> Option<(String, String)>;
}

/// The letter of the option shown at `at` (from 0): A, B, C…
pub fn option_letter(at: usize) -> char {
    char::from(b'A' + u8::try_from(at % 26).unwrap_or(0))
}

/// An answer in words: the chosen options (in the order chosen), "Đúng" or
/// "Sai", the order given (`a → b → c`), the pairs (`a — x; b — y`), the
/// blanks (`(1) …; (2) …`) or what was typed. An option the question no
/// longer has is named by its id.
pub fn answer_text(question: &impl Wording, answer: &Answer, lang: Lang) -> String {
    let option = |id: &String| question.option(id).unwrap_or_else(|| id.clone());
    match answer {
        Answer::SingleChoice { option: id } => option(id),
        Answer::MultipleChoice { options } => join(options.iter().map(option), "; "),
        Answer::TrueFalse { value } => Msg::truth(*value).text(lang).to_string(),
        Answer::Ordering { order } => join(order.iter().filter_map(|i| question.item(*i)), " → "),
        Answer::Matching { matches } => join(
            matches.iter().enumerate().filter_map(|(left, right)| {
                let (left, right) = question.pair(left, *right)?;
                Some(format!("{left} — {right}"))
            }),
            "; ",
        ),
        Answer::FillBlanks { gaps } => join(
            gaps.iter().enumerate().map(|(i, given)| {
                let text = match given.is_empty() {
                    true => String::new(),
                    false => question
                        .gap_option(i, given)
                        .unwrap_or_else(|| given.clone()),
                };
                format!("({}) {text}", i + 1)
            }),
            "; ",
        ),
        Answer::ShortAnswer { text }
        | Answer::Numerical { text }
        | Answer::Essay { text }
        | Answer::Opinion { text } => text.clone(),
    }
}

fn join(parts: impl Iterator<Item = String>, by: &str) -> String {
    parts.collect::<Vec<_>>().join(by)
}

/// The authored texts, as in a trainee's record.
impl Wording for QuestionBody {
    fn option(&self, id: &str) -> Option<String> {
        match self {
            QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
                options.iter().find(|o| o.id == id).map(|o| o.text.clone())
            }
            _ => None,
        }
    }

    fn gap_option(&self, gap: usize, id: &str) -> Option<String> {
        match self {
            QuestionBody::FillBlanks { gaps } => match gaps.get(gap)? {
                Gap::Choice { options, .. } => {
                    options.iter().find(|o| o.id == id).map(|o| o.text.clone())
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn item(&self, index: usize) -> Option<String> {
        match self {
            QuestionBody::Ordering { items } => items.get(index).cloned(),
            _ => None,
        }
    }

    fn pair(&self, left: usize, right: usize) -> Option<(String, String)> {
        let QuestionBody::Matching { pairs, distractors } = self else {
            return None;
        };
        let right = pairs
            .get(right)
            .map(|p| &p.1)
            .or_else(|| distractors.get(right.checked_sub(pairs.len())?))?;
        Some((pairs.get(left)?.0.clone(), right.clone()))
    }
}

/// A question as a phone showed it, options lettered in the order shown
/// (`B. Hai`), as the projector names them in a live session.
pub struct Lettered<'a>(pub &'a PresentedBody);

impl Wording for Lettered<'_> {
    fn option(&self, id: &str) -> Option<String> {
        match self.0 {
            PresentedBody::SingleChoice { options } | PresentedBody::MultipleChoice { options } => {
                let at = options.iter().position(|o| o.id == id)?;
                Some(format!("{}. {}", option_letter(at), options[at].text))
            }
            _ => None,
        }
    }

    fn gap_option(&self, gap: usize, id: &str) -> Option<String> {
        match self.0 {
            PresentedBody::FillBlanks { gaps } => match gaps.get(gap)? {
                PresentedGap::Choice { options } => {
                    options.iter().find(|o| o.id == id).map(|o| o.text.clone())
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn item(&self, index: usize) -> Option<String> {
        match self.0 {
            PresentedBody::Ordering { items } => items
                .iter()
                .find(|i| i.index == index)
                .map(|i| i.text.clone()),
            _ => None,
        }
    }

    fn pair(&self, left: usize, right: usize) -> Option<(String, String)> {
        let PresentedBody::Matching {
            left: lefts,
            right: rights,
        } = self.0
        else {
            return None;
        };
        let text = |items: &[crate::question::PresentedItem], index: usize| {
            items
                .iter()
                .find(|i| i.index == index)
                .map(|i| i.text.clone())
        };
        Some((text(lefts, left)?, text(rights, right)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::{present, Question};

    fn question(body: serde_json::Value) -> Question {
        serde_json::from_value(serde_json::json!({"id": "q", "prompt": "?", "body": body})).unwrap()
    }

    #[test]
    fn answers_read_as_text_in_a_record() {
        let q = question(serde_json::json!({"kind": "multiple_choice", "options": [
            {"id": "a", "text": "Một", "correct": true},
            {"id": "b", "text": "Hai", "correct": false}
        ]}));
        let answer = Answer::MultipleChoice {
            options: vec!["b".into(), "a".into(), "gone".into()],
        };
        assert_eq!(answer_text(&q.body, &answer, Lang::Vi), "Hai; Một; gone");
        let no = Answer::TrueFalse { value: false };
        assert_eq!(answer_text(&q.body, &no, Lang::Vi), "Sai");
        assert_eq!(answer_text(&q.body, &no, Lang::En), "False");
        let essay = Answer::Essay {
            text: "Bài viết".into(),
        };
        assert_eq!(answer_text(&q.body, &essay, Lang::Vi), "Bài viết");
    }

    #[test]
    fn orders_pairs_and_blanks_read_the_same_on_a_phone_and_in_a_record() {
        let ordering = question(serde_json::json!({"kind": "ordering",
            "items": ["Một", "Hai", "Ba"]}));
        let matching = question(serde_json::json!({"kind": "matching",
            "pairs": [["Hà Nội", "Thủ đô"], ["Huế", "Cố đô"]], "distractors": ["Cảng"]}));
        let blanks = question(serde_json::json!({"kind": "fill_blanks", "gaps": [
            {"kind": "choice", "options": [
                {"id": "x", "text": "tham ô", "correct": true},
                {"id": "y", "text": "lãng phí", "correct": false}]},
            {"kind": "short_answer", "accepted": [{"text": "đảng viên"}]}
        ]}));
        let cases = [
            (
                &ordering,
                Answer::Ordering {
                    order: vec![2, 0, 1],
                },
                "Ba → Một → Hai",
            ),
            (
                &matching,
                Answer::Matching {
                    matches: vec![1, 2],
                },
                "Hà Nội — Cố đô; Huế — Cảng",
            ),
            (
                &blanks,
                Answer::FillBlanks {
                    gaps: vec!["y".into(), "quần chúng".into()],
                },
                "(1) lãng phí; (2) quần chúng",
            ),
        ];
        for (q, answer, words) in cases {
            assert_eq!(answer_text(&q.body, &answer, Lang::Vi), words);
            for seed in 0..5 {
                let shown = present(q, seed);
                assert_eq!(
                    answer_text(&Lettered(&shown.body), &answer, Lang::Vi),
                    words,
                    "seed {seed}"
                );
            }
        }
    }

    #[test]
    fn a_phone_names_options_by_the_letter_it_showed() {
        let q = question(serde_json::json!({"kind": "single_choice", "options": [
            {"id": "a", "text": "Một", "correct": true},
            {"id": "b", "text": "Hai", "correct": false},
            {"id": "c", "text": "Ba", "correct": false}
        ]}));
        for seed in 0..5 {
            let shown = present(&q, seed);
            let PresentedBody::SingleChoice { options } = &shown.body else {
                panic!("a single choice");
            };
            let at = options.iter().position(|o| o.id == "b").unwrap();
            let answer = Answer::SingleChoice { option: "b".into() };
            assert_eq!(
                answer_text(&Lettered(&shown.body), &answer, Lang::Vi),
                format!("{}. Hai", option_letter(at))
            );
        }
        assert_eq!(option_letter(0), 'A');
        assert_eq!(option_letter(2), 'C');
    }
}
