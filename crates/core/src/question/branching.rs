//! Branching scenarios: a graph of steps, each with text and choices that
//! lead to another step or to an ending; endings carry a score and a
//! debrief.
//!
//! Policy: a scenario is checked when it is loaded ([`validate_scenario`]):
//! every step and ending is reachable from the start, every choice leads
//! somewhere that exists, an ending can be reached from every step, and a
//! loop is allowed only if the author marked one of its steps
//! `allow_revisit` (e.g. "ask the colleague again"). Without a marked step,
//! every path therefore ends within as many choices as there are steps.
//! The path a trainee takes is replayed from the choices they made
//! ([`walk`]), so storing those choice ids records it step by step.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::ids::is_valid_id;
use crate::problem::Problem;

/// A branching scenario (tình huống rẽ nhánh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    /// The id of the first step.
    pub start: String,
    pub steps: Vec<Step>,
    pub endings: Vec<Ending>,
}

/// One point of decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    /// What happens, Markdown source.
    pub text: String,
    pub choices: Vec<BranchChoice>,
    /// The author means paths to come back here, so a loop through this
    /// step is not a mistake.
    #[serde(default)]
    pub allow_revisit: bool,
}

/// A choice offered at a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchChoice {
    /// Unique within its step.
    pub id: String,
    pub text: String,
    pub next: Next,
}

/// Where a choice leads. Externally tagged, `{"step": "s2"}` or
/// `{"ending": "e1"}`, which reads well in authored files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    /// Go on to the step with this id.
    Step(String),
    /// End the path at the ending with this id.
    Ending(String),
}

/// How a path ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ending {
    pub id: String,
    /// What happened and why, Markdown source.
    pub debrief: String,
    /// Points earned by ending here.
    pub score: u32,
}

impl Scenario {
    /// The best score an ending gives.
    pub fn max_score(&self) -> u32 {
        self.endings.iter().map(|e| e.score).max().unwrap_or(0)
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The ending with this id.
    pub fn ending(&self, id: &str) -> Option<&Ending> {
        self.endings.iter().find(|e| e.id == id)
    }
}

/// A mistake in a scenario's graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ScenarioProblem {
    /// An id breaks [`crate::ids::ID_RULE`].
    InvalidId { id: String },
    /// Two steps or endings share an id (they share one namespace).
    DuplicateId { id: String },
    /// Two choices of a step share an id.
    DuplicateChoice { step: String, choice: String },
    /// `start` names no step.
    UnknownStart { start: String },
    /// A choice leads to a step or ending that does not exist.
    UnknownTarget {
        step: String,
        choice: String,
        target: Next,
    },
    /// A step offers no choice, so a path would stop there without an
    /// ending.
    NoChoices { step: String },
    /// No path from the start leads to this step or ending.
    Unreachable { id: String },
    /// From this reachable step no ending can be reached.
    NoWayOut { step: String },
    /// These steps form a loop and none of them is marked `allow_revisit`.
    UnmarkedCycle { steps: Vec<String> },
}

impl From<&ScenarioProblem> for Problem {
    fn from(problem: &ScenarioProblem) -> Problem {
        match problem.clone() {
            ScenarioProblem::InvalidId { id } => Problem::BadId { id, question: None },
            ScenarioProblem::DuplicateId { id } => Problem::DuplicateId { id, question: None },
            ScenarioProblem::DuplicateChoice { step, choice } => {
                Problem::DuplicateChoice { step, choice }
            }
            ScenarioProblem::UnknownStart { start } => Problem::UnknownStart { start },
            ScenarioProblem::UnknownTarget {
                step,
                choice,
                target,
            } => match target {
                Next::Step(target) => Problem::MissingStep {
                    step,
                    choice,
                    target,
                },
                Next::Ending(target) => Problem::MissingEnding {
                    step,
                    choice,
                    target,
                },
            },
            ScenarioProblem::NoChoices { step } => Problem::NoChoices { step },
            ScenarioProblem::Unreachable { id } => Problem::Unreachable { id },
            ScenarioProblem::NoWayOut { step } => Problem::NoWayOut { step },
            ScenarioProblem::UnmarkedCycle { steps } => Problem::UnmarkedCycle { steps },
        }
    }
}

/// Checks a scenario's graph; empty when it can be published.
pub fn validate_scenario(scenario: &Scenario) -> Vec<ScenarioProblem> {
    let mut problems = Vec::new();
    let steps = &scenario.steps;

    // Ids.
    let mut seen = HashSet::new();
    let all_ids = std::iter::once(&scenario.id)
        .chain(steps.iter().map(|s| &s.id))
        .chain(scenario.endings.iter().map(|e| &e.id));
    for id in all_ids {
        if !is_valid_id(id) {
            problems.push(ScenarioProblem::InvalidId { id: id.clone() });
        }
    }
    for id in steps
        .iter()
        .map(|s| &s.id)
        .chain(scenario.endings.iter().map(|e| &e.id))
    {
        if !seen.insert(id.as_str()) {
            problems.push(ScenarioProblem::DuplicateId { id: id.clone() });
        }
    }
    for step in steps {
        let mut choices = HashSet::new();
        for choice in &step.choices {
            if !is_valid_id(&choice.id) {
                problems.push(ScenarioProblem::InvalidId {
                    id: choice.id.clone(),
                });
            }
            if !choices.insert(choice.id.as_str()) {
                problems.push(ScenarioProblem::DuplicateChoice {
                    step: step.id.clone(),
                    choice: choice.id.clone(),
                });
            }
        }
    }

    // Edges, by step index; the first of duplicate ids wins.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        index.entry(step.id.as_str()).or_insert(i);
    }
    let ending_ids: HashSet<&str> = scenario.endings.iter().map(|e| e.id.as_str()).collect();
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    let mut endings_of: Vec<Vec<&str>> = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        if step.choices.is_empty() {
            problems.push(ScenarioProblem::NoChoices {
                step: step.id.clone(),
            });
        }
        for choice in &step.choices {
            let known = match &choice.next {
                Next::Step(id) => index.get(id.as_str()).map(|&j| successors[i].push(j)),
                Next::Ending(id) => ending_ids.get(id.as_str()).map(|&e| endings_of[i].push(e)),
            };
            if known.is_none() {
                problems.push(ScenarioProblem::UnknownTarget {
                    step: step.id.clone(),
                    choice: choice.id.clone(),
                    target: choice.next.clone(),
                });
            }
        }
    }

    // Reachability from the start.
    match index.get(scenario.start.as_str()) {
        None => problems.push(ScenarioProblem::UnknownStart {
            start: scenario.start.clone(),
        }),
        Some(&start) => {
            let reachable = reach(&[start], &successors);
            let reached_endings: HashSet<&str> = (0..steps.len())
                .filter(|&i| reachable[i])
                .flat_map(|i| endings_of[i].iter().copied())
                .collect();
            for (i, step) in steps.iter().enumerate() {
                if !reachable[i] {
                    problems.push(ScenarioProblem::Unreachable {
                        id: step.id.clone(),
                    });
                }
            }
            for ending in &scenario.endings {
                if !reached_endings.contains(ending.id.as_str()) {
                    problems.push(ScenarioProblem::Unreachable {
                        id: ending.id.clone(),
                    });
                }
            }
            // Which steps can still end: walk the edges backwards from the
            // steps with a choice that ends.
            let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
            for (i, next) in successors.iter().enumerate() {
                for &j in next {
                    predecessors[j].push(i);
                }
            }
            let ending_now: Vec<usize> = (0..steps.len())
                .filter(|&i| !endings_of[i].is_empty())
                .collect();
            let can_end = reach(&ending_now, &predecessors);
            for (i, step) in steps.iter().enumerate() {
                // A step without choices is reported as such.
                if reachable[i] && !can_end[i] && !step.choices.is_empty() {
                    problems.push(ScenarioProblem::NoWayOut {
                        step: step.id.clone(),
                    });
                }
            }
        }
    }

    // Loops among unmarked steps: a loop with no marked step lies wholly
    // among them. Scenarios are small, so one search per step is fine.
    let unmarked: Vec<Vec<usize>> = successors
        .iter()
        .enumerate()
        .map(|(i, next)| {
            next.iter()
                .copied()
                .filter(|&j| !steps[i].allow_revisit && !steps[j].allow_revisit)
                .collect()
        })
        .collect();
    let onward: Vec<Vec<bool>> = (0..steps.len())
        .map(|i| reach(&unmarked[i], &unmarked))
        .collect();
    let mut in_reported_loop = vec![false; steps.len()];
    for i in 0..steps.len() {
        if !onward[i][i] || in_reported_loop[i] {
            continue;
        }
        let members: Vec<usize> = (0..steps.len())
            .filter(|&j| onward[i][j] && onward[j][i])
            .collect();
        for &j in &members {
            in_reported_loop[j] = true;
        }
        problems.push(ScenarioProblem::UnmarkedCycle {
            steps: members.iter().map(|&j| steps[j].id.clone()).collect(),
        });
    }
    problems
}

/// The steps reachable from `from` (included) along `edges`.
fn reach(from: &[usize], edges: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = from.iter().copied().collect();
    while let Some(i) = queue.pop_front() {
        if !std::mem::replace(&mut seen[i], true) {
            queue.extend(edges[i].iter().copied());
        }
    }
    seen
}

/// A path through a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walk {
    /// The steps shown, in order, starting with the start; a revisited
    /// step appears each time.
    pub path: Vec<String>,
    /// The ending reached, if the path is over.
    pub ending: Option<String>,
    /// The ending's score, if the path is over.
    pub score: Option<u32>,
}

impl Walk {
    /// The step waiting for a choice; `None` once the path has ended.
    pub fn current(&self) -> Option<&str> {
        match self.ending {
            Some(_) => None,
            None => self.path.last().map(String::as_str),
        }
    }
}

/// Why a list of choices is not a path through a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum WalkError {
    /// The start or a choice's target names no step.
    UnknownStep { step: String },
    /// A choice's target names no ending.
    UnknownEnding { ending: String },
    /// The step does not offer this choice.
    UnknownChoice { step: String, choice: String },
    /// A choice was made after the path had ended.
    AfterEnding { choice: String },
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::UnknownStep { step } => write!(f, "there is no step {step:?}"),
            WalkError::UnknownEnding { ending } => write!(f, "there is no ending {ending:?}"),
            WalkError::UnknownChoice { step, choice } => {
                write!(f, "step {step:?} offers no choice {choice:?}")
            }
            WalkError::AfterEnding { choice } => {
                write!(f, "choice {choice:?} comes after the path has ended")
            }
        }
    }
}

impl std::error::Error for WalkError {}

/// Replays `choices` (choice ids, one per step) from the start and records
/// the path. Fewer choices than needed give a walk still in progress.
pub fn walk<S: AsRef<str>>(scenario: &Scenario, choices: &[S]) -> Result<Walk, WalkError> {
    let step_of = |id: &str| {
        scenario
            .step(id)
            .ok_or_else(|| WalkError::UnknownStep { step: id.into() })
    };
    let mut at = step_of(&scenario.start)?;
    let mut walk = Walk {
        path: vec![at.id.clone()],
        ending: None,
        score: None,
    };
    for choice_id in choices {
        let choice_id = choice_id.as_ref();
        if walk.ending.is_some() {
            return Err(WalkError::AfterEnding {
                choice: choice_id.into(),
            });
        }
        let choice = at
            .choices
            .iter()
            .find(|c| c.id == choice_id)
            .ok_or_else(|| WalkError::UnknownChoice {
                step: at.id.clone(),
                choice: choice_id.into(),
            })?;
        match &choice.next {
            Next::Step(id) => {
                at = step_of(id)?;
                walk.path.push(at.id.clone());
            }
            Next::Ending(id) => {
                let ending = scenario
                    .ending(id)
                    .ok_or_else(|| WalkError::UnknownEnding { ending: id.clone() })?;
                walk.ending = Some(ending.id.clone());
                walk.score = Some(ending.score);
            }
        }
    }
    Ok(walk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn to(next: &str) -> Next {
        match next.strip_prefix("end:") {
            Some(ending) => Next::Ending(ending.into()),
            None => Next::Step(next.into()),
        }
    }

    /// `steps`: (id, [(choice id, target)]) where a target "end:x" is an
    /// ending.
    fn scenario(steps: &[(&str, &[(&str, &str)])], endings: &[(&str, u32)]) -> Scenario {
        Scenario {
            id: "qua-bieu".into(),
            title: "Quà biếu ngày Tết".into(),
            start: steps.first().map_or("", |s| s.0).into(),
            steps: steps
                .iter()
                .map(|(id, choices)| Step {
                    id: (*id).into(),
                    text: format!("Bước {id}"),
                    choices: choices
                        .iter()
                        .map(|(c, next)| BranchChoice {
                            id: (*c).into(),
                            text: format!("Chọn {c}"),
                            next: to(next),
                        })
                        .collect(),
                    allow_revisit: false,
                })
                .collect(),
            endings: endings
                .iter()
                .map(|&(id, score)| Ending {
                    id: id.into(),
                    debrief: format!("Kết thúc {id}"),
                    score,
                })
                .collect(),
        }
    }

    /// A gift arrives; refuse it, report it, or accept it.
    fn gift() -> Scenario {
        scenario(
            &[
                (
                    "nhan-qua",
                    &[("tu-choi", "bao-cao"), ("nhan", "end:vi-pham")],
                ),
                (
                    "bao-cao",
                    &[("bao-cao-ngay", "end:dung"), ("im-lang", "end:chua-du")],
                ),
            ],
            &[("dung", 10), ("chua-du", 5), ("vi-pham", 0)],
        )
    }

    #[test]
    fn a_sound_scenario_has_no_problems_and_records_its_path() {
        let s = gift();
        assert_eq!(validate_scenario(&s), vec![]);
        assert_eq!(s.max_score(), 10);
        let w = walk(&s, &["tu-choi", "bao-cao-ngay"]).unwrap();
        assert_eq!(w.path, ["nhan-qua", "bao-cao"]);
        assert_eq!((w.ending.as_deref(), w.score), (Some("dung"), Some(10)));
        assert_eq!(w.current(), None);
        let half = walk(&s, &["tu-choi"]).unwrap();
        assert_eq!((half.current(), half.score), (Some("bao-cao"), None));
        let none: [&str; 0] = [];
        assert_eq!(walk(&s, &none).unwrap().current(), Some("nhan-qua"));
    }

    #[test]
    fn a_walk_refuses_choices_that_are_not_offered() {
        let s = gift();
        assert_eq!(
            walk(&s, &["bao-cao-ngay"]),
            Err(WalkError::UnknownChoice {
                step: "nhan-qua".into(),
                choice: "bao-cao-ngay".into()
            })
        );
        assert_eq!(
            walk(&s, &["nhan", "tu-choi"]),
            Err(WalkError::AfterEnding {
                choice: "tu-choi".into()
            })
        );
        let mut broken = gift();
        broken.start = "khong-co".into();
        assert!(matches!(
            walk(&broken, &["x"]),
            Err(WalkError::UnknownStep { .. })
        ));
    }

    #[test]
    fn unknown_targets_and_unreachable_parts_are_reported() {
        let s = scenario(
            &[
                ("a", &[("x", "b"), ("y", "end:khong-co")]),
                ("b", &[("x", "ghost"), ("y", "end:e1")]),
                ("lac", &[("x", "end:e1")]),
            ],
            &[("e1", 1), ("e2", 2)],
        );
        let problems = validate_scenario(&s);
        assert!(problems.contains(&ScenarioProblem::UnknownTarget {
            step: "a".into(),
            choice: "y".into(),
            target: Next::Ending("khong-co".into())
        }));
        assert!(problems.contains(&ScenarioProblem::UnknownTarget {
            step: "b".into(),
            choice: "x".into(),
            target: Next::Step("ghost".into())
        }));
        assert!(problems.contains(&ScenarioProblem::Unreachable { id: "lac".into() }));
        assert!(problems.contains(&ScenarioProblem::Unreachable { id: "e2".into() }));
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn dead_ends_are_reported() {
        let s = scenario(
            &[
                ("a", &[("x", "b"), ("y", "c")]),
                ("b", &[]),
                ("c", &[("x", "end:e")]),
            ],
            &[("e", 1)],
        );
        assert_eq!(
            validate_scenario(&s),
            vec![ScenarioProblem::NoChoices { step: "b".into() }]
        );
    }

    #[test]
    fn loops_must_be_marked() {
        let looping = || {
            scenario(
                &[
                    ("a", &[("x", "b")]),
                    ("b", &[("back", "a"), ("on", "c")]),
                    ("c", &[("x", "end:e")]),
                ],
                &[("e", 1)],
            )
        };
        let s = looping();
        assert_eq!(
            validate_scenario(&s),
            vec![ScenarioProblem::UnmarkedCycle {
                steps: vec!["a".into(), "b".into()]
            }]
        );
        let mut marked = looping();
        marked.steps[1].allow_revisit = true;
        assert_eq!(validate_scenario(&marked), vec![]);
        let w = walk(&marked, &["x", "back", "x", "on", "x"]).unwrap();
        assert_eq!(w.path, ["a", "b", "a", "b", "c"]);
        assert_eq!(w.score, Some(1));
        // A step choosing itself is a loop too.
        let own = scenario(&[("a", &[("again", "a"), ("x", "end:e")])], &[("e", 1)]);
        assert_eq!(
            validate_scenario(&own),
            vec![ScenarioProblem::UnmarkedCycle {
                steps: vec!["a".into()]
            }]
        );
    }

    #[test]
    fn a_marked_loop_with_no_exit_is_reported() {
        let mut s = scenario(
            &[
                ("a", &[("x", "b"), ("y", "end:e")]),
                ("b", &[("x", "c")]),
                ("c", &[("x", "b")]),
            ],
            &[("e", 1)],
        );
        s.steps[1].allow_revisit = true;
        assert_eq!(
            validate_scenario(&s),
            vec![
                ScenarioProblem::NoWayOut { step: "b".into() },
                ScenarioProblem::NoWayOut { step: "c".into() },
            ]
        );
    }

    #[test]
    fn ids_must_be_valid_and_unique() {
        let s = scenario(
            &[
                ("a", &[("x", "end:a"), ("x", "end:a")]),
                ("Bước 2", &[("y", "end:a")]),
            ],
            &[("a", 1)],
        );
        let problems = validate_scenario(&s);
        assert!(problems.contains(&ScenarioProblem::DuplicateId { id: "a".into() }));
        assert!(problems.contains(&ScenarioProblem::DuplicateChoice {
            step: "a".into(),
            choice: "x".into()
        }));
        assert!(problems.contains(&ScenarioProblem::InvalidId {
            id: "Bước 2".into()
        }));
        let mut no_start = gift();
        no_start.start = "z".into();
        assert_eq!(
            validate_scenario(&no_start),
            vec![ScenarioProblem::UnknownStart { start: "z".into() }]
        );
        assert_eq!(
            Problem::from(&ScenarioProblem::UnknownStart { start: "z".into() })
                .text(crate::i18n::Lang::Vi),
            "Điểm bắt đầu “z” không phải là một bước của kịch bản."
        );
    }

    #[test]
    fn scenarios_read_from_json() {
        let s: Scenario = serde_json::from_value(serde_json::json!({
            "id": "s", "title": "S", "start": "a",
            "steps": [{"id": "a", "text": "A", "choices": [
                {"id": "x", "text": "X", "next": {"ending": "e"}}
            ]}],
            "endings": [{"id": "e", "debrief": "Đúng", "score": 3}]
        }))
        .unwrap();
        assert_eq!(validate_scenario(&s), vec![]);
        assert_eq!(s.steps[0].choices[0].next, Next::Ending("e".into()));
    }

    /// Random scenarios: each step's choices lead to a step (by index) or an
    /// ending; `forward` keeps step targets after the step, so no loops.
    fn arb_scenario(forward: bool) -> impl Strategy<Value = Scenario> {
        (1usize..8)
            .prop_flat_map(move |n| {
                let choice = (any::<bool>(), 0usize..8, 0usize..3);
                proptest::collection::vec(proptest::collection::vec(choice, 1..4), n)
            })
            .prop_map(move |steps| {
                let n = steps.len();
                let steps: Vec<Step> = steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, choices)| Step {
                        id: format!("s{i}"),
                        text: String::new(),
                        choices: choices
                            .into_iter()
                            .enumerate()
                            .map(|(c, (to_step, j, e))| {
                                let next = if forward && i + 1 >= n {
                                    None
                                } else if forward {
                                    Some(i + 1 + j % (n - i - 1))
                                } else {
                                    Some(j % n)
                                };
                                BranchChoice {
                                    id: format!("c{c}"),
                                    text: String::new(),
                                    next: match next.filter(|_| to_step) {
                                        Some(j) => Next::Step(format!("s{j}")),
                                        None => Next::Ending(format!("e{e}")),
                                    },
                                }
                            })
                            .collect(),
                        allow_revisit: false,
                    })
                    .collect();
                Scenario {
                    id: "s".into(),
                    title: String::new(),
                    start: "s0".into(),
                    steps,
                    endings: (0..3)
                        .map(|e| Ending {
                            id: format!("e{e}"),
                            debrief: String::new(),
                            score: e,
                        })
                        .collect(),
                }
            })
    }

    proptest! {
        /// A graph whose choices only lead forward has no loop and no dead
        /// end; at most some parts are unreachable.
        #[test]
        fn forward_graphs_have_no_loops(s in arb_scenario(true)) {
            let problems = validate_scenario(&s);
            let unexpected: Vec<_> = problems
                .iter()
                .filter(|p| !matches!(p, ScenarioProblem::Unreachable { .. }))
                .collect();
            prop_assert!(unexpected.is_empty(), "{:?}", unexpected);
        }

        /// Marking every step `allow_revisit` removes exactly the loop
        /// problems and leaves the others as they were.
        #[test]
        fn marking_steps_only_excuses_loops(s in arb_scenario(false)) {
            let is_loop = |p: &ScenarioProblem| matches!(p, ScenarioProblem::UnmarkedCycle { .. });
            let mut marked = s.clone();
            for step in &mut marked.steps {
                step.allow_revisit = true;
            }
            let expected: Vec<ScenarioProblem> =
                validate_scenario(&s).into_iter().filter(|p| !is_loop(p)).collect();
            prop_assert_eq!(validate_scenario(&marked), expected);
        }
    }

    proptest! {
        // Random graphs often loop; rejecting those is expected.
        #![proptest_config(ProptestConfig { max_global_rejects: 100_000, ..ProptestConfig::default() })]

        /// In a scenario that validates, every path ends within as many
        /// choices as there are steps, at an ending whose score it reports.
        #[test]
        fn every_path_of_a_valid_scenario_ends(
            s in prop_oneof![3 => arb_scenario(true), 1 => arb_scenario(false)],
            picks in proptest::collection::vec(any::<usize>(), 8),
        ) {
            // Parts no path reaches do not matter to the paths.
            let problems = validate_scenario(&s);
            prop_assume!(problems.iter().all(|p| matches!(p, ScenarioProblem::Unreachable { .. })));
            let mut choices: Vec<String> = Vec::new();
            let mut w = walk(&s, &choices).unwrap();
            while let Some(at) = w.current() {
                prop_assert!(choices.len() < s.steps.len(), "path {:?} does not end", w.path);
                let step = s.step(at).unwrap();
                choices.push(step.choices[picks[choices.len()] % step.choices.len()].id.clone());
                w = walk(&s, &choices).unwrap();
            }
            let ending = s.ending(w.ending.as_deref().unwrap()).unwrap();
            prop_assert_eq!(w.score, Some(ending.score));
            prop_assert_eq!(w.path.len(), choices.len());
        }
    }
}
