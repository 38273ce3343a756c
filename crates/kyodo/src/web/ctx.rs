//! The request context: which organization (tenant), who is signed in, language and display
//! preferences, and the CSRF token. Built once per request by [`context`] and read by handlers.

use super::WebState;
use crate::accounts::{api_tokens, organizations::Organization, roles, sessions, tokens, users};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::policy::Principal;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cookie names. Over https they carry the `__Host-` prefix: a browser then accepts them only from a
/// secure origin, for path `/` and without a domain, so a sibling subdomain cannot plant or overwrite them.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-kyodo_session"
    } else {
        "kyodo_session"
    }
}

/// See [`session_cookie`]: the anonymous visitor's CSRF secret.
pub fn csrf_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-kyodo_csrf"
    } else {
        "kyodo_csrf"
    }
}

/// Text size and colour scheme chosen with the header switches (kept in cookies, no JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Prefs {
    /// `m` (standard), `l`, `xl`.
    pub text: &'static str,
    /// `normal` or `high`.
    pub contrast: &'static str,
    /// ふりがな on (Japanese pages, when the dictionary is installed).
    pub ruby: bool,
    /// The ふりがな switch is offered (the dictionary is installed).
    pub ruby_offered: bool,
}

/// The CSRF token of a request is derived (HMAC) from a secret the browser holds in an HttpOnly
/// cookie: the session secret once signed in (so signing in rotates it and one session's token is
/// worthless in another), before that the anonymous visitor's own random secret.
#[derive(Debug)]
pub struct CsrfSlot {
    /// The session secret or the anonymous cookie's secret; for an anonymous visitor without one, a
    /// new secret made the first time a form asks (most anonymous requests never need one, so no
    /// random bytes are drawn for them).
    secret: std::sync::OnceLock<String>,
    token: std::sync::OnceLock<String>,
    /// No secret arrived: set the anonymous cookie if a form used the token (anonymous pages
    /// without forms stay cacheable).
    fresh: bool,
    used: AtomicBool,
}

impl CsrfSlot {
    /// Did the request bring the secret its token is derived from (a state change without one fails)?
    pub fn has_secret(&self) -> bool {
        !self.fresh
    }
}

#[derive(Clone)]
pub struct Ctx {
    pub org: Arc<Organization>,
    pub principal: Option<Arc<Principal>>,
    pub lang: Lang,
    pub prefs: Prefs,
    pub csrf: Arc<CsrfSlot>,
    /// The session secret from the cookie (for logout).
    pub session_secret: Option<String>,
    /// Path and query of this request (return target of the header switches).
    pub here: String,
    /// Where the organization's pages are reached (`https://host`, no trailing slash): canonical
    /// links, the sitemap and shared links use it.
    pub base_url: String,
    pub is_api: bool,
    /// GET or HEAD: a read, which an anonymous visitor may be served from the read replica.
    pub is_read: bool,
    /// The client accepts gzip (`Accept-Encoding`), for pre-compressed cached pages.
    pub accepts_gzip: bool,
    /// The page cache's stamp of this page's areas when the request began: a page is stored
    /// under it, so one rendered while a write landed is already stale, never wrongly current.
    pub cache_stamp: u64,
    /// The catalogue key of what the previous POST did (see `web::notice`), shown once.
    pub notice: Option<(String, Option<u64>)>,
    /// The API token the request came with (API routes only; the principal is its user).
    pub token: Option<Arc<api_tokens::TokenAuth>>,
}

impl Ctx {
    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }
    /// Who a write is recorded as: the token when one was used, else the signed-in user.
    pub fn actor(&self) -> Result<crate::audit::Actor, AppError> {
        match &self.token {
            Some(t) => Ok(t.actor()),
            None => Ok(crate::audit::Actor::user(self.require_user()?.user_id)),
        }
    }
    pub fn org_id(&self) -> i64 {
        self.org.id
    }
    /// The CSRF token for a form on this page.
    pub fn csrf_token(&self) -> &str {
        self.csrf.used.store(true, Ordering::Relaxed);
        self.csrf
            .token
            .get_or_init(|| tokens::form_token(self.csrf.secret.get_or_init(tokens::random_secret)))
    }
    pub fn require_user(&self) -> Result<&Principal, AppError> {
        self.principal.as_deref().ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            // Built only when missing: with RUST_BACKTRACE set, an error captures a backtrace.
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("context middleware missing")))
    }
}

/// Language and display preferences from the visitor's cookies.
pub fn visitor_prefs(headers: &HeaderMap) -> (Lang, Prefs) {
    let lang = cookie(headers, "kyodo_lang")
        .and_then(Lang::parse)
        .unwrap_or_default();
    let prefs = Prefs {
        text: match cookie(headers, "kyodo_text") {
            Some("l") => "l",
            Some("xl") => "xl",
            _ => "m",
        },
        contrast: if cookie(headers, "kyodo_contrast") == Some("high") {
            "high"
        } else {
            "normal"
        },
        ruby: cookie(headers, "kyodo_ruby") == Some("on"),
        ruby_offered: false,
    };
    (lang, prefs)
}

/// Does `Accept-Encoding` admit gzip (and not with `q=0`)?
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|part| {
                let mut it = part.split(';');
                it.next().map(str::trim) == Some("gzip")
                    && !it.any(|q| q.trim().replace(' ', "") == "q=0")
            })
        })
}

/// Value of one cookie from the `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the flags Kyodo always uses.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
    http_only: bool,
) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
    if http_only {
        s.push_str("; HttpOnly");
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

async fn principal_of(
    st: &WebState,
    org: i64,
    secret: &str,
) -> Result<Option<Principal>, AppError> {
    if secret.len() > 100 {
        return Ok(None);
    }
    let found = sessions::signed_in_user(&st.app.db, org, secret).await?;
    Ok(found.map(to_principal))
}

fn to_principal((u, grants): sessions::UserGrants) -> Principal {
    let user_id = u.id;
    let roles = roles::from_grants(grants);
    Principal {
        user_id,
        display_name: u.display_name,
        kind: users::Kind::parse(&u.kind).unwrap_or(users::Kind::Citizen),
        department_id: u.department_id,
        roles,
    }
}

/// `Authorization: Bearer <secret>` on an API route (a cookie beside it is ignored): the token and its user,
/// or the 401 to answer (a token that is unknown, revoked or expired, or whose user is disabled).
async fn bearer(
    st: &WebState,
    org: i64,
    headers: &HeaderMap,
) -> Result<Option<(api_tokens::TokenAuth, Principal)>, Response> {
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let secret = auth
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let found = match api_tokens::authenticate(&st.app.db, org, secret).await {
        Ok(Some(t)) => match sessions::user_by_id(&st.app.db, org, t.user_id).await {
            Ok(Some(u)) => Some((t, to_principal(u))),
            Ok(None) => None,
            Err(e) => return Err(super::plain_errors::plain(e.into())),
        },
        Ok(None) => None,
        Err(e) => return Err(super::plain_errors::plain(e.into())),
    };
    match found {
        Some(f) => Ok(Some(f)),
        None => Err(super::api::token_refused(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "The token is unknown, revoked or expired.",
        )),
    }
}

/// Middleware: builds [`Ctx`], runs the request, then sets a CSRF cookie if a new token was handed out.
pub async fn context(State(st): State<WebState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let org = match st.orgs.resolve(&st.app, host).await {
        Ok(Some(org)) => org,
        Ok(None) if st.orgs.is_empty().await => return super::plain_errors::no_organization(),
        Ok(None) => return super::plain_errors::unknown_host(),
        Err(e) => return super::plain_errors::plain(e),
    };
    let (lang, mut prefs) = visitor_prefs(headers);
    prefs.ruby_offered = st.ruby.available();
    prefs.ruby &= prefs.ruby_offered && lang == Lang::Ja;
    let secure = st.app.config.secure_cookies();
    // On an API route, `Authorization: Bearer` decides who is asking and any cookie is ignored:
    // the header is explicit (a cross-site page cannot set it), so the request is the token's.
    let mut token = None;
    let mut principal = None;
    let api = req.uri().path().starts_with("/api/v1/");
    if api {
        match bearer(&st, org.id, headers).await {
            Ok(Some((t, p))) => {
                token = Some(Arc::new(t));
                principal = Some(Arc::new(p));
            }
            Ok(None) => {}
            Err(refused) => return refused,
        }
    }
    let session_secret = cookie(headers, session_cookie(secure))
        .filter(|_| token.is_none())
        .map(String::from);
    if let Some(secret) = &session_secret {
        principal = match principal_of(&st, org.id, secret).await {
            Ok(p) => p.map(Arc::new),
            Err(e) => return super::plain_errors::plain(e),
        };
    }
    let headers = req.headers();
    let secret = std::sync::OnceLock::new();
    let anonymous_secret =
        cookie(headers, csrf_cookie(secure)).filter(|t| (20..=64).contains(&t.len()));
    // A session cookie counts even when expired: the form then passes this check and meets the
    // sign-in page, which says more than a CSRF refusal would.
    let fresh = match session_secret.as_deref().or(anonymous_secret) {
        Some(s) => {
            let _ = secret.set(s.to_string());
            false
        }
        None => true,
    };
    let csrf = Arc::new(CsrfSlot {
        secret,
        token: std::sync::OnceLock::new(),
        fresh,
        used: AtomicBool::new(false),
    });
    let here = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let is_api = req.uri().path().starts_with("/api/");
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let cache_stamp = st.cache.stamp(org.id, super::cache_scope::shown_by(&here));
    let accepts_gzip = accepts_gzip(req.headers());
    let signed_in = principal.is_some();
    let notice_cookie = super::notice::notice_cookie(secure);
    let had_notice = cookie(headers, notice_cookie).is_some();
    let notice = cookie(headers, notice_cookie).and_then(super::notice::accepted);
    let base_url = org.base_url(&st.app.config.public_url);
    req.extensions_mut().insert(Ctx {
        base_url,
        org,
        principal,
        lang,
        prefs,
        csrf: csrf.clone(),
        session_secret,
        here,
        is_api,
        is_read,
        accepts_gzip,
        cache_stamp,
        notice,
        token,
    });
    let mut res = next.run(req).await;
    if prefs.ruby {
        res = st.ruby.annotate(res).await;
    }
    // The page that follows a redirect shows the notice once; a further redirect passes it on.
    if had_notice && !res.status().is_redirection() {
        res.headers_mut()
            .append(header::SET_COOKIE, super::notice::cleared(secure));
    }
    if csrf.fresh
        && csrf.used.load(Ordering::Relaxed)
        && let Some(secret) = csrf.secret.get()
    {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(csrf_cookie(secure), secret, 60 * 60 * 24, secure, true),
        );
    }
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        // Pages for a signed-in person or with a form token must never be stored by shared caches.
        let v = if signed_in
            || csrf.used.load(Ordering::Relaxed)
            || res.headers().contains_key(header::SET_COOKIE)
        {
            "no-store"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(v));
    }
    res.into_response()
}
