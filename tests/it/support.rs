//! Test helpers: a temporary project and a builder that runs the real binary in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary b24flow project.
pub(crate) struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    /// An empty project folder.
    pub(crate) fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    /// A project with these specs under `workflows/` (name without `.txt`, text).
    pub(crate) fn with_specs(specs: &[(&str, &str)]) -> TestEnv {
        let env = TestEnv::new();
        for (name, text) in specs {
            env.write(&format!("workflows/{name}.txt"), text);
        }
        env
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Runs `b24flow ARGS` in the project.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.cmd(args).run()
    }

    /// A command to adjust (stdin, env) before running.
    pub(crate) fn cmd(&self, args: &[&str]) -> Cmd {
        let mut command = Command::new(env!("CARGO_BIN_EXE_b24flow"));
        command
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1");
        // Every variable the program reads, so a developer's shell cannot leak in.
        for var in b24flow::config::ENV_VARS {
            command.env_remove(var);
        }
        Cmd {
            command,
            stdin: None,
        }
    }
}

/// A command about to run.
pub(crate) struct Cmd {
    command: Command,
    stdin: Option<Vec<u8>>,
}

impl Cmd {
    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Cmd {
        self.stdin = Some(bytes.into());
        self
    }

    pub(crate) fn env(mut self, key: &str, value: &str) -> Cmd {
        self.command.env(key, value);
        self
    }

    pub(crate) fn run(mut self) -> Run {
        use std::io::Write;
        use std::process::Stdio;
        self.command.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("the binary runs");
        if let Some(bytes) = self.stdin.take() {
            child.stdin.take().unwrap().write_all(&bytes).unwrap();
        }
        Run {
            output: child.wait_with_output().unwrap(),
        }
    }
}

/// What a run printed and how it ended.
pub(crate) struct Run {
    pub(crate) output: Output,
}

impl Run {
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub(crate) fn code(&self) -> i32 {
        self.output.status.code().expect("exited, not killed")
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub(crate) fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    #[track_caller]
    pub(crate) fn success(self) -> Run {
        self.expect_code(0)
    }

    /// The JSON on stdout.
    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout()))
    }
}

/// A two-thread runtime for a portal served from inside a test.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// An application installed by the portal's administrator (user 1), holding `token`
/// and no refresh token.
pub(crate) fn admin_app(
    app_id: u64,
    client_id: &str,
    client_secret: &str,
    token: &str,
) -> b24flow::emulator::App {
    b24flow::emulator::App {
        app_id,
        client_id: client_id.into(),
        client_secret: client_secret.into(),
        access_token: Some(token.into()),
        refresh_token: None,
        user_id: 1,
        admin: true,
    }
}

/// POSTs `params` as JSON to `url` on `rt` and reads the JSON reply, whatever its status.
pub(crate) fn post_json(
    rt: &tokio::runtime::Runtime,
    url: String,
    params: &serde_json::Value,
) -> serde_json::Value {
    rt.block_on(async {
        let reply = reqwest::Client::new()
            .post(url)
            .json(params)
            .send()
            .await
            .unwrap();
        reply.json::<serde_json::Value>().await.unwrap()
    })
}
