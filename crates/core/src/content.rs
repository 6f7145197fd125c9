//! The content model: a course is an ordered list of modules (chuyên đề),
//! each an ordered list of lessons (bài học).
//!
//! Policy: these are the published shapes the client reads. Parsing the
//! authored files (TOML, Markdown) is the server's job; the rules that do not
//! depend on a file format — what an id may look like, that ids are unique,
//! which lesson comes before and after another — live here so both sides agree.

use serde::{Deserialize, Serialize};

use crate::{ids::is_valid_id, problem::Problem, question::AssessmentSettings};

/// A published course with its modules and the titles of their lessons:
/// `GET /api/courses/{course}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseOutline {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub version: i64,
    pub modules: Vec<ModuleOutline>,
    /// Names of the course's media files, for downloading it whole.
    #[serde(default)]
    pub media: Vec<String>,
    /// About how many bytes downloading the course for offline use takes.
    #[serde(default)]
    pub download_bytes: u64,
    /// What completing the course takes.
    #[serde(default)]
    pub completion: crate::content::CompletionRule,
}

/// A module (chuyên đề) of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleOutline {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub lessons: Vec<LessonRef>,
    /// Situation sets of the module, after its lessons.
    #[serde(default)]
    pub situations: Vec<SituationRef>,
    /// Assessments of the module, last.
    #[serde(default)]
    pub assessments: Vec<crate::content::AssessmentRef>,
}

/// How a situation set is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SituationMode {
    /// Thảo luận: opinions, no marks; classmates' answers are shown without
    /// names, then the lecturer's guidance.
    Discussion,
    /// Luyện tập: scored for the trainee's own check, with feedback and
    /// explanations right after answering; counts towards no mark.
    Practice,
}

/// A situation set as listed in an outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SituationRef {
    pub id: String,
    pub title: String,
    pub mode: SituationMode,
    pub question_count: u32,
}

/// A published situation set (bộ câu hỏi tình huống):
/// `GET /api/courses/{course}/situations/{id}`. The scenario, the guidance,
/// each question's prompt and explanation, and a branching scenario's step
/// texts and debriefs hold sanitized HTML rendered by the server from the
/// authored Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SituationSet {
    pub course_id: String,
    pub module_id: String,
    pub id: String,
    pub title: String,
    pub mode: SituationMode,
    pub scenario_html: String,
    /// The lecturer's guidance notes, shown after answering; may be empty.
    pub guidance_html: String,
    pub questions: Vec<crate::question::Question>,
    /// A branching scenario played step by step, if the set has one (its
    /// `questions` may then be empty). Its id and title are the set's.
    #[serde(default)]
    pub scenario: Option<crate::question::Scenario>,
}

impl SituationSet {
    /// The set as a trainee may receive it: every question without its
    /// grader-only note ([`crate::question::Question::for_trainee`]).
    pub fn for_trainee(mut self) -> SituationSet {
        self.questions = self
            .questions
            .into_iter()
            .map(crate::question::Question::for_trainee)
            .collect();
        self
    }
}

/// What a trainee must do to complete a course: `[completion]` in
/// `course.toml` (see `docs/content-format.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionRule {
    /// Every lesson read.
    pub all_lessons: bool,
    /// Every situation set answered in full (or a branching scenario played).
    pub all_situations: bool,
    /// Assessments that must be passed, by id.
    pub pass: Vec<String>,
}

impl Default for CompletionRule {
    /// Every lesson read; no assessment required (a course file without a
    /// `[completion]` table gets every assessment of the course added by the
    /// loader).
    fn default() -> Self {
        CompletionRule {
            all_lessons: true,
            all_situations: false,
            pass: Vec::new(),
        }
    }
}

/// An assessment as listed in a module's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRef {
    pub id: String,
    pub title: String,
    /// Questions in one attempt.
    pub question_count: u32,
    pub settings: AssessmentSettings,
}

/// Bytes an item takes once downloaded to a device: the client counts what
/// it stores this way after a download, and the server estimates a
/// course's download the same way beforehand, so the two figures agree.
pub fn stored_bytes<T: Serialize>(item: &T) -> u64 {
    serde_json::to_string(item).map_or(0, |json| json.len() as u64)
}

/// A classmate's answer to a discussion prompt, without any name:
/// `GET /api/courses/{course}/situations/{id}/responses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscussionResponse {
    pub question_id: String,
    pub text: String,
}

/// What kind of item of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Lesson,
    Situation,
    Assessment,
}

/// One item of a course in reading order ([`CourseOutline::items`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRef {
    pub kind: ItemKind,
    pub id: String,
    pub title: String,
    pub module_id: String,
}

impl ItemRef {
    /// The item's page in the client.
    pub fn href(&self, course_id: &str) -> String {
        let folder = match self.kind {
            ItemKind::Lesson => "lessons",
            ItemKind::Situation => "situations",
            ItemKind::Assessment => "assessments",
        };
        format!("/courses/{course_id}/{folder}/{}", self.id)
    }
}

/// A lesson as listed in an outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonRef {
    pub id: String,
    pub title: String,
    /// Estimated reading time in minutes.
    pub minutes: u32,
}

/// A lesson with its body: `GET /api/courses/{course}/lessons/{lesson}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    pub course_id: String,
    pub module_id: String,
    pub id: String,
    pub title: String,
    pub minutes: u32,
    /// Sanitized HTML rendered from the lesson's Markdown by the server.
    pub html: String,
}

/// Where a lesson sits in its course: its module, its place, and its
/// neighbours in reading order (which crosses module boundaries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonPosition<'a> {
    pub module: &'a ModuleOutline,
    /// 1-based number of the module in the course.
    pub module_number: usize,
    /// 1-based number of the lesson within its module.
    pub lesson_number: usize,
    pub previous: Option<&'a LessonRef>,
    pub next: Option<&'a LessonRef>,
}

impl CourseOutline {
    /// Number of lessons in all modules.
    pub fn lesson_count(&self) -> usize {
        self.modules.iter().map(|m| m.lessons.len()).sum()
    }

    /// The module with this id, and its 1-based number.
    pub fn module(&self, id: &str) -> Option<(usize, &ModuleOutline)> {
        self.modules
            .iter()
            .enumerate()
            .find(|(_, m)| m.id == id)
            .map(|(i, m)| (i + 1, m))
    }

    /// Where the lesson `id` sits, or `None` if the course has no such lesson.
    pub fn position(&self, id: &str) -> Option<LessonPosition<'_>> {
        let flat: Vec<(usize, usize, &ModuleOutline, &LessonRef)> = self
            .modules
            .iter()
            .enumerate()
            .flat_map(|(mi, m)| {
                m.lessons
                    .iter()
                    .enumerate()
                    .map(move |(li, l)| (mi, li, m, l))
            })
            .collect();
        let at = flat.iter().position(|(_, _, _, l)| l.id == id)?;
        let (mi, li, module, _) = flat[at];
        Some(LessonPosition {
            module,
            module_number: mi + 1,
            lesson_number: li + 1,
            previous: at.checked_sub(1).map(|p| flat[p].3),
            next: flat.get(at + 1).map(|n| n.3),
        })
    }

    /// Every lesson, situation set and assessment in course order: each
    /// module's lessons, then its situation sets, then its assessments.
    pub fn items(&self) -> Vec<ItemRef> {
        let mut items = Vec::new();
        for m in &self.modules {
            let item = |kind, id: &str, title: &str| ItemRef {
                kind,
                id: id.to_string(),
                title: title.to_string(),
                module_id: m.id.clone(),
            };
            items.extend(
                m.lessons
                    .iter()
                    .map(|l| item(ItemKind::Lesson, &l.id, &l.title)),
            );
            items.extend(
                m.situations
                    .iter()
                    .map(|s| item(ItemKind::Situation, &s.id, &s.title)),
            );
            items.extend(
                m.assessments
                    .iter()
                    .map(|a| item(ItemKind::Assessment, &a.id, &a.title)),
            );
        }
        items
    }

    /// What comes after the item `kind`/`id` in course order (see
    /// [`CourseOutline::items`]), so the end of a set can offer the next
    /// step; `None` after the last item or for an unknown one.
    pub fn item_after(&self, kind: ItemKind, id: &str) -> Option<ItemRef> {
        let items = self.items();
        let at = items.iter().position(|i| i.kind == kind && i.id == id)?;
        items.into_iter().nth(at + 1)
    }

    /// Rules every published outline keeps; returns one problem per breach.
    /// The server checks these before publishing (with file and line) and
    /// tests use it on generated outlines.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let bad = |id: &str| Problem::BadId {
            id: id.to_string(),
            question: None,
        };
        let twice = |id: &str| Problem::DuplicateId {
            id: id.to_string(),
            question: None,
        };
        if !is_valid_id(&self.id) {
            problems.push(bad(&self.id));
        }
        if self.modules.is_empty() {
            problems.push(Problem::NoModules);
        }
        let mut module_ids = std::collections::HashSet::new();
        let mut lesson_ids = std::collections::HashSet::new();
        for m in &self.modules {
            if !is_valid_id(&m.id) {
                problems.push(bad(&m.id));
            }
            if !module_ids.insert(m.id.as_str()) {
                problems.push(twice(&m.id));
            }
            if m.lessons.is_empty() {
                problems.push(Problem::ModuleNoLessons {
                    module: m.id.clone(),
                });
            }
            for l in &m.lessons {
                if !is_valid_id(&l.id) {
                    problems.push(bad(&l.id));
                }
                if !lesson_ids.insert(l.id.as_str()) {
                    problems.push(twice(&l.id));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lesson(id: &str) -> LessonRef {
        LessonRef {
            id: id.into(),
            title: id.to_uppercase(),
            minutes: 5,
        }
    }

    fn outline(shape: &[&[&str]]) -> CourseOutline {
        CourseOutline {
            id: "c".into(),
            title: "C".into(),
            summary: String::new(),
            version: 1,
            media: Vec::new(),
            download_bytes: 0,
            completion: Default::default(),
            modules: shape
                .iter()
                .enumerate()
                .map(|(i, lessons)| ModuleOutline {
                    id: format!("m{i}"),
                    title: format!("M{i}"),
                    summary: String::new(),
                    lessons: lessons.iter().map(|l| lesson(l)).collect(),
                    situations: Vec::new(),
                    assessments: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn neighbours_cross_module_boundaries() {
        let c = outline(&[&["a", "b"], &["c"]]);
        let b = c.position("b").unwrap();
        assert_eq!(b.previous.map(|l| l.id.as_str()), Some("a"));
        assert_eq!(b.next.map(|l| l.id.as_str()), Some("c"));
        assert_eq!((b.module_number, b.lesson_number), (1, 2));
        let first = c.position("a").unwrap();
        assert!(first.previous.is_none());
        let last = c.position("c").unwrap();
        assert!(last.next.is_none());
        assert_eq!(last.module.id, "m1");
        assert!(c.position("zzz").is_none());
    }

    #[test]
    fn the_item_after_a_set_is_the_next_in_course_order() {
        let mut c = outline(&[&["a", "b"], &["c"]]);
        c.modules[0].situations.push(SituationRef {
            id: "s".into(),
            title: "S".into(),
            mode: SituationMode::Practice,
            question_count: 2,
        });
        let kinds: Vec<(ItemKind, &str)> = c.items().iter().map(|i| (i.kind, "")).collect();
        assert_eq!(kinds.len(), 4);
        let next = c.item_after(ItemKind::Situation, "s").unwrap();
        assert_eq!(
            (next.kind, next.id.as_str(), next.module_id.as_str()),
            (ItemKind::Lesson, "c", "m1")
        );
        assert_eq!(next.href("c"), "/courses/c/lessons/c");
        let after_b = c.item_after(ItemKind::Lesson, "b").unwrap();
        assert_eq!(
            (after_b.kind, after_b.id.as_str()),
            (ItemKind::Situation, "s")
        );
        assert!(c.item_after(ItemKind::Lesson, "c").is_none());
        assert!(
            c.item_after(ItemKind::Situation, "a").is_none(),
            "kinds are not mixed up"
        );
    }

    #[test]
    fn problems_name_duplicates_and_empty_modules() {
        let c = outline(&[&["a", "b"], &["a"], &[]]);
        let problems = c.problems();
        assert!(problems.contains(&Problem::DuplicateId {
            id: "a".into(),
            question: None
        }));
        assert!(problems.contains(&Problem::ModuleNoLessons {
            module: "m2".into()
        }));
        assert!(outline(&[&["a"], &["b"]]).problems().is_empty());
    }

    proptest! {
        /// Following `next` from the first lesson visits every lesson once, in
        /// outline order, and `previous` is its exact mirror.
        #[test]
        fn next_walks_every_lesson_once(sizes in proptest::collection::vec(1usize..5, 1..6)) {
            let names: Vec<Vec<String>> = sizes
                .iter()
                .enumerate()
                .map(|(m, n)| (0..*n).map(|l| format!("l{m}-{l}")).collect())
                .collect();
            let shape: Vec<Vec<&str>> =
                names.iter().map(|m| m.iter().map(String::as_str).collect()).collect();
            let shape: Vec<&[&str]> = shape.iter().map(Vec::as_slice).collect();
            let c = outline(&shape);
            let mut seen = vec![];
            let mut at = c.modules[0].lessons.first().map(|l| l.id.clone());
            while let Some(id) = at {
                let pos = c.position(&id).unwrap();
                if let Some(next) = pos.next {
                    let back = c.position(&next.id).unwrap().previous.unwrap();
                    prop_assert_eq!(&back.id, &id);
                }
                seen.push(id);
                at = pos.next.map(|l| l.id.clone());
            }
            let all: Vec<String> = names.into_iter().flatten().collect();
            prop_assert_eq!(seen, all);
        }
    }
}
