//! The editor's autosave, as a pure reducer: the component tells it what
//! happened ([`Happened`]) and does what it answers ([`Do`]); timers, the
//! network and the device's storage stay in the component.
//!
//! Policy: every edit is kept on the device at once and saved after a pause,
//! one save at a time. A save answered while the author typed on keeps the
//! newer text on the saved version and saves again. A conflict stops saving
//! until the author chooses; being offline waits for the network. Nothing
//! typed is dropped: the device keeps the latest text until the server has
//! exactly that text.

use crate::authoring::{FileContent, FileVersion, SaveRequest};

/// Where the latest edit stands, as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Typing,
    Saving,
    /// Kept on this device; the server could not be reached.
    Offline,
    /// The server holds a newer version than the one edited.
    Conflict(Box<FileVersion>),
    /// The save was refused; the reason in words.
    Failed(String),
}

/// What happened to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    /// The author changed the text.
    Edited(String),
    /// Time to save: the typing paused, or the page asked.
    SaveDue,
    /// The save in flight was stored as `version`.
    Stored { version: i64 },
    /// The save in flight met a newer version on the server.
    Conflicted(Box<FileVersion>),
    /// The save in flight did not reach the server.
    Unreachable,
    /// The save in flight was refused, for this reason in words.
    Refused(String),
    /// The device is online again.
    Online,
    /// In a conflict, the author keeps their text over the server's
    /// `version`.
    KeepMine { version: i64 },
}

/// What the editor must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Do {
    /// Keep this text on the device (it survives a reload).
    Keep(SaveRequest),
    /// The server holds what the device kept: forget it.
    Forget,
    /// Send this save to the server.
    Send(SaveRequest),
}

/// One file's autosave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autosave {
    text: String,
    base: Option<i64>,
    state: SaveState,
    /// The text of the save in flight.
    in_flight: Option<String>,
}

impl Autosave {
    /// Opens `file`, or what this device kept of it (`kept`) when that
    /// differs from the server's text: then it must be saved, so the
    /// answer's [`Do`]s start that save.
    pub fn open(file: &FileContent, kept: Option<&SaveRequest>) -> (Autosave, Vec<Do>) {
        match kept {
            Some(k) if k.content != file.content => {
                let mut editor = Autosave {
                    text: k.content.clone(),
                    base: k.base_version,
                    state: SaveState::Typing,
                    in_flight: None,
                };
                let todo = editor.step(Happened::SaveDue);
                (editor, todo)
            }
            _ => (
                Autosave {
                    text: file.content.clone(),
                    base: Some(file.version),
                    state: SaveState::Saved,
                    in_flight: None,
                },
                Vec::new(),
            ),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn base(&self) -> Option<i64> {
        self.base
    }

    pub fn state(&self) -> &SaveState {
        &self.state
    }

    /// Whether the file was restored from the device (see [`Autosave::open`]).
    pub fn is_restored(file: &FileContent, kept: Option<&SaveRequest>) -> bool {
        kept.is_some_and(|k| k.content != file.content)
    }

    fn request(&self) -> SaveRequest {
        SaveRequest {
            base_version: self.base,
            content: self.text.clone(),
        }
    }

    /// Takes in what happened; answers what to do, in order.
    pub fn step(&mut self, happened: Happened) -> Vec<Do> {
        let conflict = matches!(self.state, SaveState::Conflict(_));
        match happened {
            Happened::Edited(text) => {
                self.text = text;
                if !conflict {
                    self.state = SaveState::Typing;
                }
                vec![Do::Keep(self.request())]
            }
            Happened::SaveDue => {
                if self.in_flight.is_some() || conflict {
                    return Vec::new();
                }
                self.in_flight = Some(self.text.clone());
                self.state = SaveState::Saving;
                vec![Do::Send(self.request())]
            }
            Happened::Stored { version } => {
                let sent = self.in_flight.take();
                self.base = Some(version);
                if sent.as_deref() == Some(self.text.as_str()) {
                    self.state = SaveState::Saved;
                    vec![Do::Forget]
                } else {
                    // Typed on while saving: keep the newer text on the
                    // saved version, and save it too.
                    self.state = SaveState::Typing;
                    let mut todo = vec![Do::Keep(self.request())];
                    todo.extend(self.step(Happened::SaveDue));
                    todo
                }
            }
            Happened::Conflicted(current) => {
                self.in_flight = None;
                self.state = SaveState::Conflict(current);
                Vec::new()
            }
            Happened::Unreachable => {
                self.in_flight = None;
                self.state = SaveState::Offline;
                Vec::new()
            }
            Happened::Refused(why) => {
                self.in_flight = None;
                self.state = SaveState::Failed(why);
                Vec::new()
            }
            Happened::Online => match self.state {
                SaveState::Offline => self.step(Happened::SaveDue),
                _ => Vec::new(),
            },
            Happened::KeepMine { version } => {
                self.base = Some(version);
                self.state = SaveState::Typing;
                self.step(Happened::SaveDue)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(version: i64, content: &str) -> FileContent {
        FileContent {
            path: "bai-1.md".into(),
            version,
            content: content.into(),
            updated_by: "Giảng viên".into(),
            updated_at: 0,
            form: None,
        }
    }

    fn save(base: i64, content: &str) -> Do {
        Do::Send(SaveRequest {
            base_version: Some(base),
            content: content.into(),
        })
    }

    #[test]
    fn an_edit_is_kept_at_once_and_saved_when_due() {
        let (mut editor, todo) = Autosave::open(&file(3, "a"), None);
        assert!(todo.is_empty());
        assert_eq!(editor.state(), &SaveState::Saved);
        let todo = editor.step(Happened::Edited("ab".into()));
        assert_eq!(
            todo,
            vec![Do::Keep(SaveRequest {
                base_version: Some(3),
                content: "ab".into()
            })]
        );
        assert_eq!(editor.state(), &SaveState::Typing);
        assert_eq!(editor.step(Happened::SaveDue), vec![save(3, "ab")]);
        assert_eq!(editor.state(), &SaveState::Saving);
        assert!(
            editor.step(Happened::SaveDue).is_empty(),
            "one save at a time"
        );
        assert_eq!(
            editor.step(Happened::Stored { version: 4 }),
            vec![Do::Forget]
        );
        assert_eq!(
            (editor.state(), editor.base()),
            (&SaveState::Saved, Some(4))
        );
    }

    #[test]
    fn text_typed_while_saving_is_kept_and_saved_next() {
        let (mut editor, _) = Autosave::open(&file(1, ""), None);
        editor.step(Happened::Edited("x".into()));
        editor.step(Happened::SaveDue);
        editor.step(Happened::Edited("xy".into()));
        let todo = editor.step(Happened::Stored { version: 2 });
        assert_eq!(
            todo,
            vec![
                Do::Keep(SaveRequest {
                    base_version: Some(2),
                    content: "xy".into()
                }),
                save(2, "xy"),
            ]
        );
        assert_eq!(
            editor.step(Happened::Stored { version: 3 }),
            vec![Do::Forget]
        );
        assert_eq!(editor.text(), "xy");
    }

    #[test]
    fn a_conflict_stops_saving_until_the_author_keeps_their_text() {
        let (mut editor, _) = Autosave::open(&file(1, "a"), None);
        editor.step(Happened::Edited("mine".into()));
        editor.step(Happened::SaveDue);
        let theirs = Box::new(FileVersion {
            version: 5,
            content: "theirs".into(),
            updated_by: "Lê Văn Cường".into(),
            updated_at: 0,
        });
        editor.step(Happened::Conflicted(theirs.clone()));
        assert_eq!(editor.state(), &SaveState::Conflict(theirs));
        editor.step(Happened::Edited("mine!".into()));
        assert!(
            matches!(editor.state(), SaveState::Conflict(_)),
            "still to choose"
        );
        assert!(editor.step(Happened::SaveDue).is_empty());
        assert_eq!(
            editor.step(Happened::KeepMine { version: 5 }),
            vec![save(5, "mine!")]
        );
    }

    #[test]
    fn offline_waits_for_the_network_and_a_refusal_waits_for_an_edit() {
        let (mut editor, _) = Autosave::open(&file(1, "a"), None);
        editor.step(Happened::Edited("b".into()));
        editor.step(Happened::SaveDue);
        editor.step(Happened::Unreachable);
        assert_eq!(editor.state(), &SaveState::Offline);
        assert_eq!(editor.step(Happened::Online), vec![save(1, "b")]);
        editor.step(Happened::Refused("quá lớn".into()));
        assert_eq!(editor.state(), &SaveState::Failed("quá lớn".into()));
        assert!(editor.step(Happened::Online).is_empty());
        editor.step(Happened::Edited("c".into()));
        assert_eq!(editor.step(Happened::SaveDue), vec![save(1, "c")]);
    }

    #[test]
    fn a_text_kept_on_the_device_is_restored_and_saved() {
        let kept = SaveRequest {
            base_version: Some(2),
            content: "offline edit".into(),
        };
        let server = file(2, "old");
        assert!(Autosave::is_restored(&server, Some(&kept)));
        let (editor, todo) = Autosave::open(&server, Some(&kept));
        assert_eq!(todo, vec![save(2, "offline edit")]);
        assert_eq!(editor.state(), &SaveState::Saving);
        let same = SaveRequest {
            base_version: Some(1),
            content: "old".into(),
        };
        assert!(!Autosave::is_restored(&server, Some(&same)));
        let (editor, todo) = Autosave::open(&server, Some(&same));
        assert!(todo.is_empty());
        assert_eq!(
            editor.base(),
            Some(2),
            "the server's version, not the kept one"
        );
    }
}
