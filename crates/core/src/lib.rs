//! lophoc-core: the domain types and pure logic that the Lophoc client and
//! server share.
//!
//! Policy: nothing here touches the web, the network or a database, so every
//! function is testable natively and builds unchanged for `wasm32`. The client
//! and the server exchange data only through the wire types in [`api`],
//! [`sync`] and the request and response shapes beside each area's rules.
//!
//! The modules stand in layers ([`LAYERS`]), each using only its own layer
//! and those below, with no ring inside a layer (a test reads every
//! `crate::` path to keep it so):
//!
//! 1. **base** — [`text`] folding and escaping, [`number`]s, [`limits`],
//!    the [`i18n`] catalogue, content [`ids`], [`calendar`] arithmetic,
//!    authors' [`problem`]s and an import's [`note`]s as codes;
//! 2. **model** — the shapes and their validation: [`accounts`] and roles,
//!    [`question`]s (with their scoring and shuffling), course [`content`];
//! 3. **event log** — [`events`]: what happened, and what a device may
//!    record;
//! 4. **rules** — what follows from the log: [`answers`] in words,
//!    [`assessment`] attempts,
//!    [`progress`], [`completion`], [`stats`], [`classes`] (rosters, the
//!    class matrix), the [`live`] session, [`authoring`]
//!    decisions and the editor's [`autosave`];
//! 5. **wire** — [`api`] errors and shared request types, the [`sync`]
//!    protocol.
//!
//! The formats other systems read and write (GIFT, Aiken, Moodle XML, QTI,
//! XLSX, roster CSV, xAPI) are server-only: `crates/formats`.

// base
pub mod calendar;
pub mod i18n;
pub mod ids;
pub mod limits;
pub mod note;
pub mod number;
pub mod problem;
pub mod text;
// model
pub mod accounts;
pub mod content;
pub mod question;
// event log
pub mod events;
// rules
pub mod answers;
pub mod assessment;
pub mod authoring;
pub mod autosave;
pub mod classes;
pub mod completion;
pub mod live;
pub mod progress;
pub mod stats;
// wire
pub mod api;
pub mod sync;

/// The layers of this crate, lowest first, with their modules. A module may
/// use a module of its own layer or of a lower one, never a higher one.
pub const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "calendar", "i18n", "ids", "limits", "note", "number", "problem", "text",
        ],
    ),
    ("model", &["accounts", "content", "question"]),
    ("event log", &["events"]),
    (
        "rules",
        &[
            "answers",
            "assessment",
            "authoring",
            "autosave",
            "classes",
            "completion",
            "live",
            "progress",
            "stats",
        ],
    ),
    ("wire", &["api", "sync"]),
];

#[cfg(test)]
mod layers {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::LAYERS;

    /// The code of a file without comments and without `#[cfg(test)]`
    /// items (tests may reach up a layer to build their inputs).
    fn code(text: &str) -> String {
        let mut out = String::new();
        let mut skip_depth: Option<i32> = None;
        let mut pending_test = false;
        let mut depth = 0;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if trimmed.starts_with("#[cfg(test)]") {
                pending_test = true;
                continue;
            }
            let opens = line.matches('{').count() as i32;
            let closes = line.matches('}').count() as i32;
            if pending_test && skip_depth.is_none() {
                skip_depth = Some(depth);
                pending_test = false;
            }
            depth += opens - closes;
            match skip_depth {
                Some(at) => {
                    if depth <= at && (opens > 0 || closes > 0 || line.ends_with(';')) {
                        skip_depth = None;
                    }
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The top-level modules a piece of code names: `crate::x…` paths, and
    /// the first names inside `use crate::{…}` groups.
    fn uses(code: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let word = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // Top-level names of the group: after `{` or a `,` at depth 0.
                let mut depth = 0;
                let mut start = true;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        c if start && !c.is_whitespace() => {
                            found.insert(word(&group[j..]));
                            start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                found.insert(word(rest));
            }
        }
        found
    }

    fn read_dir(dir: &Path, top: Option<&str>, into: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let module = top.map_or(name.clone(), str::to_string);
            if path.is_dir() {
                read_dir(&path, Some(&module), into);
            } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
                let text = std::fs::read_to_string(&path).unwrap();
                into.entry(module).or_default().push_str(&code(&text));
            }
        }
    }

    #[test]
    fn each_module_uses_only_its_layer_and_those_below_with_no_ring() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut code = BTreeMap::new();
        read_dir(&src, None, &mut code);
        let layer_of: BTreeMap<&str, usize> = LAYERS
            .iter()
            .enumerate()
            .flat_map(|(i, (_, modules))| modules.iter().map(move |m| (*m, i)))
            .collect();
        let placed: BTreeSet<&str> = code
            .keys()
            .map(String::as_str)
            .filter(|m| !layer_of.contains_key(m))
            .collect();
        assert!(placed.is_empty(), "modules in no layer: {placed:?}");

        let mut graph: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (module, text) in &code {
            let mut deps = uses(text);
            deps.remove(module.as_str());
            for dep in &deps {
                let (Some(&from), Some(&to)) =
                    (layer_of.get(module.as_str()), layer_of.get(dep.as_str()))
                else {
                    panic!("{module} names crate::{dep}, which is no module of a layer");
                };
                assert!(
                    to <= from,
                    "{module} ({}) uses {dep} ({}), a higher layer",
                    LAYERS[from].0,
                    LAYERS[to].0
                );
            }
            graph.insert(module.as_str(), deps);
        }
        // No ring: a depth-first walk never meets a module still on its path.
        fn walk<'a>(
            m: &'a str,
            graph: &'a BTreeMap<&str, BTreeSet<String>>,
            path: &mut Vec<&'a str>,
            done: &mut BTreeSet<&'a str>,
        ) {
            if done.contains(m) {
                return;
            }
            assert!(!path.contains(&m), "a ring: {path:?} → {m}");
            path.push(m);
            for dep in &graph[m] {
                walk(dep, graph, path, done);
            }
            path.pop();
            done.insert(m);
        }
        let mut done = BTreeSet::new();
        for m in graph.keys() {
            walk(m, &graph, &mut Vec::new(), &mut done);
        }
        // The walk saw the real graph: rules read the event log.
        assert!(graph["progress"].contains("events"));
    }

    #[test]
    fn the_reader_sees_groups_and_skips_tests() {
        let text = "use crate::{a::X, b::{c, d}};\nfn f() { crate::e::g(); }\n// crate::h\n#[cfg(test)]\nmod tests {\n    use crate::z;\n}\n";
        let found = uses(&code(text));
        assert_eq!(
            found,
            ["a", "b", "e"].map(String::from).into_iter().collect()
        );
    }
}
