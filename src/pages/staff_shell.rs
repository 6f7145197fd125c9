//! Stands in for every staff page (classes, report, presenter, bank, grading,
//! authoring, review) in the build that trainees' phones load.
//!
//! Trainees never download the lecturers' pages: the server sends the build
//! without them (`dist/`) for trainees' pages and the build with them
//! (`dist/staff/`) for staff pages, and the service worker does the same
//! offline. So when someone in this build follows a link to a staff page, the
//! page is loaded again from the address, which brings the staff build. If that
//! load brings this build again (offline, staff build not on the device yet),
//! the shell says so instead of reloading forever.
//!
//! The address is the router's: a link's page is built before the browser's
//! address changes (pages are fetched when first opened, see `split.rs`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use lophoc_core::i18n::Msg;

use crate::{
    components::{use_title, NotOnDevice},
    state::i18n::use_i18n,
};

use super::STAFF_RELOAD_KEY as TRIED_KEY;

#[component]
pub fn StaffShell() -> impl IntoView {
    let i18n = use_i18n();
    let tried_here = RwSignal::new(false);
    let route = use_location();
    Effect::new(move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let search = route.search.get_untracked();
        let here = format!(
            "{}{}{}",
            route.pathname.get_untracked(),
            if search.is_empty() { "" } else { "?" },
            search
        );
        let storage = window.session_storage().ok().flatten();
        let tried = storage
            .as_ref()
            .and_then(|s| s.get_item(TRIED_KEY).ok().flatten())
            .is_some_and(|path| path == here);
        if tried {
            if let Some(s) = &storage {
                let _ = s.remove_item(TRIED_KEY);
            }
            tried_here.set(true);
        } else {
            if let Some(s) = &storage {
                let _ = s.set_item(TRIED_KEY, &here);
            }
            let _ = window.location().assign(&here);
        }
    });
    use_title(move || {
        i18n.t(if tried_here.get() {
            Msg::StaffOfflineTitle
        } else {
            Msg::StaffLoading
        })
        .to_string()
    });
    view! {
        <Show
            when=move || tried_here.get()
            fallback=move || view! { <p class="loading" role="status">{move || i18n.t(Msg::StaffLoading)}</p> }
        >
            <NotOnDevice body=Msg::StaffOfflineBody/>
        </Show>
    }
}
