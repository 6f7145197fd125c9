//! Guards pages that need a signed-in user, and sends a user who must
//! change their password to the page for it.

use leptos::{either::EitherOf3, prelude::*};
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_navigate},
};

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

/// The page where a password is changed.
pub const PASSWORD_PAGE: &str = "/settings";

/// While the signed-in user must change a password someone else chose (the
/// server then answers every other call with `password_change_required`),
/// any page they open sends them to [`PASSWORD_PAGE`]. Mount once, inside
/// the router.
#[component]
pub fn PasswordChangeGuard() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let must_change = session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.must_change_password));
        if must_change && location.pathname.get() != PASSWORD_PAGE {
            navigate(PASSWORD_PAGE, Default::default());
        }
    });
}
