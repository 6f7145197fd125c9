//! The live class quiz (phiên học trực tiếp): the session as a pure state
//! machine, and the messages of its WebSocket protocol.
//!
//! Policy (see `docs/live-session.md`):
//!
//! - **The server owns the clock.** Every method that depends on time takes
//!   `now_ms` from the server's monotonic clock; nothing a client sends
//!   carries a time that is trusted. Deadlines travel to clients as the time
//!   *remaining*, never as a wall-clock instant.
//! - **Phases:** lobby → question open → question closed → revealed → (next
//!   question open → …) → ended. [`Session::command`] refuses a command that
//!   does not fit the phase; [`Session::tick`] closes a question whose
//!   deadline passed.
//! - **An answer counts only if the server receives it while its question is
//!   open** (before the deadline, by the server's clock). A client that was
//!   offline resends its queued answer with the same answer id on reconnect;
//!   if the question closed meanwhile the answer is refused as late.
//! - **One answer per participant per question, idempotent:** the same answer
//!   id sent again is acknowledged again ([`Ack::AlreadyReceived`]) and
//!   counted once; another answer to an answered question is refused.
//! - **Points** for the optional leaderboard: an answer earns up to
//!   [`MAX_POINTS`], scaled by its score (from [`crate::question::score`])
//!   and by speed: half for being right, half more the faster it came.
//!   Opinions and essays earn no points.
//! - Discussion answers (opinion, essay) are shown on the wall without any
//!   name; the presenter may hide one.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::question::{
    present, question_seed, score, Answer, Correctness, PresentedBody, PresentedQuestion, Question,
    QuestionBody,
};

/// Digits of a join code.
pub const CODE_LEN: usize = 6;
/// Seconds a question stays open unless the lecturer chooses otherwise.
pub const DEFAULT_SECONDS: u32 = 30;
/// The shortest and longest time a question may be open, in seconds.
pub const SECONDS_RANGE: std::ops::RangeInclusive<u32> = 5..=600;
/// Longest display name of a guest, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest opinion or essay answer, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Most points one answer earns on the leaderboard.
pub const MAX_POINTS: u32 = 1000;
/// Most questions in one session.
pub const MAX_QUESTIONS: usize = 100;
/// Names shown on the presenter's lobby (the latest who joined).
pub const LOBBY_NAMES: usize = 120;
/// Wall entries sent to the presenter (the latest).
pub const WALL_ENTRIES: usize = 60;
/// Entries of the leaderboard.
pub const LEADERBOARD_SIZE: usize = 5;

/// Live sessions one person may hold open (not yet ended) at once; an
/// ended session stops counting at once.
pub const MAX_OPEN_SESSIONS: u32 = 5;
/// Random join codes tried before giving up (the server also caps how many
/// sessions it holds, so a try hits a taken code rarely: 32 misses in a row
/// at 1 % occupancy happen once in 10^64 draws).
pub const CODE_TRIES: usize = 32;

/// A join code that is not `taken`, from at most [`CODE_TRIES`] numbers of
/// `draw`; `None` when every one was taken (the caller says the server is
/// busy instead of looping).
pub fn pick_code(mut draw: impl FnMut() -> u64, taken: impl Fn(&str) -> bool) -> Option<String> {
    let space = 10_u64.pow(CODE_LEN as u32);
    (0..CODE_TRIES)
        .map(|_| format!("{:0width$}", draw() % space, width = CODE_LEN))
        .find(|code| !taken(code))
}

/// Whether `code` looks like a join code (six ASCII digits).
pub fn is_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| b.is_ascii_digit())
}

/// A guest's display name, trimmed and with inner runs of spaces collapsed,
/// or `None` if it is empty or too long.
pub fn clean_name(name: &str) -> Option<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = name.chars().count();
    (1..=MAX_NAME_CHARS)
        .contains(&chars)
        .then_some(name)
        .filter(|n| !n.chars().any(char::is_control))
}

/// One question of a session, with the situation it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveItem {
    pub course_id: String,
    pub situation_id: String,
    pub situation_title: String,
    /// The situation's scenario, sanitized HTML.
    pub scenario_html: String,
    /// As published: prompt and explanation are sanitized HTML.
    pub question: Question,
}

/// How the lecturer set the session up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Seconds each question is open.
    pub seconds: u32,
    /// Whether people who are not signed in may join with a name.
    pub allow_guests: bool,
    /// Whether points and the leaderboard are shown.
    pub leaderboard: bool,
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Waiting for people to join.
    Lobby,
    /// Question `index` takes answers until `deadline_ms`.
    Open {
        index: usize,
        opened_ms: u64,
        deadline_ms: u64,
    },
    /// Question `index` takes no more answers; its distribution is shown.
    Closed { index: usize },
    /// Question `index`'s correct answer and explanation are shown.
    Revealed { index: usize },
    /// Over: the summary.
    Ended,
}

impl Phase {
    /// The question the phase is about, if any.
    pub fn index(self) -> Option<usize> {
        match self {
            Phase::Open { index, .. } | Phase::Closed { index } | Phase::Revealed { index } => {
                Some(index)
            }
            Phase::Lobby | Phase::Ended => None,
        }
    }

    /// The phase's name on the wire.
    pub fn name(self) -> PhaseName {
        match self {
            Phase::Lobby => PhaseName::Lobby,
            Phase::Open { .. } => PhaseName::Open,
            Phase::Closed { .. } => PhaseName::Closed,
            Phase::Revealed { .. } => PhaseName::Revealed,
            Phase::Ended => PhaseName::Ended,
        }
    }
}

/// The phase without its data, as clients see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseName {
    Lobby,
    Open,
    Closed,
    Revealed,
    Ended,
}

/// What the presenter (or the remote) asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Command {
    /// Opens the first question (from the lobby).
    Start,
    /// Opens the next question, or ends after the last one.
    Next,
    /// Closes the open question now.
    Close,
    /// Gives the open question `secs` more seconds.
    Extend { secs: u32 },
    /// Shows the correct answer (closing the question first if it is open).
    Reveal,
    /// Ends the session: the summary.
    End,
    /// Hides (or shows again) a wall entry of question `q`.
    Hide { q: u32, entry: u32 },
}

/// Why a command was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandError {
    /// The command does not fit the current phase.
    WrongPhase,
    /// No such question or wall entry.
    NoSuchEntry,
}

/// The server's answer to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ack {
    /// Counted.
    Received,
    /// This answer (same id) was counted before; nothing changed.
    AlreadyReceived,
    /// Another answer to this question was counted before.
    AlreadyAnswered,
    /// The question closed before the server received the answer.
    TooLate,
    /// The question is not open (not yet, or not this one).
    NotOpen,
    /// The answer does not fit the question (wrong kind, too long, empty).
    Invalid,
}

impl Ack {
    /// Whether the answer is now counted (the client may forget it).
    pub fn is_counted(self) -> bool {
        matches!(self, Ack::Received | Ack::AlreadyReceived)
    }
}

/// An answer counted for a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub participant: u32,
    pub answer_id: String,
    pub answer: Answer,
    pub correctness: Correctness,
    /// Hundredths of a point, as scored by [`crate::question::score`].
    pub earned: u32,
    pub max: u32,
    /// Leaderboard points.
    pub points: u32,
    /// Server time it arrived, ms.
    pub at_ms: u64,
    /// Hidden from the wall by the presenter.
    pub hidden: bool,
}

/// Someone who joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub name: String,
    /// `None` for a guest.
    pub user_id: Option<i64>,
    pub points: u64,
}

/// A live session. See the module documentation for its rules.
#[derive(Debug, Clone)]
pub struct Session {
    pub title: String,
    pub settings: Settings,
    items: Vec<LiveItem>,
    /// The same shuffled presentation for everyone, fixed at creation.
    presented: Vec<PresentedQuestion>,
    phase: Phase,
    participants: Vec<Participant>,
    by_user: HashMap<i64, u32>,
    /// Per question, the answers in the order they arrived.
    answers: Vec<Vec<Recorded>>,
    /// Per question, participant → position in `answers`.
    answered: Vec<HashMap<u32, usize>>,
    /// Rank of each participant (1 = first), computed at reveal and end.
    ranks: Vec<u32>,
}

impl Session {
    /// A session in the lobby. `seed` fixes the order options are shown in.
    pub fn new(title: String, items: Vec<LiveItem>, settings: Settings, seed: u64) -> Session {
        let presented = items
            .iter()
            .map(|item| present(&item.question, question_seed(seed, &item.question.id)))
            .collect();
        let n = items.len();
        Session {
            title,
            settings,
            items,
            presented,
            phase: Phase::Lobby,
            participants: Vec::new(),
            by_user: HashMap::new(),
            answers: vec![Vec::new(); n],
            answered: vec![HashMap::new(); n],
            ranks: Vec::new(),
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn items(&self) -> &[LiveItem] {
        &self.items
    }

    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// The answers counted for question `q`, in arrival order.
    pub fn answers(&self, q: usize) -> &[Recorded] {
        self.answers.get(q).map_or(&[], Vec::as_slice)
    }

    /// Adds a participant, or returns the one a signed-in user already is.
    pub fn join(&mut self, name: String, user_id: Option<i64>) -> u32 {
        if let Some(id) = user_id.and_then(|u| self.by_user.get(&u)) {
            return *id;
        }
        let id = u32::try_from(self.participants.len()).unwrap_or(u32::MAX);
        self.participants.push(Participant {
            name,
            user_id,
            points: 0,
        });
        if let Some(user) = user_id {
            self.by_user.insert(user, id);
        }
        id
    }

    /// Applies a presenter command at `now_ms`.
    pub fn command(&mut self, command: &Command, now_ms: u64) -> Result<(), CommandError> {
        self.tick(now_ms);
        let n = self.items.len();
        match (command, self.phase) {
            (Command::Start, Phase::Lobby)
            | (Command::Next, Phase::Lobby | Phase::Closed { .. } | Phase::Revealed { .. }) => {
                let next = self.phase.index().map_or(0, |i| i + 1);
                if next >= n {
                    self.end();
                } else {
                    self.open(next, now_ms);
                }
            }
            (Command::Close, Phase::Open { index, .. }) => self.phase = Phase::Closed { index },
            (
                Command::Extend { secs },
                Phase::Open {
                    index,
                    opened_ms,
                    deadline_ms,
                },
            ) => {
                let longest = now_ms + u64::from(*SECONDS_RANGE.end()) * 1000;
                let deadline_ms = deadline_ms
                    .saturating_add(u64::from(*secs) * 1000)
                    .min(longest);
                self.phase = Phase::Open {
                    index,
                    opened_ms,
                    deadline_ms,
                };
            }
            (Command::Reveal, Phase::Open { index, .. } | Phase::Closed { index }) => {
                self.phase = Phase::Revealed { index };
                self.rank();
            }
            (Command::End, phase) if phase != Phase::Ended => self.end(),
            (Command::Hide { q, entry }, _) => {
                let record = self
                    .answers
                    .get_mut(*q as usize)
                    .and_then(|a| a.get_mut(*entry as usize))
                    .ok_or(CommandError::NoSuchEntry)?;
                record.hidden = !record.hidden;
            }
            _ => return Err(CommandError::WrongPhase),
        }
        Ok(())
    }

    fn open(&mut self, index: usize, now_ms: u64) {
        let secs = self
            .settings
            .seconds
            .clamp(*SECONDS_RANGE.start(), *SECONDS_RANGE.end());
        self.phase = Phase::Open {
            index,
            opened_ms: now_ms,
            deadline_ms: now_ms + u64::from(secs) * 1000,
        };
    }

    fn end(&mut self) {
        self.phase = Phase::Ended;
        self.rank();
    }

    /// Ranks participants by points; equal points share a rank.
    fn rank(&mut self) {
        let mut order: Vec<usize> = (0..self.participants.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.participants[i].points));
        self.ranks = vec![0; self.participants.len()];
        let mut rank = 0;
        let mut last = None;
        for (pos, &i) in order.iter().enumerate() {
            let points = self.participants[i].points;
            if last != Some(points) {
                rank = u32::try_from(pos + 1).unwrap_or(u32::MAX);
                last = Some(points);
            }
            self.ranks[i] = rank;
        }
    }

    /// Closes the open question if its deadline has passed. Returns whether
    /// the phase changed.
    pub fn tick(&mut self, now_ms: u64) -> bool {
        if let Phase::Open {
            index, deadline_ms, ..
        } = self.phase
        {
            if now_ms >= deadline_ms {
                self.phase = Phase::Closed { index };
                return true;
            }
        }
        false
    }

    /// Counts (or refuses) `participant`'s answer `answer_id` to question
    /// `q`, received by the server at `now_ms`.
    pub fn answer(
        &mut self,
        participant: u32,
        q: usize,
        answer_id: &str,
        answer: Answer,
        now_ms: u64,
    ) -> Ack {
        if participant as usize >= self.participants.len() || q >= self.items.len() {
            return Ack::Invalid;
        }
        if let Some(&at) = self.answered[q].get(&participant) {
            return if self.answers[q][at].answer_id == answer_id {
                Ack::AlreadyReceived
            } else {
                Ack::AlreadyAnswered
            };
        }
        let (opened_ms, deadline_ms) = match self.phase {
            Phase::Open {
                index,
                opened_ms,
                deadline_ms,
            } if index == q => (opened_ms, deadline_ms),
            Phase::Closed { index } | Phase::Revealed { index } if index == q => {
                return Ack::TooLate
            }
            Phase::Ended => return Ack::TooLate,
            _ => return Ack::NotOpen,
        };
        if now_ms >= deadline_ms {
            self.phase = Phase::Closed { index: q };
            return Ack::TooLate;
        }
        let question = &self.items[q].question;
        if answer_id.is_empty() || answer_id.len() > 64 || !fits(question, &answer) {
            return Ack::Invalid;
        }
        let result = score(question, &answer);
        let points = if self.settings.leaderboard {
            points(
                result.earned,
                result.max,
                deadline_ms - opened_ms,
                deadline_ms - now_ms,
            )
        } else {
            0
        };
        self.participants[participant as usize].points += u64::from(points);
        self.answered[q].insert(participant, self.answers[q].len());
        self.answers[q].push(Recorded {
            participant,
            answer_id: answer_id.to_string(),
            answer,
            correctness: result.correctness,
            earned: result.earned,
            max: result.max,
            points,
            at_ms: now_ms,
            hidden: false,
        });
        Ack::Received
    }

    /// Time left on the open question, ms.
    pub fn remaining_ms(&self, now_ms: u64) -> Option<u64> {
        match self.phase {
            Phase::Open { deadline_ms, .. } => Some(deadline_ms.saturating_sub(now_ms)),
            _ => None,
        }
    }

    /// How the answers to question `q` spread.
    pub fn distribution(&self, q: usize) -> Option<Distribution> {
        let answers = self.answers.get(q)?;
        let presented = self.presented.get(q)?;
        Some(match &presented.body {
            PresentedBody::SingleChoice { options } | PresentedBody::MultipleChoice { options } => {
                let counts = options
                    .iter()
                    .map(|o| {
                        let n = answers
                            .iter()
                            .filter(|r| match &r.answer {
                                Answer::SingleChoice { option } => *option == o.id,
                                Answer::MultipleChoice { options } => options.contains(&o.id),
                                _ => false,
                            })
                            .count();
                        (o.id.clone(), count(n))
                    })
                    .collect();
                Distribution::Options { counts }
            }
            PresentedBody::TrueFalse {} => {
                let yes = answers
                    .iter()
                    .filter(|r| r.answer == Answer::TrueFalse { value: true })
                    .count();
                Distribution::TrueFalse {
                    yes: count(yes),
                    no: count(answers.len() - yes),
                }
            }
            PresentedBody::Opinion {} | PresentedBody::Essay { .. } => {
                let skip = answers.len().saturating_sub(WALL_ENTRIES);
                Distribution::Wall {
                    entries: answers
                        .iter()
                        .enumerate()
                        .skip(skip)
                        .map(|(i, r)| WallEntry {
                            entry: count(i),
                            text: match &r.answer {
                                Answer::Opinion { text } | Answer::Essay { text } => text.clone(),
                                _ => String::new(),
                            },
                            hidden: r.hidden,
                        })
                        .collect(),
                }
            }
            _ => {
                let of =
                    |c: Correctness| count(answers.iter().filter(|r| r.correctness == c).count());
                Distribution::Correctness {
                    correct: of(Correctness::Correct),
                    partial: of(Correctness::Partial),
                    incorrect: of(Correctness::Incorrect),
                }
            }
        })
    }

    /// The best participants by points, for the leaderboard.
    pub fn leaderboard(&self) -> Vec<Standing> {
        let mut order: Vec<usize> = (0..self.participants.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.participants[i].points));
        order
            .into_iter()
            .take(LEADERBOARD_SIZE)
            .map(|i| Standing {
                rank: self.ranks.get(i).copied().unwrap_or(0),
                name: self.participants[i].name.clone(),
                points: self.participants[i].points,
            })
            .collect()
    }

    /// What everyone sees (the phones); `presenter` adds the lobby names,
    /// the answer count, the distribution and the summary.
    pub fn view(&self, now_ms: u64, presenter: bool) -> View {
        let index = self.phase.index();
        let revealed = matches!(self.phase, Phase::Revealed { .. });
        let show_board = self.settings.leaderboard
            && matches!(self.phase, Phase::Revealed { .. } | Phase::Ended);
        let closed_or_later = matches!(self.phase, Phase::Closed { .. } | Phase::Revealed { .. });
        View {
            title: self.title.clone(),
            phase: self.phase.name(),
            total: count(self.items.len()),
            joined: count(self.participants.len()),
            guests: self.settings.allow_guests,
            leaderboard_on: self.settings.leaderboard,
            seconds: self.settings.seconds,
            question: index.map(|i| QuestionView {
                index: count(i),
                situation_title: self.items[i].situation_title.clone(),
                scenario_html: self.items[i].scenario_html.clone(),
                question: self.presented[i].clone(),
            }),
            remaining_ms: self.remaining_ms(now_ms),
            // The grader-only note stays on the server: the reveal goes to
            // every phone and to the projector.
            reveal: index
                .filter(|_| revealed)
                .map(|i| self.items[i].question.clone().for_trainee()),
            leaderboard: if show_board {
                self.leaderboard()
            } else {
                Vec::new()
            },
            answered: if presenter {
                index.map_or(0, |i| count(self.answers[i].len()))
            } else {
                0
            },
            names: if presenter && self.phase == Phase::Lobby {
                let skip = self.participants.len().saturating_sub(LOBBY_NAMES);
                self.participants[skip..]
                    .iter()
                    .map(|p| p.name.clone())
                    .collect()
            } else {
                Vec::new()
            },
            distribution: match index {
                // The wall fills live; bars only once the question closed,
                // so the room's answers do not sway those still thinking.
                Some(i) if presenter => self
                    .distribution(i)
                    .filter(|d| closed_or_later || matches!(d, Distribution::Wall { .. })),
                _ => None,
            },
            summary: if presenter && self.phase == Phase::Ended {
                self.summary()
            } else {
                Vec::new()
            },
        }
    }

    /// Per question: how many answered, and how many fully right.
    pub fn summary(&self) -> Vec<QuestionSummary> {
        self.items
            .iter()
            .zip(&self.answers)
            .map(|(item, answers)| QuestionSummary {
                question_id: item.question.id.clone(),
                answered: count(answers.len()),
                correct: count(
                    answers
                        .iter()
                        .filter(|r| r.correctness == Correctness::Correct)
                        .count(),
                ),
                scored: !matches!(
                    item.question.body,
                    QuestionBody::Opinion {} | QuestionBody::Essay { .. }
                ),
            })
            .collect()
    }

    /// What one participant is told after a reveal or at the end: their
    /// result on the revealed question, their points and rank, and how many
    /// questions they answered and got right so far.
    pub fn personal(&self, participant: u32) -> Option<Personal> {
        let p = self.participants.get(participant as usize)?;
        let q = match self.phase {
            Phase::Revealed { index } => Some(index),
            _ => None,
        };
        let record = q.and_then(|q| {
            self.answered[q]
                .get(&participant)
                .map(|&at| &self.answers[q][at])
        });
        let mine: Vec<&Recorded> = self
            .answered
            .iter()
            .zip(&self.answers)
            .filter_map(|(by, answers)| by.get(&participant).map(|&at| &answers[at]))
            .collect();
        let scored = self
            .items
            .iter()
            .filter(|i| {
                !matches!(
                    i.question.body,
                    QuestionBody::Opinion {} | QuestionBody::Essay { .. }
                )
            })
            .count();
        Some(Personal {
            q: q.map(count),
            answered: record.is_some(),
            correctness: record.map(|r| r.correctness),
            earned: record.map_or(0, |r| r.earned),
            max: record.map_or(0, |r| r.max),
            answered_count: count(mine.len()),
            correct_count: count(
                mine.iter()
                    .filter(|r| r.correctness == Correctness::Correct)
                    .count(),
            ),
            scored_count: count(scored),
            points: record.map_or(0, |r| r.points),
            total_points: p.points,
            rank: self
                .settings
                .leaderboard
                .then(|| self.ranks.get(participant as usize).copied())
                .flatten(),
        })
    }

    /// The answer `participant` gave to question `q`, if any (for a
    /// reconnecting phone).
    pub fn answer_of(&self, participant: u32, q: usize) -> Option<&Recorded> {
        let at = *self.answered.get(q)?.get(&participant)?;
        self.answers[q].get(at)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether `answer` is of the question's kind and within limits.
fn fits(question: &Question, answer: &Answer) -> bool {
    let text_ok = |t: &str| !t.trim().is_empty() && t.chars().count() <= MAX_TEXT_CHARS;
    match (&question.body, answer) {
        (QuestionBody::SingleChoice { .. }, Answer::SingleChoice { .. })
        | (QuestionBody::TrueFalse { .. }, Answer::TrueFalse { .. }) => true,
        (QuestionBody::MultipleChoice { options }, Answer::MultipleChoice { options: chosen }) => {
            !chosen.is_empty() && chosen.len() <= options.len()
        }
        (QuestionBody::Ordering { items }, Answer::Ordering { order }) => {
            order.len() == items.len()
        }
        (QuestionBody::Matching { pairs, .. }, Answer::Matching { matches }) => {
            matches.len() == pairs.len()
        }
        (QuestionBody::Numerical { .. }, Answer::Numerical { text }) => {
            !text.trim().is_empty() && text.chars().count() <= crate::number::MAX_TYPED_CHARS
        }
        (QuestionBody::FillBlanks { gaps }, Answer::FillBlanks { gaps: given }) => {
            given.len() == gaps.len()
                && given.iter().any(|g| !g.trim().is_empty())
                && given
                    .iter()
                    .all(|g| g.chars().count() <= crate::question::MAX_GAP_CHARS)
        }
        (QuestionBody::ShortAnswer { .. }, Answer::ShortAnswer { text })
        | (QuestionBody::Essay { .. }, Answer::Essay { text })
        | (QuestionBody::Opinion {}, Answer::Opinion { text }) => text_ok(text),
        _ => false,
    }
}

/// Leaderboard points for an answer that earned `earned` of `max`
/// hundredths, with `left_ms` of `open_ms` remaining when it arrived: half of
/// [`MAX_POINTS`] for being right, the other half in proportion to the time
/// left, all scaled by the share of marks earned.
pub fn points(earned: u32, max: u32, open_ms: u64, left_ms: u64) -> u32 {
    if max == 0 || open_ms == 0 {
        return 0;
    }
    let left = left_ms.min(open_ms);
    let speed = u64::from(MAX_POINTS) * (open_ms + left) / (2 * open_ms);
    let p = speed * u64::from(earned.min(max)) / u64::from(max);
    u32::try_from(p).unwrap_or(MAX_POINTS)
}

/// How answers to a question spread, for the presenter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Distribution {
    /// Choices: how many picked each option, in the order shown.
    Options {
        counts: Vec<(String, u32)>,
    },
    TrueFalse {
        yes: u32,
        no: u32,
    },
    /// Other scored kinds: by correctness.
    Correctness {
        correct: u32,
        partial: u32,
        incorrect: u32,
    },
    /// Opinions and essays: the latest answers, without names.
    Wall {
        entries: Vec<WallEntry>,
    },
}

/// One answer on the discussion wall. No name, no participant id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallEntry {
    /// Its number among the question's answers, for [`Command::Hide`].
    pub entry: u32,
    pub text: String,
    pub hidden: bool,
}

/// A line of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub rank: u32,
    pub name: String,
    pub points: u64,
}

/// A line of the end summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSummary {
    pub question_id: String,
    pub answered: u32,
    pub correct: u32,
    /// False for opinions and essays (nothing is "correct").
    pub scored: bool,
}

/// The question on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    /// From 0.
    pub index: u32,
    pub situation_title: String,
    pub scenario_html: String,
    /// Without correct flags; prompt as sanitized HTML.
    pub question: PresentedQuestion,
}

/// The session as a client shows it. Fields after `leaderboard` are filled
/// for presenters only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub title: String,
    pub phase: PhaseName,
    pub total: u32,
    pub joined: u32,
    pub guests: bool,
    pub leaderboard_on: bool,
    pub seconds: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<QuestionView>,
    /// Time left on the open question by the server's clock, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_ms: Option<u64>,
    /// After reveal: the question with its correct answer and explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<Question>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaderboard: Vec<Standing>,
    #[serde(default)]
    pub answered: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summary: Vec<QuestionSummary>,
}

/// One participant's own result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personal {
    /// The revealed question, if one is.
    pub q: Option<u32>,
    pub answered: bool,
    pub correctness: Option<Correctness>,
    /// Marks of the answer to the revealed question, hundredths of a point.
    #[serde(default)]
    pub earned: u32,
    #[serde(default)]
    pub max: u32,
    /// Questions of the session this participant answered so far.
    #[serde(default)]
    pub answered_count: u32,
    /// Of those, how many were fully right.
    #[serde(default)]
    pub correct_count: u32,
    /// Questions of the session that are scored (not opinions or essays).
    #[serde(default)]
    pub scored_count: u32,
    pub points: u32,
    pub total_points: u64,
    /// With the leaderboard on.
    pub rank: Option<u32>,
}

/// A message from a client over the session's WebSocket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Join as a participant: signed in (the session cookie), or as a guest
    /// with `name`. `token` resumes an earlier participant.
    Join {
        #[serde(default)]
        token: Option<String>,
        #[serde(default)]
        name: Option<String>,
    },
    /// Join as a presenter or remote (the session's lecturer only).
    Present,
    /// An answer to question `q` (from 0), with a client-made id for
    /// idempotence.
    Answer { q: u32, id: String, answer: Answer },
    /// A presenter command.
    Cmd { cmd: Command },
}

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Joined. A participant gets its token (keep it to resume) and, if it
    /// answered the current question already, that answer's id.
    Welcome {
        #[serde(default)]
        token: Option<String>,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        answered: Option<Answered>,
    },
    /// The session changed.
    State { view: Box<View> },
    /// The outcome of an answer, to the socket that sent it.
    Ack { q: u32, id: String, ack: Ack },
    /// The participant's own result after a reveal or at the end.
    Mine { mine: Personal },
    /// Something was refused.
    Error { code: LiveError },
}

/// The answer a participant already gave to the current question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answered {
    pub q: u32,
    pub id: String,
    pub answer: Answer,
}

/// Why the server refused a message. Stable codes the client translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveError {
    /// No session with this code (or it ended long ago).
    NoSession,
    /// The session admits signed-in users only.
    LoginRequired,
    /// A guest name is needed (1 to 40 characters).
    BadName,
    /// Only whoever opened the session (or an admin of their centre) may
    /// do that.
    Forbidden,
    /// The message could not be read.
    BadMessage,
    /// Join first.
    NotJoined,
    /// The command does not fit the phase.
    WrongPhase,
    /// The session is full.
    Full,
}

/// Body of `POST /api/live`: a session from chosen questions of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateLive {
    pub course_id: String,
    /// `(situation set id, question id)`, in the order to ask them.
    pub questions: Vec<(String, String)>,
    pub seconds: u32,
    pub allow_guests: bool,
    pub leaderboard: bool,
}

/// A live session as listed: `POST /api/live` and `GET /api/live`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSummary {
    pub code: String,
    pub title: String,
    pub phase: PhaseName,
    pub joined: u32,
    pub total: u32,
}

/// `GET /api/live/{code}`: what the join page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveInfo {
    pub code: String,
    pub title: String,
    pub allow_guests: bool,
    pub phase: PhaseName,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::{Choice, Difficulty};
    use proptest::prelude::*;

    fn choice(id: &str, correct: bool) -> Choice {
        Choice {
            id: id.into(),
            text: format!("option {id}"),
            correct,
            feedback: None,
        }
    }

    fn item(id: &str, body: QuestionBody) -> LiveItem {
        LiveItem {
            course_id: "c".into(),
            situation_id: "s".into(),
            situation_title: "S".into(),
            scenario_html: String::new(),
            question: Question {
                id: id.into(),
                prompt: "<p>?</p>".into(),
                points: 1,
                difficulty: Difficulty::Medium,
                tags: Vec::new(),
                explanation: Some("<p>why</p>".into()),
                grader_note: None,
                body,
            },
        }
    }

    fn session(leaderboard: bool) -> Session {
        Session::new(
            "Live".into(),
            vec![
                item(
                    "q1",
                    QuestionBody::SingleChoice {
                        options: vec![choice("a", false), choice("b", true), choice("c", false)],
                    },
                ),
                item(
                    "q2",
                    QuestionBody::TrueFalse {
                        answer: false,
                        feedback_true: None,
                        feedback_false: None,
                    },
                ),
                item("q3", QuestionBody::Opinion {}),
            ],
            Settings {
                seconds: 10,
                allow_guests: true,
                leaderboard,
            },
            7,
        )
    }

    fn pick(o: &str) -> Answer {
        Answer::SingleChoice { option: o.into() }
    }

    #[test]
    fn a_participant_learns_their_own_marks_and_tally_and_never_the_grader_note() {
        let mut s = session(false);
        // A grader-only note on the first question stays on the server.
        s.items[0].question.grader_note = Some("<p>chỉ người chấm</p>".into());
        let an = s.join("An".into(), Some(1));
        s.command(&Command::Start, 1_000).unwrap();
        assert_eq!(s.answer(an, 0, "a1", pick("a"), 2_000), Ack::Received);
        s.command(&Command::Reveal, 3_000).unwrap();
        let view = s.view(3_000, false);
        let reveal = view.reveal.expect("revealed");
        assert_eq!(reveal.grader_note, None, "not on the phones");
        assert_eq!(
            s.view(3_000, true).reveal.unwrap().grader_note,
            None,
            "nor on the projector"
        );
        let mine = s.personal(an).unwrap();
        assert_eq!(mine.correctness, Some(Correctness::Incorrect));
        assert_eq!((mine.earned, mine.max), (0, 100));
        assert_eq!(
            (mine.answered_count, mine.correct_count, mine.scored_count),
            (1, 0, 2)
        );
        s.command(&Command::Next, 4_000).unwrap();
        assert_eq!(
            s.answer(an, 1, "a2", Answer::TrueFalse { value: false }, 4_500),
            Ack::Received
        );
        s.command(&Command::End, 5_000).unwrap();
        let end = s.personal(an).unwrap();
        assert_eq!(end.q, None);
        assert_eq!(
            (end.answered_count, end.correct_count, end.scored_count),
            (2, 1, 2)
        );
    }

    #[test]
    fn a_session_runs_from_lobby_to_summary() {
        let mut s = session(true);
        let an = s.join("An".into(), Some(1));
        let bich = s.join("Bích".into(), None);
        assert_eq!(
            s.join("An again".into(), Some(1)),
            an,
            "a user is one participant"
        );
        assert_eq!(s.answer(an, 0, "x", pick("b"), 0), Ack::NotOpen);
        assert_eq!(s.command(&Command::Close, 0), Err(CommandError::WrongPhase));
        s.command(&Command::Start, 1_000).unwrap();
        assert_eq!(s.remaining_ms(3_000), Some(8_000));
        assert_eq!(s.answer(an, 0, "a1", pick("b"), 2_000), Ack::Received);
        assert_eq!(
            s.answer(an, 0, "a1", pick("b"), 2_500),
            Ack::AlreadyReceived
        );
        assert_eq!(
            s.answer(an, 0, "a2", pick("a"), 2_500),
            Ack::AlreadyAnswered
        );
        assert_eq!(s.answer(bich, 0, "b1", pick("a"), 10_000), Ack::Received);
        // The presenter sees no bars while the question is open.
        assert_eq!(s.view(10_500, true).distribution, None);
        assert_eq!(s.view(10_500, true).answered, 2);
        assert!(s.tick(11_000), "the deadline closes the question");
        assert_eq!(
            s.answer(bich, 0, "b1", pick("a"), 11_500),
            Ack::AlreadyReceived
        );
        let late = s.join("Late".into(), None);
        assert_eq!(s.answer(late, 0, "l1", pick("b"), 11_500), Ack::TooLate);
        let Some(Distribution::Options { counts }) = s.view(11_500, true).distribution else {
            panic!("bars after closing");
        };
        let total: u32 = counts.iter().map(|(_, n)| n).sum();
        assert_eq!(total, 2);
        s.command(&Command::Reveal, 12_000).unwrap();
        let view = s.view(12_000, false);
        assert!(view.reveal.is_some());
        assert_eq!(
            view.leaderboard[0].name, "An",
            "faster and right comes first"
        );
        let mine = s.personal(an).unwrap();
        assert_eq!(mine.correctness, Some(Correctness::Correct));
        assert_eq!(mine.rank, Some(1));
        assert!(mine.points > MAX_POINTS / 2);
        assert_eq!(s.personal(bich).unwrap().points, 0);

        s.command(&Command::Next, 13_000).unwrap();
        s.command(&Command::Extend { secs: 20 }, 14_000).unwrap();
        assert_eq!(s.remaining_ms(14_000), Some(29_000));
        s.command(&Command::Close, 15_000).unwrap();
        assert_eq!(
            s.answer(an, 1, "a3", Answer::TrueFalse { value: false }, 15_001),
            Ack::TooLate,
            "closing early refuses what arrives after"
        );
        s.command(&Command::Next, 16_000).unwrap();
        assert_eq!(
            s.answer(an, 2, "a4", Answer::Opinion { text: "  ".into() }, 16_500),
            Ack::Invalid
        );
        assert_eq!(
            s.answer(
                an,
                2,
                "a4",
                Answer::Opinion {
                    text: "Nghe dân".into()
                },
                16_600
            ),
            Ack::Received
        );
        assert_eq!(s.answer(bich, 2, "b4", pick("a"), 16_700), Ack::Invalid);
        let Some(Distribution::Wall { entries }) = s.view(17_000, true).distribution else {
            panic!("the wall fills while open");
        };
        assert_eq!(entries[0].text, "Nghe dân");
        s.command(&Command::Hide { q: 2, entry: 0 }, 17_000)
            .unwrap();
        assert!(s.answers(2)[0].hidden);
        assert_eq!(
            s.command(&Command::Hide { q: 2, entry: 9 }, 17_000),
            Err(CommandError::NoSuchEntry)
        );
        s.command(&Command::Next, 30_000).unwrap();
        assert_eq!(s.phase(), Phase::Ended, "next after the last question ends");
        let summary = s.view(30_000, true).summary;
        assert_eq!(summary.len(), 3);
        assert_eq!((summary[0].answered, summary[0].correct), (2, 1));
        assert!(!summary[2].scored);
        assert_eq!(
            s.command(&Command::End, 30_000),
            Err(CommandError::WrongPhase)
        );
    }

    #[test]
    fn phones_never_see_the_answer_key_before_reveal() {
        let mut s = session(false);
        s.command(&Command::Start, 0).unwrap();
        let json = serde_json::to_string(&s.view(0, false)).unwrap();
        assert!(!json.contains("correct"), "{json}");
        assert!(!json.contains("why"), "{json}");
        assert!(s.view(0, false).names.is_empty());
    }

    #[test]
    fn points_reward_right_and_fast() {
        assert_eq!(points(100, 100, 10_000, 10_000), MAX_POINTS);
        assert_eq!(points(100, 100, 10_000, 0), MAX_POINTS / 2);
        assert_eq!(points(50, 100, 10_000, 10_000), MAX_POINTS / 2);
        assert_eq!(points(0, 100, 10_000, 10_000), 0);
        assert_eq!(points(0, 0, 10_000, 10_000), 0);
    }

    #[test]
    fn names_and_codes_are_checked() {
        assert_eq!(clean_name("  Lò  Văn   Sình "), Some("Lò Văn Sình".into()));
        assert_eq!(clean_name("   "), None);
        assert_eq!(clean_name(&"a".repeat(41)), None);
        assert!(is_code("012345"));
        assert!(!is_code("12345") && !is_code("12345a"));
    }

    #[test]
    fn picking_a_code_gives_up_instead_of_looping() {
        // Every code taken: a bounded number of draws, then none.
        let mut draws = 0;
        let code = pick_code(
            || {
                draws += 1;
                draws
            },
            |_| true,
        );
        assert_eq!((code, draws), (None, CODE_TRIES as u64));
        // Codes keep their six digits, leading zeros included; a taken one
        // is skipped.
        let mut numbers = [7_u64, 1_000_042].into_iter();
        let code = pick_code(|| numbers.next().unwrap_or(0), |c| c == "000007");
        assert_eq!(code.as_deref(), Some("000042"));
        assert!(is_code("000042"));
    }

    #[test]
    fn messages_have_stable_tags() {
        let json = serde_json::to_string(&ClientMsg::Cmd {
            cmd: Command::Extend { secs: 10 },
        })
        .unwrap();
        assert_eq!(json, r#"{"t":"cmd","cmd":{"do":"extend","secs":10}}"#);
        let parsed: ClientMsg = serde_json::from_str(
            r#"{"t":"answer","q":0,"id":"x","answer":{"kind":"true_false","value":true}}"#,
        )
        .unwrap();
        assert!(matches!(parsed, ClientMsg::Answer { q: 0, .. }));
        assert!(serde_json::from_str::<ClientMsg>(r#"{"t":"reveal"}"#).is_err());
    }

    /// One step of a random session: a command, an answer, or time passing.
    #[derive(Debug, Clone)]
    enum Step {
        Cmd(u8),
        Answer { who: u32, q: usize, id: u8, opt: u8 },
        Wait(u64),
        Join,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0u8..7).prop_map(Step::Cmd),
            (0u32..6, 0usize..3, 0u8..3, 0u8..3).prop_map(|(who, q, id, opt)| Step::Answer {
                who,
                q,
                id,
                opt
            }),
            (0u64..6_000).prop_map(Step::Wait),
            Just(Step::Join),
        ]
    }

    proptest! {
        /// Whatever happens: no answer counts unless its question was open
        /// at that moment, one answer per participant per question, and the
        /// totals equal the sum of the answers.
        #[test]
        fn the_rules_hold_in_any_run(steps in proptest::collection::vec(step(), 0..120), leaderboard in any::<bool>()) {
            let mut s = session(leaderboard);
            s.join("A".into(), None);
            let mut now = 0_u64;
            let mut counted = 0_usize;
            for step in steps {
                match step {
                    Step::Cmd(c) => {
                        let cmd = match c {
                            0 => Command::Start,
                            1 => Command::Next,
                            2 => Command::Close,
                            3 => Command::Extend { secs: 5 },
                            4 => Command::Reveal,
                            5 => Command::End,
                            _ => Command::Hide { q: 2, entry: 0 },
                        };
                        let _ = s.command(&cmd, now);
                    }
                    Step::Answer { who, q, id, opt } => {
                        let was_open = matches!(s.phase(), Phase::Open { index, deadline_ms, .. } if index == q && now < deadline_ms);
                        let before = s.answers(q).len();
                        let answer = match q {
                            0 => pick(["a", "b", "c"][opt as usize]),
                            1 => Answer::TrueFalse { value: opt == 0 },
                            _ => Answer::Opinion { text: format!("view {opt}") },
                        };
                        let ack = s.answer(who, q, &format!("id{who}-{id}"), answer, now);
                        let after = s.answers(q).len();
                        if ack == Ack::Received {
                            prop_assert!(was_open, "counted while not open");
                            prop_assert_eq!(after, before + 1);
                            counted += 1;
                        } else {
                            prop_assert_eq!(after, before, "{:?} changed the answers", ack);
                        }
                    }
                    Step::Wait(ms) => {
                        now += ms;
                        s.tick(now);
                    }
                    Step::Join => {
                        s.join(format!("P{}", s.participants().len()), None);
                    }
                }
                // One answer per participant per question.
                for q in 0..3 {
                    let mut who: Vec<u32> = s.answers(q).iter().map(|r| r.participant).collect();
                    let n = who.len();
                    who.sort_unstable();
                    who.dedup();
                    prop_assert_eq!(who.len(), n);
                }
            }
            // Totals equal the sum of answers.
            let all: usize = (0..3).map(|q| s.answers(q).len()).sum();
            prop_assert_eq!(all, counted);
            let points: u64 = s.participants().iter().map(|p| p.points).sum();
            let recorded: u64 = (0..3).flat_map(|q| s.answers(q)).map(|r| u64::from(r.points)).sum();
            prop_assert_eq!(points, recorded);
            if let Some(Distribution::Options { counts }) = s.distribution(0) {
                let bars: u32 = counts.iter().map(|(_, n)| n).sum();
                prop_assert_eq!(bars as usize, s.answers(0).len());
            }
            if let Some(Distribution::TrueFalse { yes, no }) = s.distribution(1) {
                prop_assert_eq!((yes + no) as usize, s.answers(1).len());
            }
            let summary = s.summary();
            for (q, line) in summary.iter().enumerate() {
                prop_assert_eq!(line.answered as usize, s.answers(q).len());
            }
        }
    }
}
