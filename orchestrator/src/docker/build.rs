//! Building images from a context and importing a root filesystem.

use std::collections::HashMap;

use bollard::query_parameters as q;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use super::{DockerError, Engine, Result};

/// Lines of build output a failed build's error repeats.
const LAST_LINES: usize = 15;

/// A build: the context as a tar archive, its tag, build arguments and labels.
pub struct BuildRequest {
    pub tag: String,
    pub context_tar: Vec<u8>,
    pub build_args: HashMap<String, String>,
    pub labels: HashMap<String, String>,
    /// Never reuse cached layers.
    pub no_cache: bool,
}

impl Engine {
    /// Builds an image with the classic builder; `on_line` sees every line of build output.
    /// Returns the ids of the step images the output names (cache hits and the `FROM` image
    /// included), oldest first.
    pub async fn build_image(&self, request: BuildRequest, mut on_line: impl FnMut(&str)) -> Result<Vec<String>> {
        // Images carry their own labels but never `bakeoff.managed-by`: a container inherits its
        // image's labels, and only containers bakeoff starts may carry that one.
        let image_labels = request.labels;
        let options = q::BuildImageOptions {
            t: Some(request.tag.clone()),
            rm: true,
            forcerm: true,
            nocache: request.no_cache,
            buildargs: Some(request.build_args),
            labels: Some(image_labels),
            ..Default::default()
        };
        let body = bollard::body_full(Bytes::from(request.context_tar));
        let mut output = self.docker.build_image(options, None, Some(body));
        let mut last = std::collections::VecDeque::with_capacity(LAST_LINES);
        let failed = |message: String, last: &std::collections::VecDeque<String>| {
            let lines = last.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n");
            DockerError::Build { tag: request.tag.clone(), message: format!("{message}\n  the build's last lines:\n{lines}") }
        };
        let mut steps = Vec::new();
        let mut lines = Lines::default();
        while let Some(step) = output.next().await {
            // A failure ends the output: its unfinished line belongs to the last lines.
            if step.as_ref().map_or(true, |info| info.error_detail.is_some()) {
                last.extend(lines.finish());
            }
            let info = step.map_err(|e| failed(e.to_string(), &last))?;
            if let Some(detail) = info.error_detail.and_then(|d| d.message) {
                return Err(failed(detail, &last));
            }
            for line in info.stream.map(|text| lines.push(&text)).unwrap_or_default() {
                steps.extend(step_image(&line));
                on_line(&line);
                if last.len() == LAST_LINES {
                    last.pop_front();
                }
                last.push_back(line);
            }
        }
        lines.finish().into_iter().for_each(|line| on_line(&line));
        Ok(steps)
    }

    /// Imports a root filesystem tar stream as image `tag`, applying Dockerfile `changes`
    /// (`LABEL …`, `CMD …`).
    pub async fn import_rootfs(&self, tag: &str, rootfs_tar: impl Stream<Item = std::io::Result<Bytes>> + Send + 'static, changes: Vec<String>) -> Result<()> {
        let (repo, version) = tag.rsplit_once(':').unwrap_or((tag, "latest"));
        let mut options = q::CreateImageOptionsBuilder::default().from_src("-").repo(repo).tag(version).build();
        options.changes = changes;
        let body = bollard::body_try_stream(rootfs_tar);
        let mut progress = self.docker.create_image(Some(options), Some(body), None);
        while let Some(step) = progress.next().await {
            step.map_err(|source| DockerError::Import { tag: tag.to_string(), source })?;
        }
        Ok(())
    }
}

/// Build output as whole lines: the engine streams a step's stderr as fragments (one per write of
/// the command, each wrapped in terminal colour codes), so a line is only known at its newline.
#[derive(Default)]
struct Lines {
    partial: String,
}

impl Lines {
    /// Takes a fragment; returns the lines it completes, without colour codes and blank lines.
    fn push(&mut self, fragment: &str) -> Vec<String> {
        self.partial.push_str(&without_escapes(fragment));
        let Some(end) = self.partial.rfind('\n') else { return Vec::new() };
        let rest = self.partial.split_off(end + 1);
        let done = std::mem::replace(&mut self.partial, rest);
        done.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
    }

    /// The last line, when the output did not end with a newline.
    fn finish(&mut self) -> Option<String> {
        Some(std::mem::take(&mut self.partial).trim_end().to_string()).filter(|l| !l.trim().is_empty())
    }
}

/// `text` without terminal escape sequences (`ESC [ … letter`).
fn without_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
        } else if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        }
    }
    out
}

/// The image id a classic-builder output line names (` ---> 0123456789ab`), if any.
fn step_image(line: &str) -> Option<String> {
    let id = line.trim().strip_prefix("---> ")?;
    (id.len() == 12 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_string())
}

/// A build context made of in-memory files: `(path in context, contents, mode)`.
pub fn context_tar(files: &[(&str, &[u8], u32)]) -> std::io::Result<Vec<u8>> {
    let mut archive = tar::Builder::new(Vec::new());
    for (path, contents, mode) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(*mode);
        header.set_mtime(0);
        header.set_cksum();
        archive.append_data(&mut header, path, *contents)?;
    }
    archive.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_npm_step_comes_out_as_whole_lines_without_colour_codes() {
        // What Docker 20.10 streamed for `npm ci` and a version the registry does not have: the
        // command's stderr in red, one fragment per write.
        let fragments = [
            "Step 5/17 : RUN npm ci --omit=dev\n",
            " ---> Running in 95c77ed3b183\n",
            "\u{1b}[91mnpm ERR!\u{1b}[0m",
            "\u{1b}[91m code\u{1b}[0m",
            "\u{1b}[91m ETARGET\n\u{1b}[0m",
            "\u{1b}[91mnpm ERR!\u{1b}[0m",
            "\u{1b}[91m notarget No matching version found for validator@^99.0.0.\n\u{1b}[0m",
            "\u{1b}[91mnpm ERR! A complete log of this run can be found in:\r\nnpm ERR!     /root/.npm/_logs/x.log",
        ];
        let mut lines = Lines::default();
        let mut out: Vec<String> = fragments.iter().flat_map(|f| lines.push(f)).collect();
        out.extend(lines.finish());
        assert_eq!(
            out,
            vec![
                "Step 5/17 : RUN npm ci --omit=dev",
                " ---> Running in 95c77ed3b183",
                "npm ERR! code ETARGET",
                "npm ERR! notarget No matching version found for validator@^99.0.0.",
                "npm ERR! A complete log of this run can be found in:",
                "npm ERR!     /root/.npm/_logs/x.log",
            ]
        );
    }

    #[test]
    fn step_images_are_read_from_the_arrow_lines_of_the_build_output() {
        assert_eq!(step_image(" ---> 7c3e0f1a2b4d"), Some("7c3e0f1a2b4d".to_string()));
        assert_eq!(step_image(" ---> Running in 0f1a2b4d7c3e"), None);
        assert_eq!(step_image(" ---> Using cache"), None);
        assert_eq!(step_image("Successfully built 7c3e0f1a2b4d"), None);
    }

    #[test]
    fn an_in_memory_context_holds_each_file_with_its_mode() {
        let tar = context_tar(&[("Dockerfile", b"FROM x\n", 0o644), ("run.sh", b"#!/bin/sh\n", 0o755)]).unwrap();
        let mut archive = tar::Archive::new(tar.as_slice());
        let entries: Vec<(String, u32)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.path().unwrap().display().to_string(), e.header().mode().unwrap())
            })
            .collect();
        assert_eq!(entries, vec![("Dockerfile".to_string(), 0o644), ("run.sh".to_string(), 0o755)]);
    }
}
