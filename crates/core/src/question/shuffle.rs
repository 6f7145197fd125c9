//! Seeded randomness: shuffling what a trainee sees ([`present`]) and
//! drawing questions from pools ([`draw`]).
//!
//! Policy: an attempt stores one seed; everything random about it follows
//! from that seed through the PRNG here (splitmix64), so the client and the
//! server, today and after an upgrade, show a resumed attempt the same way.
//! The outputs are therefore part of the stored format: the test
//! `outputs_are_pinned` fails if they change.

use serde::{Deserialize, Serialize};

use super::{Criterion, Difficulty, Gap, Question, QuestionBody};
use crate::text::fold;

/// splitmix64 (Steele, Lea and Flood, 2014): tiny, fast and good enough for
/// shuffling; not for secrets.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`) by multiply-and-shift, whose
    /// bias (under `bound / 2^64`) does not matter here. The arithmetic is
    /// in 128 bits, so wasm32 and 64-bit targets agree.
    fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next()) * bound as u128) >> 64) as usize
    }

    /// A uniformly shuffled `0..n` (Fisher–Yates).
    fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            p.swap(i, self.below(i + 1));
        }
        p
    }
}

/// A permutation of `0..n` that depends only on `seed`: position `k` shows
/// the item at index `result[k]`.
pub fn shuffle_seeded(seed: u64, n: usize) -> Vec<usize> {
    SplitMix64(seed).permutation(n)
}

/// The seed for one question of an attempt, so that questions with the same
/// number of options are not all shuffled alike.
pub fn question_seed(attempt_seed: u64, question_id: &str) -> u64 {
    // FNV-1a: a fixed hash, unlike std's, which may change between releases.
    let hash = question_id.bytes().fold(0xCBF2_9CE4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    });
    SplitMix64(attempt_seed ^ hash).next()
}

/// A question as shown to a trainee before answering: shuffled, and without
/// correct flags, feedback or explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedQuestion {
    pub id: String,
    /// Markdown source.
    pub prompt: String,
    /// Full marks in points (essays: the rubric's total; opinions: 0).
    pub points: u32,
    pub body: PresentedBody,
}

/// What the trainee answers with, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PresentedBody {
    /// Options in shuffled order; pick one.
    SingleChoice { options: Vec<PresentedOption> },
    /// Options in shuffled order; pick any.
    MultipleChoice { options: Vec<PresentedOption> },
    /// The prompt is the statement; answer true or false.
    TrueFalse {},
    /// Items in a shuffled order that is never already the right one.
    Ordering { items: Vec<PresentedItem> },
    /// Left items in authored order; right items (distractors among them,
    /// numbered after the pairs) shuffled, never lined up with their left
    /// items.
    Matching {
        left: Vec<PresentedItem>,
        right: Vec<PresentedItem>,
    },
    /// Type an answer.
    ShortAnswer {},
    /// Type a number.
    Numerical {},
    /// The prompt holds the gap markers (`{1}`…); one input per gap.
    FillBlanks { gaps: Vec<PresentedGap> },
    /// The rubric is shown so the trainee knows what is marked.
    Essay { rubric: Vec<Criterion> },
    /// Say what you think.
    Opinion {},
}

/// A gap as shown, without its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PresentedGap {
    /// A text box.
    Text {},
    /// A text box for a number.
    Number {},
    /// A drop-down of options in shuffled order.
    Choice { options: Vec<PresentedOption> },
}

impl PresentedGap {
    /// The gap with its answers left out and its options in the order of
    /// `order` (indexes into the authored options; see [`shuffle_seeded`]).
    pub fn of(gap: &Gap, order: impl FnOnce(usize) -> Vec<usize>) -> PresentedGap {
        match gap {
            Gap::ShortAnswer { .. } => PresentedGap::Text {},
            Gap::Numerical { .. } => PresentedGap::Number {},
            Gap::Choice { options, .. } => PresentedGap::Choice {
                options: order(options.len())
                    .into_iter()
                    .filter_map(|i| options.get(i))
                    .map(|o| PresentedOption {
                        id: o.id.clone(),
                        text: o.text.clone(),
                    })
                    .collect(),
            },
        }
    }
}

/// An option as shown: answers name it by `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedOption {
    pub id: String,
    pub text: String,
}

/// An ordering or matching item as shown: answers name it by `index`, its
/// authored position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentedItem {
    pub index: usize,
    pub text: String,
}

/// Shows `question` shuffled by `seed` (see [`question_seed`]). Answers
/// name options by id and items by authored index, so how a question was
/// shown cannot change its score.
pub fn present(question: &Question, seed: u64) -> PresentedQuestion {
    let mut rng = SplitMix64(seed);
    let options = |rng: &mut SplitMix64, options: &[super::Choice]| {
        rng.permutation(options.len())
            .into_iter()
            .map(|i| PresentedOption {
                id: options[i].id.clone(),
                text: options[i].text.clone(),
            })
            .collect()
    };
    let body = match &question.body {
        QuestionBody::SingleChoice { options: o } => PresentedBody::SingleChoice {
            options: options(&mut rng, o),
        },
        QuestionBody::MultipleChoice { options: o } => PresentedBody::MultipleChoice {
            options: options(&mut rng, o),
        },
        QuestionBody::TrueFalse { .. } => PresentedBody::TrueFalse {},
        QuestionBody::Ordering { items: list } => PresentedBody::Ordering {
            items: items(never_solved(&mut rng, list.len()), |i| &list[i]),
        },
        QuestionBody::Matching { pairs, distractors } => PresentedBody::Matching {
            left: items((0..pairs.len()).collect(), |i| &pairs[i].0),
            right: items(
                never_solved(&mut rng, pairs.len() + distractors.len()),
                |i| {
                    pairs
                        .get(i)
                        .map(|p| p.1.as_str())
                        .or_else(|| distractors.get(i - pairs.len()).map(String::as_str))
                        .unwrap_or_default()
                },
            ),
        },
        QuestionBody::ShortAnswer { .. } => PresentedBody::ShortAnswer {},
        QuestionBody::Numerical { .. } => PresentedBody::Numerical {},
        QuestionBody::FillBlanks { gaps } => PresentedBody::FillBlanks {
            gaps: gaps
                .iter()
                .map(|g| PresentedGap::of(g, |n| rng.permutation(n)))
                .collect(),
        },
        QuestionBody::Essay { rubric } => PresentedBody::Essay {
            rubric: rubric.clone(),
        },
        QuestionBody::Opinion {} => PresentedBody::Opinion {},
    };
    PresentedQuestion {
        id: question.id.clone(),
        prompt: question.prompt.clone(),
        points: super::full_marks(question) / super::CENTI_PER_POINT,
        body,
    }
}

/// Items in the given order of authored indexes.
fn items<'a>(order: Vec<usize>, text: impl Fn(usize) -> &'a str) -> Vec<PresentedItem> {
    order
        .into_iter()
        .map(|index| PresentedItem {
            index,
            text: text(index).to_string(),
        })
        .collect()
}

/// A permutation that, from 2 items on, is never the identity: shown in
/// their right order, the items would give the answer away.
fn never_solved(rng: &mut SplitMix64, n: usize) -> Vec<usize> {
    let mut p = rng.permutation(n);
    if n >= 2 && p.iter().enumerate().all(|(k, &i)| k == i) {
        p.rotate_left(1);
    }
    p
}

/// "Draw `count` questions tagged `tag`, at least `min_hard` of them hard."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRule {
    /// Compared folded ([`crate::text::fold`]), so "Phòng chống tham nhũng"
    /// and "phong chong tham nhung" are one tag.
    pub tag: String,
    pub count: u32,
    #[serde(default)]
    pub min_hard: u32,
}

/// Why a bank cannot satisfy a pool rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DrawError {
    /// Fewer questions with the tag than the rule asks for, among those not
    /// already drawn by an earlier rule.
    NotEnough {
        tag: String,
        wanted: u32,
        available: u32,
    },
    /// Fewer hard questions with the tag than the rule asks for.
    NotEnoughHard {
        tag: String,
        wanted: u32,
        available: u32,
    },
    /// The rule wants more hard questions than questions.
    HardAboveCount {
        tag: String,
        count: u32,
        min_hard: u32,
    },
}

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DrawError::NotEnough {
                tag,
                wanted,
                available,
            } => write!(
                f,
                "{wanted} questions tagged {tag:?} are wanted but only {available} are left"
            ),
            DrawError::NotEnoughHard {
                tag,
                wanted,
                available,
            } => write!(
                f,
                "{wanted} hard questions tagged {tag:?} are wanted but only {available} are left"
            ),
            DrawError::HardAboveCount {
                tag,
                count,
                min_hard,
            } => write!(
                f,
                "the rule for {tag:?} wants {min_hard} hard questions out of {count}"
            ),
        }
    }
}

impl std::error::Error for DrawError {}

/// Draws the questions of an attempt: for each rule in turn, its hard
/// questions first, then the rest of its count from any of its questions not
/// yet drawn; finally the whole draw is shuffled. The same bank, rules and
/// seed always give the same ids in the same order.
///
/// Rules are served in order and a question is drawn once, so a question
/// carrying two tags counts for the first rule that takes it; a bank can
/// fail a set of overlapping rules that a cleverer assignment would satisfy.
/// Give rules disjoint tags to avoid that. Ids are assumed unique (see
/// [`super::validate_bank`]).
pub fn draw(bank: &[Question], rules: &[PoolRule], seed: u64) -> Result<Vec<String>, DrawError> {
    let mut rng = SplitMix64(seed);
    let mut taken = vec![false; bank.len()];
    let mut drawn: Vec<usize> = Vec::new();
    let count_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    for rule in rules {
        if rule.min_hard > rule.count {
            return Err(DrawError::HardAboveCount {
                tag: rule.tag.clone(),
                count: rule.count,
                min_hard: rule.min_hard,
            });
        }
        let tag = fold(&rule.tag);
        let candidates: Vec<usize> = (0..bank.len())
            .filter(|&i| !taken[i] && bank[i].tags.iter().any(|t| fold(t) == tag))
            .collect();
        let shuffled: Vec<usize> = rng
            .permutation(candidates.len())
            .into_iter()
            .map(|k| candidates[k])
            .collect();
        let hard: Vec<usize> = shuffled
            .iter()
            .copied()
            .filter(|&i| bank[i].difficulty == Difficulty::Hard)
            .collect();
        if hard.len() < rule.min_hard as usize {
            return Err(DrawError::NotEnoughHard {
                tag: rule.tag.clone(),
                wanted: rule.min_hard,
                available: count_u32(hard.len()),
            });
        }
        if shuffled.len() < rule.count as usize {
            return Err(DrawError::NotEnough {
                tag: rule.tag.clone(),
                wanted: rule.count,
                available: count_u32(shuffled.len()),
            });
        }
        let mut picked: Vec<usize> = hard[..rule.min_hard as usize].to_vec();
        let rest: Vec<usize> = shuffled
            .into_iter()
            .filter(|i| !picked.contains(i))
            .take((rule.count - rule.min_hard) as usize)
            .collect();
        picked.extend(rest);
        for &i in &picked {
            taken[i] = true;
        }
        drawn.extend(picked);
    }
    Ok(rng
        .permutation(drawn.len())
        .into_iter()
        .map(|k| bank[drawn[k]].id.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::strategies::{arb_answer, arb_question};
    use super::super::{score, Answer};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn outputs_are_pinned() {
        // Stored attempts depend on these exact values (checked against an
        // independent Python transcription): change them and every resumed
        // attempt is shown differently.
        assert_eq!(SplitMix64(0).next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(shuffle_seeded(42, 6), vec![2, 5, 3, 1, 0, 4]);
        assert_eq!(question_seed(7, "q1"), question_seed(7, "q1"));
        assert_ne!(question_seed(7, "q1"), question_seed(7, "q2"));
        assert_eq!(question_seed(7, "q1"), 0x93E2_A356_6CD0_993A);
    }

    #[test]
    fn presentation_hides_answers_and_shuffles_by_seed() {
        let q = super::super::tests::question(QuestionBody::SingleChoice {
            options: super::super::strategies::choices(&[
                ("a", true),
                ("b", false),
                ("c", false),
                ("d", false),
            ]),
        });
        let shown = present(&q, 1);
        assert_eq!(shown, present(&q, 1), "the same seed shows the same");
        let json = serde_json::to_string(&shown).unwrap();
        assert!(!json.contains("correct") && !json.contains("Feedback"));
        let PresentedBody::SingleChoice { options } = &shown.body else {
            panic!("{shown:?}")
        };
        let mut ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        let orders: std::collections::HashSet<Vec<String>> = (0..20)
            .map(|seed| match present(&q, seed).body {
                PresentedBody::SingleChoice { options } => {
                    options.into_iter().map(|o| o.id).collect()
                }
                _ => vec![],
            })
            .collect();
        assert!(orders.len() > 1, "different seeds shuffle differently");
    }

    #[test]
    fn a_shuffled_ordering_never_starts_solved() {
        let q = super::super::tests::question(QuestionBody::Ordering {
            items: vec!["1".into(), "2".into()],
        });
        for seed in 0..50 {
            let PresentedBody::Ordering { items } = present(&q, seed).body else {
                panic!()
            };
            assert_eq!(items[0].index, 1, "seed {seed}");
        }
    }

    fn bank() -> Vec<Question> {
        let mut bank = Vec::new();
        for i in 0..12 {
            let mut q = super::super::tests::question(QuestionBody::Opinion {});
            q.id = format!("tn-{i}");
            q.tags = vec!["Phòng chống tham nhũng".into()];
            q.difficulty = if i < 4 {
                Difficulty::Hard
            } else {
                Difficulty::Easy
            };
            bank.push(q);
        }
        for i in 0..3 {
            let mut q = super::super::tests::question(QuestionBody::Opinion {});
            q.id = format!("dv-{i}");
            q.tags = vec!["dân vận".into()];
            bank.push(q);
        }
        bank
    }

    fn rule(tag: &str, count: u32, min_hard: u32) -> PoolRule {
        PoolRule {
            tag: tag.into(),
            count,
            min_hard,
        }
    }

    #[test]
    fn a_draw_meets_its_rules_and_repeats_by_seed() {
        let bank = bank();
        let rules = [rule("phong chong tham nhung", 10, 3), rule("Dân vận", 2, 0)];
        let ids = draw(&bank, &rules, 9).unwrap();
        assert_eq!(ids, draw(&bank, &rules, 9).unwrap());
        assert_eq!(ids.len(), 12);
        let hard = ids
            .iter()
            .filter(|id| ["tn-0", "tn-1", "tn-2", "tn-3"].contains(&id.as_str()))
            .count();
        assert!(hard >= 3);
        assert_eq!(ids.iter().filter(|id| id.starts_with("dv-")).count(), 2);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 12);
        assert_ne!(ids, draw(&bank, &rules, 10).unwrap());
    }

    #[test]
    fn a_draw_the_bank_cannot_meet_is_refused() {
        let bank = bank();
        assert_eq!(
            draw(&bank, &[rule("dân vận", 4, 0)], 1),
            Err(DrawError::NotEnough {
                tag: "dân vận".into(),
                wanted: 4,
                available: 3
            })
        );
        assert_eq!(
            draw(&bank, &[rule("phòng chống tham nhũng", 10, 5)], 1),
            Err(DrawError::NotEnoughHard {
                tag: "phòng chống tham nhũng".into(),
                wanted: 5,
                available: 4
            })
        );
        assert!(matches!(
            draw(&bank, &[rule("x", 1, 2)], 1),
            Err(DrawError::HardAboveCount { .. })
        ));
        // The first rule takes questions the second then lacks.
        let overlapping = [rule("dân vận", 2, 0), rule("dân vận", 2, 0)];
        let err = draw(&bank, &overlapping, 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2 questions tagged \"dân vận\" are wanted but only 1 are left"
        );
    }

    /// The answer a trainee gives through `shown` when they mean `intent`
    /// (expressed in authored terms): they find each thing they mean by its
    /// text on screen and the answer is built from what the screen carries.
    fn through(question: &Question, shown: &PresentedQuestion, intent: &Answer) -> Answer {
        let find_option = |options: &[PresentedOption], id: &String| {
            let (QuestionBody::SingleChoice { options: authored }
            | QuestionBody::MultipleChoice { options: authored }) = &question.body
            else {
                return id.clone();
            };
            authored
                .iter()
                .find(|o| o.id == *id)
                .and_then(|o| options.iter().find(|s| s.text == o.text))
                .map_or_else(|| id.clone(), |s| s.id.clone())
        };
        let find_item = |items: &[PresentedItem], text: Option<&String>, fallback: usize| {
            text.and_then(|t| items.iter().find(|s| s.text == *t))
                .map_or(fallback, |s| s.index)
        };
        match (&shown.body, intent, &question.body) {
            (PresentedBody::SingleChoice { options }, Answer::SingleChoice { option }, _) => {
                Answer::SingleChoice {
                    option: find_option(options, option),
                }
            }
            (
                PresentedBody::MultipleChoice { options },
                Answer::MultipleChoice { options: chosen },
                _,
            ) => Answer::MultipleChoice {
                options: chosen.iter().map(|id| find_option(options, id)).collect(),
            },
            (
                PresentedBody::Ordering { items },
                Answer::Ordering { order },
                QuestionBody::Ordering { items: authored },
            ) => Answer::Ordering {
                order: order
                    .iter()
                    .map(|&i| find_item(items, authored.get(i), i))
                    .collect(),
            },
            (
                PresentedBody::Matching { left, right },
                Answer::Matching { matches },
                QuestionBody::Matching { pairs, distractors },
            ) => {
                let mut given = matches.clone();
                let right_text = |j: usize| {
                    pairs
                        .get(j)
                        .map(|p| &p.1)
                        .or_else(|| distractors.get(j.checked_sub(pairs.len())?))
                };
                for (i, &j) in matches.iter().enumerate() {
                    let l = find_item(left, pairs.get(i).map(|p| &p.0), i);
                    let r = find_item(right, right_text(j), j);
                    if let Some(slot) = given.get_mut(l) {
                        *slot = r;
                    }
                }
                Answer::Matching { matches: given }
            }
            _ => intent.clone(),
        }
    }

    proptest! {
        #[test]
        fn shuffles_are_permutations(seed in any::<u64>(), n in 0usize..50) {
            let mut p = shuffle_seeded(seed, n);
            prop_assert_eq!(&p, &shuffle_seeded(seed, n));
            p.sort_unstable();
            prop_assert_eq!(p, (0..n).collect::<Vec<_>>());
        }

        /// Shuffling never changes a score: an answer given through any
        /// shuffled presentation scores as the same answer given on the
        /// authored question.
        #[test]
        fn shuffling_never_changes_a_score(q in arb_question(), intent in arb_answer(), seed in any::<u64>()) {
            let shown = present(&q, seed);
            let given = through(&q, &shown, &intent);
            prop_assert_eq!(score(&q, &given), score(&q, &intent));
        }

        /// A presentation shows every option or item exactly once, with its
        /// own text.
        #[test]
        fn presentations_keep_every_item(q in arb_question(), seed in any::<u64>()) {
            let shown = present(&q, seed);
            match (&q.body, &shown.body) {
                (QuestionBody::SingleChoice { options }, PresentedBody::SingleChoice { options: s })
                | (QuestionBody::MultipleChoice { options }, PresentedBody::MultipleChoice { options: s }) => {
                    let mut a: Vec<_> = options.iter().map(|o| (o.id.clone(), o.text.clone())).collect();
                    let mut b: Vec<_> = s.iter().map(|o| (o.id.clone(), o.text.clone())).collect();
                    a.sort();
                    b.sort();
                    prop_assert_eq!(a, b);
                }
                (QuestionBody::Ordering { items }, PresentedBody::Ordering { items: s }) => {
                    prop_assert_eq!(s.len(), items.len());
                    for item in s {
                        prop_assert_eq!(&item.text, &items[item.index]);
                    }
                }
                (QuestionBody::Matching { pairs, distractors }, PresentedBody::Matching { left, right }) => {
                    let all = pairs.len() + distractors.len();
                    prop_assert_eq!((left.len(), right.len()), (pairs.len(), all));
                    for item in left {
                        prop_assert_eq!(&item.text, &pairs[item.index].0);
                    }
                    for item in right {
                        let text = pairs.get(item.index).map(|p| &p.1)
                            .unwrap_or_else(|| &distractors[item.index - pairs.len()]);
                        prop_assert_eq!(&item.text, text);
                    }
                    let mut r: Vec<usize> = right.iter().map(|i| i.index).collect();
                    r.sort_unstable();
                    prop_assert_eq!(r, (0..all).collect::<Vec<_>>());
                }
                (QuestionBody::FillBlanks { gaps }, PresentedBody::FillBlanks { gaps: shown }) => {
                    prop_assert_eq!(gaps.len(), shown.len());
                    for (gap, shown) in gaps.iter().zip(shown) {
                        match (gap, shown) {
                            (Gap::Choice { options, .. }, PresentedGap::Choice { options: s }) => {
                                let mut a: Vec<_> = options.iter().map(|o| o.id.clone()).collect();
                                let mut b: Vec<_> = s.iter().map(|o| o.id.clone()).collect();
                                a.sort();
                                b.sort();
                                prop_assert_eq!(a, b);
                            }
                            (Gap::ShortAnswer { .. }, PresentedGap::Text {})
                            | (Gap::Numerical { .. }, PresentedGap::Number {}) => {}
                            other => prop_assert!(false, "{other:?}"),
                        }
                    }
                }
                _ => {}
            }
        }

        /// Whatever the bank, a draw is repeatable, draws each question once
        /// and, when it succeeds, meets every rule.
        #[test]
        fn draws_meet_their_rules(
            questions in proptest::collection::vec((0usize..3, any::<bool>()), 0..30),
            rules in proptest::collection::vec((0usize..3, 0u32..6, 0u32..4), 0..4),
            seed in any::<u64>(),
        ) {
            let tags = ["a", "b", "c"];
            let bank: Vec<Question> = questions.iter().enumerate().map(|(i, &(t, hard))| {
                let mut q = super::super::tests::question(QuestionBody::Opinion {});
                q.id = format!("q{i}");
                q.tags = vec![tags[t].to_string()];
                q.difficulty = if hard { Difficulty::Hard } else { Difficulty::Medium };
                q
            }).collect();
            let rules: Vec<PoolRule> = rules.iter().map(|&(t, count, min_hard)| rule(tags[t], count, min_hard)).collect();
            let result = draw(&bank, &rules, seed);
            prop_assert_eq!(&result, &draw(&bank, &rules, seed));
            if let Ok(ids) = result {
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(unique.len(), ids.len());
                prop_assert_eq!(ids.len() as u32, rules.iter().map(|r| r.count).sum::<u32>());
                // Rules on distinct tags are each met.
                for (t, tag) in tags.iter().enumerate() {
                    let wanted: Vec<&PoolRule> = rules.iter().filter(|r| r.tag == *tag).collect();
                    let of_tag: Vec<&Question> = ids.iter()
                        .map(|id| &bank[id[1..].parse::<usize>().unwrap()])
                        .filter(|q| q.tags[0] == tags[t])
                        .collect();
                    prop_assert_eq!(of_tag.len() as u32, wanted.iter().map(|r| r.count).sum::<u32>());
                    let hard = of_tag.iter().filter(|q| q.difficulty == Difficulty::Hard).count() as u32;
                    prop_assert!(hard >= wanted.iter().map(|r| r.min_hard).sum::<u32>());
                }
            }
        }
    }
}
