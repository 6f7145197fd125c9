//! The home page of a lecturer or administrator: what they do, each a link
//! with a count of what waits — their classes, their open live sessions,
//! the grading queue, drafts to review, and their centre's drafts being
//! written.
//!
//! Policy: only what exists (every link is a page of the staff build); the
//! counts are those the linked pages show (`GET /api/staff/home`, and
//! `GET /api/live` for the sessions). In the `open` group of pages
//! (`split.rs`), so a trainee's phone never downloads it before it is needed.

use leptos::prelude::*;
use leptos_router::components::A;
use lophoc_core::{accounts::Role, api::StaffHome, i18n::Msg, live::PhaseName};

use crate::{
    api,
    components::{ErrorNotice, Loading},
    state::i18n::use_i18n,
};

#[component]
pub fn StaffHomePanel(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let presents = matches!(role, Role::Lecturer | Role::CentreAdmin);
    let home = LocalResource::new(api::staff_home);
    let live = LocalResource::new(move || async move {
        if presents {
            api::live_sessions()
                .await
                .map(|l| l.iter().filter(|s| s.phase != PhaseName::Ended).count() as u32)
                .ok()
        } else {
            None
        }
    });
    let tile = move |href: &'static str, label: Msg, n: u32, testid: &'static str| {
        view! {
            <li>
                <A href=href attr:class="staff-tile" attr:data-testid=testid>
                    <span class="staff-label">{move || i18n.t(label)}</span>
                    <span class="staff-count" class:staff-count-zero=n == 0>{n}</span>
                </A>
            </li>
        }
    };
    view! {
        <section class="staff-home" aria-labelledby="staff-home-heading">
            <h2 id="staff-home-heading">{move || i18n.t(Msg::StaffHomeTitle)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let live = live.await;
                    match home.await {
                        Ok(StaffHome { classes, grading, reviews, drafts }) => view! {
                            <ul class="staff-tiles">
                                {tile("/classes", Msg::StaffHomeClasses, classes, "home-classes")}
                                {live.map(|n| tile("/present", Msg::StaffHomeLive, n, "home-live"))}
                                {grading.map(|n| tile("/grading", Msg::StaffHomeGrading, n, "home-grading"))}
                                {reviews.map(|n| tile("/review", Msg::StaffHomeReviews, n, "home-reviews"))}
                                {drafts.map(|n| tile("/authoring", Msg::StaffHomeDrafts, n, "home-drafts"))}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
