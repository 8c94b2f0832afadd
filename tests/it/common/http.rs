//! A loopback HTTP server for the feed tests: a std `TcpListener` on
//! 127.0.0.1 port 0, one request per connection, answered by a closure.
//! Raw sockets rather than a server crate so a test can drip a body a
//! byte a second or stream 100 MB without holding it in memory. Every
//! request is recorded, so tests can check what the client sent.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the client sent: the path and the headers (names lowercased).
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How the body is sent.
pub enum Body {
    Bytes(Vec<u8>),
    /// One byte a second, for ever (until the client hangs up).
    Drip,
    /// This many zero bytes, streamed in chunks, with a Content-Length.
    Zeros(u64),
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self::status(200).body(body)
    }

    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Body::Bytes(body.into());
        self
    }

    pub fn with(mut self, body: Body) -> Self {
        self.body = body;
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; it lives until the test process ends.
pub struct Server {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, log) = (handler.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Self { port, requests }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    log.lock().unwrap().push(request.clone());
    let reply = handler(&request);
    let _ = send(stream, reply);
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':')?;
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    Some(Request { path, headers })
}

fn send(mut stream: TcpStream, reply: Reply) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    match &reply.body {
        Body::Bytes(b) => head.push_str(&format!("Content-Length: {}\r\n", b.len())),
        Body::Zeros(n) => head.push_str(&format!("Content-Length: {n}\r\n")),
        Body::Drip => head.push_str("Content-Length: 1000000\r\n"),
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    match reply.body {
        Body::Bytes(b) => stream.write_all(&b),
        Body::Drip => loop {
            stream.write_all(b"<")?;
            stream.flush()?;
            std::thread::sleep(Duration::from_secs(1));
        },
        Body::Zeros(mut n) => {
            let chunk = vec![0u8; 64 * 1024];
            while n > 0 {
                let k = n.min(chunk.len() as u64) as usize;
                stream.write_all(&chunk[..k])?;
                n -= k as u64;
            }
            Ok(())
        }
    }
}
