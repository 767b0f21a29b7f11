//! People in the database: argon2id password hashes (hashed and checked off the async
//! threads), sessions and calendar feed addresses kept as SHA-256 hashes of their tokens, and
//! failed sign-in counters per account and per address that slow guessing down.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use app::domain::catalog::RoleCode;
use app::domain::people::admin::{
    department_in_use, department_taken, last_administrator, login_taken, Department, PersonChange,
};
use app::domain::people::{check_new_password, next_attempt_at, Person, SessionPolicy};
use app::domain::workflow::UserId;
use app::error::{AppError, FieldError};
use app::ports::{Origin, PeopleStore, SignedIn};

use super::entities::{
    calendar_feed, department, session, sign_in_failure as failure, user, user_role,
};
use super::to_app_error;

/// A stored session with its person, as one query reads them.
struct SessionRow {
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    person: Person,
}

pub struct SeaOrmPeopleStore {
    db: DatabaseConnection,
    policy: SessionPolicy,
}

/// Runs `work` (an argon2 hash: 19 MiB of memory and about 27 ms of CPU) on one of a few
/// threads kept for it, one per core, and answers its result. Hashes wait their turn there
/// rather than each taking a blocking thread of its own: more at once than there are cores
/// would not finish sooner, and every thread that hashes keeps its 19 MiB with the
/// allocator (100 people signing in together left the server at 1.2 GB of resident memory
/// when hashes ran on tokio's blocking threads). `None` if the threads are gone.
async fn on_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    type Job = Box<dyn FnOnce() + Send>;
    // The sender is shared as it is (it is `Sync`); the receiving end needs the lock.
    static QUEUE: std::sync::LazyLock<std::sync::mpsc::Sender<Job>> =
        std::sync::LazyLock::new(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
            for n in 0..threads {
                let rx = rx.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("officeflow-hash-{n}"))
                    .spawn(move || loop {
                        let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            // A panic ends the job (its caller gets `None`), not the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    });
                if let Err(error) = spawned {
                    tracing::error!(%error, "a password hashing thread cannot start");
                }
            }
            tx
        });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(work());
    });
    QUEUE.send(job).ok()?;
    rx.await.ok()
}

/// An argon2id hash of `password` (PHC string), computed on a hashing thread.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    on_hashing_thread(move || {
        let salt = new_salt()?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .ok_or(AppError::Internal)?
    .map_err(|error| {
        tracing::error!(%error, "a password cannot be hashed");
        AppError::Internal
    })
}

/// Whether `password` matches the stored hash (false for a malformed hash). Without a hash
/// (an unknown login) it checks against a hash nobody's password matches, so that an unknown
/// login takes as long to refuse as a wrong password.
async fn verify_password(password: String, hash: Option<String>) -> bool {
    on_hashing_thread(move || {
        let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        new_salt()
            .and_then(|salt| {
                Argon2::default()
                    .hash_password(&rand::random::<[u8; 16]>(), &salt)
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
    })
}

/// A random salt for a password hash.
fn new_salt() -> Result<SaltString, argon2::password_hash::Error> {
    SaltString::encode_b64(&rand::random::<[u8; 16]>())
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

fn wrong_credentials() -> AppError {
    AppError::invalid(FieldError::new(
        "password",
        "wrong_credentials",
        "登录名或密码不正确。",
        "The login or the password is wrong.",
    ))
}

impl SeaOrmPeopleStore {
    pub fn new(db: DatabaseConnection) -> Self {
        SeaOrmPeopleStore {
            db,
            policy: SessionPolicy::default(),
        }
    }

    async fn person_of(&self, model: user::Model) -> Result<Person, AppError> {
        let roles = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(model.id))
            .order_by_asc(user_role::Column::Role)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let department = match model.department_id {
            Some(id) => department::Entity::find_by_id(id)
                .one(&self.db)
                .await
                .map_err(to_app_error)?
                .map(|d| d.name),
            None => None,
        };
        Ok(Person {
            id: UserId(model.id),
            login: model.login,
            name: model.name,
            department,
            active: model.active,
            administrator: model.administrator,
            roles: roles.into_iter().map(|r| RoleCode::new(r.role)).collect(),
        })
    }

    /// The session stored under `hash` with its person (active or not), read in one query.
    async fn session_row(&self, hash: &str) -> Result<Option<SessionRow>, AppError> {
        use sea_orm::sea_query::{Alias, ExprTrait, Query};
        use sea_orm::DbBackend;
        let roles = match self.db.get_database_backend() {
            DbBackend::Postgres => "string_agg(user_roles.role, ',')",
            _ => "group_concat(user_roles.role, ',')",
        };
        let query = Query::select()
            .columns([
                (session::Entity, session::Column::UserId),
                (session::Entity, session::Column::CreatedAt),
                (session::Entity, session::Column::LastSeenAt),
            ])
            .columns([
                (user::Entity, user::Column::Login),
                (user::Entity, user::Column::Name),
                (user::Entity, user::Column::Active),
                (user::Entity, user::Column::Administrator),
            ])
            .expr_as(
                Expr::col((department::Entity, department::Column::Name)),
                Alias::new("department"),
            )
            .expr_as(
                Expr::cust(format!(
                    "(SELECT {roles} FROM user_roles WHERE user_roles.user_id = users.id)"
                )),
                Alias::new("roles"),
            )
            .from(session::Entity)
            .inner_join(
                user::Entity,
                Expr::col((user::Entity, user::Column::Id))
                    .equals((session::Entity, session::Column::UserId)),
            )
            .left_join(
                department::Entity,
                Expr::col((department::Entity, department::Column::Id))
                    .equals((user::Entity, user::Column::DepartmentId)),
            )
            .and_where(Expr::col((session::Entity, session::Column::TokenHash)).eq(hash))
            .to_owned();
        let statement = self.db.get_database_backend().build(&query);
        let Some(row) = self
            .db
            .query_one_raw(statement)
            .await
            .map_err(to_app_error)?
        else {
            return Ok(None);
        };
        let read = |error: sea_orm::DbErr| {
            tracing::error!(%error, "a session row cannot be read");
            AppError::Internal
        };
        let roles: Option<String> = row.try_get("", "roles").map_err(read)?;
        let mut roles: Vec<RoleCode> = roles
            .unwrap_or_default()
            .split(',')
            .filter(|r| !r.is_empty())
            .map(RoleCode::new)
            .collect();
        roles.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        Ok(Some(SessionRow {
            created_at: row.try_get("", "created_at").map_err(read)?,
            last_seen_at: row.try_get("", "last_seen_at").map_err(read)?,
            person: Person {
                id: UserId(row.try_get("", "user_id").map_err(read)?),
                login: row.try_get("", "login").map_err(read)?,
                name: row.try_get("", "name").map_err(read)?,
                department: row.try_get("", "department").map_err(read)?,
                active: row.try_get("", "active").map_err(read)?,
                administrator: row.try_get("", "administrator").map_err(read)?,
                roles,
            },
        }))
    }

    /// The earliest instant the next attempt for `keys` is allowed.
    async fn allowed_from(&self, keys: &[String]) -> Result<Option<DateTime<Utc>>, AppError> {
        let rows = failure::Entity::find()
            .filter(failure::Column::Key.is_in(keys.iter().cloned()))
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(rows
            .iter()
            .map(|r| next_attempt_at(r.failures.max(0) as u32, r.last_failure_at))
            .max())
    }

    async fn record_failure(&self, keys: &[String], now: DateTime<Utc>) -> Result<(), AppError> {
        use sea_orm::sea_query::{Expr, ExprTrait};
        for key in keys {
            failure::Entity::insert(failure::ActiveModel {
                key: Set(key.clone()),
                failures: Set(1),
                last_failure_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(failure::Column::Key)
                    .value(
                        failure::Column::Failures,
                        Expr::col((failure::Entity, failure::Column::Failures)).add(1),
                    )
                    .value(failure::Column::LastFailureAt, now)
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(to_app_error)?;
        }
        Ok(())
    }
}

#[async_trait]
impl PeopleStore for SeaOrmPeopleStore {
    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        origin: Origin,
        now: DateTime<Utc>,
    ) -> Result<SignedIn, AppError> {
        let login = login.trim().to_ascii_lowercase();
        if login.is_empty() || password.is_empty() || password.chars().count() > 1024 {
            return Err(wrong_credentials());
        }
        let mut keys = vec![format!("login:{login}")];
        if let Some(address) = &origin.address {
            keys.push(format!("address:{address}"));
        }
        if let Some(allowed) = self.allowed_from(&keys).await? {
            if now < allowed {
                return Err(AppError::Throttled {
                    // Rounded up: waiting the seconds said is always enough.
                    retry_after_seconds: ((allowed - now).num_milliseconds() + 999) / 1000,
                });
            }
        }
        let found = user::Entity::find()
            .filter(user::Column::Login.eq(login.as_str()))
            .one(&self.db)
            .await
            .map_err(to_app_error)?;
        let hash = found.as_ref().map(|u| u.password_hash.clone());
        let matches = verify_password(password.to_string(), hash).await;
        let Some(model) = found.filter(|_| matches) else {
            self.record_failure(&keys, now).await?;
            return Err(wrong_credentials());
        };
        if !model.active {
            return Err(AppError::invalid(FieldError::new(
                "login",
                "disabled",
                "该账号已停用,请联系管理员。",
                "This account is disabled; ask an administrator.",
            )));
        }
        let token = new_token();
        let txn = self.db.begin().await.map_err(to_app_error)?;
        failure::Entity::delete_many()
            .filter(failure::Column::Key.eq(keys[0].as_str()))
            .exec(&txn)
            .await
            .map_err(to_app_error)?;
        session::Entity::insert(session::ActiveModel {
            token_hash: Set(token_hash(&token)),
            user_id: Set(model.id),
            created_at: Set(now),
            last_seen_at: Set(now),
            address: Set(origin.address),
            user_agent: Set(origin.user_agent.map(|a| a.chars().take(300).collect())),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_app_error)?;
        txn.commit().await.map_err(to_app_error)?;
        Ok(SignedIn {
            person: self.person_of(model).await?,
            token,
        })
    }

    async fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Person>, AppError> {
        if token.len() != 64 {
            return Ok(None);
        }
        let hash = token_hash(token);
        // One query for the session, its person, their department and roles: every request
        // of a signed-in user asks, and on SQLite each query is three round trips to the
        // connection's thread (acquire, query, release).
        let Some(found) = self.session_row(&hash).await? else {
            return Ok(None);
        };
        if !self
            .policy
            .is_live(found.created_at, found.last_seen_at, now)
        {
            session::Entity::delete_by_id(hash)
                .exec(&self.db)
                .await
                .map_err(to_app_error)?;
            return Ok(None);
        }
        if !found.person.active {
            return Ok(None);
        }
        if self.policy.should_touch(found.last_seen_at, now) {
            // Keeping the session alive is not what the request asked for: when it cannot be
            // written (the storage is full, say) the request goes on, and the next one tries
            // again.
            let touched = session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .filter(session::Column::TokenHash.eq(hash))
                .exec(&self.db)
                .await;
            if let Err(error) = touched {
                tracing::warn!(%error, "a session's last use cannot be recorded");
            }
        }
        Ok(Some(found.person))
    }

    async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        session::Entity::delete_by_id(token_hash(token))
            .exec(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(())
    }

    async fn change_password(
        &self,
        user_id: UserId,
        current: &str,
        new: &str,
        keep_token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let model = user::Entity::find_by_id(user_id.0)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::Unauthenticated)?;
        if !verify_password(current.to_string(), Some(model.password_hash.clone())).await {
            return Err(AppError::invalid(FieldError::new(
                "current",
                "wrong_password",
                "当前密码不正确。",
                "The current password is wrong.",
            )));
        }
        check_new_password(&model.login, new).map_err(AppError::invalid)?;
        let hash = hash_password(new.to_string()).await?;
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let mut changed: user::ActiveModel = model.into();
        changed.password_hash = Set(hash);
        changed.updated_at = Set(now);
        changed.update(&txn).await.map_err(to_app_error)?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user_id.0))
            .filter(session::Column::TokenHash.ne(token_hash(keep_token)))
            .exec(&txn)
            .await
            .map_err(to_app_error)?;
        txn.commit().await.map_err(to_app_error)
    }

    async fn people(&self) -> Result<Vec<Person>, AppError> {
        let users = user::Entity::find()
            .order_by_asc(user::Column::Login)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let mut out = Vec::with_capacity(users.len());
        for model in users {
            out.push(self.person_of(model).await?);
        }
        Ok(out)
    }

    async fn departments(&self) -> Result<Vec<Department>, AppError> {
        let departments = department::Entity::find()
            .order_by_asc(department::Column::Name)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let users = user::Entity::find()
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(departments
            .into_iter()
            .map(|d| Department {
                people: users
                    .iter()
                    .filter(|u| u.department_id == Some(d.id))
                    .count(),
                id: d.id,
                name: d.name,
            })
            .collect())
    }

    async fn save_person(
        &self,
        change: PersonChange,
        now: DateTime<Utc>,
    ) -> Result<Person, AppError> {
        let hash = match &change.password {
            Some(password) => Some(hash_password(password.clone()).await?),
            None => None,
        };
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let taken = user::Entity::find()
            .filter(user::Column::Login.eq(change.login.as_str()))
            .one(&txn)
            .await
            .map_err(to_app_error)?
            .is_some_and(|u| Some(UserId(u.id)) != change.id);
        if taken {
            return Err(AppError::invalid(login_taken()));
        }
        let department_id = match &change.department {
            Some(name) => Some(department_id(&txn, name, now).await?),
            None => None,
        };
        let id = match change.id {
            None => {
                user::Entity::insert(user::ActiveModel {
                    id: sea_orm::ActiveValue::NotSet,
                    login: Set(change.login.clone()),
                    name: Set(change.name.clone()),
                    department_id: Set(department_id),
                    password_hash: Set(hash.clone().unwrap_or_default()),
                    active: Set(change.active),
                    administrator: Set(change.administrator),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec(&txn)
                .await
                .map_err(to_app_error)?
                .last_insert_id
            }
            Some(UserId(id)) => {
                let model = user::Entity::find_by_id(id)
                    .one(&txn)
                    .await
                    .map_err(to_app_error)?
                    .ok_or(AppError::NotFound)?;
                let manages = |active: bool, administrator: bool| active && administrator;
                if manages(model.active, model.administrator)
                    && !manages(change.active, change.administrator)
                {
                    use sea_orm::PaginatorTrait;
                    let others = user::Entity::find()
                        .filter(user::Column::Active.eq(true))
                        .filter(user::Column::Administrator.eq(true))
                        .filter(user::Column::Id.ne(id))
                        .count(&txn)
                        .await
                        .map_err(to_app_error)?;
                    if others == 0 {
                        return Err(AppError::invalid(last_administrator()));
                    }
                }
                let mut changed: user::ActiveModel = model.into();
                changed.login = Set(change.login.clone());
                changed.name = Set(change.name.clone());
                changed.department_id = Set(department_id);
                changed.active = Set(change.active);
                changed.administrator = Set(change.administrator);
                if let Some(hash) = &hash {
                    changed.password_hash = Set(hash.clone());
                }
                changed.updated_at = Set(now);
                changed.update(&txn).await.map_err(to_app_error)?;
                user_role::Entity::delete_many()
                    .filter(user_role::Column::UserId.eq(id))
                    .exec(&txn)
                    .await
                    .map_err(to_app_error)?;
                if hash.is_some() || !change.active {
                    session::Entity::delete_many()
                        .filter(session::Column::UserId.eq(id))
                        .exec(&txn)
                        .await
                        .map_err(to_app_error)?;
                }
                id
            }
        };
        for role in &change.roles {
            user_role::Entity::insert(user_role::ActiveModel {
                user_id: Set(id),
                role: Set(role.as_str().to_string()),
            })
            .exec_without_returning(&txn)
            .await
            .map_err(to_app_error)?;
        }
        txn.commit().await.map_err(to_app_error)?;
        let model = user::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::NotFound)?;
        self.person_of(model).await
    }

    async fn save_department(
        &self,
        id: Option<i64>,
        name: String,
        now: DateTime<Utc>,
    ) -> Result<Department, AppError> {
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let same = department::Entity::find()
            .filter(department::Column::Name.eq(name.as_str()))
            .one(&txn)
            .await
            .map_err(to_app_error)?;
        if same.is_some_and(|d| Some(d.id) != id) {
            return Err(AppError::invalid(department_taken()));
        }
        let id = match id {
            None => {
                department::Entity::insert(department::ActiveModel {
                    id: sea_orm::ActiveValue::NotSet,
                    name: Set(name.clone()),
                    created_at: Set(now),
                })
                .exec(&txn)
                .await
                .map_err(to_app_error)?
                .last_insert_id
            }
            Some(id) => {
                let model = department::Entity::find_by_id(id)
                    .one(&txn)
                    .await
                    .map_err(to_app_error)?
                    .ok_or(AppError::NotFound)?;
                let mut changed: department::ActiveModel = model.into();
                changed.name = Set(name.clone());
                changed.update(&txn).await.map_err(to_app_error)?;
                id
            }
        };
        txn.commit().await.map_err(to_app_error)?;
        let people = user::Entity::find()
            .filter(user::Column::DepartmentId.eq(id))
            .all(&self.db)
            .await
            .map_err(to_app_error)?
            .len();
        Ok(Department { id, name, people })
    }

    async fn remove_department(&self, id: i64) -> Result<(), AppError> {
        use sea_orm::PaginatorTrait;
        let txn = self.db.begin().await.map_err(to_app_error)?;
        department::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::NotFound)?;
        let people = user::Entity::find()
            .filter(user::Column::DepartmentId.eq(id))
            .count(&txn)
            .await
            .map_err(to_app_error)?;
        if people > 0 {
            return Err(AppError::invalid(department_in_use(people as usize)));
        }
        department::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(to_app_error)?;
        txn.commit().await.map_err(to_app_error)
    }

    async fn feed_made_at(&self, user: UserId) -> Result<Option<DateTime<Utc>>, AppError> {
        Ok(calendar_feed::Entity::find_by_id(user.0)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .map(|feed| feed.created_at))
    }

    async fn renew_feed(&self, user: UserId, now: DateTime<Utc>) -> Result<String, AppError> {
        let token = new_token();
        let model = calendar_feed::ActiveModel {
            user_id: Set(user.0),
            token_hash: Set(token_hash(&token)),
            created_at: Set(now),
            last_used_at: Set(None),
        };
        let on_conflict = OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([
                calendar_feed::Column::TokenHash,
                calendar_feed::Column::CreatedAt,
                calendar_feed::Column::LastUsedAt,
            ])
            .to_owned();
        calendar_feed::Entity::insert(model)
            .on_conflict(on_conflict)
            .exec_without_returning(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(token)
    }

    async fn revoke_feed(&self, user: UserId) -> Result<(), AppError> {
        calendar_feed::Entity::delete_by_id(user.0)
            .exec(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(())
    }

    async fn feed_owner(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Person>, AppError> {
        if token.len() != 64 {
            return Ok(None);
        }
        let Some(feed) = calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(token_hash(token)))
            .one(&self.db)
            .await
            .map_err(to_app_error)?
        else {
            return Ok(None);
        };
        let Some(model) = user::Entity::find_by_id(feed.user_id)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .filter(|u| u.active)
        else {
            return Ok(None);
        };
        if feed
            .last_used_at
            .is_none_or(|t| now - t > chrono::Duration::minutes(5))
        {
            let mut used: calendar_feed::ActiveModel = feed.into();
            used.last_used_at = Set(Some(now));
            used.update(&self.db).await.map_err(to_app_error)?;
        }
        Ok(Some(self.person_of(model).await?))
    }
}

/// A user to create (the first administrator, the demo office).
pub struct NewUser<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub department: Option<&'a str>,
    pub password: &'a str,
    pub administrator: bool,
    pub roles: &'a [&'a str],
}

/// Creates a user with their department (created when new) and roles, in one transaction.
pub async fn create_user(
    db: &DatabaseConnection,
    new: NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let hash = hash_password(new.password.to_string()).await?;
    create_user_with_hash(db, new, hash, now).await
}

/// [`create_user`] with the password already hashed (the demo people share one hash).
pub async fn create_user_with_hash(
    db: &DatabaseConnection,
    new: NewUser<'_>,
    hash: String,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let txn = db.begin().await.map_err(to_app_error)?;
    let department_id = match new.department {
        Some(name) => Some(department_id(&txn, name, now).await?),
        None => None,
    };
    let id = user::Entity::insert(user::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        login: Set(new.login.to_string()),
        name: Set(new.name.to_string()),
        department_id: Set(department_id),
        password_hash: Set(hash),
        active: Set(true),
        administrator: Set(new.administrator),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await
    .map_err(to_app_error)?
    .last_insert_id;
    for role in new.roles {
        user_role::Entity::insert(user_role::ActiveModel {
            user_id: Set(id),
            role: Set(role.to_string()),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_app_error)?;
    }
    txn.commit().await.map_err(to_app_error)?;
    Ok(id)
}

/// The id of the department named `name`, created when there is none.
async fn department_id(
    txn: &sea_orm::DatabaseTransaction,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let existing = department::Entity::find()
        .filter(department::Column::Name.eq(name))
        .one(txn)
        .await
        .map_err(to_app_error)?;
    Ok(match existing {
        Some(d) => d.id,
        None => {
            department::Entity::insert(department::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                name: Set(name.to_string()),
                created_at: Set(now),
            })
            .exec(txn)
            .await
            .map_err(to_app_error)?
            .last_insert_id
        }
    })
}

/// Whether any user exists yet (a new installation has none).
pub async fn has_users(db: &DatabaseConnection) -> Result<bool, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(user::Entity::find().count(db).await.map_err(to_app_error)? > 0)
}
