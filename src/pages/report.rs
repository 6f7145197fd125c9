//! `/report`: what a centre reports each year — per course, the classes
//! that started in the year, trainees, how many completed and passed.

use leptos::prelude::*;
use lophoc_core::{
    calendar::vn_date,
    classes::{rate, ReportRow},
    i18n::Msg,
};

use crate::{
    api,
    components::{use_title, ErrorNotice, Loading},
    state::i18n::use_i18n,
};

fn this_year() -> i32 {
    let now = js_sys::Date::now() as i64;
    vn_date(now)[..4].parse().unwrap_or(2026)
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t(Msg::ReportTitle).to_string());
    let typed = RwSignal::new(this_year().to_string());
    let year = RwSignal::new(this_year());
    let report = LocalResource::new(move || api::report(year.get()));
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(y) = typed.get().trim().parse::<i32>() {
            year.set(y);
        }
    };
    view! {
        <h1>{move || i18n.t(Msg::ReportTitle)}</h1>
        <form class="form form-inline" on:submit=show>
            <div class="field">
                <label for="report-year">{move || i18n.t(Msg::ReportYear)}</label>
                <input id="report-year" type="number" min="2000" max="2100" inputmode="numeric" bind:value=typed/>
            </div>
            <button type="submit" class="button">{move || i18n.t(Msg::ReportShow)}</button>
        </form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) if r.rows.is_empty() => view! {
                        <p>{i18n.f(Msg::ReportEmpty, &[("year", &r.year.to_string())])}</p>
                    }.into_any(),
                    Ok(r) => view! { <ReportTable rows=r.rows/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportTable(rows: Vec<ReportRow>) -> impl IntoView {
    let i18n = use_i18n();
    let cell = move |count: u32, total: u32| {
        i18n.f(
            Msg::RateCell,
            &[
                ("count", &count.to_string()),
                ("rate", &rate(count, total).to_string()),
            ],
        )
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=i18n.t(Msg::ReportTitle)>
            <table class="report" data-testid="centre-report">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Msg::ReportCentre)}</th>
                        <th scope="col">{i18n.t(Msg::ClassCourse)}</th>
                        <th scope="col">{i18n.t(Msg::ReportClasses)}</th>
                        <th scope="col">{i18n.t(Msg::ReportTrainees)}</th>
                        <th scope="col">{i18n.t(Msg::ReportCompleted)}</th>
                        <th scope="col">{i18n.t(Msg::ReportPassed)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.centre_name}</td>
                            <th scope="row">{r.course_title}</th>
                            <td class="num">{r.classes}</td>
                            <td class="num">{r.trainees}</td>
                            <td class="num">{cell(r.completed, r.trainees)}</td>
                            <td class="num">{cell(r.passed, r.trainees)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
