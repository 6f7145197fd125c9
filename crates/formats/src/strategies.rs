//! Random valid questions of every kind, for the round-trip property tests
//! of the formats.

use lophoc_core::number::Decimal;
use lophoc_core::question::{
    validate, Accepted, Choice, Criterion, Difficulty, Gap, NumericAnswer, Question, QuestionBody,
    FULL_CREDIT,
};
use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::Index;

/// A plain text as lecturers write them: Vietnamese words, digits and
/// punctuation, including characters the formats treat specially; single
/// spaces, trimmed, not empty.
pub fn plain() -> impl Strategy<Value = String> {
    vec(
        "[a-zA-Z0-9àáảãạăắâấđêếềôốơớưứữệộĐƯ~=#{}:%&<>\"'*_\\[\\]\\\\/.,?!()-]{1,8}",
        1..4,
    )
    .prop_map(|words| words.join(" "))
}

/// A line of Markdown: words, sometimes bold or italic.
pub fn sentence() -> impl Strategy<Value = String> + Clone {
    let word = "[a-zA-Z0-9àáảạăâđêôơưĐ&<>\"'/.,?!()-]{1,8}";
    let styled = prop_oneof![
        4 => word.prop_map(|w| w.to_string()),
        1 => "[a-zàđ]{1,6}".prop_map(|w| format!("**{w}**")),
        1 => "[a-zàđ]{1,6}".prop_map(|w| format!("*{w}*")),
    ];
    vec(styled, 1..6)
        .prop_map(|w| w.join(" "))
        .prop_filter("starts like a list or a number", |t| starts_as_text(t))
}

fn starts_as_text(t: &str) -> bool {
    let first = t.trim_start();
    !(first.starts_with(['-', '+', '*', '#', '>'])
        || first.starts_with(|c: char| c.is_ascii_digit())
        || t.contains('{'))
}

/// A Markdown text: plain words, sometimes bold or italic, in one or two
/// paragraphs, sometimes a list. No gap markers.
pub fn markdown() -> impl Strategy<Value = String> {
    let line = sentence();
    prop_oneof![
        3 => line.clone(),
        1 => (line.clone(), line.clone()).prop_map(|(a, b)| format!("{a}\n\n{b}")),
        1 => (line.clone(), vec("[a-zàđ]{1,6}", 2..4)).prop_map(|(a, items)| {
            format!("{a}\n\n{}", items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n"))
        }),
    ]
}

fn texts(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    btree_set(plain(), n).prop_map(|s| s.into_iter().collect())
}

fn options(texts: Vec<String>, right: &[bool], feedback: Vec<Option<String>>) -> Vec<Choice> {
    texts
        .into_iter()
        .zip(right)
        .zip(feedback)
        .enumerate()
        .map(|(i, ((text, &correct), feedback))| Choice {
            id: crate::import::option_id(i),
            text,
            correct,
            feedback,
        })
        .collect()
}

/// Credits as exact decimals: whole percents and Moodle's five decimals.
fn credit() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(FULL_CREDIT),
        (0i64..=100).prop_map(Decimal::from_int),
        (0i64..=10_000_000).prop_map(|u| Decimal::from_parts(u, 5).unwrap_or_default()),
    ]
}

fn accepted() -> impl Strategy<Value = Vec<Accepted>> {
    (texts(1..4), vec(credit(), 4), vec(option::of(plain()), 4)).prop_map(|(t, c, f)| {
        t.into_iter()
            .zip(c)
            .zip(f)
            .enumerate()
            .map(|(i, ((text, credit), feedback))| Accepted {
                text,
                credit: if i == 0 { FULL_CREDIT } else { credit },
                feedback,
            })
            .collect()
    })
}

fn numeric() -> impl Strategy<Value = Vec<NumericAnswer>> {
    vec(
        (
            -100_000i64..100_000,
            0u32..4,
            0i64..500,
            credit(),
            option::of(plain()),
        ),
        1..4,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(
                |(i, (value, places, tol, credit, feedback))| NumericAnswer {
                    value: Decimal::from_parts(value, places).unwrap_or_default(),
                    tolerance: Decimal::from_parts(tol, places).unwrap_or_default(),
                    credit: if i == 0 { FULL_CREDIT } else { credit },
                    feedback,
                },
            )
            .collect()
    })
}

fn single() -> impl Strategy<Value = Vec<Choice>> {
    (texts(2..6), any::<Index>(), vec(option::of(plain()), 6)).prop_map(|(t, right, f)| {
        let right = right.index(t.len());
        let flags: Vec<bool> = (0..t.len()).map(|i| i == right).collect();
        options(t, &flags, f)
    })
}

fn gap() -> impl Strategy<Value = Gap> {
    prop_oneof![
        (accepted(), 1u32..4).prop_map(|(accepted, weight)| Gap::ShortAnswer {
            accepted,
            ignore_tone_marks: false,
            weight
        }),
        (numeric(), 1u32..4).prop_map(|(answers, weight)| Gap::Numerical { answers, weight }),
        (single(), 1u32..4).prop_map(|(options, weight)| Gap::Choice { options, weight }),
    ]
}

/// Any valid body, and the prompt it needs (a fill-in's holds its markers).
pub fn prompt_and_body() -> impl Strategy<Value = (String, QuestionBody)> {
    let body = prop_oneof![
        single().prop_map(|options| QuestionBody::SingleChoice { options }),
        (
            texts(2..6),
            vec(any::<bool>(), 6),
            any::<Index>(),
            vec(option::of(plain()), 6)
        )
            .prop_map(|(t, mut flags, right, f)| {
                flags[right.index(t.len())] = true;
                QuestionBody::MultipleChoice {
                    options: options(t, &flags[..], f),
                }
            }),
        (any::<bool>(), option::of(plain()), option::of(plain())).prop_map(
            |(answer, feedback_true, feedback_false)| QuestionBody::TrueFalse {
                answer,
                feedback_true,
                feedback_false
            }
        ),
        texts(2..6).prop_map(|items| QuestionBody::Ordering { items }),
        (texts(2..5), texts(2..8)).prop_map(|(left, mut right)| {
            let n = left.len().min(right.len());
            let distractors = right.split_off(n);
            QuestionBody::Matching {
                pairs: left.into_iter().zip(right).collect(),
                distractors,
            }
        }),
        accepted().prop_map(|accepted| QuestionBody::ShortAnswer {
            accepted,
            ignore_tone_marks: false
        }),
        numeric().prop_map(|answers| QuestionBody::Numerical { answers }),
        vec((1u32..6, "[a-zàđ]{1,6}( [a-zàđ]{1,6}){0,3}"), 1..4).prop_map(|c| {
            QuestionBody::Essay {
                rubric: c
                    .into_iter()
                    .enumerate()
                    .map(|(i, (max_points, description))| Criterion {
                        id: format!("tieu-chi-{}", i + 1),
                        description,
                        max_points,
                    })
                    .collect(),
            }
        }),
        Just(QuestionBody::Opinion {}),
    ];
    prop_oneof![
        4 => (markdown(), body),
        1 => (vec(sentence(), 2..4), vec(gap(), 1..3)).prop_map(|(words, gaps)| {
            // Text, a blank, text…: each blank inside a sentence.
            let mut prompt = words[0].clone();
            for g in 0..gaps.len() {
                prompt.push_str(&format!(" {{{}}} {}", g + 1, words.get(g + 1).map_or("xong.", String::as_str)));
            }
            (prompt, QuestionBody::FillBlanks { gaps })
        }),
    ]
}

/// A valid question of any kind with an explanation, tags and difficulty.
pub fn question() -> impl Strategy<Value = Question> {
    (
        prompt_and_body(),
        option::of(markdown()),
        1u32..10,
        0usize..3,
        vec("[a-zđ]{1,6}( [a-zđ]{1,6})?", 0..3),
    )
        .prop_map(
            |((prompt, body), explanation, points, hard, tags)| Question {
                id: String::new(),
                prompt,
                points,
                difficulty: [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard][hard],
                tags: tags.into_iter().fold(Vec::new(), |mut acc, t| {
                    if !acc.contains(&t) {
                        acc.push(t);
                    }
                    acc
                }),
                explanation,
                grader_note: None,
                body,
            },
        )
        .prop_filter("valid", |q| {
            let mut q = q.clone();
            q.id = "q".into();
            validate(&q).is_empty()
        })
}
