//! A small cookie-keeping client that drives the router in-process, with the CSRF token a
//! browser would send.

use super::CSRF;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::collections::HashMap;
use tower::ServiceExt;

pub struct Client {
    pub(crate) router: Router,
    pub host: String,
    pub cookies: HashMap<String, String>,
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Client {
    pub async fn send(&mut self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let (kv, _) = s.split_once(';').unwrap_or((s, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if s.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), val.into());
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// The token a page would hand this client: derived from its session, or before sign-in from
    /// its anonymous secret, as the server derives it.
    pub fn csrf_token(&self) -> String {
        let secret = self
            .cookies
            .get("kyodo_session")
            .or(self.cookies.get("kyodo_csrf"))
            .map_or(CSRF, String::as_str);
        kyodo::web::csrf::form_token(secret)
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::COOKIE, self.cookie_header())
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// POSTs a form with the CSRF token added.
    /// Sends a form as a browser does: a `303 See Other` (Post/Redirect/Get) is followed with a GET
    /// and the page it leads to, with its one-time notice, is returned; any other answer (the form
    /// again with its messages, a refusal) is returned as it came.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let res = self.post(path, fields).await;
        self.follow(res).await
    }

    async fn follow(&mut self, res: Res) -> Res {
        if res.status != StatusCode::SEE_OTHER {
            return res;
        }
        let to = res.location();
        let page = to.split('#').next().unwrap_or("/").to_string();
        self.get(&page).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("csrf", &self.csrf_token());
        for (k, v) in fields {
            ser.append_pair(k, v);
        }
        self.post_raw(
            path,
            "application/x-www-form-urlencoded",
            ser.finish().into_bytes(),
        )
        .await
    }

    /// `post` with owned field names and values (fields built at run time).
    /// [`Client::submit`] with owned fields.
    pub async fn submit_owned(&mut self, path: &str, fields: &[(String, String)]) -> Res {
        let res = self.post_owned(path, fields).await;
        self.follow(res).await
    }

    pub async fn post_owned(&mut self, path: &str, fields: &[(String, String)]) -> Res {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(path, &f).await
    }

    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Res {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn post_json(&mut self, path: &str, json: &serde_json::Value) -> Res {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", self.csrf_token())
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Res {
        let res = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login as {email} failed: {}",
            res.body
        );
        res
    }
}

/// The CSRF token a page's first form carries.
pub fn form_token_on(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("the page has a form with a CSRF token")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// Extracts the first `token=` value from a mail body.
pub fn token_in(body: &str) -> String {
    body.split("token=")
        .nth(1)
        .expect("mail has a token")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

impl Client {
    /// POSTs `multipart/form-data` with text fields (the CSRF token added) and one file.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Res {
        let boundary = "KyodoTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        let token = self.csrf_token();
        let mut text = |name: &str, value: &str| {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
        };
        text("csrf", &token);
        for (k, v) in fields {
            text(k, v);
        }
        let (field, filename, bytes) = file;
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        self.post_raw(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
        .await
    }

    /// A multipart form with repeated text fields and any number of files (a file part with an
    /// empty name and no bytes is what a browser sends for a file input left empty).
    pub async fn post_form_with_files(
        &mut self,
        path: &str,
        fields: &[(String, String)],
        files: &[(&str, &str, &[u8])],
    ) -> Res {
        let boundary = "KyodoTestBoundary7MA4YWxk";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
            self.csrf_token()
        )
        .into_bytes();
        for (k, v) in fields {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .into_bytes(),
            );
        }
        for (field, filename, bytes) in files {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
            body.extend_from_slice(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").into_bytes());
        self.post_raw(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
        .await
    }
}
