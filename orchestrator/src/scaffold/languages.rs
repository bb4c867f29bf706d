//! What `bakeoff new` knows of each language: the runtime Debian trixie ships, where the
//! dependencies come from, and the shape of a two-stage image (dependencies, then source, then a
//! runtime stage holding only what runs).

use serde::Serialize;

/// One language's defaults for a new app folder.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Language {
    pub id: &'static str,
    pub runtime_name: &'static str,
    pub runtime_version: &'static str,
    /// Where the runtime comes from (the manifest's comment).
    pub runtime_source: &'static str,
    /// Debian packages of the build stage.
    pub build_packages: &'static str,
    /// Debian packages of the runtime stage ("" when the build makes a self-contained binary).
    pub run_packages: &'static str,
    /// The dependency and lock files, copied before the source.
    pub dependency_files: &'static str,
    /// Installs the dependencies from those files alone (the cached layer).
    pub install: &'static str,
    /// Builds the source (after it is copied), or "" when nothing is compiled.
    pub build: &'static str,
    /// What the runtime stage copies from the build stage: (from, to) pairs.
    pub artifacts: &'static [(&'static str, &'static str)],
    /// The exec-form CMD, a guess the developer must confirm.
    pub cmd: &'static str,
    /// A source file the build copies (the manifest's `touch_file`).
    pub touch_file: &'static str,
    /// The registry the dependencies come from, and what to know about it here.
    pub registry: &'static str,
    /// The linter and formatter to add to scripts/lint-apps.
    pub lint: &'static str,
    /// Whether the manifest maps an event-loop-lag family (Node.js and Bun).
    pub event_loop: bool,
}

/// Java on the JVM; Kotlin differs only in its source file, plugin and linter.
const JAVA: Language = Language {
    id: "java",
    runtime_name: "OpenJDK",
    runtime_version: "21.0.13",
    runtime_source: "Debian trixie's openjdk-21",
    build_packages: "openjdk-21-jdk-headless ca-certificates-java maven",
    run_packages: "openjdk-21-jre-headless",
    dependency_files: "pom.xml",
    install: "mvn -B -q dependency:go-offline package -DskipTests",
    build: "mvn -B -q -o package -DskipTests && mkdir -p /out && cp target/*.jar /out/app.jar",
    artifacts: &[("/out/app.jar", "/app/app.jar")],
    cmd: r#"["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]"#,
    touch_file: "src/main/java/app/Application.java",
    registry: "Maven Central (exact versions in pom.xml, a BOM where the framework has one)",
    lint: "Checkstyle through a Maven profile",
    event_loop: false,
};

/// Every language `bakeoff new` knows.
pub const LANGUAGES: &[Language] = &[
    Language {
        id: "go",
        runtime_name: "Go",
        runtime_version: "1.24.4",
        runtime_source: "Debian trixie's golang-go",
        build_packages: "golang-go",
        run_packages: "",
        dependency_files: "go.mod go.sum",
        install: "go mod download",
        build: "CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /out/app .",
        artifacts: &[("/out/app", "/usr/local/bin/app")],
        cmd: r#"["/usr/local/bin/app"]"#,
        touch_file: "main.go",
        registry: "the Go module proxy (go.sum pins every module)",
        lint: "gofmt -l and go vet ./...",
        event_loop: false,
    },
    Language {
        id: "python",
        runtime_name: "CPython",
        runtime_version: "3.13.5",
        runtime_source: "Debian trixie's python3",
        build_packages: "python3 python3-venv",
        run_packages: "python3",
        dependency_files: "requirements.txt",
        install: "python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt",
        build: "",
        artifacts: &[("/opt/venv", "/opt/venv"), ("/srv", "/srv")],
        cmd: r#"["/opt/venv/bin/python", "-m", "app"]"#,
        touch_file: "app/main.py",
        registry: "PyPI (pin every package, transitive ones too, with ==)",
        lint: "ruff check and ruff format --check",
        event_loop: false,
    },
    Language {
        id: "javascript",
        runtime_name: "Node.js",
        runtime_version: "20.19.2",
        runtime_source: "Debian trixie's nodejs",
        build_packages: "nodejs npm",
        run_packages: "nodejs",
        dependency_files: "package.json package-lock.json",
        install: "npm ci --omit=dev --ignore-scripts",
        build: "",
        artifacts: &[("/srv", "/srv")],
        cmd: r#"["node", "src/server.js"]"#,
        touch_file: "src/server.js",
        registry: "the npm registry (package-lock.json pins every package)",
        lint: "ESLint and prettier --check",
        event_loop: true,
    },
    Language {
        id: "typescript",
        runtime_name: "Node.js",
        runtime_version: "20.19.2",
        runtime_source: "Debian trixie's nodejs",
        build_packages: "nodejs npm",
        run_packages: "nodejs",
        dependency_files: "package.json package-lock.json",
        install: "npm ci --ignore-scripts",
        build: "npm run build && npm prune --omit=dev --ignore-scripts",
        artifacts: &[("/srv/node_modules", "/srv/node_modules"), ("/srv/dist", "/srv/dist")],
        cmd: r#"["node", "dist/index.js"]"#,
        touch_file: "src/index.ts",
        registry: "the npm registry (package-lock.json pins every package)",
        lint: "ESLint with typescript-eslint and prettier --check",
        event_loop: true,
    },
    JAVA,
    Language {
        id: "kotlin",
        touch_file: "src/main/kotlin/Application.kt",
        registry: "Maven Central (kotlin-maven-plugin, exact versions in pom.xml, a BOM where the framework has one)",
        lint: "ktlint or detekt through a Maven profile",
        ..JAVA
    },
    Language {
        id: "php",
        runtime_name: "PHP",
        runtime_version: "8.4.27",
        runtime_source: "Debian trixie's php8.4",
        build_packages: "composer",
        run_packages: "php8.4-cli php8.4-pgsql php8.4-opcache",
        dependency_files: "composer.json",
        install: "composer install --no-dev --no-scripts --no-autoloader",
        build: "composer dump-autoload --no-dev --optimize",
        artifacts: &[("/srv", "/srv")],
        cmd: r#"["php", "-S", "0.0.0.0:8080", "-t", "public"]"#,
        touch_file: "public/index.php",
        registry: "Packagist is NOT reachable here: take the framework from Debian's php-* packages",
        lint: "php -l on every file",
        event_loop: false,
    },
    Language {
        id: "ruby",
        runtime_name: "CRuby",
        runtime_version: "3.3.8",
        runtime_source: "Debian trixie's ruby3.3",
        build_packages: "ruby ruby-dev build-essential",
        run_packages: "ruby",
        dependency_files: "Gemfile Gemfile.lock",
        install: "bundle config set --local deployment true && bundle install",
        build: "",
        artifacts: &[("/srv", "/srv")],
        cmd: r#"["bundle", "exec", "puma", "--config", "config/puma.rb"]"#,
        touch_file: "config.ru",
        registry: "RubyGems is NOT reachable here: take the gems from Debian's ruby-* packages",
        lint: "ruby -wc and rubocop --lint",
        event_loop: false,
    },
    Language {
        id: "rust",
        runtime_name: "Rust",
        runtime_version: "1.85.0",
        runtime_source: "Debian trixie's rustc and cargo",
        build_packages: "cargo rustc",
        run_packages: "",
        dependency_files: "Cargo.toml Cargo.lock",
        install: "mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release --locked && rm -r src",
        build: "touch src/main.rs && cargo build --release --locked && mkdir -p /out && cp target/release/app /out/app",
        artifacts: &[("/out/app", "/usr/local/bin/app")],
        cmd: r#"["/usr/local/bin/app"]"#,
        touch_file: "src/main.rs",
        registry: "crates.io (Cargo.lock pins every crate)",
        lint: "cargo fmt --check and cargo clippy",
        event_loop: false,
    },
];

/// The language called `id`.
pub fn find(id: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.id == id)
}

/// Every language id, for an error message.
pub fn known() -> String {
    LANGUAGES.iter().map(|l| l.id).collect::<Vec<_>>().join(", ")
}
