//! A trainee page's first screen, in the HTML document itself.
//!
//! Why: a lecturer sends a lesson link to the class's chat group and a
//! trainee opens it on a new phone. The app (its `.wasm`) is about half a
//! megabyte: at 1.6 Mbit/s that alone is over two seconds on the wire. So
//! for the pages a trainee meets first — their home, a course, a module, a
//! lesson, a situation set, an assessment's start page, their progress, and
//! the live-session code field
//! — the server puts what the page shows first into the
//! `index.html` it answers with, and the page reads at once; the app takes
//! over when it has started and has the same page ready (`src/lib.rs`,
//! `start`), in one frame, so nothing flashes or moves.
//!
//! Policy:
//! - Only for a signed-in user the page's API would answer (any signed-in
//!   user reads published courses, `courses.rs`; the home page is drawn
//!   for trainees, staff have their own); anyone else, or a page that does
//!   not exist, gets the plain shell, which says nothing of it. The live
//!   code field holds nothing of anyone's and is drawn for everyone.
//!   Trainees get a situation set without its grader-only notes, as from
//!   the API (only the scenario is drawn here anyway).
//! - The markup is the app's own for that page's first screen (the same
//!   elements and classes as `src/pages/{course,module,lesson,situation}.rs`,
//!   the same catalogue texts in the user's language): what is drawn here
//!   is replaced by the app's copy without a shift. The e2e test
//!   `e2e/tests/document.test.mjs` checks that the boxes of the page's
//!   headings and text are where the app draws them. What depends on the
//!   device (a downloaded copy, answers not yet sent) is the app's: drawn
//!   here as a device without them would show it.
//! - Text is escaped with `lophoc_core::text::escape_html`; lesson, scenario
//!   and guidance HTML is the sanitized HTML the API sends (sanitized when
//!   the course was published), put in as the app puts it (`inner_html`).
//! - The language is the device's choice, which the app keeps in the
//!   `lophoc_lang` cookie for this (`lophoc_core::i18n::LANG_COOKIE`); Vietnamese without it.
//! - The answer is private and revalidated (`Cache-Control: private,
//!   no-cache`, `Vary: Cookie`): it holds one user's page. The service
//!   worker never stores it: it caches `/index.html`, the plain shell, and
//!   a returning device starts from that (and the app's own store).

use lophoc_core::{
    accounts::Role,
    api::User,
    calendar::date_vi,
    classes::MyCourse,
    content::{CourseOutline, SituationMode},
    i18n::{format_bytes, Lang, Msg},
    ids::is_valid_id,
    progress::Progress,
    text::escape_html,
};

use crate::{error::HttpError, AppState};

/// What the document shows of a page before the app starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    /// The page's title, without the app's name.
    pub title: String,
    /// The markup inside `<main>`, as the app draws it.
    pub html: String,
}

/// Whether `path` may be a page drawn here (the service worker's `DRAWN`
/// in public/sw.js names the same pages).
pub fn may_draw(path: &str) -> bool {
    matches!(path, "/" | "/live" | "/progress") || path.starts_with("/courses/")
}

/// The first screen of the page at `path` for `user` (`None`: signed out),
/// when it is a page drawn here and they may see it.
pub async fn page(
    state: &AppState,
    user: Option<&User>,
    lang: Lang,
    path: &str,
) -> Result<Option<Page>, HttpError> {
    if path == "/live" {
        // The code field, the same for everyone.
        return Ok(Some(Draw { lang }.live_join()));
    }
    let Some(user) = user else {
        return Ok(None);
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (course_id, rest) = match segments.as_slice() {
        ["courses", course, rest @ ..] => (*course, rest),
        [""] if user.role == Role::Trainee => {
            let courses = state.store.courses.list().await?;
            let mine = crate::classes::my_courses(state, user.id).await?;
            return Ok(Some(Draw { lang }.home(user, &courses, &mine)));
        }
        ["progress"] => {
            let courses = crate::classes::my_courses(state, user.id).await?;
            return Ok(Some(Draw { lang }.progress(&courses)));
        }
        _ => return Ok(None),
    };
    if !is_valid_id(course_id) || rest.iter().any(|id| !is_valid_id(id)) {
        return Ok(None);
    }
    let Some(course) = state.store.courses.outline(course_id).await? else {
        return Ok(None);
    };
    let draw = Draw { lang };
    let progress = || async {
        Ok::<_, HttpError>(Progress::from_events(
            &state.store.sync.user_events(user.id).await?,
        ))
    };
    Ok(match rest {
        [] => Some(draw.course(&course, &progress().await?)),
        ["modules", module] => draw.module(&course, module, &progress().await?),
        ["lessons", lesson] => match state.store.courses.lesson(course_id, lesson).await? {
            Some(lesson) => draw.lesson(&course, &lesson),
            None => None,
        },
        ["assessments", id] => match state.store.courses.assessment(course_id, id).await? {
            Some((paper, _)) => {
                let received = state
                    .store
                    .sync
                    .attempts_received(user.id, course_id, id)
                    .await?;
                let seeds = lophoc_core::assessment::seeds_to_issue(&paper.settings, received);
                Some(draw.assessment(&paper, received, seeds > 0))
            }
            None => None,
        },
        ["situations", set] => match state.store.courses.situation(course_id, set).await? {
            Some(set) => {
                let set = if user.role == Role::Trainee {
                    set.for_trainee()
                } else {
                    set
                };
                Some(draw.situation(&set, &progress().await?))
            }
            None => None,
        },
        _ => None,
    })
}

/// Draws pages in one language.
struct Draw {
    lang: Lang,
}

impl Draw {
    fn t(&self, msg: Msg) -> String {
        escape_html(msg.text(self.lang))
    }

    fn f(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        escape_html(&msg.format(self.lang, args))
    }

    /// `src/pages/course.rs`: title, summary, completion, the download
    /// panel of a device that has not downloaded it, the modules.
    fn course(&self, course: &CourseOutline, progress: &Progress) -> Page {
        let (done, total) = progress.course_completion(course);
        let modules: String = course
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| {
                format!(
                    r#"<li class="card"><p class="eyebrow">{}</p><h3><a href="/courses/{}/modules/{}">{}</a></h3><p>{}</p><p class="meta">{}</p></li>"#,
                    self.f(Msg::ModuleNumber, &[("n", &(i + 1).to_string())]),
                    course.id,
                    m.id,
                    escape_html(&m.title),
                    escape_html(&m.summary),
                    self.f(Msg::LessonCount, &[("n", &m.lessons.len().to_string())]),
                )
            })
            .collect();
        let html = format!(
            r#"<h1>{title}</h1><p class="lead">{summary}</p><p class="course-progress" data-testid="course-progress">{completion}</p><section class="panel download" aria-labelledby="download-heading" data-testid="download"><h2 id="download-heading">{download}</h2><p>{size}</p><button type="button" class="button button-primary button-block" disabled>{button}</button></section><h2>{modules_title}</h2><ol class="card-list">{modules}</ol>"#,
            title = escape_html(&course.title),
            summary = escape_html(&course.summary),
            completion = self.f(
                Msg::CourseProgress,
                &[("done", &done.to_string()), ("total", &total.to_string())]
            ),
            download = self.t(Msg::DownloadTitle),
            size = self.f(
                Msg::DownloadSize,
                &[("size", &format_bytes(self.lang, course.download_bytes))]
            ),
            button = self.t(Msg::DownloadButton),
            modules_title = self.t(Msg::CourseModules),
        );
        Page {
            title: course.title.clone(),
            html,
        }
    }

    /// `src/pages/module.rs`: the way back, title, summary, the lessons.
    /// What follows the lessons (situation sets, assessments) is below the
    /// first screen and left to the app.
    fn module(&self, course: &CourseOutline, module_id: &str, progress: &Progress) -> Option<Page> {
        let (number, module) = course.module(module_id)?;
        let lessons: String = module
            .lessons
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let done = progress
                    .completed
                    .contains(&(course.id.clone(), l.id.clone()));
                let (class, badge) = if done {
                    (
                        " done",
                        format!(r#"<span class="badge-done">✓ {}</span>"#, self.t(Msg::Completed)),
                    )
                } else {
                    ("", String::new())
                };
                format!(
                    r#"<li class="lesson-item{class}"><a href="/courses/{}/lessons/{}">{}</a>{badge}<span class="meta">{} · {}</span></li>"#,
                    course.id,
                    l.id,
                    escape_html(&l.title),
                    self.f(Msg::LessonNumber, &[("n", &(i + 1).to_string())]),
                    self.f(Msg::MinutesRead, &[("n", &l.minutes.to_string())]),
                )
            })
            .collect();
        let html = format!(
            r#"<nav class="breadcrumb" aria-label="{crumbs}"><a href="/courses/{course_id}">{course_title}</a></nav><p class="eyebrow">{eyebrow}</p><h1>{title}</h1><p class="lead">{summary}</p><h2>{lessons_title}</h2><ol class="lesson-list">{lessons}</ol>"#,
            crumbs = self.t(Msg::BreadcrumbLabel),
            course_id = course.id,
            course_title = escape_html(&course.title),
            eyebrow = self.f(Msg::ModuleNumber, &[("n", &number.to_string())]),
            title = escape_html(&module.title),
            summary = escape_html(&module.summary),
            lessons_title = self.t(Msg::ModuleLessons),
        );
        Some(Page {
            title: module.title.clone(),
            html,
        })
    }

    /// `src/pages/lesson.rs`: the way back, where the lesson sits, its
    /// title and text. "Mark as read" and the way to the next lesson come
    /// after the text, drawn by the app.
    fn lesson(
        &self,
        course: &CourseOutline,
        lesson: &lophoc_core::content::Lesson,
    ) -> Option<Page> {
        let position = course.position(&lesson.id)?;
        let html = format!(
            r#"<article class="lesson"><nav class="breadcrumb" aria-label="{crumbs}"><a href="/courses/{course_id}" class="crumb-course">{course_title}</a><span class="crumb-sep" aria-hidden="true"> › </span><a href="/courses/{course_id}/modules/{module_id}">{module_title}</a></nav><p class="eyebrow">{module_number} · {lesson_number} · {minutes}</p><h1>{title}</h1><div class="lesson-body">{body}</div></article>"#,
            crumbs = self.t(Msg::BreadcrumbLabel),
            course_id = course.id,
            course_title = escape_html(&course.title),
            module_id = position.module.id,
            module_title = escape_html(&position.module.title),
            module_number = self.f(
                Msg::ModuleNumber,
                &[("n", &position.module_number.to_string())]
            ),
            lesson_number = self.f(
                Msg::LessonNumber,
                &[("n", &position.lesson_number.to_string())]
            ),
            minutes = self.f(Msg::MinutesRead, &[("n", &lesson.minutes.to_string())]),
            title = escape_html(&lesson.title),
            body = lesson.html,
        );
        Some(Page {
            title: lesson.title.clone(),
            html,
        })
    }

    /// `src/pages/assessment.rs`, before an attempt: the way back, the
    /// title, and for a trainee who has not started one yet the whole start
    /// page (their empty results, the facts, the introduction, the start
    /// button, which waits for the app). With attempts made, the app draws
    /// the rest (their results are the app's).
    fn assessment(
        &self,
        paper: &lophoc_core::assessment::AssessmentPaper,
        received: u32,
        seeds_left: bool,
    ) -> Page {
        let mut html = format!(
            r#"<nav class="breadcrumb" aria-label="{}"><a href="/courses/{}/modules/{}">{}</a></nav><p class="eyebrow">{}</p><h1>{}</h1>"#,
            self.t(Msg::BreadcrumbLabel),
            paper.course_id,
            paper.module_id,
            self.t(Msg::BackToModule),
            self.t(Msg::AssessmentsTitle),
            escape_html(&paper.title),
        );
        if received == 0 {
            let settings = &paper.settings;
            let n = lophoc_core::assessment::attempt_questions(paper, 0)
                .map_or(0, |q| q.len())
                .to_string();
            let pass = settings.pass_percent.to_string();
            let facts = match settings.time_limit_secs {
                Some(secs) => self.f(
                    Msg::AssessmentFacts,
                    &[
                        ("n", &n),
                        ("minutes", &secs.div_ceil(60).to_string()),
                        ("pass", &pass),
                    ],
                ),
                None => self.f(Msg::AssessmentFactsNoLimit, &[("n", &n), ("pass", &pass)]),
            };
            html.push_str(&format!(
                r#"<section class="panel results" aria-labelledby="results-heading" data-testid="results"><h2 id="results-heading">{}</h2><p class="meta">{}</p></section><p class="meta">{facts}</p>"#,
                self.t(Msg::YourAttempts),
                self.t(Msg::NoAttemptsYet),
            ));
            if let Some(max) = settings.max_attempts {
                html.push_str(&format!(
                    r#"<p class="meta">{}</p>"#,
                    self.f(Msg::AttemptsAllowed, &[("n", &max.to_string())])
                ));
            }
            if let Some(date) = &settings.closes_on {
                html.push_str(&format!(
                    r#"<p class="meta">{}</p>"#,
                    self.f(Msg::ClosesOn, &[("date", &date_vi(date))])
                ));
            }
            html.push_str(&format!(
                r#"<div class="lesson-body">{}</div>"#,
                paper.intro_html
            ));
            let closed = settings.is_closed(crate::store::now_ms());
            if !closed && seeds_left {
                html.push_str(&format!(
                    r#"<button type="button" data-testid="start-attempt" class="button button-primary button-block" disabled>{}</button>"#,
                    self.t(Msg::StartAttempt)
                ));
            } else {
                let msg = if closed {
                    Msg::AssessmentClosed
                } else {
                    Msg::NoAttemptsLeft
                };
                html.push_str(&format!(
                    r#"<p class="notice notice-info">{}</p>"#,
                    self.t(msg)
                ));
            }
        }
        Page {
            title: paper.title.clone(),
            html,
        }
    }

    /// `src/pages/situation.rs`: the way back, the kind of set, its title,
    /// how many questions are answered, the scenario. The questions and
    /// the answer forms are the app's.
    fn situation(&self, set: &lophoc_core::content::SituationSet, progress: &Progress) -> Page {
        let mode = match set.mode {
            SituationMode::Discussion => Msg::ModeDiscussion,
            SituationMode::Practice => Msg::ModePractice,
        };
        let total = set.questions.len();
        let answered = if total > 0 {
            format!(
                r#"<p class="meta" data-testid="answered-count">{}</p>"#,
                self.f(
                    Msg::AnsweredCount,
                    &[
                        (
                            "done",
                            &progress.answered_in(&set.course_id, &set.id).to_string()
                        ),
                        ("total", &total.to_string())
                    ]
                )
            )
        } else {
            String::new()
        };
        let html = format!(
            r#"<nav class="breadcrumb" aria-label="{crumbs}"><a href="/courses/{course_id}/modules/{module_id}">{back}</a></nav><p class="eyebrow">{mode}</p><h1>{title}</h1>{answered}<section class="scenario" aria-labelledby="scenario-heading"><h2 id="scenario-heading">{scenario_label}</h2><div class="lesson-body">{scenario}</div></section>"#,
            crumbs = self.t(Msg::BreadcrumbLabel),
            course_id = set.course_id,
            module_id = set.module_id,
            back = self.t(Msg::BackToModule),
            mode = self.t(mode),
            title = escape_html(&set.title),
            scenario_label = self.t(Msg::ScenarioLabel),
            scenario = set.scenario_html,
        );
        Page {
            title: set.title.clone(),
            html,
        }
    }
}

impl Draw {
    /// `src/pages/live.rs`, `LiveJoinPage`: the code field. Its button waits
    /// for the app (which joins); what is typed meanwhile is kept when the
    /// app takes over (`start` in src/lib.rs).
    fn live_join(&self) -> Page {
        let html = format!(
            r#"<section class="live-join"><h1>{title}</h1><p>{intro}</p><form class="live-join-form" novalidate><div class="field"><label for="live-code">{label}</label><input id="live-code" class="live-code-input" type="text" inputmode="numeric" autocomplete="off" maxlength="7" aria-invalid="false"></div><button type="submit" class="button button-primary button-block" disabled>{button}</button></form></section>"#,
            title = self.t(Msg::LiveJoinTitle),
            intro = self.t(Msg::LiveJoinIntro),
            label = self.t(Msg::LiveCodeLabel),
            button = self.t(Msg::LiveJoinButton),
        );
        Page {
            title: Msg::LiveJoinTitle.text(self.lang).to_string(),
            html,
        }
    }

    /// `src/pages/home.rs`, a trainee's `Dashboard`: the greeting, the way
    /// to a live session, each course with how far they are and what next.
    fn home(
        &self,
        user: &User,
        courses: &[lophoc_core::api::CourseSummary],
        mine: &[MyCourse],
    ) -> Page {
        let mut html = format!(
            r#"<h1>{}</h1><p><a href="/live" class="button">{}</a></p><h2>{}</h2>"#,
            self.f(Msg::HomeGreeting, &[("name", &user.full_name)]),
            self.t(Msg::LiveJoinEntry),
            self.t(Msg::HomeYourCourses),
        );
        if courses.is_empty() {
            html.push_str(&format!("<p>{}</p>", self.t(Msg::NoCourses)));
        } else {
            html.push_str(r#"<ul class="card-list">"#);
            for course in courses {
                html.push_str(&format!(
                    r#"<li class="card"><h3><a href="/courses/{}">{}</a></h3>"#,
                    escape_html(&course.id),
                    escape_html(&course.title)
                ));
                let figures = mine.iter().find(|m| m.progress.course_id == course.id);
                if let Some(figures) = figures {
                    let (done, total) = figures.progress.lessons_read();
                    let percent = figures.progress.percent;
                    html.push_str(&format!(
                        r#"<p class="course-progress">{} · {}</p><progress max="100" value="{percent}" aria-hidden="true"></progress>"#,
                        self.f(
                            Msg::CourseProgress,
                            &[("done", &done.to_string()), ("total", &total.to_string())]
                        ),
                        self.f(Msg::ProgressPercent, &[("percent", &percent.to_string())]),
                    ));
                    match &figures.progress.next {
                        Some(step) => {
                            let (href, text) = step.continue_link(self.lang, &course.id);
                            html.push_str(&format!(
                                r#"<p><a href="{}" class="button button-primary">{}</a></p>"#,
                                escape_html(&href),
                                escape_html(&text)
                            ));
                        }
                        None => html.push_str(&format!(
                            r#"<p class="download-done">✓ {}</p>"#,
                            self.t(Msg::CourseCompleted)
                        )),
                    }
                }
                html.push_str(&format!(
                    r#"<p class="meta">{}</p><p class="card-summary">{}</p></li>"#,
                    self.f(
                        Msg::CourseCounts,
                        &[
                            ("modules", &course.module_count.to_string()),
                            ("lessons", &course.lesson_count.to_string()),
                        ]
                    ),
                    escape_html(&course.summary),
                ));
            }
            html.push_str("</ul>");
        }
        Page {
            title: String::new(),
            html,
        }
    }

    /// `src/pages/progress.rs`: each course's figures, module by module,
    /// its test scores and its certificate.
    fn progress(&self, courses: &[MyCourse]) -> Page {
        let mut html = format!("<h1>{}</h1>", self.t(Msg::ProgressTitle));
        for course in courses {
            html.push_str(&self.course_result(course));
        }
        Page {
            title: Msg::ProgressTitle.text(self.lang).to_string(),
            html,
        }
    }

    fn course_result(&self, course: &MyCourse) -> String {
        let p = &course.progress;
        let label = self.f(Msg::ProgressPercent, &[("percent", &p.percent.to_string())]);
        let mut html = format!(
            r#"<section class="panel course-result" data-testid="course-result"><h2>{}</h2><div class="percent-bar" role="img" aria-label="{label}"><span class="percent-fill" style="width: {}%"></span></div><p class="percent-label">{label}</p><p class="meta">{}</p>"#,
            escape_html(&course.course_title),
            p.percent.min(100),
            self.f(
                Msg::ProgressDone,
                &[
                    ("done", &p.done.to_string()),
                    ("required", &p.required.to_string())
                ]
            ),
        );
        if let Some(next) = &p.next {
            let (href, text) = next.link(self.lang, &p.course_id);
            html.push_str(&format!(
                r#"<p class="next-step"><a href="{}">{}</a></p>"#,
                escape_html(&href),
                escape_html(&text)
            ));
        }
        if p.live_sessions > 0 {
            html.push_str(&format!(
                r#"<p class="meta">{}</p>"#,
                self.f(
                    Msg::LiveAttendedLine,
                    &[("n", &p.live_sessions.to_string())]
                )
            ));
        }
        if p.completed {
            html.push_str(&format!(
                r#"<p class="badge-done">{}</p>"#,
                self.t(Msg::CourseCompleted)
            ));
        }
        html.push_str(r#"<ul class="module-status-list">"#);
        for m in &p.modules {
            let detail = self.f(
                Msg::StatusDoneOf,
                &[
                    ("done", &m.done.to_string()),
                    ("required", &m.required.to_string()),
                ],
            );
            html.push_str(&format!(
                r#"<li class="module-status"><span class="module-status-name">{}</span><span class="{}">{}<span class="status-detail"> {detail}</span></span></li>"#,
                escape_html(&m.title),
                m.status.badge_class(),
                self.t(m.status.msg()),
            ));
        }
        html.push_str(&format!(
            r#"</ul><h3>{}</h3><ul class="score-list">"#,
            self.t(Msg::ScoresTitle)
        ));
        for (id, r) in &p.results {
            let title = p.assessment_titles.get(id).unwrap_or(id);
            let line = match (r.best_percent, r.last_percent) {
                (Some(best), Some(last)) => self.f(
                    Msg::ResultLine,
                    &[
                        ("title", title),
                        ("best", &best.to_string()),
                        ("last", &last.to_string()),
                        ("attempts", &r.submitted.to_string()),
                    ],
                ),
                _ => self.f(Msg::ResultNone, &[("title", title)]),
            };
            let verdict = match r.passed {
                Some(true) => Some(Msg::Passed),
                Some(false) => Some(Msg::NotPassed),
                None if r.submitted > 0 => Some(Msg::AwaitingGrading),
                None => None,
            };
            let verdict = verdict
                .map(|v| format!(r#"<strong class="verdict"> · {}</strong>"#, self.t(v)))
                .unwrap_or_default();
            html.push_str(&format!("<li>{line}{verdict}</li>"));
        }
        html.push_str(&format!("</ul><h3>{}</h3>", self.t(Msg::CertificateTitle)));
        match &course.certificate {
            Some(c) => {
                html.push_str(&format!(
                    "<p>{}</p>",
                    self.f(
                        Msg::CertificateNumber,
                        &[("code", &c.code), ("date", &date_vi(&c.issued_on))]
                    )
                ));
                if let Some(r) = &c.revoked {
                    html.push_str(&format!(
                        r#"<p class="notice notice-error">{}</p>"#,
                        self.f(
                            Msg::CertRevoked,
                            &[("date", &date_vi(&r.on)), ("reason", &r.reason)]
                        )
                    ));
                }
                html.push_str(&format!(
                    r#"<p><a href="/certificates/{}" class="button button-primary">{}</a></p>"#,
                    escape_html(&c.code),
                    self.t(Msg::CertificateOpen)
                ));
            }
            None => html.push_str(&format!(
                r#"<p class="meta">{}</p>"#,
                self.t(Msg::CertificateNotYet)
            )),
        }
        html.push_str("</section>");
        html
    }
}

/// `shell` (the built `index.html`) with `page` in it: its markup where the
/// shell marks the page's place, and its title. `None` when the shell has
/// no such mark (a build from before this feature).
pub fn fill_shell(shell: &str, page: &Page, lang: Lang, signed_in: bool) -> Option<String> {
    const MARK: &str = "<!--lophoc:page-->";
    const TITLE: &str = "<title>Lophoc</title>";
    if !shell.contains(MARK) || !shell.contains(TITLE) {
        return None;
    }
    let app = Msg::AppName.text(lang);
    let title = if page.title.is_empty() {
        format!("<title>{app}</title>")
    } else {
        format!("<title>{} · {app}</title>", escape_html(&page.title))
    };
    // Tells the app someone is signed in before it has asked the server
    // (`src/state/session.rs`), so it waits for them instead of showing a
    // visitor's page over the one drawn here.
    let signed_in = if signed_in {
        r#" data-signed-in="true""#
    } else {
        ""
    };
    let html = format!(
        r#"<div id="boot-page" data-lang="{}"{signed_in}>{}</div>"#,
        lang.code(),
        page.html
    );
    Some(
        shell
            .replacen(TITLE, &title, 1)
            .replacen(MARK, &html, 1)
            .replacen(
                r#"<html lang="vi">"#,
                &format!(r#"<html lang="{}">"#, lang.code()),
                1,
            ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_gets_the_page_escaped_title_and_language() {
        let shell = r#"<html lang="vi"><head><title>Lophoc</title></head><body><main><!--lophoc:page--><p id="boot-loading"></p></main></body></html>"#;
        let page = Page {
            title: "<Bài> & \"một\"".into(),
            html: "<h1>x</h1>".into(),
        };
        let filled = fill_shell(shell, &page, Lang::En, false).unwrap();
        assert!(filled.contains("<title>&lt;Bài&gt; &amp; &quot;một&quot; · Lophoc</title>"));
        assert!(filled.contains(
            r#"<main><div id="boot-page" data-lang="en"><h1>x</h1></div><p id="boot-loading">"#
        ));
        assert!(filled.starts_with(r#"<html lang="en">"#));
        assert!(!filled.contains("lophoc:page"));
        assert_eq!(fill_shell("<html></html>", &page, Lang::Vi, true), None);
        let signed_in = fill_shell(shell, &page, Lang::Vi, true).unwrap();
        assert!(signed_in.contains(r#"<div id="boot-page" data-lang="vi" data-signed-in="true">"#));
    }

    #[test]
    fn titles_and_summaries_are_text_never_markup() {
        let course: CourseOutline = serde_json::from_value(serde_json::json!({
            "id": "k", "title": "<img src=x onerror=alert(1)>", "summary": "a & \"b\"",
            "version": 1,
            "modules": [{"id": "m", "title": "<script>x</script>", "summary": "",
                         "lessons": [{"id": "l", "title": "<b>", "minutes": 5}]}],
        }))
        .unwrap();
        let draw = Draw { lang: Lang::Vi };
        let page = draw.course(&course, &Progress::default());
        assert!(page
            .html
            .contains("<h1>&lt;img src=x onerror=alert(1)&gt;</h1>"));
        assert!(page.html.contains("a &amp; &quot;b&quot;"));
        assert!(page.html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!page.html.contains("<script") && !page.html.contains("<img"));
        let module = draw.module(&course, "m", &Progress::default()).unwrap();
        assert!(module.html.contains(">&lt;b&gt;</a>"));
        assert!(module.html.contains("<p class=\"eyebrow\">Chuyên đề 1</p>"));
        assert_eq!(draw.module(&course, "khong-co", &Progress::default()), None);
    }

    #[test]
    fn the_repository_index_has_the_page_mark_inside_main() {
        let index = include_str!("../../../index.html");
        let main = index.find("<main>").unwrap();
        let mark = index.find("<!--lophoc:page-->").unwrap();
        let welcome = index.find(r#"id="boot-welcome""#).unwrap();
        assert!(
            main < mark && mark < welcome,
            "the mark opens the start-up <main>"
        );
    }
}
