//! Scoring: one answer ([`score`]), an essay marked by a lecturer
//! ([`grade_essay`]) and a whole attempt ([`attempt_result`]), by the rules
//! in the [module doc](super).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Accepted, Answer, Criterion, Gap, NumericAnswer, Question, QuestionBody, FULL_CREDIT};
use crate::number::{read_number, Decimal};
use crate::text::fold;

/// Marks in hundredths of a point: 150 is 1.5 points. Integers keep sums and
/// pass marks exact on every platform.
pub type Centi = u32;

/// Hundredths in one point.
pub const CENTI_PER_POINT: Centi = 100;

/// The marks one answer earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Always within `0..=max`.
    pub earned: Centi,
    /// Full marks for the question.
    pub max: Centi,
    pub correctness: Correctness,
}

/// How an answer is judged; decided from the answer, not from the rounded
/// marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correctness {
    /// Full marks.
    Correct,
    /// Some credit, less than full marks.
    Partial,
    /// No credit.
    Incorrect,
    /// An essay waiting for a lecturer; `earned` is 0 until then.
    NeedsGrading,
    /// An opinion: nothing to score, `max` is 0.
    NotScored,
}

impl Score {
    /// `right` parts out of `total` of `max`, rounded down; no parts means
    /// no credit (only an invalid question has none).
    fn share(max: Centi, right: usize, total: usize) -> Score {
        if total == 0 {
            return Score::zero(max);
        }
        let right = right.min(total);
        let earned = u64::from(max) * right as u64 / total as u64;
        Score {
            earned: Centi::try_from(earned).unwrap_or(max),
            max,
            correctness: if right == total {
                Correctness::Correct
            } else if right == 0 {
                Correctness::Incorrect
            } else {
                Correctness::Partial
            },
        }
    }

    /// `numerator / denominator` of `max`, rounded down; full marks only
    /// when the fraction is whole.
    fn fraction(max: Centi, numerator: i128, denominator: i128) -> Score {
        if denominator <= 0 || numerator <= 0 {
            return Score::zero(max);
        }
        let numerator = numerator.min(denominator);
        let earned = i128::from(max) * numerator / denominator;
        Score {
            earned: Centi::try_from(earned).unwrap_or(max),
            max,
            correctness: if numerator == denominator {
                Correctness::Correct
            } else {
                Correctness::Partial
            },
        }
    }

    /// A credit in percent (0..=100) of `max`.
    fn credit(max: Centi, credit: Decimal) -> Score {
        Score::fraction(max, credit.units(), FULL_CREDIT.units())
    }

    fn zero(max: Centi) -> Score {
        Score {
            earned: 0,
            max,
            correctness: Correctness::Incorrect,
        }
    }
}

/// Full marks for a question: its points, or for an essay the sum of its
/// rubric, or 0 for an opinion.
pub fn full_marks(question: &Question) -> Centi {
    match &question.body {
        QuestionBody::Essay { rubric } => rubric_max(rubric),
        QuestionBody::Opinion {} => 0,
        _ => question.points.saturating_mul(CENTI_PER_POINT),
    }
}

fn rubric_max(rubric: &[Criterion]) -> Centi {
    rubric.iter().fold(0, |sum: Centi, c| {
        sum.saturating_add(c.max_points.saturating_mul(CENTI_PER_POINT))
    })
}

/// Scores one answer by the rules in the [module doc](super):
///
/// - single choice, true/false: all or nothing;
/// - short answer, numerical: the credit of the best matching accepted
///   answer (100% unless the author gave a partial credit);
/// - fill in the blanks: each gap's credit, weighted by the gaps' weights;
///   an answer without one entry per gap scores 0;
/// - multiple choice: with `C` correct options, `points / C` for each
///   correct option chosen, minus `points / C` for each wrong one, floored
///   at 0; ids chosen twice count once, unknown ids count for nothing;
/// - ordering: `points / n` for each item in its authored position;
/// - matching: `points / n` for each left item given its own right item;
///   the answer must name a different right item (or distractor) for each
///   left item;
/// - essay: [`Correctness::NeedsGrading`] with the rubric's total as `max`;
/// - opinion: [`Correctness::NotScored`], `max` 0.
///
/// Partial credit is rounded down to the hundredth. An answer of another
/// kind than the question, or an ordering or matching that is not a
/// permutation of the items, scores 0.
pub fn score(question: &Question, answer: &Answer) -> Score {
    let max = full_marks(question);
    match (&question.body, answer) {
        (QuestionBody::SingleChoice { options }, Answer::SingleChoice { option }) => {
            let right = options.iter().any(|o| o.correct && o.id == *option);
            Score::share(max, usize::from(right), 1)
        }
        (QuestionBody::MultipleChoice { options }, Answer::MultipleChoice { options: chosen }) => {
            let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
            let picked = |correct: bool| {
                options
                    .iter()
                    .filter(|o| o.correct == correct && chosen.contains(o.id.as_str()))
                    .count()
            };
            let correct_count = options.iter().filter(|o| o.correct).count();
            Score::share(
                max,
                picked(true).saturating_sub(picked(false)),
                correct_count,
            )
        }
        (QuestionBody::TrueFalse { answer, .. }, Answer::TrueFalse { value }) => {
            Score::share(max, usize::from(answer == value), 1)
        }
        (QuestionBody::Ordering { items }, Answer::Ordering { order: given }) => {
            in_place(max, given, items.len(), items.len())
        }
        (QuestionBody::Matching { pairs, distractors }, Answer::Matching { matches: given }) => {
            in_place(max, given, pairs.len(), pairs.len() + distractors.len())
        }
        (
            QuestionBody::ShortAnswer {
                accepted,
                ignore_tone_marks,
            },
            Answer::ShortAnswer { text },
        ) => Score::credit(
            max,
            best_accepted(accepted, *ignore_tone_marks, text).map_or(Decimal::ZERO, |a| a.credit),
        ),
        (QuestionBody::Numerical { answers }, Answer::Numerical { text }) => Score::credit(
            max,
            best_numeric(answers, text).map_or(Decimal::ZERO, |a| a.credit),
        ),
        (QuestionBody::FillBlanks { gaps }, Answer::FillBlanks { gaps: given }) => {
            if gaps.len() != given.len() {
                return Score::zero(max);
            }
            let total: i128 = gaps.iter().map(|g| i128::from(g.weight())).sum();
            let earned: i128 = gaps
                .iter()
                .zip(given)
                .map(|(gap, given)| i128::from(gap.weight()) * gap_credit(gap, given).units())
                .sum();
            Score::fraction(max, earned, total * FULL_CREDIT.units())
        }
        (QuestionBody::Essay { .. }, Answer::Essay { .. }) => Score {
            earned: 0,
            max,
            correctness: Correctness::NeedsGrading,
        },
        (QuestionBody::Opinion {}, _) => unanswered(question),
        _ => Score::zero(max),
    }
}

/// Credit for the positions `i` where `given[i] == i`, if `given` names
/// `n` distinct items of `0..choices` (a permutation when `choices == n`);
/// nothing otherwise.
fn in_place(max: Centi, given: &[usize], n: usize, choices: usize) -> Score {
    let mut seen = vec![false; choices];
    let is_injective = given.len() == n
        && given
            .iter()
            .all(|&i| i < choices && !std::mem::replace(&mut seen[i], true));
    if !is_injective {
        return Score::zero(max);
    }
    let right = given.iter().enumerate().filter(|(i, g)| i == *g).count();
    Score::share(max, right, n)
}

/// How short answers are compared: folded (tone marks ignored) or by
/// [`tone_key`].
fn answer_key(ignore_tone_marks: bool, text: &str) -> String {
    if ignore_tone_marks {
        fold(text)
    } else {
        tone_key(text)
    }
}

/// The accepted answer with the best credit that `text` matches.
pub(crate) fn best_accepted<'a>(
    accepted: &'a [Accepted],
    ignore_tone_marks: bool,
    text: &str,
) -> Option<&'a Accepted> {
    let given = answer_key(ignore_tone_marks, text);
    if given.is_empty() {
        return None;
    }
    accepted
        .iter()
        .filter(|a| answer_key(ignore_tone_marks, &a.text) == given)
        .fold(None, |best: Option<&Accepted>, a| match best {
            Some(b) if b.credit >= a.credit => Some(b),
            _ => Some(a),
        })
}

/// The accepted value with the best credit that the typed `text` matches;
/// `None` also when the text is not a number.
pub(crate) fn best_numeric<'a>(
    answers: &'a [NumericAnswer],
    text: &str,
) -> Option<&'a NumericAnswer> {
    let given = read_number(text).ok()?;
    answers
        .iter()
        .filter(|a| a.matches(given))
        .fold(None, |best: Option<&NumericAnswer>, a| match best {
            Some(b) if b.credit >= a.credit => Some(b),
            _ => Some(a),
        })
}

/// The credit (percent) `given` earns in `gap`.
pub fn gap_credit(gap: &Gap, given: &str) -> Decimal {
    let credit = match gap {
        Gap::ShortAnswer {
            accepted,
            ignore_tone_marks,
            ..
        } => best_accepted(accepted, *ignore_tone_marks, given).map(|a| a.credit),
        Gap::Numerical { answers, .. } => best_numeric(answers, given).map(|a| a.credit),
        Gap::Choice { options, .. } => options
            .iter()
            .any(|o| o.correct && o.id == given)
            .then_some(FULL_CREDIT),
    };
    credit
        .unwrap_or(Decimal::ZERO)
        .clamp(Decimal::ZERO, FULL_CREDIT)
}

/// The score of a question left unanswered: nothing earned, except that an
/// opinion is never scored.
pub fn unanswered(question: &Question) -> Score {
    match question.body {
        QuestionBody::Opinion {} => Score {
            earned: 0,
            max: 0,
            correctness: Correctness::NotScored,
        },
        _ => Score::zero(full_marks(question)),
    }
}

/// Marks an essay: `awarded` gives hundredths per criterion id; each is
/// clamped to its criterion's maximum, a criterion not marked gets 0 and
/// unknown ids are ignored. `max` is the rubric's total.
pub fn grade_essay(rubric: &[Criterion], awarded: &BTreeMap<String, Centi>) -> Score {
    let max = rubric_max(rubric);
    let earned = rubric.iter().fold(0, |sum: Centi, c| {
        let given = awarded.get(&c.id).copied().unwrap_or(0);
        sum.saturating_add(given.min(c.max_points.saturating_mul(CENTI_PER_POINT)))
    });
    Score {
        earned,
        max,
        correctness: if earned == 0 {
            Correctness::Incorrect
        } else if earned >= max {
            Correctness::Correct
        } else {
            Correctness::Partial
        },
    }
}

/// The feedback an answer unlocks: that of each chosen option (in authored
/// order), of the true/false value given, of the accepted answer or value
/// matched, or of each gap's match (in gap order). Show it only when the
/// review policy allows.
pub fn feedback<'q>(question: &'q Question, answer: &Answer) -> Vec<&'q str> {
    let of_options = |options: &'q [super::Choice], chosen: &[&str]| -> Vec<&'q str> {
        options
            .iter()
            .filter(|o| chosen.contains(&o.id.as_str()))
            .filter_map(|o| o.feedback.as_deref())
            .collect()
    };
    match (&question.body, answer) {
        (QuestionBody::SingleChoice { options }, Answer::SingleChoice { option }) => {
            of_options(options, &[option.as_str()])
        }
        (QuestionBody::MultipleChoice { options }, Answer::MultipleChoice { options: chosen }) => {
            let chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
            of_options(options, &chosen)
        }
        (
            QuestionBody::TrueFalse {
                feedback_true,
                feedback_false,
                ..
            },
            Answer::TrueFalse { value },
        ) => {
            let text = if *value {
                feedback_true
            } else {
                feedback_false
            };
            text.as_deref().into_iter().collect()
        }
        (
            QuestionBody::ShortAnswer {
                accepted,
                ignore_tone_marks,
            },
            Answer::ShortAnswer { text },
        ) => best_accepted(accepted, *ignore_tone_marks, text)
            .and_then(|a| a.feedback.as_deref())
            .into_iter()
            .collect(),
        (QuestionBody::Numerical { answers }, Answer::Numerical { text }) => {
            best_numeric(answers, text)
                .and_then(|a| a.feedback.as_deref())
                .into_iter()
                .collect()
        }
        (QuestionBody::FillBlanks { gaps }, Answer::FillBlanks { gaps: given }) => gaps
            .iter()
            .zip(given)
            .filter_map(|(gap, given)| match gap {
                Gap::ShortAnswer {
                    accepted,
                    ignore_tone_marks,
                    ..
                } => best_accepted(accepted, *ignore_tone_marks, given)
                    .and_then(|a| a.feedback.as_deref()),
                Gap::Numerical { answers, .. } => {
                    best_numeric(answers, given).and_then(|a| a.feedback.as_deref())
                }
                Gap::Choice { options, .. } => options
                    .iter()
                    .find(|o| o.id == *given)
                    .and_then(|o| o.feedback.as_deref()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// How a multiple choice answer was marked, to explain partial credit in
/// words: correct options chosen, wrong options chosen, correct options in
/// all (each correct one adds `points / correct`, each wrong one takes it
/// away, as [`score`] does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceTally {
    pub right_chosen: u32,
    pub wrong_chosen: u32,
    pub correct: u32,
}

/// The [`ChoiceTally`] of a multiple choice answer; `None` for other kinds.
pub fn choice_tally(question: &Question, answer: &Answer) -> Option<ChoiceTally> {
    let (QuestionBody::MultipleChoice { options }, Answer::MultipleChoice { options: chosen }) =
        (&question.body, answer)
    else {
        return None;
    };
    let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
    let n = |f: &dyn Fn(&super::Choice) -> bool| {
        u32::try_from(options.iter().filter(|o| f(o)).count()).unwrap_or(u32::MAX)
    };
    Some(ChoiceTally {
        right_chosen: n(&|o| o.correct && chosen.contains(o.id.as_str())),
        wrong_chosen: n(&|o| !o.correct && chosen.contains(o.id.as_str())),
        correct: n(&|o| o.correct),
    })
}

/// Items of an ordering or matching answer in their right place, and the
/// number of items (each earns `points / n`, as [`score`] does); `None` for
/// other kinds, or an answer that gives a place twice or one that does not
/// exist (it scores 0), as [`score`] does.
pub fn placed_tally(question: &Question, answer: &Answer) -> Option<(u32, u32)> {
    let (given, n, choices) = match (&question.body, answer) {
        (QuestionBody::Ordering { items }, Answer::Ordering { order }) => {
            (order, items.len(), items.len())
        }
        (QuestionBody::Matching { pairs, distractors }, Answer::Matching { matches }) => {
            (matches, pairs.len(), pairs.len() + distractors.len())
        }
        _ => return None,
    };
    let mut seen = vec![false; choices];
    let is_injective = given.len() == n
        && given
            .iter()
            .all(|&i| i < choices && !std::mem::replace(&mut seen[i], true));
    if !is_injective {
        return None;
    }
    let right = given.iter().enumerate().filter(|(i, g)| i == *g).count();
    Some((
        u32::try_from(right).unwrap_or(u32::MAX),
        u32::try_from(n).unwrap_or(u32::MAX),
    ))
}

/// The outcome of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// Hundredths earned over all questions.
    pub earned: u64,
    /// Hundredths available, essays waiting for grading included.
    pub max: u64,
    /// `earned / max` as a whole percentage, rounded down; 100 when there is
    /// nothing to score.
    pub percent: u32,
    /// `Some` once the outcome is settled: already at the pass mark, or
    /// unable to reach it even with full marks on every essay still waiting.
    /// `None` while waiting essays decide it.
    pub passed: Option<bool>,
}

/// Adds up an attempt's scores against a pass mark in percent. Passing means
/// `earned * 100 >= pass_percent * max`, computed exactly.
pub fn attempt_result(scores: &[Score], pass_percent: u32) -> AttemptResult {
    let earned: u64 = scores.iter().map(|s| u64::from(s.earned)).sum();
    let max: u64 = scores.iter().map(|s| u64::from(s.max)).sum();
    let waiting: u64 = scores
        .iter()
        .filter(|s| s.correctness == Correctness::NeedsGrading)
        .map(|s| u64::from(s.max - s.earned.min(s.max)))
        .sum();
    let passes = |e: u64| e * 100 >= u64::from(pass_percent) * max;
    let percent = (earned * 100)
        .checked_div(max)
        .map_or(100, |p| u32::try_from(p).unwrap_or(100));
    AttemptResult {
        earned,
        max,
        percent,
        passed: if passes(earned) {
            Some(true)
        } else if !passes(earned + waiting) {
            Some(false)
        } else {
            None
        },
    }
}

/// Tone marks as combining characters, in the column order of [`TONED`]:
/// sắc, huyền, hỏi, ngã, nặng.
const TONE_MARKS: [char; 5] = ['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'];

/// Each lowercase vowel (with its vowel mark) and its five toned forms.
const TONED: [(char, &str); 12] = [
    ('a', "áàảãạ"),
    ('ă', "ắằẳẵặ"),
    ('â', "ấầẩẫậ"),
    ('e', "éèẻẽẹ"),
    ('ê', "ếềểễệ"),
    ('i', "íìỉĩị"),
    ('o', "óòỏõọ"),
    ('ô', "ốồổỗộ"),
    ('ơ', "ớờởỡợ"),
    ('u', "úùủũụ"),
    ('ư', "ứừửữự"),
    ('y', "ýỳỷỹỵ"),
];

/// Vowel marks typed as combining characters, and the letters they make.
const VOWEL_MARKS: [(char, char, char); 6] = [
    ('a', '\u{306}', 'ă'),
    ('a', '\u{302}', 'â'),
    ('e', '\u{302}', 'ê'),
    ('o', '\u{302}', 'ô'),
    ('o', '\u{31B}', 'ơ'),
    ('u', '\u{31B}', 'ư'),
];

/// A key for comparing short answers that keeps tone marks but ignores
/// case, spacing, where in the syllable the tone mark sits ("hoà" and "hòa"
/// are both written) and whether the marks were typed precomposed or as
/// combining characters. Each syllable's tone marks move to its end as
/// combining characters; vowel marks stay on their letter.
fn tone_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tones = String::new(); // of the syllable being read
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if TONE_MARKS.contains(&c) {
            tones.push(c);
            continue;
        }
        let last = out.chars().next_back().filter(|_| !pending_space);
        if let Some(&(_, _, marked)) = VOWEL_MARKS
            .iter()
            .find(|&&(base, mark, _)| mark == c && Some(base) == last)
        {
            out.pop();
            out.push(marked);
            continue;
        }
        let (base, tone) = TONED
            .iter()
            .find_map(|&(base, toned)| {
                toned
                    .chars()
                    .position(|t| t == c)
                    .map(|i| (base, Some(TONE_MARKS[i])))
            })
            .unwrap_or((c, None));
        tones.extend(tone);
        if !base.is_alphanumeric() {
            out.push_str(&tones);
            tones.clear();
        }
        if base.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(base);
    }
    out.push_str(&tones);
    out
}

#[cfg(test)]
mod tests {
    use super::super::strategies::{arb_answer, arb_question, choices};
    use super::super::tests::question;
    use super::*;
    use proptest::prelude::*;

    fn pts(earned: Centi, max: Centi, correctness: Correctness) -> Score {
        Score {
            earned,
            max,
            correctness,
        }
    }

    fn single() -> Question {
        question(QuestionBody::SingleChoice {
            options: choices(&[("a", false), ("b", true), ("c", false)]),
        })
    }

    #[test]
    fn a_tally_explains_multiple_choice_marks() {
        let mut q = question(QuestionBody::MultipleChoice {
            options: choices(&[("a", true), ("b", true), ("c", true), ("d", false)]),
        });
        q.points = 3;
        let answer = Answer::MultipleChoice {
            options: vec!["a".into(), "b".into(), "d".into()],
        };
        let tally = choice_tally(&q, &answer).unwrap();
        assert_eq!(
            tally,
            ChoiceTally {
                right_chosen: 2,
                wrong_chosen: 1,
                correct: 3
            }
        );
        // The tally and the score agree: (2 - 1) of 3 shares of 3 points.
        assert_eq!(score(&q, &answer).earned, 100);
        assert!(choice_tally(&single(), &Answer::SingleChoice { option: "b".into() }).is_none());
        let ordering = question(QuestionBody::Ordering {
            items: vec!["x".into(), "y".into(), "z".into()],
        });
        let placed = |order: Vec<usize>| placed_tally(&ordering, &Answer::Ordering { order });
        assert_eq!(placed(vec![0, 2, 1]), Some((1, 3)));
        assert_eq!(placed(vec![0, 0, 1]), None, "not a permutation");
    }

    #[test]
    fn single_choice_is_all_or_nothing() {
        let q = single();
        let pick = |id: &str| score(&q, &Answer::SingleChoice { option: id.into() });
        assert_eq!(pick("b"), pts(100, 100, Correctness::Correct));
        assert_eq!(pick("a"), pts(0, 100, Correctness::Incorrect));
        assert_eq!(pick("zzz"), pts(0, 100, Correctness::Incorrect));
    }

    #[test]
    fn multiple_choice_gives_and_takes_a_share_per_option() {
        // 3 points, 3 correct options: each is worth 1 point.
        let mut q = question(QuestionBody::MultipleChoice {
            options: choices(&[("a", true), ("b", true), ("c", true), ("d", false)]),
        });
        q.points = 3;
        let pick = |ids: &[&str]| {
            score(
                &q,
                &Answer::MultipleChoice {
                    options: ids.iter().map(|s| s.to_string()).collect(),
                },
            )
        };
        assert_eq!(pick(&["a", "b", "c"]), pts(300, 300, Correctness::Correct));
        assert_eq!(pick(&["c", "a"]), pts(200, 300, Correctness::Partial));
        assert_eq!(
            pick(&["a", "b", "c", "d"]),
            pts(200, 300, Correctness::Partial)
        );
        assert_eq!(pick(&["a", "d"]), pts(0, 300, Correctness::Incorrect));
        assert_eq!(pick(&["d"]), pts(0, 300, Correctness::Incorrect));
        assert_eq!(pick(&[]), pts(0, 300, Correctness::Incorrect));
        assert_eq!(pick(&["a", "a", "a"]), pts(100, 300, Correctness::Partial));
        assert_eq!(pick(&["a", "x"]), pts(100, 300, Correctness::Partial));
    }

    #[test]
    fn partial_credit_rounds_down_to_the_hundredth() {
        let q = question(QuestionBody::MultipleChoice {
            options: choices(&[("a", true), ("b", true), ("c", true)]),
        });
        let two = Answer::MultipleChoice {
            options: vec!["a".into(), "b".into()],
        };
        assert_eq!(score(&q, &two), pts(66, 100, Correctness::Partial));
    }

    #[test]
    fn true_false_is_all_or_nothing() {
        let mut q = question(QuestionBody::TrueFalse {
            answer: false,
            feedback_true: Some("Sai: luật cấm nhận quà.".into()),
            feedback_false: None,
        });
        q.points = 2;
        let t = Answer::TrueFalse { value: true };
        assert_eq!(score(&q, &t), pts(0, 200, Correctness::Incorrect));
        assert_eq!(
            score(&q, &Answer::TrueFalse { value: false }),
            pts(200, 200, Correctness::Correct)
        );
        assert_eq!(feedback(&q, &t), vec!["Sai: luật cấm nhận quà."]);
        assert!(feedback(&q, &Answer::TrueFalse { value: false }).is_empty());
    }

    #[test]
    fn ordering_earns_a_share_per_item_in_place() {
        let mut q = question(QuestionBody::Ordering {
            items: ["Tiếp nhận", "Phân loại", "Xác minh", "Kết luận"]
                .map(String::from)
                .to_vec(),
        });
        q.points = 4;
        let order = |o: &[usize]| score(&q, &Answer::Ordering { order: o.to_vec() });
        assert_eq!(order(&[0, 1, 2, 3]), pts(400, 400, Correctness::Correct));
        assert_eq!(order(&[0, 1, 3, 2]), pts(200, 400, Correctness::Partial));
        assert_eq!(order(&[3, 2, 1, 0]), pts(0, 400, Correctness::Incorrect));
        // Not permutations: no credit, no panic.
        assert_eq!(order(&[0, 0, 0, 0]).earned, 0);
        assert_eq!(order(&[0, 1, 2]).earned, 0);
        assert_eq!(order(&[0, 1, 2, 3, 4]).earned, 0);
        assert_eq!(order(&[0, 1, 2, 9]).earned, 0);
    }

    #[test]
    fn matching_earns_a_share_per_pair() {
        let q = question(QuestionBody::Matching {
            distractors: vec![],
            pairs: vec![
                ("Chủ tịch UBND xã".into(), "Người đứng đầu".into()),
                ("Thanh tra".into(), "Xác minh".into()),
                ("Mặt trận".into(), "Giám sát".into()),
            ],
        });
        let matches = |m: &[usize]| {
            score(
                &q,
                &Answer::Matching {
                    matches: m.to_vec(),
                },
            )
        };
        assert_eq!(matches(&[0, 1, 2]).correctness, Correctness::Correct);
        assert_eq!(matches(&[0, 2, 1]), pts(33, 100, Correctness::Partial));
        assert_eq!(matches(&[1, 2, 0]), pts(0, 100, Correctness::Incorrect));
        assert_eq!(matches(&[0, 0, 0]).earned, 0);
    }

    fn short(accepted: &[&str], ignore_tone_marks: bool) -> Question {
        question(QuestionBody::ShortAnswer {
            accepted: accepted.iter().map(|s| Accepted::full(*s)).collect(),
            ignore_tone_marks,
        })
    }

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn short_answers_earn_the_best_matching_credit() {
        let mut q = question(QuestionBody::ShortAnswer {
            accepted: vec![
                Accepted::full("tham ô"),
                Accepted {
                    text: "tham nhũng".into(),
                    credit: dec("50"),
                    feedback: Some("Chưa đủ cụ thể.".into()),
                },
                Accepted {
                    text: "hối lộ".into(),
                    credit: Decimal::ZERO,
                    feedback: Some("Hối lộ là hành vi khác.".into()),
                },
            ],
            ignore_tone_marks: false,
        });
        q.points = 3;
        let say = |t: &str| score(&q, &Answer::ShortAnswer { text: t.into() });
        assert_eq!(say("Tham ô"), pts(300, 300, Correctness::Correct));
        assert_eq!(say("tham nhũng"), pts(150, 300, Correctness::Partial));
        assert_eq!(say("hối lộ"), pts(0, 300, Correctness::Incorrect));
        assert_eq!(say("lãng phí"), pts(0, 300, Correctness::Incorrect));
        let fb = |t: &str| feedback(&q, &Answer::ShortAnswer { text: t.into() });
        assert_eq!(fb("tham nhũng"), ["Chưa đủ cụ thể."]);
        assert_eq!(fb("hối lộ"), ["Hối lộ là hành vi khác."]);
        assert!(fb("tham ô").is_empty());
        // Moodle's thirds round down, never up to full marks.
        let mut third = q.clone();
        if let QuestionBody::ShortAnswer { accepted, .. } = &mut third.body {
            accepted[1].credit = dec("33.33333");
        }
        third.points = 1;
        assert_eq!(
            score(
                &third,
                &Answer::ShortAnswer {
                    text: "tham nhũng".into()
                }
            ),
            pts(33, 100, Correctness::Partial)
        );
    }

    fn numerical(answers: Vec<NumericAnswer>) -> Question {
        question(QuestionBody::Numerical { answers })
    }

    #[test]
    fn numerical_answers_read_vietnamese_numbers_within_tolerance() {
        let mut q = numerical(vec![
            NumericAnswer::exact(dec("1930")),
            NumericAnswer {
                value: dec("1929"),
                tolerance: dec("1"),
                credit: dec("50"),
                feedback: Some("Gần đúng: 3/2/1930.".into()),
            },
        ]);
        q.points = 2;
        let say = |t: &str| score(&q, &Answer::Numerical { text: t.into() });
        assert_eq!(say("1930"), pts(200, 200, Correctness::Correct));
        assert_eq!(
            say("1.930"),
            pts(200, 200, Correctness::Correct),
            "thousands dot"
        );
        assert_eq!(say(" 1 930 "), pts(200, 200, Correctness::Correct));
        assert_eq!(say("1928"), pts(100, 200, Correctness::Partial));
        assert_eq!(say("1931"), pts(0, 200, Correctness::Incorrect));
        assert_eq!(say("năm 1930"), pts(0, 200, Correctness::Incorrect));
        assert_eq!(say(""), pts(0, 200, Correctness::Incorrect));
        assert_eq!(
            feedback(
                &q,
                &Answer::Numerical {
                    text: "1928".into()
                }
            ),
            ["Gần đúng: 3/2/1930."]
        );
        // Decimal comma, and a tolerance that is exact at its edges.
        let pi = numerical(vec![NumericAnswer {
            tolerance: dec("0.01"),
            ..NumericAnswer::exact(dec("3.14"))
        }]);
        let ok = |t: &str| score(&pi, &Answer::Numerical { text: t.into() }).correctness;
        assert_eq!(ok("3,15"), Correctness::Correct);
        assert_eq!(ok("3,13"), Correctness::Correct);
        assert_eq!(ok("3,151"), Correctness::Incorrect);
        assert_eq!(ok("2,5"), Correctness::Incorrect);
    }

    fn blanks() -> Question {
        let mut q = question(QuestionBody::FillBlanks {
            gaps: vec![
                Gap::Numerical {
                    answers: vec![NumericAnswer::exact(dec("1930"))],
                    weight: 2,
                },
                Gap::ShortAnswer {
                    accepted: vec![Accepted::full("Hồng Kông")],
                    ignore_tone_marks: true,
                    weight: 1,
                },
                Gap::Choice {
                    options: choices(&[("a", false), ("b", true)]),
                    weight: 1,
                },
            ],
        });
        q.prompt = "Đảng ra đời năm {1} tại {2}, do {3} chủ trì.".into();
        q.points = 4;
        q
    }

    #[test]
    fn fill_blanks_add_up_weighted_gaps() {
        let q = blanks();
        let say = |g: &[&str]| {
            score(
                &q,
                &Answer::FillBlanks {
                    gaps: g.iter().map(|s| s.to_string()).collect(),
                },
            )
        };
        assert_eq!(
            say(&["1930", "hong kong", "b"]),
            pts(400, 400, Correctness::Correct)
        );
        assert_eq!(say(&["1.930", "", ""]), pts(200, 400, Correctness::Partial));
        assert_eq!(
            say(&["", "Hồng Kông", "b"]),
            pts(200, 400, Correctness::Partial)
        );
        assert_eq!(
            say(&["1945", "Hà Nội", "a"]),
            pts(0, 400, Correctness::Incorrect)
        );
        // One entry per gap, or nothing.
        assert_eq!(say(&["1930", "Hồng Kông"]).earned, 0);
        assert_eq!(say(&["1930", "Hồng Kông", "b", "x"]).earned, 0);
        assert_eq!(
            feedback(
                &q,
                &Answer::FillBlanks {
                    gaps: vec!["".into(), "".into(), "a".into()]
                }
            ),
            ["Feedback a"]
        );
    }

    #[test]
    fn matching_distractors_are_never_right() {
        let q = question(QuestionBody::Matching {
            pairs: vec![("A".into(), "1".into()), ("B".into(), "2".into())],
            distractors: vec!["3".into()],
        });
        let m = |g: &[usize]| {
            score(
                &q,
                &Answer::Matching {
                    matches: g.to_vec(),
                },
            )
        };
        assert_eq!(m(&[0, 1]).correctness, Correctness::Correct);
        assert_eq!(m(&[0, 2]), pts(50, 100, Correctness::Partial));
        assert_eq!(m(&[2, 0]).correctness, Correctness::Incorrect);
        assert_eq!(m(&[0, 0]).earned, 0, "a right item twice");
        assert_eq!(m(&[0, 3]).earned, 0, "no such right item");
    }

    fn says(q: &Question, text: &str) -> bool {
        score(q, &Answer::ShortAnswer { text: text.into() }).correctness == Correctness::Correct
    }

    #[test]
    fn short_answers_ignore_case_and_spacing_but_keep_tones() {
        let q = short(&["Hòa bình", "hoà giải"], false);
        assert!(says(&q, "hòa bình"));
        assert!(says(&q, "  HÒA   bình\t"));
        assert!(says(&q, "hoà bình"), "tone on the other vowel");
        assert!(
            says(&q, "hòa giải"),
            "either placement in the accepted answer"
        );
        assert!(
            says(&q, "ho\u{300}a bi\u{300}nh"),
            "combining marks as some keyboards type them"
        );
        assert!(!says(&q, "hoa binh"));
        assert!(!says(&q, "hỏa bình"));
        assert!(!says(&q, "hòabình"));
        assert!(!says(&q, ""));
        // Vowel marks count too, precomposed or combining, in either order.
        let q = short(&["Tập thể"], false);
        assert!(says(&q, "ta\u{323}\u{302}p the\u{302}\u{309}"));
        assert!(says(&q, "tạ\u{302}p thể"));
        assert!(!says(&q, "tạp thể"));
        assert!(says(&short(&["Thủy lợi"], false), "thuỷ lợi"));
        let q = short(&["Lợi ích"], false);
        assert!(says(&q, "lo\u{31B}\u{323}i i\u{301}ch"));
    }

    #[test]
    fn short_answers_may_ignore_tone_marks() {
        let q = short(&["Tham nhũng"], true);
        assert!(says(&q, "tham nhung"));
        assert!(says(&q, "THAM  NHŨNG"));
        assert!(!says(&q, "tham o"));
        assert!(!says(&q, "   "));
        assert!(!says(&short(&["Tham nhũng"], false), "tham nhung"));
    }

    #[test]
    fn essays_wait_for_a_lecturer_and_clamp_each_criterion() {
        let rubric = vec![
            Criterion {
                id: "nhan-dien".into(),
                description: "Nhận diện hành vi".into(),
                max_points: 2,
            },
            Criterion {
                id: "giai-phap".into(),
                description: "Đề xuất giải pháp".into(),
                max_points: 3,
            },
        ];
        let q = question(QuestionBody::Essay {
            rubric: rubric.clone(),
        });
        let essay = Answer::Essay {
            text: "Báo cáo cấp trên…".into(),
        };
        assert_eq!(score(&q, &essay), pts(0, 500, Correctness::NeedsGrading));
        let marks = |m: &[(&str, Centi)]| {
            let m = m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            grade_essay(&rubric, &m)
        };
        assert_eq!(
            marks(&[("nhan-dien", 150), ("giai-phap", 300)]),
            pts(450, 500, Correctness::Partial)
        );
        assert_eq!(
            marks(&[("nhan-dien", 9_999), ("giai-phap", 300), ("khac", 100)]),
            pts(500, 500, Correctness::Correct)
        );
        assert_eq!(marks(&[]), pts(0, 500, Correctness::Incorrect));
    }

    #[test]
    fn opinions_are_never_scored() {
        let q = question(QuestionBody::Opinion {});
        let said = Answer::Opinion {
            text: "Tôi cho rằng…".into(),
        };
        assert_eq!(score(&q, &said), pts(0, 0, Correctness::NotScored));
        assert_eq!(unanswered(&q), pts(0, 0, Correctness::NotScored));
    }

    #[test]
    fn an_answer_of_another_kind_scores_nothing() {
        let q = single();
        assert_eq!(
            score(&q, &Answer::TrueFalse { value: true }),
            pts(0, 100, Correctness::Incorrect)
        );
        assert_eq!(unanswered(&q), pts(0, 100, Correctness::Incorrect));
    }

    #[test]
    fn option_feedback_follows_the_choice() {
        let mut q = single();
        if let QuestionBody::SingleChoice { options } = &mut q.body {
            options[0].feedback = Some("Nhận quà là vi phạm.".into());
            options[1].feedback = None;
        }
        let a = Answer::SingleChoice { option: "a".into() };
        assert_eq!(feedback(&q, &a), vec!["Nhận quà là vi phạm."]);
        assert!(feedback(&q, &Answer::SingleChoice { option: "b".into() }).is_empty());
    }

    #[test]
    fn an_attempt_passes_exactly_at_the_mark() {
        let s = |earned, max| pts(earned, max, Correctness::Partial);
        let r = attempt_result(&[s(100, 100), s(50, 100)], 75);
        assert_eq!((r.earned, r.max, r.percent), (150, 200, 75));
        assert_eq!(r.passed, Some(true));
        assert_eq!(attempt_result(&[s(149, 200)], 75).passed, Some(false));
        // 1/3 is 33.33…%: passes 33%, fails 34%, displays 33.
        let third = attempt_result(&[s(100, 300)], 33);
        assert_eq!((third.percent, third.passed), (33, Some(true)));
        assert_eq!(attempt_result(&[s(100, 300)], 34).passed, Some(false));
        assert_eq!(attempt_result(&[], 50).percent, 100);
    }

    #[test]
    fn an_attempt_with_essays_waiting_may_be_undecided() {
        let waiting = pts(0, 500, Correctness::NeedsGrading);
        let done = |earned| pts(earned, 500, Correctness::Partial);
        assert_eq!(attempt_result(&[done(500), waiting], 50).passed, Some(true));
        assert_eq!(attempt_result(&[done(100), waiting], 50).passed, None);
        assert_eq!(
            attempt_result(&[done(100), waiting], 80).passed,
            Some(false)
        );
    }

    proptest! {
        /// Whatever the question and the answer, the score lies in
        /// `0..=max`, full marks mean Correct and partial credit stays below
        /// full marks.
        #[test]
        fn scores_stay_within_bounds(q in arb_question(), a in arb_answer()) {
            let s = score(&q, &a);
            prop_assert!(s.earned <= s.max);
            prop_assert_eq!(s.max, full_marks(&q));
            match s.correctness {
                Correctness::Correct => prop_assert_eq!(s.earned, s.max),
                // (A question worth 0 points, which `validate` refuses, has
                // nothing to fall short of.)
                Correctness::Partial => prop_assert!(s.earned < s.max || s.max == 0),
                Correctness::Incorrect | Correctness::NeedsGrading => prop_assert_eq!(s.earned, 0),
                Correctness::NotScored => prop_assert_eq!(s.max, 0),
            }
        }

        /// Choosing a wrong option never helps, and choosing everything never
        /// beats choosing exactly the correct options.
        #[test]
        fn wrong_options_never_help(
            flags in proptest::collection::vec(any::<bool>(), 1..8),
            chosen in proptest::collection::vec(any::<bool>(), 8),
            points in 1u32..10,
        ) {
            let options: Vec<_> = flags.iter().enumerate()
                .map(|(i, &c)| (format!("o{i}"), c))
                .collect();
            let named: Vec<(&str, bool)> = options.iter().map(|(i, c)| (i.as_str(), *c)).collect();
            let mut q = question(QuestionBody::MultipleChoice { options: choices(&named) });
            q.points = points;
            let pick = |f: &dyn Fn(usize, bool) -> bool| score(&q, &Answer::MultipleChoice {
                options: options.iter().enumerate().filter(|(i, (_, c))| f(*i, *c)).map(|(_, (id, _))| id.clone()).collect(),
            });
            let some = pick(&|i, _| chosen[i]);
            let plus_wrong = pick(&|i, c| chosen[i] || !c);
            prop_assert!(plus_wrong.earned <= some.earned);
            let exact = pick(&|_, c| c);
            let all = pick(&|_, _| true);
            prop_assert!(all.earned <= exact.earned);
            if flags.iter().any(|&c| c) {
                prop_assert_eq!(exact.correctness, Correctness::Correct);
            }
        }

        /// Reordering a question's options (as authors do) never changes the
        /// score of an answer, since answers name options by id.
        #[test]
        fn option_order_does_not_matter(q in arb_question(), a in arb_answer(), seed in any::<u64>()) {
            let mut shuffled = q.clone();
            if let QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } = &mut shuffled.body {
                let order = super::super::shuffle_seeded(seed, options.len());
                *options = order.iter().map(|&i| options[i].clone()).collect();
            }
            prop_assert_eq!(score(&shuffled, &a), score(&q, &a));
        }

        /// A lecturer's marks never leave `0..=max`.
        #[test]
        fn essay_grades_are_clamped(
            maxes in proptest::collection::vec(0u32..20, 0..5),
            given in proptest::collection::vec(any::<u32>(), 0..6),
        ) {
            let rubric: Vec<Criterion> = maxes.iter().enumerate().map(|(i, &m)| Criterion {
                id: format!("c{i}"), description: String::new(), max_points: m,
            }).collect();
            let awarded = given.iter().enumerate().map(|(i, &g)| (format!("c{i}"), g)).collect();
            let s = grade_essay(&rubric, &awarded);
            prop_assert!(s.earned <= s.max);
            prop_assert_eq!(s.max, maxes.iter().sum::<u32>() * 100);
        }

        /// An attempt's totals are the sums of its scores, its percentage at
        /// most 100, and a settled outcome agrees with the exact pass rule.
        #[test]
        fn attempt_results_are_consistent(
            parts in proptest::collection::vec((0u32..1000, 0u32..1000, any::<bool>()), 0..10),
            pass_percent in 0u32..=100,
        ) {
            let scores: Vec<Score> = parts.iter().map(|&(a, b, waiting)| {
                let (earned, max) = (a.min(b), a.max(b));
                if waiting {
                    pts(0, max, Correctness::NeedsGrading)
                } else {
                    pts(earned, max, Correctness::Partial)
                }
            }).collect();
            let r = attempt_result(&scores, pass_percent);
            prop_assert!(r.earned <= r.max);
            prop_assert!(r.percent <= 100);
            let passes = r.earned * 100 >= u64::from(pass_percent) * r.max;
            match r.passed {
                Some(true) => prop_assert!(passes),
                Some(false) => prop_assert!(!passes),
                None => prop_assert!(!passes && scores.iter().any(|s| s.correctness == Correctness::NeedsGrading)),
            }
        }

        /// A numerical answer typed in any of the Vietnamese ways (dots,
        /// spaces, a decimal comma) scores like the plain number.
        #[test]
        fn typed_forms_of_a_number_score_alike(n in 0u32..2_000_000, key in 0u32..2_000_000) {
            let q = numerical(vec![NumericAnswer::exact(Decimal::from_int(i64::from(key)))]);
            let plain = score(&q, &Answer::Numerical { text: n.to_string() });
            let shown = Decimal::from_int(i64::from(n)).display(true);
            prop_assert_eq!(score(&q, &Answer::Numerical { text: shown }), plain);
            prop_assert_eq!(plain.correctness == Correctness::Correct, n == key);
        }

        /// Filling more gaps right never lowers the score of a fill-in.
        #[test]
        fn more_right_gaps_never_score_less(right in proptest::collection::vec(any::<bool>(), 3)) {
            let q = blanks();
            let answer = |r: &[bool]| Answer::FillBlanks { gaps: vec![
                if r[0] { "1930" } else { "1" }.into(),
                if r[1] { "Hong Kong" } else { "x" }.into(),
                if r[2] { "b" } else { "a" }.into(),
            ]};
            let base = score(&q, &answer(&right));
            for i in 0..3 {
                let mut better = right.clone();
                better[i] = true;
                prop_assert!(score(&q, &answer(&better)).earned >= base.earned);
            }
        }

        /// The short-answer key is stable: keying a key changes nothing.
        #[test]
        fn tone_keys_are_idempotent(s in "\\PC{0,20}") {
            let once = tone_key(&s);
            prop_assert_eq!(tone_key(&once), once.clone());
        }
    }
}
