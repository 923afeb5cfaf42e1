//! HTTP routes: one file per resource, each handler parse → call → render.
//! [`routes`] is the one route table, used by the server, the tests and the
//! examples.

mod admin;
pub mod api;
mod board;
pub(crate) mod credential;
mod errors;
mod home;
mod host;
mod join;
mod live;
mod me;
mod met;
mod print;

use std::sync::Arc;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, web};

pub use errors::PageError;

use crate::domain::{EventCode, Secret};
use crate::state::{AppState, EventSlot};

/// Every route of the server. Paths with several methods are one resource
/// each, so a wrong method gets a 405 rather than a 404.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(at("/", web::get().to(home::home)))
        .service(at("/healthz", web::get().to(home::healthz)))
        .service(at("/admin", web::get().to(admin::page)))
        .service(at("/admin/events", web::post().to(admin::create)))
        .service(at(
            "/admin/events/{code}/delete",
            web::post().to(admin::delete),
        ))
        .service(at("/static/style.css", web::get().to(home::style)))
        .service(at("/static/app.js", web::get().to(home::script)))
        .service(at("/static/favicon.svg", web::get().to(home::favicon_svg)))
        .service(at("/favicon.ico", web::get().to(home::favicon_ico)))
        .service(at("/static/fonts/{name}", web::get().to(home::font)))
        .service(
            web::resource("/e/{code}")
                .route(web::get().to(join::form))
                .route(web::post().to(join::submit)),
        )
        .service(at("/e/{code}/qr.svg", web::get().to(join::qr_svg)))
        .service(at("/e/{code}/met-qr.svg", web::get().to(join::met_qr_svg)))
        .service(at("/e/{code}/me", web::get().to(me::page)))
        .service(
            web::resource("/e/{code}/me/edit")
                .route(web::get().to(me::edit_form))
                .route(web::post().to(me::edit_submit)),
        )
        .service(at("/e/{code}/me/break", web::post().to(me::take_break)))
        .service(at("/e/{code}/me/back", web::post().to(me::come_back)))
        .service(at("/e/{code}/me/leave", web::post().to(me::leave)))
        .service(at("/e/{code}/me/switch", web::post().to(me::switch)))
        .service(at("/e/{code}/me/contact", web::post().to(met::contact)))
        .service(at("/e/{code}/me/erase", web::post().to(met::erase)))
        .service(at("/e/{code}/met", web::get().to(met::page)))
        .service(at("/e/{code}/met/contacts.vcf", web::get().to(met::vcard)))
        .service(at("/e/{code}/met/{id}", web::post().to(met::keep)))
        .service(at("/e/{code}/board", web::get().to(board::page)))
        .service(at("/e/{code}/board/events", web::get().to(live::board)))
        .service(at("/e/{code}/poster", web::get().to(print::poster)))
        .service(at("/e/{code}/signs", web::get().to(print::signs)))
        .service(at("/e/{code}/me/events", web::get().to(live::me)))
        .service(at("/e/{code}/host", web::get().to(host::page)))
        .service(at(
            "/e/{code}/host/rounds",
            web::post().to(host::start_round),
        ))
        .service(at("/e/{code}/host/events", web::get().to(live::host)))
        .service(at(
            "/e/{code}/host/end-event",
            web::post().to(host::end_event),
        ))
        .service(at(
            "/e/{code}/host/review/{id}/{action}",
            web::post().to(host::review),
        ))
        .service(
            web::resource("/e/{code}/host/attendees/{id}")
                .route(web::get().to(host::edit_form))
                .route(web::post().to(host::edit_submit)),
        )
        .service(at(
            "/e/{code}/host/attendees/{id}/apart",
            web::post().to(host::apart),
        ))
        .service(at(
            "/e/{code}/host/round/{action}",
            web::post().to(host::round_clock),
        ))
        .service(at(
            "/e/{code}/host/settings",
            web::post().to(host::settings),
        ))
        .service(at(
            "/e/{code}/host/remove/{id}",
            web::post().to(host::remove),
        ))
        .service(at(
            "/e/{code}/host/restore/{id}",
            web::post().to(host::restore),
        ))
        .service(at(
            "/e/{code}/host/people/events",
            web::get().to(live::host_people),
        ))
        .configure(api::routes);
}

/// A form whose only field is a "yes, I mean it" tick box, for actions
/// that cannot be undone (ending an event, deleting one, erasing one's
/// details).
#[derive(Debug, serde::Deserialize)]
pub struct ConfirmForm {
    confirm: Option<String>,
}

impl ConfirmForm {
    /// Whether the box was ticked (`confirm=yes`).
    pub fn confirmed(&self) -> bool {
        self.confirm.as_deref() == Some("yes")
    }
}

/// A form's `"yes"` or `"no"` as a bool; anything else is a bad form.
pub(crate) fn yes_no(value: &str, field: &str) -> Result<bool, PageError> {
    match value {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(PageError::BadForm(format!("{field} must be yes or no"))),
    }
}

/// An error message as a sentence for a page: "you can only…" becomes
/// "You can only….".
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".")
        .unwrap_or_default()
}

/// A resource answering one method (others get a 405).
pub(crate) fn at(path: &str, route: actix_web::Route) -> actix_web::Resource {
    web::resource(path).route(route)
}

/// The event a path names, or `None` for a malformed or unknown code.
pub(crate) fn find_event(state: &AppState, raw_code: &str) -> Option<Arc<EventSlot>> {
    state.event(&EventCode::parse(raw_code)?)
}

/// Name of the cookie holding an attendee's token for one event (one
/// browser may be in several events).
pub(crate) fn attendee_cookie_name(code: &EventCode) -> String {
    format!("ib_a_{code}")
}

/// Every event token this browser holds (its attendee cookies), with the
/// event each is for: how a returning attendee is recognised.
pub(crate) fn attendee_tokens(req: &HttpRequest) -> Vec<(EventCode, Secret)> {
    let Ok(cookies) = req.cookies() else {
        return Vec::new();
    };
    cookies
        .iter()
        .filter_map(|c| {
            let code = EventCode::parse(c.name().strip_prefix("ib_a_")?)?;
            Some((code, Secret::parse(c.value())?))
        })
        .collect()
}

/// Name of the cookie holding an event's host key.
pub(crate) fn host_cookie_name(code: &EventCode) -> String {
    format!("ib_h_{code}")
}

/// A cookie for a secret: not readable by scripts, not sent on cross-site
/// requests (so other sites cannot post forms as the attendee), and
/// `Secure` when the server is reached over https.
pub(crate) fn secret_cookie(state: &AppState, name: String, secret: &Secret) -> Cookie<'static> {
    Cookie::build(name, secret.reveal())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().public_url.starts_with("https://"))
        .max_age(CookieDuration::days(30))
        .finish()
}

/// The secret stored in cookie `name`, if present and well-formed.
pub(crate) fn cookie_secret(req: &HttpRequest, name: &str) -> Option<Secret> {
    Secret::parse(req.cookie(name)?.value())
}
