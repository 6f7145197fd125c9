//! A draft's files on disk and in zips: writing them to a temporary course
//! folder for the content loader, reading a course folder, zip export and
//! import, editing `course.toml` to add an item, and reading a situation
//! file into the form.
//!
//! Policy: validation is the content loader's, run on a real folder, so an
//! approved draft is exactly what `content check` would accept. Zips are
//! unpacked with bounded sizes, and only paths of the content format are
//! taken from them.

use std::{
    io::{Cursor, Read, Write},
    path::Path,
};

use lophoc_core::{
    authoring::{
        file_kind, BranchingForm, ChoiceForm, EndingForm, FileKind, FormMode, FormQuestion,
        NewItem, NewItemKind, Problem, SituationForm, StepForm,
    },
    content::SituationMode,
    question::{Difficulty, QuestionBody},
};
use serde::Deserialize;

use crate::content::{load_course, CompiledCourse, ContentErrors};

/// Largest zip accepted, and the most it may unpack to.
pub const MAX_ZIP_BYTES: usize = 20 * 1024 * 1024;
const MAX_UNPACKED_BYTES: u64 = 60 * 1024 * 1024;
const MAX_ZIP_FILES: usize = 2000;

/// The loader's problems, with paths relative to the course folder.
pub fn problems(errors: &ContentErrors, dir: &Path) -> Vec<Problem> {
    errors
        .0
        .iter()
        .map(|e| {
            let file = e.file.strip_prefix(dir).unwrap_or(&e.file);
            Problem::new(file.display().to_string(), e.line, e.problem.clone())
        })
        .collect()
}

/// Writes `files` to a temporary folder and loads it as a course.
pub fn compile(files: &[(String, Vec<u8>)]) -> Result<CompiledCourse, Vec<Problem>> {
    let internal = |e: std::io::Error| {
        vec![Problem::new(
            String::new(),
            None,
            lophoc_core::problem::Problem::ServerError {
                detail: format!("cannot write a temporary folder: {e}"),
            },
        )]
    };
    let dir = tempfile::tempdir().map_err(internal)?;
    for (path, content) in files {
        if file_kind(path).is_none() {
            continue;
        }
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(internal)?;
        }
        std::fs::write(&target, content).map_err(internal)?;
    }
    load_course(dir.path()).map_err(|e| problems(&e, dir.path()))
}

/// The files of a course folder that belong to the content format.
pub fn read_folder(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.parent() == Some(dir) {
                    dirs.push(path);
                }
                continue;
            }
            let Ok(relative) = path.strip_prefix(dir) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if file_kind(&relative).is_some() {
                out.push((relative, std::fs::read(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A zip of the files, under a folder named after the course.
pub fn export_zip(course_id: &str, files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (path, content) in files {
        zip.start_file(format!("{course_id}/{path}"), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(content)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The content-format files of a zipped course folder: at the root of the
/// zip or in one folder. Anything else in the zip is left out.
pub fn import_zip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let unreadable = |_| "the file is not a zip archive".to_string();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > MAX_ZIP_FILES {
        return Err(format!("more than {MAX_ZIP_FILES} files"));
    }
    let mut entries = Vec::new();
    let mut total = 0_u64;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(unreadable)?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().map_err(unreadable)?.replace('\\', "/");
        let mut content = Vec::new();
        let room = MAX_UNPACKED_BYTES - total;
        (&mut file)
            .take(room + 1)
            .read_to_end(&mut content)
            .map_err(|_| "the zip archive is damaged".to_string())?;
        total += content.len() as u64;
        if total > MAX_UNPACKED_BYTES {
            return Err(format!(
                "the zip unpacks to more than {} MB",
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ));
        }
        entries.push((name, content));
    }
    let prefix = entries
        .iter()
        .find_map(|(name, _)| name.strip_suffix("course.toml"))
        .filter(|p| p.is_empty() || (p.ends_with('/') && p.matches('/').count() == 1))
        .ok_or_else(|| "the zip has no course.toml (at its root or in one folder)".to_string())?
        .to_string();
    Ok(entries
        .into_iter()
        .filter_map(|(name, content)| {
            let path = name.strip_prefix(&prefix)?.to_string();
            file_kind(&path).map(|_| (path, content))
        })
        .collect())
}

/// The course id written in a `course.toml`.
pub fn course_id_of(course_toml: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(course_toml).ok()?;
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    doc.get("id")?.as_str().map(str::to_string)
}

/// `course.toml` of a new course: one module with one lesson.
pub fn new_course_toml(course_id: &str, title: &str) -> String {
    use lophoc_core::authoring::toml_string;
    format!(
        "id = {}\ntitle = {}\nsummary = \"\"\n\n[[modules]]\nid = \"chuyen-de-1\"\ntitle = \"Chuyên đề 1\"\nlessons = [\"bai-1\"]\n",
        toml_string(course_id),
        toml_string(title)
    )
}

/// `course.toml` with the item added where it belongs, formatting and
/// comments kept; and the path and text of the item's new file, if any.
pub fn add_item(
    course_toml: &str,
    item: &NewItem,
) -> Result<(String, Option<(String, String)>), String> {
    let mut doc: toml_edit::DocumentMut = course_toml
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("course.toml: {}", e.message()))?;
    let modules = doc
        .get_mut("modules")
        .and_then(|m| m.as_array_of_tables_mut())
        .ok_or("course.toml has no [[modules]]")?;
    if item.kind == NewItemKind::Module {
        if modules
            .iter()
            .any(|m| m.get("id").and_then(|i| i.as_str()) == Some(&item.id))
        {
            return Err(format!("module {:?} exists", item.id));
        }
        let mut table = toml_edit::Table::new();
        table["id"] = toml_edit::value(&item.id);
        table["title"] = toml_edit::value(&item.title);
        table["lessons"] = toml_edit::value(toml_edit::Array::new());
        modules.push(table);
        return Ok((doc.to_string(), None));
    }
    let module = modules
        .iter_mut()
        .find(|m| m.get("id").and_then(|i| i.as_str()) == Some(&item.module))
        .ok_or_else(|| format!("no module {:?}", item.module))?;
    let (key, path, text) = match item.kind {
        NewItemKind::Lesson => (
            "lessons",
            format!("{}/{}.md", item.module, item.id),
            lophoc_core::authoring::lesson_template(&item.title),
        ),
        _ => (
            "situations",
            format!("{}/{}.situation.toml", item.module, item.id),
            new_situation(&item.title).to_toml(),
        ),
    };
    if !module.contains_key(key) {
        module[key] = toml_edit::value(toml_edit::Array::new());
    }
    let list = module[key]
        .as_array_mut()
        .ok_or_else(|| format!("{key} of module {:?} is not a list", item.module))?;
    if list.iter().any(|v| v.as_str() == Some(&item.id)) {
        return Err(format!("{:?} is already listed", item.id));
    }
    list.push(item.id.as_str());
    Ok((doc.to_string(), Some((path, text))))
}

/// A new situation set: one single-choice question to fill in.
fn new_situation(title: &str) -> SituationForm {
    SituationForm {
        title: title.to_string(),
        mode: FormMode::Practice,
        scenario: String::new(),
        guidance: String::new(),
        questions: vec![FormQuestion::new("cau-1".into())],
        branching: None,
    }
}

// The situation format as the form reads it. A file that does not parse
// (a typing error in the text editor) is edited as text until it does.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFile {
    title: String,
    mode: SituationMode,
    scenario: String,
    #[serde(default)]
    guidance: String,
    #[serde(default)]
    questions: Vec<FormFileQuestion>,
    #[serde(default)]
    branching: Option<FormBranching>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFileQuestion {
    id: String,
    prompt: String,
    #[serde(default = "one")]
    points: u32,
    #[serde(default)]
    difficulty: Difficulty,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    grader_note: String,
    body: QuestionBody,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormBranching {
    start: String,
    steps: Vec<FormStep>,
    #[serde(default)]
    endings: Vec<FormEnding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormStep {
    id: String,
    text: String,
    #[serde(default)]
    allow_revisit: bool,
    #[serde(default)]
    choices: Vec<FormChoice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormChoice {
    id: String,
    text: String,
    next: FormNext,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormNext {
    step: Option<String>,
    ending: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormEnding {
    id: String,
    debrief: String,
    score: i64,
}

/// The form of a situation file, when the form can edit all of it.
pub fn situation_form(path: &str, text: &str) -> Option<SituationForm> {
    if file_kind(path) != Some(FileKind::Situation) {
        return None;
    }
    let file: FormFile = toml::from_str(text).ok()?;
    Some(SituationForm {
        title: file.title,
        mode: file.mode.into(),
        scenario: file.scenario,
        guidance: file.guidance,
        questions: file
            .questions
            .into_iter()
            .map(|q| FormQuestion {
                id: q.id,
                prompt: q.prompt,
                points: q.points,
                difficulty: q.difficulty,
                tags: q.tags,
                explanation: q.explanation,
                grader_note: q.grader_note,
                body: q.body,
            })
            .collect(),
        branching: file.branching.map(|b| BranchingForm {
            start: b.start,
            steps: b
                .steps
                .into_iter()
                .map(|s| StepForm {
                    id: s.id,
                    text: s.text,
                    allow_revisit: s.allow_revisit,
                    choices: s
                        .choices
                        .into_iter()
                        .map(|c| ChoiceForm {
                            id: c.id,
                            text: c.text,
                            next: c.next.step.or(c.next.ending).unwrap_or_default(),
                        })
                        .collect(),
                })
                .collect(),
            endings: b
                .endings
                .into_iter()
                .map(|e| EndingForm {
                    id: e.id,
                    debrief: e.debrief,
                    score: e.score,
                })
                .collect(),
        }),
    })
}

/// The questions of a situation or assessment file by id, as TOML values.
fn questions(text: &str) -> Vec<(String, toml::Value)> {
    let Ok(value) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let Some(list) = value.get("questions").and_then(|q| q.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|q| {
            let id = q.get("id")?.as_str()?.to_string();
            Some((id, q.clone()))
        })
        .collect()
}

/// `file: id` of each question that the new files change but keep the id
/// of, in situation sets and assessments.
pub fn changed_questions(old: &[(String, String)], new: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in new {
        if !matches!(
            file_kind(path),
            Some(FileKind::Situation | FileKind::Assessment)
        ) {
            continue;
        }
        let Some((_, old_text)) = old.iter().find(|(p, _)| p == path) else {
            continue;
        };
        let before = questions(old_text);
        for (id, question) in questions(text) {
            if before.iter().any(|(i, q)| *i == id && *q != question) {
                out.push(format!("{path}: {id}"));
            }
        }
    }
    out
}

/// The outline of a draft as its author thinks of it (see
/// `DraftDetail::outline`): `course.toml`'s modules in order, each with its
/// title and its lessons, situation sets and assessments in order, titled
/// from their files. Lenient: a file that does not read keeps its name as
/// title, and a `course.toml` that does not read gives no outline (the page
/// then lists the files).
pub fn draft_outline(contents: &[(String, Vec<u8>)]) -> Vec<lophoc_core::authoring::DraftModule> {
    use lophoc_core::authoring::{split_lesson, DraftItem, DraftModule};

    #[derive(Deserialize)]
    struct Course {
        #[serde(default)]
        modules: Vec<Module>,
    }
    #[derive(Deserialize)]
    struct Module {
        id: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        lessons: Vec<String>,
        #[serde(default)]
        situations: Vec<String>,
        #[serde(default)]
        assessments: Vec<String>,
    }
    #[derive(Deserialize)]
    struct Titled {
        title: String,
    }
    let text_of = |path: &str| {
        contents
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| String::from_utf8_lossy(c).into_owned())
    };
    let Some(course) = text_of("course.toml").and_then(|t| toml::from_str::<Course>(&t).ok())
    else {
        return Vec::new();
    };
    course
        .modules
        .into_iter()
        .map(|m| {
            let mut items = Vec::new();
            let mut add = |kind: FileKind, id: &str, suffix: &str| {
                let path = format!("{}/{id}{suffix}", m.id);
                let title = text_of(&path)
                    .and_then(|text| match kind {
                        FileKind::Lesson => {
                            split_lesson(&text).map(|(meta, _)| meta.title).or_else(|| {
                                // Other front matter: read the title with TOML.
                                let head = text.strip_prefix("+++")?.split("\n+++").next()?;
                                toml::from_str::<Titled>(head).ok().map(|t| t.title)
                            })
                        }
                        _ => toml::from_str::<Titled>(&text).ok().map(|t| t.title),
                    })
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| id.to_string());
                items.push(DraftItem { path, kind, title });
            };
            for id in &m.lessons {
                add(FileKind::Lesson, id, ".md");
            }
            for id in &m.situations {
                add(FileKind::Situation, id, ".situation.toml");
            }
            for id in &m.assessments {
                add(FileKind::Assessment, id, ".assessment.toml");
            }
            DraftModule {
                title: if m.title.trim().is_empty() {
                    m.id.clone()
                } else {
                    m.title
                },
                id: m.id,
                items,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lophoc_core::authoring::QuestionKind;

    #[test]
    fn adding_a_lesson_keeps_comments_and_lists_it_in_its_module() {
        let toml = "# Khoá học\nid = \"k\"\ntitle = \"T\"\n\n[[modules]]\nid = \"m1\"\ntitle = \"M\"\nlessons = [\"a\"] # thứ tự\n";
        let item = NewItem {
            kind: NewItemKind::Lesson,
            module: "m1".into(),
            id: "b".into(),
            title: "Bài B".into(),
        };
        let (out, file) = add_item(toml, &item).unwrap_or_default();
        assert!(out.contains("# Khoá học"), "{out}");
        assert!(out.contains(r#"lessons = ["a", "b"]"#), "{out}");
        assert_eq!(file.map(|f| f.0), Some("m1/b.md".to_string()));
        assert!(add_item(&out, &item).is_err(), "listed twice");
    }

    #[test]
    fn questions_changed_under_their_id_are_named() {
        let f = |p: &str, t: &str| (p.to_string(), t.to_string());
        let old = "[[questions]]\nid = \"q1\"\nprompt = \"A\"\n[[questions]]\nid = \"q2\"\nprompt = \"B\"\n";
        let new = "[[questions]]\nid = \"q1\"\nprompt = \"A sửa\"\n[[questions]]\nid = \"q2\"\nprompt = \"B\"\n";
        let changed = changed_questions(
            &[f("m/s.situation.toml", old)],
            &[f("m/s.situation.toml", new)],
        );
        assert_eq!(changed, vec!["m/s.situation.toml: q1".to_string()]);
        assert!(changed_questions(&[f("m/a.md", old)], &[f("m/a.md", new)]).is_empty());
    }

    #[test]
    fn the_form_reads_back_what_it_writes() {
        let form = new_situation("Tình huống");
        let text = form.to_toml();
        assert_eq!(situation_form("m/t.situation.toml", &text), Some(form));
        assert_eq!(situation_form("m/t.md", &text), None);
    }

    /// Every situation set of the demo course (together they use every
    /// question kind and a branching scenario) opens in the form, and the
    /// form writes it back so that the course loads with the same sets.
    #[test]
    fn every_demo_situation_set_round_trips_through_the_form() {
        fn copy(from: &std::path::Path, to: &std::path::Path) {
            std::fs::create_dir_all(to).unwrap_or_default();
            for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
                let target = to.join(entry.file_name());
                if entry.path().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    std::fs::copy(entry.path(), &target).unwrap_or_default();
                }
            }
        }
        let demo =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/can-bo-co-so");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        copy(&demo, dir.path());
        let mut kinds = std::collections::BTreeSet::new();
        let mut rewritten = 0;
        for module in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(module.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = format!(
                    "{}/{}",
                    module.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                );
                if file_kind(&name) != Some(FileKind::Situation) {
                    continue;
                }
                let text = std::fs::read_to_string(file.path()).unwrap_or_default();
                let form = situation_form(&name, &text)
                    .unwrap_or_else(|| panic!("{name} does not open in the form"));
                kinds.extend(
                    form.questions
                        .iter()
                        .map(|q| QuestionKind::of(&q.body).as_str()),
                );
                let written = form.to_toml();
                assert_eq!(
                    situation_form(&name, &written).as_ref(),
                    Some(&form),
                    "{name}"
                );
                std::fs::write(file.path(), written).unwrap_or_default();
                rewritten += 1;
            }
        }
        assert!(rewritten >= 4, "only {rewritten} situation sets found");
        assert_eq!(
            kinds.len(),
            QuestionKind::ALL.len(),
            "kinds covered: {kinds:?}"
        );
        let before = load_course(&demo).unwrap_or_else(|e| panic!("{e}"));
        let after = load_course(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before.situations, after.situations);
    }

    #[test]
    fn zips_round_trip_and_ignore_foreign_files() {
        let files = vec![
            ("course.toml".to_string(), b"id = \"k\"".to_vec()),
            ("m/a.md".to_string(), b"+++".to_vec()),
        ];
        let mut zip = export_zip("k", &files).unwrap_or_default();
        assert_eq!(import_zip(&zip), Ok(files.clone()));
        zip.truncate(10);
        assert!(import_zip(&zip).is_err());
    }
}
