//! Per-question statistics (phân tích câu hỏi), for a lecturer spotting
//! questions that are too hard, too easy, or that strong trainees get wrong
//! more often than weak ones.
//!
//! Policy: classical item analysis, computed exactly in integers so the
//! same attempts give the same figures on every platform and in any order.
//!
//! - **Which attempts.** One attempt per trainee: their *first submitted*
//!   attempt, the classical choice (later attempts have seen the questions
//!   and would make every question look easier). Choosing it is the
//!   caller's job; [`question_stats`] counts whatever it is given.
//! - **Facility** is the mean share of the marks earned on the question,
//!   `earned / max`, over the attempts that drew it, as a whole percentage
//!   rounded half up. Questions worth nothing (opinions) and essays still
//!   waiting for a lecturer are left out ([`from_report`]).
//! - **Discrimination** (Kelley's upper-lower index) is the facility among
//!   the top 27% of those attempts by total score minus the facility among
//!   the bottom 27%, in percentage points (−100..=100). With pools each
//!   trainee draws different questions, so the groups are formed among the
//!   attempts that drew the question. Attempts tied on the total at a group's
//!   edge count with equal fractional weight, so the order of the input never
//!   decides who is in a group. Below [`MIN_RESPONSES`] responses there is
//!   no index and no flag: a handful of answers says nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{assessment::AttemptReport, question::Correctness};

/// Fewest responses to a question for its discrimination and flag.
pub const MIN_RESPONSES: u32 = 5;

/// Share of the attempts in each of the upper and lower groups, in percent.
pub const GROUP_PERCENT: u64 = 27;

/// Below this facility a question is [`StatFlag::TooHard`].
pub const TOO_HARD_BELOW: u32 = 30;

/// Above this facility a question is [`StatFlag::TooEasy`].
pub const TOO_EASY_ABOVE: u32 = 90;

/// Below this discrimination a question is [`StatFlag::PoorDiscrimination`].
pub const POOR_DISCRIMINATION_BELOW: i32 = 20;

/// One trainee's attempt, reduced to what the statistics need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredAttempt {
    /// The attempt's total, in percent: it ranks the attempts.
    pub total_percent: u32,
    pub items: Vec<ItemScore>,
}

/// The marks one question of an attempt earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub question_id: String,
    /// Hundredths of a point.
    pub earned: u32,
    /// Hundredths of a point; an item worth 0 is ignored.
    pub max: u32,
}

/// The statistics of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionStat {
    pub question_id: String,
    /// Attempts that drew the question.
    pub responses: u32,
    /// Mean `earned / max`, in percent, rounded: 0..=100.
    pub facility_percent: u32,
    /// Upper-group minus lower-group facility, in percentage points
    /// (−100..=100); `None` below [`MIN_RESPONSES`].
    pub discrimination: Option<i32>,
    /// The most pressing problem, if any; `None` below [`MIN_RESPONSES`].
    pub flag: Option<StatFlag>,
}

/// Why a question deserves a second look, most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatFlag {
    /// Discrimination below 0: weaker trainees do better than stronger
    /// ones; often a wrong answer key or a misleading wording.
    Negative,
    /// Facility below 30%.
    TooHard,
    /// Facility above 90%.
    TooEasy,
    /// Discrimination below 20: the question barely separates strong and
    /// weak trainees.
    PoorDiscrimination,
}

/// The attempt's marks per question, from a submitted attempt's report
/// with its review (`None` without one: build the report for statistics
/// with reviews allowed, whatever the trainee may see). Essays still
/// waiting for grading and questions worth nothing are left out.
pub fn from_report(report: &AttemptReport) -> Option<ScoredAttempt> {
    if !report.submitted {
        return None;
    }
    let review = report.review.as_ref()?;
    Some(ScoredAttempt {
        total_percent: report.percent,
        items: review
            .iter()
            .filter(|item| {
                item.max > 0
                    && !matches!(
                        item.correctness,
                        Correctness::NeedsGrading | Correctness::NotScored
                    )
            })
            .map(|item| ItemScore {
                question_id: item.question_id.clone(),
                earned: item.earned,
                max: item.max,
            })
            .collect(),
    })
}

/// Credit for a whole mark, so that shares of marks are exact integers
/// for any maximum that divides it (1 point, 2 points, 0.5 points…).
const UNIT: u64 = 1_000_000;

/// One attempt's answer to one question: the attempt's total and the share
/// of the question's marks earned, in [`UNIT`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    total: u32,
    credit: u64,
}

/// Statistics for every question in `attempts` (one attempt per trainee,
/// see the module policy), sorted by question id.
pub fn question_stats(attempts: &[ScoredAttempt]) -> Vec<QuestionStat> {
    let mut by_question: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
    for attempt in attempts {
        for item in attempt.items.iter().filter(|i| i.max > 0) {
            let earned = u64::from(item.earned.min(item.max));
            by_question
                .entry(item.question_id.as_str())
                .or_default()
                .push(Row {
                    total: attempt.total_percent,
                    credit: earned * UNIT / u64::from(item.max),
                });
        }
    }
    by_question
        .into_iter()
        .map(|(question_id, mut rows)| {
            // Sorting on the whole row makes every sum below independent
            // of the order the attempts came in.
            rows.sort_unstable();
            stat(question_id, &rows)
        })
        .collect()
}

fn stat(question_id: &str, rows: &[Row]) -> QuestionStat {
    let n = rows.len() as u64;
    let responses = u32::try_from(n).unwrap_or(u32::MAX);
    let credit: u128 = rows.iter().map(|r| u128::from(r.credit)).sum();
    let facility = round_div(100 * credit as i128, i128::from(n) * i128::from(UNIT));
    let facility_percent = u32::try_from(facility.clamp(0, 100)).unwrap_or(0);
    let discrimination = (responses >= MIN_RESPONSES).then(|| {
        let k = ((GROUP_PERCENT * n + 50) / 100).max(1);
        let lower = group(rows.iter(), k);
        let upper = group(rows.iter().rev(), k);
        // upper − lower = (u.num·l.tied − l.num·u.tied) / (u.tied·l.tied·k·UNIT);
        // every factor is at most n or n·UNIT, far inside i128.
        let diff = upper.num * lower.tied - lower.num * upper.tied;
        let den = upper.tied * lower.tied * i128::from(k) * i128::from(UNIT);
        i32::try_from(round_div(100 * diff, den).clamp(-100, 100)).unwrap_or(0)
    });
    QuestionStat {
        question_id: question_id.to_string(),
        responses,
        facility_percent,
        discrimination,
        flag: discrimination.and_then(|d| flag(facility_percent, d)),
    }
}

fn flag(facility: u32, discrimination: i32) -> Option<StatFlag> {
    if discrimination < 0 {
        Some(StatFlag::Negative)
    } else if facility < TOO_HARD_BELOW {
        Some(StatFlag::TooHard)
    } else if facility > TOO_EASY_ABOVE {
        Some(StatFlag::TooEasy)
    } else if discrimination < POOR_DISCRIMINATION_BELOW {
        Some(StatFlag::PoorDiscrimination)
    } else {
        None
    }
}

/// A group's credit: its facility is `num / (tied · k · UNIT)`.
struct Group {
    num: i128,
    tied: i128,
}

/// The `k` rows a group takes, in the order it takes them (ascending total
/// for the lower group, descending for the upper). Rows tied on the total
/// at the edge share the remaining places equally: each counts
/// `needed / tied`.
fn group<'a>(rows: impl Iterator<Item = &'a Row> + Clone, k: u64) -> Group {
    let Some(edge) = rows.clone().nth(usize::try_from(k - 1).unwrap_or(0)) else {
        return Group { num: 0, tied: 1 };
    };
    let (mut before, mut before_credit) = (0_i128, 0_i128);
    let (mut tied, mut tied_credit) = (0_i128, 0_i128);
    for row in rows {
        if row.total == edge.total {
            tied += 1;
            tied_credit += i128::from(row.credit);
        } else if tied == 0 {
            before += 1;
            before_credit += i128::from(row.credit);
        } else {
            break;
        }
    }
    let needed = i128::from(k) - before;
    Group {
        num: before_credit * tied + needed * tied_credit,
        tied,
    }
}

/// `num / den` rounded half away from zero; `den` is positive.
fn round_div(num: i128, den: i128) -> i128 {
    if den <= 0 {
        return 0;
    }
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::ReviewItem;
    use proptest::prelude::*;

    fn attempt(total: u32, items: &[(&str, u32, u32)]) -> ScoredAttempt {
        ScoredAttempt {
            total_percent: total,
            items: items
                .iter()
                .map(|&(q, earned, max)| ItemScore {
                    question_id: q.into(),
                    earned,
                    max,
                })
                .collect(),
        }
    }

    /// Ten trainees with totals 10, 20 … 100. `q1` (1 point): the lower
    /// three get 0, 0, 1, the middle four 0, 1, 1, 0, and the upper three
    /// get it right. `q2` (2 points): shares 0, ¼, ½, ½, 1, 0, ½, ¾, ½, 1.
    /// `easy` everyone gets right; `odd` only the three weakest.
    fn class() -> Vec<ScoredAttempt> {
        let q1 = [0, 0, 100, 0, 100, 100, 0, 100, 100, 100];
        let q2 = [0, 50, 100, 100, 200, 0, 100, 150, 100, 200];
        (0..10)
            .map(|i| {
                let odd = if i < 3 { 100 } else { 0 };
                attempt(
                    10 * (i as u32 + 1),
                    &[
                        ("q1", q1[i], 100),
                        ("q2", q2[i], 200),
                        ("easy", 100, 100),
                        ("odd", odd, 100),
                    ],
                )
            })
            .collect()
    }

    fn by_id(stats: &[QuestionStat], id: &str) -> QuestionStat {
        stats.iter().find(|s| s.question_id == id).cloned().unwrap()
    }

    #[test]
    fn a_hand_computed_class() {
        let stats = question_stats(&class());
        let ids: Vec<&str> = stats.iter().map(|s| s.question_id.as_str()).collect();
        assert_eq!(ids, ["easy", "odd", "q1", "q2"]);
        // q1: 6 of 10 right; upper 3/3 − lower 1/3 = 66.7 points.
        assert_eq!(
            by_id(&stats, "q1"),
            QuestionStat {
                question_id: "q1".into(),
                responses: 10,
                facility_percent: 60,
                discrimination: Some(67),
                flag: None,
            }
        );
        // q2: shares sum to 5 of 10; upper (¾ + ½ + 1)/3 − lower (0 + ¼ + ½)/3 = 50.
        let q2 = by_id(&stats, "q2");
        assert_eq!((q2.facility_percent, q2.discrimination), (50, Some(50)));
    }

    #[test]
    fn a_question_everyone_gets_right_is_too_easy() {
        let easy = by_id(&question_stats(&class()), "easy");
        assert_eq!(easy.facility_percent, 100);
        assert_eq!(easy.discrimination, Some(0));
        assert_eq!(easy.flag, Some(StatFlag::TooEasy));
    }

    #[test]
    fn a_question_only_weak_trainees_get_right_is_negative() {
        let odd = by_id(&question_stats(&class()), "odd");
        assert_eq!(odd.facility_percent, 30);
        assert_eq!(odd.discrimination, Some(-100));
        assert_eq!(odd.flag, Some(StatFlag::Negative));
    }

    #[test]
    fn ties_at_a_group_edge_share_the_places() {
        // Six attempts: k = 2. The lower group is the 10 and one third of
        // each 50 (two of the three 50s got it right): (0 + ⅔) / 2 = ⅓.
        // The upper group is both 90s: 1. D = 66.7.
        let rows = [(10, 0), (50, 100), (50, 100), (50, 0), (90, 100), (90, 100)];
        let attempts: Vec<ScoredAttempt> = rows
            .iter()
            .map(|&(t, e)| attempt(t, &[("q", e, 100)]))
            .collect();
        let q = by_id(&question_stats(&attempts), "q");
        assert_eq!((q.facility_percent, q.discrimination), (67, Some(67)));
    }

    #[test]
    fn few_responses_give_no_index_and_no_flag() {
        let attempts: Vec<ScoredAttempt> = (0..4).map(|t| attempt(t, &[("q", 0, 100)])).collect();
        let q = by_id(&question_stats(&attempts), "q");
        assert_eq!((q.responses, q.facility_percent), (4, 0));
        assert_eq!((q.discrimination, q.flag), (None, None));
        assert!(question_stats(&[]).is_empty());
        // Worth nothing: not a question for statistics.
        assert!(question_stats(&[attempt(50, &[("opinion", 0, 0)])]).is_empty());
    }

    #[test]
    fn poor_and_hard_questions_are_flagged() {
        // Right for the 2nd, 5th and 8th of ten: 30%, upper 1/3, lower 1/3.
        let poor: Vec<ScoredAttempt> = (0..10)
            .map(|i| attempt(i * 10, &[("q", if i % 3 == 1 { 100 } else { 0 }, 100)]))
            .collect();
        let q = by_id(&question_stats(&poor), "q");
        assert_eq!(q.discrimination, Some(0));
        assert_eq!(q.flag, Some(StatFlag::PoorDiscrimination));
        let hard: Vec<ScoredAttempt> = (0..10)
            .map(|i| attempt(i * 10, &[("q", if i == 9 { 100 } else { 0 }, 100)]))
            .collect();
        assert_eq!(
            by_id(&question_stats(&hard), "q").flag,
            Some(StatFlag::TooHard)
        );
    }

    #[test]
    fn reports_give_their_scored_items() {
        let item = |id: &str, correctness, earned, max| ReviewItem {
            question_id: id.into(),
            prompt: String::new(),
            answer: Vec::new(),
            correctness,
            earned,
            max,
            feedback: Vec::new(),
            explanation: None,
            correct: Vec::new(),
            comment: None,
        };
        let mut report = AttemptReport {
            attempt_id: "a".into(),
            started_ms: 0,
            submitted: true,
            earned: 150,
            max: 300,
            percent: 50,
            passed: None,
            awaiting: 500,
            answered: 3,
            question_count: 3,
            review: Some(vec![
                item("q1", Correctness::Partial, 150, 200),
                item("essay", Correctness::NeedsGrading, 0, 500),
                item("q2", Correctness::Incorrect, 0, 100),
            ]),
        };
        assert_eq!(
            from_report(&report),
            Some(attempt(50, &[("q1", 150, 200), ("q2", 0, 100)]))
        );
        report.review = None;
        assert_eq!(from_report(&report), None);
        report.submitted = false;
        assert_eq!(from_report(&report), None);
    }

    fn attempts() -> impl Strategy<Value = Vec<ScoredAttempt>> {
        let item = (
            0u8..4,
            (0u32..=500).prop_flat_map(|max| (0..=max, Just(max))),
        );
        let one = (0u32..=100, proptest::collection::vec(item, 0..5)).prop_map(|(total, items)| {
            ScoredAttempt {
                total_percent: total,
                items: items
                    .into_iter()
                    .map(|(q, (earned, max))| ItemScore {
                        question_id: format!("q{q}"),
                        earned,
                        max,
                    })
                    .collect(),
            }
        });
        proptest::collection::vec(one, 0..40)
    }

    proptest! {
        #[test]
        fn figures_stay_in_range_whatever_the_order(
            (list, shuffled) in attempts().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
        ) {
            let stats = question_stats(&list);
            for s in &stats {
                prop_assert!(s.facility_percent <= 100);
                if let Some(d) = s.discrimination {
                    prop_assert!((-100..=100).contains(&d));
                }
                prop_assert_eq!(s.discrimination.is_some(), s.responses >= MIN_RESPONSES);
            }
            prop_assert_eq!(question_stats(&shuffled), stats);
        }
    }
}
