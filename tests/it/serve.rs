//! `glossator serve`: the real binary on a free loopback port, read over raw
//! HTTP/1.1 so that requests go out exactly as written (no client-side path
//! normalisation).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::Edition;

/// How long the tests wait for an edit to show in the served page: they wait
/// on the page itself, so this only bounds a hang. An edit shows in well
/// under a second; a loaded machine must not fail the tests, which is why the
/// bound is far above it.
const LIVE: Duration = Duration::from_secs(30);

struct Server {
    child: Child,
    addr: String,
    /// The child's TMPDIR: its temporary site folder lives here.
    tmp: tempfile::TempDir,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
    /// What it printed before it announced its address.
    startup: Vec<String>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn lines(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl Server {
    fn start(edition: &Edition, extra: &[&str]) -> Server {
        let port = free_port().to_string();
        Server::start_on(edition, &["--port", &port], extra)
    }

    fn start_on(edition: &Edition, port: &[&str], extra: &[&str]) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_glossator"))
            .arg("serve")
            .arg("--root")
            .arg(edition.root())
            .args(port)
            .args(extra)
            .env("TMPDIR", tmp.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            addr: String::new(),
            tmp,
            stdout,
            stderr,
            startup: Vec::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let line = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = server
                .stdout
                .recv_timeout(left)
                .expect("the server announces its address");
            if line.starts_with("serving ") {
                break line;
            }
            server.startup.push(line);
        };
        let url = line.split(" at http://").nth(1).unwrap();
        server.addr = url.split('/').next().unwrap().to_string();
        server
    }

    /// Waits for the next rebuild reported on stdout; panics after `within`.
    #[track_caller]
    fn next_rebuild(&self, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.starts_with("rebuilt") => return line,
                Ok(_) => {}
                Err(_) => panic!("no rebuild reported within {within:?}"),
            }
        }
    }

    /// The rebuilds reported on stdout during `period`.
    fn rebuilds_during(&self, period: Duration) -> Vec<String> {
        std::thread::sleep(period);
        self.stdout
            .try_iter()
            .filter(|l| l.starts_with("rebuilt"))
            .collect()
    }

    /// Waits until standard error holds `text`; panics after `within`.
    #[track_caller]
    fn wait_for_stderr(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut seen = String::new();
        while !seen.contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                }
                Err(_) => panic!("`{text}` not on standard error within {within:?}:\n{seen}"),
            }
        }
        seen
    }

    fn get(&self, path: &str) -> Response {
        raw_get(&self.addr, path)
    }

    /// Polls `path` until `pred` holds; panics after `within`.
    #[track_caller]
    fn wait_for(&self, path: &str, within: Duration, pred: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + within;
        loop {
            let r = self.get(path);
            if pred(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} did not change as expected within {within:?}; last response:\n{}",
                r.body
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends Ctrl-C (SIGINT) and waits for a clean exit.
    fn interrupt(mut self) -> (std::process::ExitStatus, tempfile::TempDir) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let tmp = std::mem::replace(&mut self.tmp, tempfile::tempdir().unwrap());
                return (status, tmp);
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The folder the server writes the site into.
    fn site(&self) -> PathBuf {
        let dir = fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("glossator-serve-")
            })
            .expect("a temporary folder of the server");
        dir.join("site")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One HTTP/1.1 GET with the request target sent verbatim.
fn raw_get(addr: &str, target: &str) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

fn edit(edition: &Edition, rel: &str, from: &str, to: &str) {
    let text = edition.read(rel);
    assert!(text.contains(from), "{rel} holds {from:?}");
    edition.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn serves_the_site_with_types_folders_and_the_reload_script() {
    let edition = Edition::fixture("basic");
    let server = Server::start(&edition, &[]);
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(index.body.contains("data-glossator-serve"));
    assert!(index.body.contains("/__glossator/events"));

    let part = server.get("/01-beginnings/");
    assert_eq!(part.status, 200);
    assert!(part.body.contains("Beginnings"));
    let redirect = server.get("/01-beginnings");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/01-beginnings/"));

    let css = fs::read_dir(server.site().join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".css"))
        .expect("the theme has a stylesheet");
    let style = server.get(&format!("/static/{css}"));
    assert_eq!(style.status, 200);
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert!(!style.body.contains("data-glossator-serve"));

    // No listings: a folder without index.html is a 404 (the theme's page).
    let theme_404 = fs::read_to_string(server.site().join("404.html")).unwrap();
    for missing in ["/static/", "/no/such/page/", "/nothing.html"] {
        let r = server.get(missing);
        assert_eq!(r.status, 404, "{missing}");
        assert_eq!(
            without_script(&r.body),
            theme_404,
            "{missing} is the theme's 404 page, not a listing"
        );
    }

    // What `serve` writes is what `build` writes: the script is added only
    // in responses, so `build` output never holds it.
    edition.build().success();
    for (path, bytes) in edition.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("glossator-serve"), "{path} holds the script");
        assert!(!text.contains("__glossator"), "{path} holds the script");
    }
    let built = edition.snapshot();
    let served = crate::harness::tree_bytes(&server.site());
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        served.keys().collect::<Vec<_>>(),
        "serve and build write different files"
    );
    for (path, bytes) in &built {
        assert!(
            served[path] == *bytes,
            "{path} differs between serve and build"
        );
    }
    // And each page is served as written, only with the script added.
    let mut pages = 0;
    for (path, bytes) in built.iter().filter(|(p, _)| p.ends_with(".html")) {
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let r = server.get(&url);
        assert_eq!(r.status, 200, "{url}");
        assert_eq!(without_script(&r.body).as_bytes(), &bytes[..], "{url}");
        pages += 1;
    }
    assert!(pages > 10, "only {pages} pages");
}

#[test]
fn an_edit_shows_and_open_pages_are_told_to_reload() {
    let edition = Edition::fixture("basic");
    let server = Server::start(&edition, &[]);
    assert!(!server.get("/01-beginnings/").body.contains("Lausanne"));

    let mut events = TcpStream::connect(&server.addr).unwrap();
    events.set_read_timeout(Some(LIVE)).unwrap();
    write!(
        events,
        "GET /__glossator/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut head = [0u8; 512];
    let n = events.read(&mut head).unwrap();
    let head = String::from_utf8_lossy(&head[..n]).into_owned();
    assert!(head.contains("text/event-stream"), "{head}");

    edit(
        &edition,
        "content/01-beginnings.md",
        "recalls meetings",
        "recalls meetings in Lausanne",
    );
    let saved = Instant::now();
    server.next_rebuild(LIVE);
    let rebuilt = saved.elapsed();
    server.wait_for("/01-beginnings/", LIVE, |r| {
        r.body.contains("meetings in Lausanne")
    });
    let shown = saved.elapsed();
    // The exports follow the pages.
    server.wait_for("/annotations.json", LIVE, |r| {
        r.body.contains("meetings in Lausanne")
    });
    let _ = writeln!(
        std::io::stderr(),
        "serve: an edit was rebuilt after {rebuilt:.0?} and shown after {shown:.0?}"
    );

    // The rebuild's own reads of the sources must not start another one: one
    // would follow within a rebuild's time, so watch for five times as long
    // as this one took, and at least a second.
    let quiet = (rebuilt * 5).max(Duration::from_secs(1));
    let again = server.rebuilds_during(quiet);
    assert!(again.is_empty(), "rebuilt with nothing changed: {again:?}");

    let mut seen = String::new();
    let mut buf = [0u8; 256];
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).expect("a reload event arrives");
        assert!(n > 0, "the event stream ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }

    // A new entity file and a mention of it: a new page and a new link.
    edition.write(
        "content/people/rice.md",
        "---\nname: Condoleezza Rice\ndescription: National security adviser.\n---\n",
    );
    edit(
        &edition,
        "content/02-later.md",
        "\n\n",
        "\n\nAsk [Rice](person:rice) about it.\n\n",
    );
    let rice = server.wait_for("/people/rice/", LIVE, |r| r.status == 200);
    assert!(rice.body.contains("Condoleezza Rice"));
    // Files of one rebuild are written in parallel: wait for this one too.
    server.wait_for("/02-later/", LIVE, |r| {
        r.body.contains("../people/rice/index.html")
    });
}

#[test]
fn a_yaml_error_shows_an_overlay_over_the_last_good_page_until_fixed() {
    let edition = Edition::fixture("basic");
    let server = Server::start(&edition, &[]);
    let before = server.get("/01-beginnings/");
    assert!(!before.body.contains("glossator-error"));

    edit(
        &edition,
        "content/01-beginnings.md",
        "summary: Where it starts.",
        "summary: [Where it starts.",
    );
    let broken = server.wait_for("/01-beginnings/", LIVE, |r| {
        r.body.contains("glossator-error")
    });
    // The same message the terminal shows: path:line:col and the source line.
    let overlay = broken.body.split("id=\"glossator-error\"").nth(1).unwrap();
    assert!(overlay.contains("content/01-beginnings.md:4:"), "{overlay}");
    assert!(overlay.contains("summary: [Where it starts."), "{overlay}");
    let terminal = server.wait_for_stderr("content/01-beginnings.md:4:", LIVE);
    let headline = terminal
        .lines()
        .find(|l| l.starts_with("content/01-beginnings.md:4:"))
        .expect("the terminal shows the error");
    assert!(
        unescape(overlay).contains(headline),
        "{headline}\n{overlay}"
    );
    // Underneath, the last good page is still served, every page of it.
    assert!(broken.body.contains("recalls meetings"));
    assert_eq!(server.get("/people/crocker/").status, 200);

    edit(
        &edition,
        "content/01-beginnings.md",
        "summary: [Where it starts.",
        "summary: Where it starts, fixed.",
    );
    let fixed = server.wait_for("/01-beginnings/", LIVE, |r| {
        !r.body.contains("glossator-error")
    });
    assert!(fixed.body.contains("recalls meetings"));
    server.wait_for("/", LIVE, |r| r.body.contains("Where it starts, fixed."));
}

#[test]
fn requests_that_escape_the_site_are_refused() {
    let edition = Edition::fixture("basic");
    let server = Server::start(&edition, &[]);
    // A file beside the site folder, and a symbolic link to it from inside.
    let secret = server.site().parent().unwrap().join("secret.txt");
    fs::write(&secret, "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, server.site().join("leak.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", server.site().join("etc")).unwrap();

    for target in [
        "/../secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        &format!("/{}", secret.display()),
        &format!(
            "/%2F{}",
            secret.display().to_string().trim_start_matches('/')
        ),
        "/leak.txt",
        "/etc/passwd",
    ] {
        let r = server.get(target);
        assert!(
            r.status == 400 || r.status == 403 || r.status == 404,
            "{target}: {}",
            r.status
        );
        assert!(!r.body.contains("SECRET"), "{target} leaked the file");
        assert!(!r.body.contains("root:"), "{target} leaked /etc/passwd");
    }
    assert_eq!(server.get("/leak.txt").status, 403);
    assert_eq!(server.get("/%2e%2e/secret.txt").status, 400);
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_no_temporary_folder() {
    let edition = Edition::fixture("basic");
    let server = Server::start(&edition, &[]);
    assert!(server.site().join("index.html").is_file());
    // An open event stream must not hold the shutdown up.
    let mut events = TcpStream::connect(&server.addr).unwrap();
    events.set_read_timeout(Some(LIVE)).unwrap();
    write!(
        events,
        "GET /__glossator/events HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    // The stream is open once its response head has arrived.
    let mut head = [0u8; 512];
    let n = events.read(&mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).contains("text/event-stream"),
        "the event stream did not open"
    );
    let (status, tmp) = server.interrupt();
    assert!(status.success(), "{status:?}");
    let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(!edition.root().join("site").exists());
}

#[test]
fn a_taken_port_moves_to_the_next_and_other_addresses_are_warned_about() {
    let edition = Edition::fixture("basic");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let server = Server::start_on(&edition, &["--port", &port], &[]);
    assert_ne!(server.addr, format!("127.0.0.1:{port}"));
    assert!(
        server
            .startup
            .contains(&format!("port {port} is in use; trying the next one")),
        "{:?}",
        server.startup
    );
    assert_eq!(server.get("/").status, 200);
    drop(server);

    let port = free_port().to_string();
    let server = Server::start_on(&edition, &["--port", &port], &["--bind", "0.0.0.0"]);
    // A non-loopback bind is warned about.
    server.wait_for_stderr("readable from other machines", LIVE);
}

/// A served page as written on disk: without the live-reload script.
fn without_script(html: &str) -> String {
    let start = html
        .find("<script data-glossator-serve>")
        .expect("the script");
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// Undoes HTML escaping, to compare overlay text with terminal text.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn an_edition_that_does_not_build_yet_is_served_once_fixed() {
    let edition = Edition::fixture("basic");
    edit(
        &edition,
        "content/02-later.md",
        "(person:zarif)",
        "(person:zarf)",
    );
    let server = Server::start(&edition, &[]);
    // Nothing built yet: every page is a 404 with the overlay on it.
    let first = server.get("/");
    assert_eq!(first.status, 404);
    assert!(first.body.contains("glossator-error"));
    assert!(
        unescape(&first.body).contains("content/02-later.md:5:"),
        "{}",
        first.body
    );
    edit(
        &edition,
        "content/02-later.md",
        "(person:zarf)",
        "(person:zarif)",
    );
    // The page is written before the error is cleared (open pages reload
    // only once both are done), so wait for both.
    let fixed = server.wait_for("/02-later/", LIVE, |r| {
        r.status == 200 && !r.body.contains("glossator-error")
    });
    assert!(fixed.body.contains("Zarif"));
}

#[test]
fn copied_files_and_the_config_file_are_picked_up() {
    let edition = Edition::fixture("basic");
    edition.write("static/CNAME", "one.example.org\n");
    let eject = Command::new(env!("CARGO_BIN_EXE_glossator"))
        .args(["theme", "eject", "mine", "--root"])
        .arg(edition.root())
        .output()
        .unwrap();
    assert!(eject.status.success());
    edit(
        &edition,
        "themes/mine/templates/base.html",
        "<body",
        "<body data-theme=\"mine\"",
    );
    let server = Server::start(&edition, &[]);
    assert_eq!(server.get("/CNAME").body, "one.example.org\n");
    assert!(!server.get("/").body.contains("data-theme=\"mine\""));

    edition.write("static/CNAME", "two.example.org\n");
    server.wait_for("/CNAME", LIVE, |r| r.body == "two.example.org\n");
    edition.write("content/notes.txt", "notes\n");
    server.wait_for("/notes.txt", LIVE, |r| r.status == 200);
    fs::remove_file(edition.root().join("content/notes.txt")).unwrap();
    server.wait_for("/notes.txt", LIVE, |r| r.status == 404);

    // The theme glossator.toml names is used at once; an error in the file
    // shows over the last good build until it is fixed.
    edition.write("glossator.toml", "theme = \"mine\"\n");
    server.wait_for("/", LIVE, |r| r.body.contains("data-theme=\"mine\""));
    edition.write("glossator.toml", "theme = 1\n");
    server.wait_for("/", LIVE, |r| r.body.contains("glossator.toml:1:9"));
    edition.write("glossator.toml", "theme = \"default\"\n");
    server.wait_for("/", LIVE, |r| {
        !r.body.contains("glossator.toml:1:9") && !r.body.contains("data-theme=\"mine\"")
    });
    assert_eq!(server.get("/CNAME").body, "two.example.org\n");
}

#[test]
fn drafts_are_served_each_marked() {
    let edition = Edition::fixture("basic");
    edition.write(
        "content/03-unfinished.md",
        "---\ntitle: Unfinished\ndraft: true\n---\nNot ready yet.\n",
    );
    let server = Server::start(&edition, &[]);
    let draft = server.get("/03-unfinished/");
    assert_eq!(draft.status, 200);
    assert!(
        draft.body.contains("class=\"draft-banner\""),
        "{}",
        draft.body
    );
    assert!(!server.get("/01-beginnings/").body.contains("draft-banner"));
}
