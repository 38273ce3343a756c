//! The page shell every template extends: header (skip link, organization, utility switches,
//! navigation by role), main landmark, footer. Built from the request [`Ctx`].

use super::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::validation::FieldErrors;
use askama::Template;
use axum::response::Html;

pub struct Shell<'a> {
    pub t: Tr,
    pub ctx: &'a Ctx,
    /// Catalogue key of the page title (also the `<h1>` unless the page overrides it).
    pub title_key: &'static str,
    pub errors: FieldErrors,
    /// A status message shown at the top of `main` (already translated).
    pub notice: Option<String>,
    /// What the page is about, for search results and shared links (already translated); pages
    /// without one get the title with the site's own description.
    pub summary: Option<String>,
    /// The event the page is about (a meeting), for the page's structured data.
    pub event: Option<Event>,
}

/// A schema.org `Event`: what, when (an ISO date) and where.
pub struct Event {
    pub name: String,
    pub start_date: String,
    pub place: String,
}

impl<'a> Shell<'a> {
    /// The notice of the POST that redirected here, if any, is shown (pages may set their own).
    pub fn new(ctx: &'a Ctx, title_key: &'static str) -> Self {
        let t = ctx.tr();
        Self {
            t,
            ctx,
            title_key,
            errors: FieldErrors::default(),
            notice: ctx.notice.as_ref().map(|n| super::notice::text(t, n)),
            summary: None,
            event: None,
        }
    }
    /// The page is about this event (a meeting): its structured data says so.
    pub fn with_event(mut self, event: Event) -> Self {
        self.event = Some(event);
        self
    }
    /// The page's own description (its lead text, cut to 160 characters).
    pub fn with_summary(mut self, text: &str) -> Self {
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.summary = Some(text.chars().take(160).collect());
        }
        self
    }
    pub fn with_errors(mut self, errors: FieldErrors) -> Self {
        self.errors = errors;
        self
    }
    pub fn with_notice(mut self, key: &str) -> Self {
        self.notice = Some(self.t.t(key).to_string());
        self
    }

    pub fn lang(&self) -> &'static str {
        self.t.lang.code()
    }
    pub fn title(&self) -> &str {
        self.t.t(self.title_key)
    }
    /// `<meta name="description">` and `og:description`.
    pub fn description(&self) -> String {
        match &self.summary {
            Some(s) => s.clone(),
            None => self
                .t
                .f("shell.description", &[&self.title(), &self.org_name()]),
        }
    }
    /// This page's address without its query: the canonical link and `og:url`.
    pub fn canonical(&self) -> String {
        let path = self.ctx.here.split('?').next().unwrap_or("/");
        format!("{}{path}", self.ctx.base_url)
    }
    /// The site icon as an absolute address, for `og:image`.
    pub fn image(&self) -> String {
        format!("{}/assets/icon-192.png", self.ctx.base_url)
    }
    /// The page as schema.org data (JSON-LD): the organization as a `GovernmentOrganization` that
    /// publishes this `WebPage`. Escaped for a `<script>` element: no `<`, `>` or `&` survives.
    pub fn structured_data(&self) -> String {
        let base = &self.ctx.base_url;
        let page = self.canonical();
        let mut graph = vec![
            serde_json::json!({
                "@type": "GovernmentOrganization",
                "@id": format!("{base}/#organization"),
                "name": self.org_name(),
                "url": format!("{base}/"),
                "logo": self.image(),
            }),
            serde_json::json!({
                "@type": "WebPage",
                "@id": page,
                "url": page,
                "name": self.title(),
                "description": self.description(),
                "inLanguage": self.lang(),
                "publisher": { "@id": format!("{base}/#organization") },
            }),
        ];
        if let Some(e) = &self.event {
            let mut event = serde_json::json!({
                "@type": "Event",
                "name": e.name,
                "startDate": e.start_date,
                "url": page,
                "organizer": { "@id": format!("{base}/#organization") },
            });
            if !e.place.is_empty() {
                event["location"] = serde_json::json!({ "@type": "Place", "name": e.place });
            }
            graph.push(event);
        }
        let data = serde_json::json!({ "@context": "https://schema.org", "@graph": graph });
        data.to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }
    pub fn og_locale(&self) -> &'static str {
        match self.t.lang {
            crate::i18n::Lang::Ja => "ja_JP",
            crate::i18n::Lang::En => "en_US",
        }
    }
    pub fn org_name(&self) -> &str {
        match self.t.lang {
            crate::i18n::Lang::Ja => &self.ctx.org.name,
            crate::i18n::Lang::En => &self.ctx.org.name_en,
        }
    }
    pub fn csrf(&self) -> &str {
        self.ctx.csrf_token()
    }
    pub fn user_name(&self) -> Option<&str> {
        self.ctx
            .principal
            .as_deref()
            .map(|p| p.display_name.as_str())
    }
    pub fn is_staff(&self) -> bool {
        self.ctx.principal.as_deref().is_some_and(|p| p.is_staff())
    }
    pub fn is_admin(&self) -> bool {
        self.ctx
            .principal
            .as_deref()
            .is_some_and(|p| p.is_sysadmin())
    }
    pub fn is_hq(&self) -> bool {
        self.ctx
            .principal
            .as_deref()
            .is_some_and(|p| p.is_reform_hq())
    }
    pub fn is_committee(&self) -> bool {
        self.ctx
            .principal
            .as_deref()
            .is_some_and(|p| p.is_committee_member() || p.is_reform_hq())
    }
    /// CSS classes for the text-size and contrast preferences.
    pub fn body_class(&self) -> String {
        format!(
            "text-{} contrast-{}",
            self.ctx.prefs.text, self.ctx.prefs.contrast
        )
    }
    /// Link that switches a preference and returns to this page.
    pub fn pref_link(&self, key: &str, value: &str) -> String {
        let back: String = url::form_urlencoded::byte_serialize(self.ctx.here.as_bytes()).collect();
        format!("/prefs?{key}={value}&back={back}")
    }
    pub fn other_lang(&self) -> &'static str {
        self.t.lang.other().code()
    }
    pub fn text_is(&self, v: &str) -> bool {
        self.ctx.prefs.text == v
    }
    pub fn high_contrast(&self) -> bool {
        self.ctx.prefs.contrast == "high"
    }
    /// The ふりがな switch: offered on Japanese pages when the dictionary is installed.
    pub fn ruby_offered(&self) -> bool {
        self.ctx.prefs.ruby_offered && self.t.lang == crate::i18n::Lang::Ja
    }
    pub fn ruby_on(&self) -> bool {
        self.ctx.prefs.ruby
    }
    pub fn current(&self, path: &str) -> bool {
        self.ctx.here.split('?').next() == Some(path)
    }
    /// The translated error of a field, if any.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(|k| self.t.t(k))
    }
    /// 422 when the page shows problems beside its fields, else 200.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.errors.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
    /// Error summary entries: (field id, message).
    pub fn error_list(&self) -> Vec<(String, &str)> {
        self.errors
            .0
            .iter()
            .map(|e| (e.field.clone(), self.t.t(e.message)))
            .collect()
    }
}

/// Renders a template; a template failure is an internal error.
pub fn render(t: &impl Template) -> AppResult<Html<String>> {
    t.render()
        .map(Html)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))
}
