//! Requests through a real HTTP client library (`ureq`), each with the
//! `curl` command that repeats it.
use super::*;

/// The methods sent through the client library.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Head,
}

impl Method {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
        }
    }
}

/// One request through the client library, and how a student repeats it.
pub(super) struct Fetched {
    pub(super) resp: Response,
    pub(super) curl: String,
}

/// Sends one request through `ureq` on a fresh connection and reads the
/// whole response; waits at most `wait` (and never past the test's time).
pub(super) fn fetch(
    t: &Ctx,
    server: &Server,
    method: Method,
    path: &str,
    wait: Duration,
) -> Result<Fetched, Failure> {
    fetch_with_idle(t, server, method, path, wait, None)
}

/// [`fetch`], failing as soon as nothing arrives for `idle` (a response
/// that stops short of its Content-Length) if given.
pub(super) fn fetch_with_idle(
    t: &Ctx,
    server: &Server,
    method: Method,
    path: &str,
    wait: Duration,
    idle: Option<Duration>,
) -> Result<Fetched, Failure> {
    let url = format!("http://{}{path}", server.addr());
    let flag = if method == Method::Head { " -I" } else { "" };
    let curl = format!("curl -v{flag} {}", shell_quote(&url));
    let what = named(format!("{} {path}", method.as_str()));
    let decorate = |f: Failure| {
        f.with(Detail::Command {
            label: "start your server".into(),
            command: server.invocation().into(),
        })
        .with(Detail::Command {
            label: "then try".into(),
            command: curl.clone().into(),
        })
        .say(say("httpd-webroot-note"))
    };
    // Keep a little time so that a slow server fails here, with this
    // message, rather than at the test's own limit.
    let timeout = wait
        .min(t.remaining().saturating_sub(Duration::from_millis(500)))
        .max(Duration::from_millis(100));
    let agent = loopback_agent(timeout, idle);
    let result = match method {
        Method::Get => agent.get(&url).call(),
        Method::Head => agent.head(&url).call(),
    };
    // `part` is `head` (the response head) or `body`.
    let client_failure = |e: ureq::Error, part: &'static str| {
        if let Err(f) = server.expect_running() {
            return decorate(f);
        }
        decorate(match e {
            ureq::Error::Timeout(ureq::Timeout::PerRead) => Failure::new(
                Cause::Timeout,
                at(
                    &what,
                    say("httpd-stopped-short")
                        .arg("part", part)
                        .arg("wait", Arg::Seconds(idle.unwrap_or(timeout))),
                ),
            ),
            ureq::Error::Timeout(_) => Failure::new(
                Cause::Timeout,
                at(
                    &what,
                    say("httpd-incomplete")
                        .arg("part", part)
                        .arg("wait", Arg::Seconds(timeout)),
                ),
            ),
            e => Failure::mismatch(at(
                &what,
                say("httpd-client-failed")
                    .arg("part", part)
                    .arg("error", e.to_string()),
            )),
        })
    };
    let mut response = result.map_err(|e| client_failure(e, "head"))?;
    let status = response.status().as_u16();
    let mut resp = Response {
        status,
        headers: headers_of(&response),
        body: Vec::new(),
    };
    // Without Content-Length a client reads until the connection closes,
    // which a kept-alive connection never does: check before reading.
    if matches!(status, 200 | 404) && resp.header("content-length").is_none() {
        return Err(decorate(Failure::mismatch(at(
            &what,
            say("httpd-no-length-status").arg("status", u32::from(status)),
        ))));
    }
    if method == Method::Get {
        resp.body = response
            .body_mut()
            .with_config()
            .limit(2 * LARGE as u64)
            .read_to_vec()
            .map_err(|e| client_failure(e, "body"))?;
    }
    Ok(Fetched { resp, curl })
}

/// An HTTP client that talks only to the address it is given (no proxy,
/// no redirect, no kept connection), giving up after `timeout` in all or
/// `idle` without a byte.
fn loopback_agent(timeout: Duration, idle: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        // Nothing may leave loopback, whatever the environment says.
        .proxy(None)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .timeout_global(Some(timeout))
        .timeout_per_read(idle)
        .build()
        .into()
}

/// A response's headers as received, names and values as text.
fn headers_of(response: &ureq::http::Response<ureq::Body>) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Turns a problem with a fetched response into a failure.
pub(super) fn fetched_failure(server: &Server, fetched: &Fetched, problem: Problem) -> Failure {
    let mut f = Failure::mismatch(problem.property)
        .with(Detail::Command {
            label: "start your server".into(),
            command: server.invocation().into(),
        })
        .with(Detail::Command {
            label: "then try".into(),
            command: fetched.curl.clone().into(),
        })
        .with_opt(problem.detail.map(|d| *d));
    let mut headers = String::new();
    for (n, v) in &fetched.resp.headers {
        headers.push_str(&format!("{n}: {v}\n"));
    }
    let status = say("httpd-status-received").arg("status", fetched.resp.status.to_string());
    let head = crate::model::Quoted::lines(vec![status.into(), Sentence::plain(headers)]);
    f = f.text(say("httpd-headers-label"), head);
    f
}

/// Fetches `path` and expects the file `rel` of the web root.
pub(super) fn get_file(t: &Ctx, server: &Server, path: &str, rel: &str) -> TestResult {
    let fetched = fetch(t, server, Method::Get, path, t.remaining())?;
    check_file(&fetched.resp, rel, false, &named(format!("GET {path}")))
        .map_err(|p| fetched_failure(server, &fetched, p))
}

/// Fetches `path` and expects a 404.
pub(super) fn get_not_found(t: &Ctx, server: &Server, path: &str) -> TestResult {
    let fetched = fetch(t, server, Method::Get, path, t.remaining())?;
    check_not_found(&fetched.resp, false, &named(format!("GET {path}")))
        .map_err(|p| fetched_failure(server, &fetched, p))
}
