//! A Debian root filesystem made by debootstrap, streamed as a tar archive.

use std::path::Path;
use std::process::Stdio;

use bytes::Bytes;
use futures_util::Stream;
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use super::ImagesError;

/// Runs `debootstrap --variant=minbase SUITE DIR MIRROR`; killed if the caller is cancelled.
pub async fn debootstrap(suite: &str, mirror: &str, dir: &Path, mut on_line: impl FnMut(&str)) -> Result<(), ImagesError> {
    let mut child = Command::new("debootstrap")
        .args(["--variant=minbase", suite])
        .arg(dir)
        .arg(mirror)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| ImagesError::NoDebootstrap(e.to_string()))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut buffer = vec![0u8; 8192];
    let mut log = String::new();
    while let Ok(n @ 1..) = stdout.read(&mut buffer).await {
        let text = String::from_utf8_lossy(&buffer[..n]);
        text.lines().for_each(&mut on_line);
        log.push_str(&text);
    }
    let output = child.wait_with_output().await.map_err(|e| ImagesError::NoDebootstrap(e.to_string()))?;
    if !output.status.success() {
        log.push_str(&String::from_utf8_lossy(&output.stderr));
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        let tail = tail.into_iter().rev().collect::<Vec<_>>().join("\n");
        return Err(ImagesError::Debootstrap { suite: suite.into(), mirror: mirror.into(), log: tail });
    }
    Ok(())
}

/// The folder as a tar stream (numeric owners, devices and links kept), made by the system's tar.
pub fn tar_stream(dir: &Path) -> Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static, ImagesError> {
    let child = Command::new("tar")
        .args(["--numeric-owner", "-C"])
        .arg(dir)
        .args(["-cf", "-", "."])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| ImagesError::Tar(e.to_string()))?;
    Ok(futures_util::stream::unfold(Some(child), read_chunk))
}

async fn read_chunk(child: Option<Child>) -> Option<(std::io::Result<Bytes>, Option<Child>)> {
    let mut child = child?;
    let mut buffer = vec![0u8; 1 << 20];
    let read = child.stdout.as_mut().expect("piped stdout").read(&mut buffer).await;
    match read {
        Ok(0) => match child.wait().await {
            Ok(status) if status.success() => None,
            Ok(status) => Some((Err(std::io::Error::other(format!("tar exited with {status}"))), None)),
            Err(e) => Some((Err(e), None)),
        },
        Ok(n) => {
            buffer.truncate(n);
            Some((Ok(Bytes::from(buffer)), Some(child)))
        }
        Err(e) => Some((Err(e), None)),
    }
}
