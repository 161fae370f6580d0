//! Messages in and out over standard input and output.
//!
//! `lsp-server`'s own stdio transport stops reading at the first malformed
//! message, which ends the session; an editor (or a person typing into the
//! pipe) deserves a parse error and a server that keeps going. So frames are
//! read here and each body is decoded on its own; writing uses
//! `lsp-server`'s framing.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc;

use lsp_server::Message;

/// The largest message accepted: a 16 MiB file, JSON-escaped, fits.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What the reader saw.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A frame whose body is not a JSON-RPC message, or whose header is broken.
    Malformed(String),
}

/// Reads messages from `input` on its own thread, so the server can see
/// whether more are waiting (and skip diagnostics a later edit replaces).
/// The channel closes at the end of input.
pub fn spawn_reader(input: impl BufRead + Send + 'static) -> mpsc::Receiver<Incoming> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut input = input;
        loop {
            let incoming = match read_frame(&mut input) {
                Ok(None) => return,
                Ok(Some(body)) => match serde_json::from_slice::<Message>(&body) {
                    Ok(m) => Incoming::Message(m),
                    Err(e) => Incoming::Malformed(format!("not a JSON-RPC message: {e}")),
                },
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    Incoming::Malformed(e.to_string())
                }
                Err(_) => return,
            };
            if tx.send(incoming).is_err() {
                return;
            }
        }
    });
    rx
}

/// One frame's body, `None` at the end of input. A broken header is
/// `InvalidData`; reading goes on at the next line.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    let mut saw_header = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        let Some((name, value)) = header.split_once(':') else {
            return Err(invalid(format!("malformed header line {header:?}")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value.trim().parse::<usize>().map_err(|_| {
                invalid(format!(
                    "Content-Length is not a number: {:?}",
                    value.trim()
                ))
            })?;
            length = Some(n);
        }
    }
    let length = length.ok_or_else(|| invalid("a message without Content-Length".into()))?;
    if length > MAX_MESSAGE_BYTES {
        // Skip it rather than hold it: the stream stays in step.
        io::copy(&mut Read::take(&mut *input, length as u64), &mut io::sink())?;
        return Err(invalid(format!(
            "a message of {length} bytes, over the {MAX_MESSAGE_BYTES} byte limit"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Writes one message to standard output.
pub fn send(message: Message) {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = message.write(&mut out) {
        log(&format!("cannot write to the editor: {e}"));
    }
}

/// The JSON-RPC answer to a message that could not be read: a parse error
/// with a null id, which `lsp-server`'s types cannot carry.
pub fn send_parse_error(why: &str) {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": -32700, "message": why },
    })
    .to_string();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written =
        write!(out, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|()| out.flush());
    if let Err(e) = written {
        log(&format!("cannot write to the editor: {e}"));
    }
}

/// A line on standard error, which editors show in their server log.
pub fn log(line: &str) {
    eprintln!("glossator lsp: {line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_frames_and_recovers_from_a_bad_header() {
        let input = b"Content-Length: 2\r\n\r\n{}garbage\r\n\r\nContent-Length: 3\r\n\r\n[1]";
        let mut r = &input[..];
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"{}");
        assert_eq!(
            read_frame(&mut r).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"[1]");
        assert!(read_frame(&mut r).unwrap().is_none());
    }
}
