//! Spawning the app on a fresh database, for both backends.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use officeflow_server::config::{Demo, LogFormat, Settings};
use officeflow_server::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The operator token the test servers accept for administration calls.
pub const ADMIN_TOKEN: &str = "test-operator-token";

pub use officeflow_server::people_setup::DEMO_PASSWORD;

/// A signed-in session: the cookie to send.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub person: Value,
}

/// The first administrator's password in the test servers.
pub const ADMIN_PASSWORD: &str = "test-admin-password";

/// The server PostgreSQL tests create their databases on (trust authentication).
pub fn postgres_admin_url() -> String {
    std::env::var("OFFICEFLOW_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A fresh, empty database for one test, removed again by [`TestDb::drop_db`].
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    name: String,
    dir: PathBuf,
}

impl TestDb {
    pub async fn create(backend: Backend) -> TestDb {
        let name = format!(
            "officeflow_test_{}_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.join("officeflow.db").display()),
            Backend::Postgres => {
                let admin = Database::connect(postgres_admin_url()).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL tests need a server at {} (set OFFICEFLOW_TEST_POSTGRES_URL): {e}",
                        postgres_admin_url()
                    )
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create the test database");
                admin.close().await.ok();
                let base = postgres_admin_url();
                let server = base
                    .rsplit_once('/')
                    .map(|(s, _)| s)
                    .unwrap_or(&base)
                    .to_string();
                format!("{server}/{name}")
            }
        };
        TestDb {
            url,
            backend,
            name,
            dir,
        }
    }

    pub async fn drop_db(self) {
        if self.backend == Backend::Postgres {
            if let Ok(admin) = Database::connect(postgres_admin_url()).await {
                let _ = admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                        self.name
                    ))
                    .await;
                admin.close().await.ok();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    pub fn settings(&self) -> Settings {
        Settings {
            bind: "127.0.0.1:0".parse().unwrap(),
            database_url: Some(self.url.clone()),
            data_dir: self.dir.clone(),
            log: "warn".into(),
            log_format: LogFormat::Text,
            site_root: self.dir.join("site"),
            db_pool: 4,
            case_memory: 20_000,
            admin_token: Some(ADMIN_TOKEN.into()),
            scheduler_every: 0,
            admin_login: "admin".into(),
            admin_password: Some(ADMIN_PASSWORD.into()),
            demo: Demo::People,
        }
    }
}

/// A running app and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub async fn spawn(db: &TestDb) -> TestApp {
        TestApp::spawn_with(db.settings()).await
    }

    /// [`TestApp::spawn`] with other settings.
    pub async fn spawn_with(settings: Settings) -> TestApp {
        let app = Application::build(&settings).await.expect("the app starts");
        let base = format!("http://{}", app.local_addr());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            app.run_until(async {
                let _ = stopped.await;
            })
            .await
            .expect("the server runs");
        });
        let client = reqwest::Client::builder().build().unwrap();
        TestApp {
            base,
            client,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and waits until it has finished.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls a server function with a JSON body; returns the status and the JSON answer.
    pub async fn call(&self, endpoint: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(endpoint))
            .json(&body)
            .send()
            .await
            .expect("the request is answered");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    /// Calls an endpoint with the operator token (administration and case calls), acting as
    /// user `user` (`X-OfficeFlow-User`) when given.
    pub async fn operator_call(
        &self,
        endpoint: &str,
        body: Value,
        user: Option<i64>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url(endpoint))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body);
        if let Some(user) = user {
            request = request.header("x-officeflow-user", user.to_string());
        }
        let response = request.send().await.expect("the request is answered");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Signs in through the API; panics when refused.
    pub async fn sign_in(&self, login: &str, password: &str) -> Session {
        let response = self
            .client
            .post(self.url("/api/auth/sign-in"))
            .json(&serde_json::json!({ "login": login, "password": password }))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status().as_u16(), 200, "{login} signs in");
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("officeflow_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string();
        let person = response.json().await.unwrap_or(Value::Null);
        Session { cookie, person }
    }

    /// Calls a server function as a signed-in person.
    pub async fn call_as(&self, session: &Session, endpoint: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(endpoint))
            .header("cookie", &session.cookie)
            .json(&body)
            .send()
            .await
            .expect("the request is answered");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Calls an administration endpoint with the operator token.
    pub async fn admin_call(&self, endpoint: &str, body: Value) -> (u16, Value) {
        self.operator_call(endpoint, body, None).await
    }

    /// A GET with the operator token: the status, the headers and the body's bytes.
    pub async fn operator_get(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .expect("answered");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .unwrap_or_default();
        (status, headers, body)
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("answered");
        (
            response.status().as_u16(),
            response.text().await.unwrap_or_default(),
        )
    }
}

/// Runs `body` against a fresh database of `backend`, cleaning up even when it fails.
pub async fn with_db<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestDb) -> Fut + Send + 'static,
    Fut: Future<Output = TestDb> + Send + 'static,
{
    let db = TestDb::create(backend).await;
    let (url, name, dir) = (db.url.clone(), db.name.clone(), db.dir.clone());
    let task = tokio::spawn(body(db));
    let abort = task.abort_handle();
    let leftover = || TestDb {
        url,
        backend,
        name,
        dir,
    };
    match tokio::time::timeout(TEST_LIMIT, task).await {
        Ok(Ok(db)) => db.drop_db().await,
        Ok(Err(error)) => {
            leftover().drop_db().await;
            std::panic::resume_unwind(error.into_panic());
        }
        Err(_) => {
            abort.abort();
            leftover().drop_db().await;
            panic!(
                "the test did not finish within {} s: it hangs",
                TEST_LIMIT.as_secs()
            );
        }
    }
}

/// How long one test may run before it fails as hung, rather than holding the whole run
/// until CI's limit (the slowest, the demo office on PostgreSQL, takes about a minute).
pub const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Runs `body` with an app on a fresh database of `backend`.
pub async fn with_app<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestApp) -> Fut + Send + 'static,
    Fut: Future<Output = TestApp> + Send + 'static,
{
    with_db(backend, |db| async move {
        let app = TestApp::spawn(&db).await;
        body(app).await.stop().await;
        db
    })
    .await;
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($(#[$meta:meta])* $name:ident, $runner:path, $body:expr) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                $runner($crate::helpers::Backend::Sqlite, $body).await
            }
            #[tokio::test]
            async fn postgres() {
                $runner($crate::helpers::Backend::Postgres, $body).await
            }
        }
    };
}

/// The data folder on a file system of its own (tmpfs) that the test can fill and grow.
pub struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    const ROOMY: &str = "size=64m";

    /// Mounts a tmpfs on `path` (created if missing). `None`, with a line saying the test
    /// is skipped, when this process may not mount (not root); in CI, which runs as root, a
    /// failure instead.
    pub fn mount(path: &Path) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).expect("the data folder");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", Self::ROOMY, "officeflow-test"])
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI runs the tests as root: mounting a tmpfs must work"
            );
            eprintln!("skipped: this test needs the right to mount a file system (root)");
            return None;
        }
        Some(SmallDisk {
            path: path.to_path_buf(),
        })
    }

    /// Makes the file system read-only (nothing may have a file open for writing on it).
    pub fn read_only(&self) {
        assert!(self.remount("ro"), "the file system turns read-only");
    }

    fn remount(&self, size: &str) -> bool {
        Command::new("mount")
            .args(["-o", &format!("remount,{size}")])
            .arg(&self.path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The bytes the file system holds now.
    fn used(&self) -> u64 {
        let out = Command::new("df")
            .args(["-B1", "--output=used"])
            .arg(&self.path)
            .output()
            .expect("df runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .expect("df gives the bytes used")
    }

    /// Shrinks the file system to what it holds: no byte more can be written.
    pub fn fill(&self) {
        for _ in 0..50 {
            // It may grow between the look and the shrink, which is then refused: again.
            if self.remount(&format!("size={}", self.used())) {
                return;
            }
        }
        panic!("the data folder's file system could not be shrunk");
    }

    pub fn free_space(&self) {
        assert!(self.remount(Self::ROOMY), "the file system grows again");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}
