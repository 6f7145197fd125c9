//! `/classes`: the classes a lecturer teaches, or a centre's classes for its
//! admin (who can open a new class here), or every class for the province.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;
use lophoc_core::{
    accounts::Role,
    calendar::{date_vi, parse_date},
    classes::{ClassSummary, NewClass},
    i18n::Msg,
};

use crate::{
    api,
    components::{use_title, ErrorNotice, Loading},
    state::{
        i18n::{use_i18n, I18n},
        session::use_session,
    },
};

#[component]
pub fn ClassesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t(Msg::ClassesTitle).to_string());
    let refresh = RwSignal::new(0_u32);
    let classes = LocalResource::new(move || {
        let _ = refresh.get();
        api::classes()
    });
    let is_centre_admin = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::CentreAdmin))
    };
    view! {
        <h1>{move || i18n.t(Msg::ClassesTitle)}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match classes.await {
                    Ok(list) if list.is_empty() => view! { <p>{i18n.t(Msg::ClassesEmpty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="card-list">
                            {list.into_iter().map(|class| view! { <ClassCard class/> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <Show when=is_centre_admin>
            <NewClassForm on_created=move || refresh.update(|n| *n += 1)/>
        </Show>
    }
}

/// A class's dates and lecturers, as lines under its name.
pub fn class_lines(i18n: I18n, class: &ClassSummary) -> (String, String) {
    let dates = i18n.f(
        Msg::ClassDates,
        &[
            ("start", &date_vi(&class.starts_on)),
            ("end", &date_vi(&class.ends_on)),
        ],
    );
    let names: Vec<&str> = class
        .lecturers
        .iter()
        .map(|l| l.full_name.as_str())
        .collect();
    let lecturers = i18n.f(Msg::ClassLecturers, &[("names", &names.join(", "))]);
    (dates, lecturers)
}

#[component]
fn ClassCard(class: ClassSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/classes/{}", class.id);
    let (dates, lecturers) = class_lines(i18n, &class);
    let trainees = i18n.f(
        Msg::ClassTrainees,
        &[("n", &class.trainee_count.to_string())],
    );
    view! {
        <li class="card">
            <p class="eyebrow">{class.centre_name}</p>
            <h2 class="card-title"><A href=href>{class.name}</A></h2>
            <p>{class.course_title}</p>
            <p class="meta">{dates}" · "{trainees}</p>
            <p class="meta">{lecturers}</p>
        </li>
    }
}

/// Opening a class: name, course, dates, lecturers of the centre.
#[component]
fn NewClassForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let courses = LocalResource::new(api::courses);
    let lecturers = LocalResource::new(api::centre_lecturers);
    let name = RwSignal::new(String::new());
    let course = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let (Some(start), Some(end)) = (parse_date(&starts.get()), parse_date(&ends.get())) else {
            problem.set(Some(i18n.t(Msg::ClassNameMissing).to_string()));
            return;
        };
        if name.get().trim().is_empty() {
            problem.set(Some(i18n.t(Msg::ClassNameMissing).to_string()));
            return;
        }
        if end < start {
            problem.set(Some(i18n.t(Msg::ClassDatesInvalid).to_string()));
            return;
        }
        let mut course_id = course.get();
        if course_id.is_empty() {
            course_id = courses
                .get()
                .and_then(Result::ok)
                .and_then(|c| c.first().map(|c| c.id.clone()))
                .unwrap_or_default();
        }
        let request = NewClass {
            name: name.get(),
            course_id,
            starts_on: start,
            ends_on: end,
            lecturer_ids: chosen.get(),
        };
        busy.set(true);
        spawn_local(async move {
            match api::create_class(&request).await {
                Ok(class) => {
                    problem.set(None);
                    done.set(Some(i18n.f(Msg::ClassCreated, &[("name", &class.name)])));
                    name.set(String::new());
                    on_created();
                }
                Err(e) => problem.set(Some(e.describe(i18n.lang()))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel" aria-labelledby="new-class-heading">
            <h2 id="new-class-heading">{move || i18n.t(Msg::NewClassTitle)}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="class-name">{move || i18n.t(Msg::ClassName)}</label>
                    <input id="class-name" type="text" required bind:value=name/>
                </div>
                <div class="field">
                    <label for="class-course">{move || i18n.t(Msg::ClassCourse)}</label>
                    <select id="class-course" on:change=move |ev| course.set(event_target_value(&ev))>
                        {move || courses.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                            view! { <option value=c.id.clone()>{c.title}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="class-starts">{move || i18n.t(Msg::ClassStarts)}</label>
                        <input id="class-starts" type="date" required bind:value=starts/>
                    </div>
                    <div class="field">
                        <label for="class-ends">{move || i18n.t(Msg::ClassEnds)}</label>
                        <input id="class-ends" type="date" required bind:value=ends/>
                    </div>
                </div>
                <fieldset class="choice-group">
                    <legend>{move || i18n.t(Msg::ClassLecturersPick)}</legend>
                    {move || lecturers.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|l| {
                        let id = format!("lecturer-{}", l.id);
                        let user = l.id;
                        view! {
                            <div class="choice">
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&user))
                                    on:change=move |_| chosen.update(|c| {
                                        if let Some(i) = c.iter().position(|x| *x == user) {
                                            c.remove(i);
                                        } else {
                                            c.push(user);
                                        }
                                    })
                                />
                                <label for=id>{l.full_name}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="form-error" role="alert">{move || problem.get()}</p>
                <p role="status" class="form-done">{move || done.get()}</p>
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || i18n.t(Msg::CreateClass)}
                </button>
            </form>
        </section>
    }
}
