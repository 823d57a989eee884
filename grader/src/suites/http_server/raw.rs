//! Raw requests on recorded sessions, and the suite's own reading of the
//! responses (head, then exactly Content-Length bytes of body).
use super::*;

/// A request with a Host header and any extra header lines.
pub(super) fn request(method: &str, target: &str, host: SocketAddr, extra: &str) -> Vec<u8> {
    format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n").into_bytes()
}

/// A GET request.
pub(super) fn get(target: &str, host: SocketAddr) -> Vec<u8> {
    request("GET", target, host, "")
}

/// A problem found on a session, as a failure with its transcript.
pub(super) fn session_failure(s: &Session, problem: Problem) -> Failure {
    s.fail(problem.property)
        .with_opt(problem.detail.map(|d| *d))
}

/// Reads one response from the session: the head up to `\r\n\r\n`, then
/// exactly Content-Length bytes of body (none for HEAD). A response without
/// Content-Length has a body only if the connection closes after it.
pub(super) fn read_response(
    s: &mut Session,
    head_only: bool,
    what: &Sentence,
) -> Result<Response, Failure> {
    let head = s.recv_until(b"\r\n\r\n", MAX_HEAD).context(what.clone())?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.trim_end_matches("\r\n").split("\r\n");
    let status = lines
        .next()
        .and_then(parse_status_line)
        .ok_or_else(|| s.fail(at(what, say("httpd-no-status-line"))))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut resp = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if head_only {
        return Ok(resp);
    }
    match resp.header("content-length") {
        Some(v) => {
            let n: usize = v
                .parse()
                .map_err(|_| s.fail(at(what, say("httpd-length-not-number").arg("value", v))))?;
            resp.body = s
                .recv_exact(n)
                .context(at(what, say("httpd-the-body").arg("n", n)))?;
        }
        None if matches!(status, 200 | 404) => {
            return Err(s.fail(at(
                what,
                say("httpd-no-length-status").arg("status", u32::from(status)),
            )));
        }
        None if status == 400
            || resp
                .header("connection")
                .is_some_and(|c| c.eq_ignore_ascii_case("close")) =>
        {
            resp.body = s.recv_to_end(1 << 20).map_err(|f| {
                if f.cause == Cause::Timeout {
                    s.fail(at(what, say("httpd-no-length-no-close")))
                } else {
                    f
                }
            })?;
        }
        None => {}
    }
    Ok(resp)
}

/// The status code of `HTTP/1.x NNN reason`.
pub(super) fn parse_status_line(line: &str) -> Option<u16> {
    let (version, rest) = line.split_once(' ')?;
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return None;
    }
    let code = rest.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit()) || !(rest.len() == 3 || rest[3..].starts_with(' '))
    {
        return None;
    }
    code.parse().ok()
}

/// Sends `req` and expects the file `rel`.
pub(super) fn exchange_file(
    s: &mut Session,
    req: &[u8],
    rel: &str,
    head_only: bool,
    what: &Sentence,
) -> TestResult {
    s.send(req)?;
    expect_file_response(s, rel, head_only, what)
}

/// Reads a response and expects the file `rel`.
pub(super) fn expect_file_response(
    s: &mut Session,
    rel: &str,
    head_only: bool,
    what: &Sentence,
) -> TestResult {
    let resp = read_response(s, head_only, what)?;
    check_file(&resp, rel, head_only, what).map_err(|p| session_failure(s, p))
}

/// Adds the keep-alive note to a failure that comes from a closed connection.
pub(super) fn keep_alive_note(f: Failure) -> Failure {
    if f.property.contains("closed the connection") || f.property.contains("reset") {
        f.say(say("httpd-keep-alive-note"))
    } else {
        f
    }
}
