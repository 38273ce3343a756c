//! Extractors whose rejections become Kyodo errors (a clear 4xx page or envelope, never a bare text).
#![allow(
    clippy::disallowed_types,
    reason = "the one place that wraps axum's extractors for the rest of the code"
)]

use crate::error::AppError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A url-encoded form. Handlers declare fields as `String` with `#[serde(default)]` and validate
/// themselves, so a missing or malformed field gets a message beside it rather than a rejection.
pub struct FormData<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormData<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|f| FormData(f.0))
            .map_err(|_| AppError::BadRequest("error.bad_form"))
    }
}

/// A JSON body for the API.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| JsonBody(j.0))
            .map_err(|_| AppError::BadRequest("error.bad_json"))
    }
}

/// Query-string parameters.
pub struct QueryData<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryData<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| QueryData(q.0))
            .map_err(|_| AppError::BadRequest("error.bad_query"))
    }
}

/// The numeric values of a repeated form field (ticked checkboxes in a
/// `FormData<Vec<(String, String)>>`); anything not a number is left out.
pub fn ticked(fields: &[(String, String)], name: &str) -> Vec<i64> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

/// The first value of a form field among repeated ones, or empty.
pub fn first<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A numeric `{id}` path segment; anything else is a 404.
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|p| PathId(p.0))
            .map_err(|_| AppError::NotFound)
    }
}

/// A text path segment (a CKAN action's name); a segment that cannot be read is a 404.
pub struct PathName(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathName {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| PathName(p.0))
            .map_err(|_| AppError::NotFound)
    }
}

/// Parses an optional numeric form field; a non-number is a field error.
pub fn optional_id(
    errs: &mut crate::validation::FieldErrors,
    field: &str,
    raw: &str,
) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            errs.add(field, "field.bad_choice");
            None
        }
    }
}

/// The peer address when the server runs on a socket (absent in in-process tests).
pub struct ClientIp(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(ip))
    }
}

/// A `multipart/form-data` upload: its text fields and at most one file (the first file field).
pub struct Upload {
    pub fields: std::collections::HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
    /// The body was over the upload limit: no field or file was read.
    pub too_large: bool,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if req
            .extensions()
            .get::<super::csrf::UploadTooLarge>()
            .is_some()
        {
            return Ok(Upload {
                fields: Default::default(),
                file: None,
                too_large: true,
            });
        }
        let mut mp = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("error.bad_form"))?;
        let mut fields = std::collections::HashMap::new();
        let mut file = None;
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest("error.bad_form"))?
        {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(String::from) {
                Some(filename) if file.is_none() => {
                    let bytes = field
                        .bytes()
                        .await
                        .map_err(|_| AppError::BadRequest("error.bad_form"))?;
                    file = Some((filename, bytes.to_vec()));
                }
                Some(_) => {}
                None => {
                    let text = field
                        .text()
                        .await
                        .map_err(|_| AppError::BadRequest("error.bad_form"))?;
                    if fields.len() < 64 {
                        fields.insert(name, text);
                    }
                }
            }
        }
        Ok(Upload {
            fields,
            file,
            too_large: false,
        })
    }
}

/// A form posted either way: urlencoded, or `multipart/form-data` when it carries files (the case
/// desk's forms with a file question). Every text field is kept in order, repeated names too (a
/// multiple choice sends one per ticked box); the files come with the fields they were sent in.
pub struct Posted {
    pub fields: Vec<(String, String)>,
    pub files: Vec<crate::files::Incoming>,
    /// The body was over the upload limit: no field or file was read.
    pub too_large: bool,
}

impl Posted {
    /// At most this many files and text fields are read from one body.
    const MAX_FILES: usize = 10;
    const MAX_FIELDS: usize = 2000;
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut posted = Posted {
            fields: Vec::new(),
            files: Vec::new(),
            too_large: false,
        };
        if req
            .extensions()
            .get::<super::csrf::UploadTooLarge>()
            .is_some()
        {
            posted.too_large = true;
            return Ok(posted);
        }
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("multipart/form-data"));
        if !multipart {
            posted.fields = FormData::<Vec<(String, String)>>::from_request(req, state)
                .await?
                .0;
            return Ok(posted);
        }
        let bad = |_| AppError::BadRequest("error.bad_form");
        let mut mp = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("error.bad_form"))?;
        while let Some(field) = mp.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(String::from) {
                Some(filename) => {
                    let bytes = field.bytes().await.map_err(bad)?;
                    // A file input left empty still sends a part, with no name and no bytes.
                    if (filename.is_empty() && bytes.is_empty())
                        || posted.files.len() >= Self::MAX_FILES
                    {
                        continue;
                    }
                    posted.files.push(crate::files::Incoming {
                        field: name,
                        filename,
                        bytes: bytes.to_vec(),
                    });
                }
                None => {
                    let text = field.text().await.map_err(bad)?;
                    if posted.fields.len() < Self::MAX_FIELDS {
                        posted.fields.push((name, text));
                    }
                }
            }
        }
        Ok(posted)
    }
}
