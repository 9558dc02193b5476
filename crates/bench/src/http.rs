//! A minimal HTTP/1.1 client for load: one keep-alive connection per thread, signed form POSTs,
//! reconnecting when the server closes (moto's server does after each answer, Cornac an idle one).

use anyhow::{bail, Context};
use cornac_sigv4::{parse, signature, Request};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

pub struct Client {
    port: u16,
    conn: Option<BufReader<TcpStream>>,
    key: String,
    secret: String,
    region: String,
    /// The SigV4 service requests are signed for (`rds` unless [`Client::signing_for`]).
    service: &'static str,
}

impl Client {
    pub fn new(port: u16, key: &str, secret: &str, region: &str) -> Self {
        Self {
            port,
            conn: None,
            key: key.to_owned(),
            secret: secret.to_owned(),
            region: region.to_owned(),
            service: "rds",
        }
    }

    /// The same client, signing for `service` (`iam`, `sts`).
    pub fn signing_for(mut self, service: &'static str) -> Self {
        self.service = service;
        self
    }

    /// POST a signed form; the status code and the body of the answer.
    pub fn post(&mut self, body: &str) -> anyhow::Result<(u16, String)> {
        let host = format!("127.0.0.1:{}", self.port);
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let unsigned = format!(
            "AWS4-HMAC-SHA256 Credential={}/{}/{}/{}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0",
            self.key,
            &amz_date[..8],
            self.region,
            self.service
        );
        let headers = [
            ("host", host.as_str()),
            (
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
            ("x-amz-date", amz_date.as_str()),
            ("authorization", unsigned.as_str()),
        ];
        let request = Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: body.as_bytes(),
        };
        let sig = signature(&parse(&request)?, &request, &self.secret)?;
        let authorization = unsigned.replace("Signature=0", &format!("Signature={sig}"));
        let text = format!(
            "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
             X-Amz-Date: {amz_date}\r\nAuthorization: {authorization}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        // A kept connection the server closed while it idled is opened again, once.
        let reused = self.conn.is_some();
        let (status, keep, answer) = match self.exchange(&text)? {
            Some(answer) => answer,
            None if reused => self.exchange(&text)?.context("the server closed at once")?,
            None => bail!("the server closed without answering"),
        };
        if !keep {
            self.conn = None;
        }
        Ok((status, answer))
    }

    /// Send `text` and read the answer; `None` when the server had closed the connection.
    fn exchange(&mut self, text: &str) -> anyhow::Result<Option<(u16, bool, String)>> {
        if self.conn.is_none() {
            self.conn = Some(BufReader::new(TcpStream::connect((
                "127.0.0.1",
                self.port,
            ))?));
        }
        let conn = self.conn.as_mut().context("no connection")?;
        let answer = match conn.get_mut().write_all(text.as_bytes()) {
            Ok(()) => read_answer(conn)?,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => None,
            Err(e) => return Err(e.into()),
        };
        if answer.is_none() {
            self.conn = None;
        }
        Ok(answer)
    }
}

/// Read one answer: its status, whether the connection stays open, and its body; `None` when
/// the connection ends before a status line.
fn read_answer(conn: &mut BufReader<TcpStream>) -> anyhow::Result<Option<(u16, bool, String)>> {
    let mut line = String::new();
    let read = match conn.read_line(&mut line) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => 0,
        Err(e) => return Err(e.into()),
    };
    if read == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let version = parts.next().unwrap_or_default().to_owned();
    let status: u16 = parts
        .next()
        .unwrap_or_default()
        .parse()
        .context("no status line")?;
    let (mut length, mut keep) = (0usize, version == "HTTP/1.1");
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse()?,
            "connection" => keep = !value.trim().eq_ignore_ascii_case("close"),
            "transfer-encoding" => bail!("chunked answers are not supported"),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok(Some((
        status,
        keep,
        String::from_utf8_lossy(&body).into_owned(),
    )))
}
