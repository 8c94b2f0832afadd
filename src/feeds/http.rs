//! The one HTTP client feeds are fetched with.
//!
//! Everything a server sends is untrusted: the body is read through a cap
//! (so a 100 MB answer costs at most the cap in memory), every request has
//! a connect and an overall timeout (so a server that drips a byte a second
//! cannot hold a fetch for ever), only `http` and `https` are spoken, and
//! redirects are followed here rather than inside ureq, so a permanent one
//! can be reported to the caller (the subscription then moves) and a loop
//! is named as one.

use std::time::Duration;

use ureq::Agent;
use ureq::http::{HeaderMap, StatusCode};

/// Most redirects followed for one fetch.
pub const MAX_REDIRECTS: usize = 5;

/// Largest body read by default, after decompression.
pub const DEFAULT_MAX_BODY: u64 = 10 * 1024 * 1024;

/// How the client behaves; the defaults suit real feeds, tests shorten
/// the timeouts.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Time to open the connection.
    pub connect_timeout: Duration,
    /// Time for the whole exchange, redirects and body included.
    pub timeout: Duration,
    /// Bytes of (decompressed) body read before giving up with "too large".
    pub max_body: u64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// What the server said about the copy we have: sent back as
/// `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful answer.
#[derive(Debug)]
pub enum Response {
    /// A body, with the validators to send next time.
    Body {
        bytes: Vec<u8>,
        /// The URL the body came from (after redirects), the base for
        /// relative links.
        url: String,
        validators: Validators,
        /// Where a permanent redirect said the feed now lives.
        moved_to: Option<String>,
    },
    /// 304: what we have is current.
    NotModified { moved_to: Option<String> },
}

/// A web page fetched with [`Client::get_page`].
#[derive(Debug)]
pub struct Page {
    pub bytes: Vec<u8>,
    /// Where the page came from (after redirects): the base for its links.
    pub url: String,
    /// The `Content-Type` header, lowercased, when the server sent one.
    pub content_type: Option<String>,
}

/// Why a fetch failed, each printed as one line.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("not a web address (only http and https are fetched): {0}")]
    Scheme(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    #[error("redirect without a usable Location")]
    BadRedirect,
    #[error("server answered {0}")]
    Status(u16),
    #[error("server answered {status}: try again later")]
    RetryAfter {
        status: u16,
        /// When to try again (seconds since the epoch), from `Retry-After`.
        at: Option<i64>,
    },
    #[error("response larger than {0} bytes")]
    TooLarge(u64),
    #[error("timed out")]
    Timeout,
    #[error("{0}")]
    Network(String),
}

/// A configured agent plus the options its requests use.
#[derive(Debug, Clone)]
pub struct Client {
    agent: Agent,
    options: HttpOptions,
}

impl Client {
    /// One agent for all feeds (it pools connections per host).
    pub fn new(options: HttpOptions) -> Self {
        let agent = Agent::config_builder()
            .user_agent(concat!("tidings/", env!("CARGO_PKG_VERSION")))
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(options.connect_timeout))
            .timeout_global(Some(options.timeout))
            .build()
            .new_agent();
        Self { agent, options }
    }

    /// GET `url` with the stored validators, following at most
    /// [`MAX_REDIRECTS`] redirects by hand. `now` (seconds since the
    /// epoch) turns a `Retry-After` in seconds into a time.
    pub fn get(&self, url: &str, validators: &Validators, now: i64) -> Result<Response, HttpError> {
        let (mut response, current, moved_to) = self.follow(url, validators)?;
        self.finish(&mut response, current, moved_to, now)
    }

    /// GET a web page (an item's article): no validators, the same caps,
    /// timeouts and redirects as a feed, and its `Content-Type` kept so
    /// the caller can refuse what is not HTML and honour its charset.
    pub fn get_page(&self, url: &str, now: i64) -> Result<Page, HttpError> {
        let (mut response, current, _) = self.follow(url, &Validators::default())?;
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| one_line(v).to_ascii_lowercase());
        match self.finish(&mut response, current, None, now)? {
            Response::Body { bytes, url, .. } => Ok(Page {
                bytes,
                url,
                content_type,
            }),
            Response::NotModified { .. } => Err(HttpError::Status(304)),
        }
    }

    /// Send the request, following redirects: the final answer, its URL,
    /// and where a run of permanent redirects said the resource moved.
    fn follow(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<(ureq::http::Response<ureq::Body>, String, Option<String>), HttpError> {
        let mut current = checked_url(url)?;
        let mut visited = vec![current.clone()];
        let mut moved_to = None;
        let mut all_permanent = true;
        loop {
            let response = self.request(&current, validators)?;
            let status = response.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                return Ok((response, current, moved_to));
            }
            let next = location(response.headers(), &current)?;
            all_permanent &= matches!(status.as_u16(), 301 | 308);
            if all_permanent {
                moved_to = Some(next.clone());
            }
            if visited.contains(&next) {
                return Err(HttpError::RedirectLoop(next));
            }
            if visited.len() > MAX_REDIRECTS {
                return Err(HttpError::TooManyRedirects);
            }
            visited.push(next.clone());
            current = next;
        }
    }

    fn request(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<ureq::http::Response<ureq::Body>, HttpError> {
        let mut request = self.agent.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        request.call().map_err(|e| self.error(e))
    }

    /// Turn a final (non-redirect) answer into a [`Response`] or an error.
    fn finish(
        &self,
        response: &mut ureq::http::Response<ureq::Body>,
        url: String,
        moved_to: Option<String>,
        now: i64,
    ) -> Result<Response, HttpError> {
        let status = response.status().as_u16();
        match status {
            304 => Ok(Response::NotModified { moved_to }),
            200..=299 => {
                let validators = validators_of(response.headers());
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(self.options.max_body)
                    .read_to_vec()
                    .map_err(|e| self.error(e))?;
                Ok(Response::Body {
                    bytes,
                    url,
                    validators,
                    moved_to,
                })
            }
            429 | 503 => Err(HttpError::RetryAfter {
                status,
                at: retry_after(response.headers(), now),
            }),
            _ => Err(HttpError::Status(status)),
        }
    }

    fn error(&self, e: ureq::Error) -> HttpError {
        match e {
            ureq::Error::Timeout(_) => HttpError::Timeout,
            ureq::Error::BodyExceedsLimit(_) => HttpError::TooLarge(self.options.max_body),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => HttpError::Timeout,
            other => HttpError::Network(one_line(&other.to_string())),
        }
    }
}

/// `url` when it is `http` or `https` with a host.
fn checked_url(url: &str) -> Result<String, HttpError> {
    match url::Url::parse(url.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u.into()),
        _ => Err(HttpError::Scheme(one_line(url))),
    }
}

/// The redirect target, resolved against the current URL and checked.
fn location(headers: &HeaderMap, current: &str) -> Result<String, HttpError> {
    let value = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or(HttpError::BadRedirect)?;
    let base = url::Url::parse(current).map_err(|_| HttpError::BadRedirect)?;
    let next = base.join(value).map_err(|_| HttpError::BadRedirect)?;
    checked_url(next.as_str())
}

fn validators_of(headers: &HeaderMap) -> Validators {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 1024)
            .map(str::to_string)
    };
    Validators {
        etag: text("etag"),
        last_modified: text("last-modified"),
    }
}

/// `Retry-After` as a time: a number of seconds from `now`, or an HTTP
/// date. Capped at a week, so a hostile server cannot park a feed for ever.
fn retry_after(headers: &HeaderMap, now: i64) -> Option<i64> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    let at = match value.parse::<u64>() {
        Ok(secs) => now.saturating_add(secs.min(i64::MAX as u64) as i64),
        Err(_) => crate::article::date::parse(value)?,
    };
    Some(at.clamp(now, now + 7 * 86_400))
}

/// An error message on one line, without control characters.
fn one_line(s: &str) -> String {
    let line = crate::article::sanitize::sanitize_line(s);
    line.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_fetched() {
        assert!(checked_url("https://example.org/feed").is_ok());
        for bad in [
            "file:///etc/passwd",
            "ftp://example.org/x",
            "example.org",
            "javascript:x",
        ] {
            assert!(
                matches!(checked_url(bad), Err(HttpError::Scheme(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_and_is_capped() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "120".parse().unwrap());
        assert_eq!(retry_after(&h, 1000), Some(1120));
        h.insert(
            "retry-after",
            "Thu, 01 Jan 1970 00:30:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h, 1000), Some(1800));
        h.insert("retry-after", "99999999999".parse().unwrap());
        assert_eq!(retry_after(&h, 0), Some(7 * 86_400));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h, 0), None);
    }
}
