//! Guards pages that need a signed-in user.

use leptos::{either::EitherOf3, prelude::*};
use leptos_router::{components::Redirect, hooks::use_location};

use crate::{components::Loading, state::session::use_session};

/// Shows `children` to a signed-in user; sends anyone else to the login page,
/// which brings them back here afterwards.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || {
        if !session.ready.get() {
            EitherOf3::A(view! { <Loading/> })
        } else if session.user.with(Option::is_some) {
            EitherOf3::B(children())
        } else {
            let next = location.pathname.get_untracked();
            EitherOf3::C(view! { <Redirect path=format!("/login?next={next}")/> })
        }
    }
}
