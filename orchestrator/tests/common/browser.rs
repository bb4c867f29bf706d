//! Opens a page in headless Chromium (Debian's `chromium`) the way a reader would, and reports
//! what it did: console messages, the network requests the page made, its DOM and a screenshot.
//!
//! Every request the browser makes goes to a proxy on loopback that only records it and closes
//! the connection, so nothing leaves the machine. Chromium's own services (component updates,
//! the time check, sign-in) call out even with background networking disabled; their hosts are
//! listed below and not counted as the page's.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Hosts Chromium itself contacts on start, whatever the page.
const BROWSER_OWN_HOSTS: &[&str] =
    &["clients2.google.com", "update.googleapis.com", "accounts.google.com", "redirector.gvt1.com", "optimizationguide-pa.googleapis.com"];

/// What opening a page showed.
pub struct Opened {
    /// `CONSOLE` lines of the browser log (the page has no script: any is a fault).
    pub console: Vec<String>,
    /// First lines of every request the page made.
    pub page_requests: Vec<String>,
    /// The DOM after load.
    pub dom: String,
    /// The first screen, PNG.
    pub screenshot: Vec<u8>,
}

/// The Chromium binary, or a message saying how to get it.
pub fn chromium() -> Result<String, String> {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Ok(name.to_string());
        }
    }
    Err("no chromium on PATH: install Debian's package (`apt-get install --no-install-recommends chromium`; scripts/test does this as root)".into())
}

/// Opens `page` (a file) at `width` × `height`.
pub fn open(page: &Path, width: u32, height: u32) -> Opened {
    let browser = chromium().unwrap_or_else(|e| panic!("{e}"));
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_addr = proxy.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for mut stream in proxy.incoming().flatten() {
            stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
            let mut buf = [0u8; 512];
            let n = stream.read(&mut buf).unwrap_or(0);
            let text = String::from_utf8_lossy(&buf[..n]);
            seen.lock().unwrap().push(text.lines().next().unwrap_or("").to_string());
        }
    });
    let scratch = tempfile::tempdir().unwrap();
    let shot = scratch.path().join("shot.png");
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let base = |profile: &str| {
        let mut c = Command::new(&browser);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--proxy-server=http://{proxy_addr}"),
            &format!("--user-data-dir={}", scratch.path().join(profile).display()),
            &format!("--window-size={width},{height}"),
        ]);
        c
    };
    let shown = base("a").arg(format!("--screenshot={}", shot.display())).arg(&url).output().expect("chromium runs");
    let dumped = base("b").arg("--dump-dom").arg(&url).output().expect("chromium runs");
    let log = String::from_utf8_lossy(&shown.stderr).into_owned() + &String::from_utf8_lossy(&dumped.stderr);
    let console = log.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    std::thread::sleep(Duration::from_millis(300));
    let page_requests = requests.lock().unwrap().iter().filter(|line| !BROWSER_OWN_HOSTS.iter().any(|host| line.contains(host))).cloned().collect();
    Opened { console, page_requests, dom: String::from_utf8_lossy(&dumped.stdout).into_owned(), screenshot: std::fs::read(&shot).unwrap_or_default() }
}

/// Distinct colours among the screenshot's pixels (a blank page has one).
pub fn distinct_colours(png_bytes: &[u8]) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG screenshot");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sized PNG")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    let channels = info.color_type.samples();
    let mut colours: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

/// The JSON the page embeds in `<script id="report-data">`.
pub fn embedded_data(dom: &str) -> serde_json::Value {
    let open = dom.find("id=\"report-data\">").expect("the page embeds its data") + "id=\"report-data\">".len();
    let close = open + dom[open..].find("</script>").expect("the data script ends");
    serde_json::from_str(&dom[open..close]).expect("the embedded data is JSON")
}
