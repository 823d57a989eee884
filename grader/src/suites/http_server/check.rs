//! The checks of a response (status, headers, body, the 404 and 405 pages),
//! each a [`Problem`] said of the request it answers.
use super::*;

/// A response, whether a client library or the suite's own parser read it.
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Response {
    /// The first header of this name (names are case-insensitive).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What is wrong with a response: the property, and a comparison if any
/// (boxed: a `Detail` is large, and a `Problem` is an error value).
pub(super) struct Problem {
    pub(super) property: Sentence,
    pub(super) detail: Option<Box<Detail>>,
}

impl Problem {
    /// The problem `phrase` with the response to `what`.
    pub(super) fn new(what: &Sentence, phrase: Phrase) -> Problem {
        Problem {
            property: at(what, phrase),
            detail: None,
        }
    }
}

/// `phrase`, said of the response to `what` ("`GET /`: status 404, …").
pub(super) fn at(what: &Sentence, phrase: Phrase) -> Sentence {
    Sentence::in_situation(what.clone(), phrase.into())
}

/// A request named by its own text (`` `GET /` ``): data, the same in
/// every language.
pub(super) fn named(request: String) -> Sentence {
    Sentence::plain(format!("`{request}`"))
}

/// Checks the status code.
pub(super) fn check_status(resp: &Response, expected: u16, what: &Sentence) -> Result<(), Problem> {
    if resp.status == expected {
        Ok(())
    } else {
        Err(Problem::new(
            what,
            say("httpd-status")
                .arg("status", u32::from(resp.status))
                .arg("expected", u32::from(expected)),
        ))
    }
}

/// Checks that a response is the file `rel` (headers only for HEAD).
pub(super) fn check_file(
    resp: &Response,
    rel: &str,
    head_only: bool,
    what: &Sentence,
) -> Result<(), Problem> {
    let expected = file(rel);
    check_status(resp, 200, what)?;
    check_length_header(resp, expected.len(), what)?;
    let want_type = expected_type(rel);
    match resp.header("content-type") {
        None => {
            return Err(Problem::new(
                what,
                say("httpd-no-content-type").arg("expected", want_type),
            ))
        }
        Some(got) if normalize_type(got) != normalize_type(want_type) => {
            return Err(Problem::new(
                what,
                say("httpd-content-type")
                    .arg("got", got)
                    .arg("expected", want_type),
            ))
        }
        Some(_) => {}
    }
    if !head_only {
        check_body(&resp.body, expected, rel, what)?;
    }
    Ok(())
}

/// Checks that Content-Length is there and says `len`.
pub(super) fn check_length_header(
    resp: &Response,
    len: usize,
    what: &Sentence,
) -> Result<(), Problem> {
    match resp.header("content-length") {
        None => Err(Problem::new(what, say("httpd-no-length").arg("len", len))),
        Some(v) if v.trim() != len.to_string() => Err(Problem::new(
            what,
            say("httpd-length").arg("got", v.trim()).arg("len", len),
        )),
        Some(_) => Ok(()),
    }
}

/// Checks a body against the file it should be.
pub(super) fn check_body(
    got: &[u8],
    expected: &[u8],
    rel: &str,
    what: &Sentence,
) -> Result<(), Problem> {
    let label = Label::Phrase(say("httpd-body-label").arg("rel", rel));
    let detail = match std::str::from_utf8(expected) {
        Ok(text) if expected.len() <= 64 * 1024 => compare::labelled_text(label, text, got),
        _ => compare::labelled_bytes(label, expected, got),
    };
    match detail {
        None => Ok(()),
        Some(d) => Err(Problem {
            property: at(what, say("httpd-body-differs").arg("rel", rel)),
            detail: Some(Box::new(d)),
        }),
    }
}

/// Checks a 404: status, Content-Length, and a small HTML body.
pub(super) fn check_not_found(
    resp: &Response,
    head_only: bool,
    what: &Sentence,
) -> Result<(), Problem> {
    check_status(resp, 404, what)?;
    let Some(len) = resp.header("content-length") else {
        return Err(Problem::new(what, say("httpd-404-no-length")));
    };
    if !head_only {
        if resp.body.is_empty() {
            return Err(Problem::new(what, say("httpd-404-no-body")));
        }
        // A page, not a stray byte or a bare status text: some markup.
        if !(resp.body.contains(&b'<') && resp.body.contains(&b'>')) {
            return Err(Problem::new(
                what,
                say("httpd-404-not-html")
                    .arg("body", escape_bytes(&resp.body[..resp.body.len().min(80)])),
            ));
        }
        if len.trim() != resp.body.len().to_string() {
            return Err(Problem::new(
                what,
                say("httpd-404-length")
                    .arg("len", len.trim())
                    .arg("n", resp.body.len()),
            ));
        }
    }
    match resp.header("content-type") {
        Some(t) if normalize_type(t).starts_with("text/html") => Ok(()),
        Some(t) => Err(Problem::new(what, say("httpd-404-type").arg("type", t))),
        None => Err(Problem::new(what, say("httpd-404-no-type"))),
    }
}

/// Checks a 405 and its Allow header.
pub(super) fn check_not_allowed(resp: &Response, what: &Sentence) -> Result<(), Problem> {
    check_status(resp, 405, what)?;
    let Some(allow) = resp.header("allow") else {
        return Err(Problem::new(what, say("httpd-405-no-allow")));
    };
    let mut methods: Vec<String> = allow.split(',').map(|m| m.trim().to_string()).collect();
    methods.sort();
    if methods != ["GET", "HEAD"] {
        return Err(Problem::new(
            what,
            say("httpd-405-allow").arg("allow", allow),
        ));
    }
    Ok(())
}
