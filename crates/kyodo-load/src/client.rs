//! One session's keep-alive HTTP/1.1 connection, with its cookies (session and anonymous CSRF
//! secret) and the CSRF token the server hands out, read as a browser would: from the sign-in
//! form, then (the token changes with the session) from `/api/v1/me`.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, header};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use tokio::net::TcpStream;

pub struct Response {
    pub status: u16,
    pub body: String,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
}

pub struct Client {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
    /// `name=value` of the session cookie, or empty.
    session: String,
    /// `name=value` of the anonymous CSRF cookie, or empty.
    anonymous: String,
    /// The token for forms, as the last page read handed it out.
    token: String,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        Client {
            addr,
            sender: None,
            session: String::new(),
            anonymous: String::new(),
            token: String::new(),
        }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, Error> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            self.sender = Some(sender);
        }
        let Some(sender) = self.sender.as_mut() else {
            return Err("no connection".into());
        };
        // HTTP/1.1: the previous exchange must be finished before the next request goes out.
        sender.ready().await?;
        Ok(sender)
    }

    pub async fn get(&mut self, path: &str) -> Result<Response, Error> {
        self.send(Method::GET, path, String::new()).await
    }

    /// A form post; the CSRF token is added to the fields.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Result<Response, Error> {
        let body = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("csrf", &self.token);
            for (k, v) in fields {
                form.append_pair(k, v);
            }
            form.finish()
        };
        self.send(Method::POST, path, body).await
    }

    /// A `multipart/form-data` post of one file (and the CSRF token).
    pub async fn post_file(
        &mut self,
        path: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Response, Error> {
        let boundary = "KyodoLoadBoundary4f1c";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n",
            self.token
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.send_body(Method::POST, path, &content_type, body)
            .await
    }

    async fn send(&mut self, method: Method, path: &str, form: String) -> Result<Response, Error> {
        let form_type = "application/x-www-form-urlencoded";
        self.send_body(method, path, form_type, form.into_bytes())
            .await
    }

    async fn send_body(
        &mut self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, Error> {
        let cookie = format!("{}; {}", self.anonymous, self.session);
        let host = self.addr.to_string();
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, host)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, content_type)
            .body(Full::new(Bytes::from(body)))?;
        let res = match self.connect().await?.send_request(req).await {
            Ok(res) => res,
            Err(e) => {
                self.sender = None; // a broken connection is reopened on the next request
                return Err(e.into());
            }
        };
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        for c in res.headers().get_all(header::SET_COOKIE) {
            let pair = c.to_str().unwrap_or("").split(';').next().unwrap_or("");
            if pair.starts_with("kyodo_session=") {
                self.session = pair.to_string();
            } else if pair.starts_with("kyodo_csrf=") {
                self.anonymous = pair.to_string();
            }
        }
        let body = res.into_body().collect().await?.to_bytes();
        Ok(Response {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
            location,
        })
    }

    /// Opens a form page without signing in and keeps its CSRF token (and the anonymous cookie
    /// the page set) for the posts that follow.
    pub async fn open_form(&mut self, path: &str) -> Result<Response, Error> {
        let page = self.get(path).await?;
        self.token = value_after(&page.body, "name=\"csrf\" value=\"", '"')
            .ok_or_else(|| format!("{path} has no CSRF token (answered {})", page.status))?;
        Ok(page)
    }

    /// Signs in (the password is the demo one unless given).
    pub async fn login(&mut self, email: &str, password: &str) -> Result<(), Error> {
        let page = self.get("/login").await?;
        self.token = value_after(&page.body, "name=\"csrf\" value=\"", '"')
            .ok_or("the sign-in page has no CSRF token")?;
        let r = self
            .post("/login", &[("email", email), ("password", password)])
            .await?;
        if r.status != 303 || self.session.is_empty() {
            return Err(format!("login as {email} answered {}", r.status).into());
        }
        let me = self.get("/api/v1/me").await?;
        self.token = value_after(&me.body, "\"csrf_token\":\"", '"')
            .ok_or("/api/v1/me has no CSRF token")?;
        Ok(())
    }
}

/// The text after the first `prefix` in `text`, up to `end`.
fn value_after(text: &str, prefix: &str, end: char) -> Option<String> {
    let rest = text.split_once(prefix)?.1;
    Some(rest.split(end).next()?.to_string())
}

/// Every number following `prefix` in `text`, in order, without repeats.
pub fn ids_after(text: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(prefix).skip(1) {
        let id: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !id.is_empty() && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}
