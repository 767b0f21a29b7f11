//! People at first start of an empty database: the first administrator (from the settings,
//! or with a random password printed once in the log) and, unless turned off, the demo
//! office's people: one user per role of the catalog, login = the role's code, all with the
//! demo password [`DEMO_PASSWORD`].

use app::domain::catalog::{Catalog, RoleKind};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::persistence::people_repo::{
    create_user, create_user_with_hash, has_users, hash_password, NewUser,
};

/// The password of every demo user (shown in the README; turn the demo off in production).
pub const DEMO_PASSWORD: &str = "officeflow-demo";

/// Names for the demo people, in role order.
const DEMO_NAMES: &[&str] = &[
    "王建国",
    "李娜",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴强",
    "徐丽",
    "孙浩",
    "马超",
    "朱琳",
    "胡军",
    "郭靖",
    "何芳",
    "高远",
    "林峰",
    "罗娟",
    "梁晨",
    "宋佳",
    "郑凯",
    "谢欣",
    "韩雪",
    "唐宁",
    "冯涛",
    "于洁",
    "董明",
    "萧然",
    "程亮",
    "曹颖",
    "袁博",
    "邓超",
    "许晴",
    "傅雷",
    "沈悦",
    "曾宇",
    "彭丹",
    "吕方",
];

/// What the first start did, for the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PeopleSetup {
    /// The administrator created, with the password to print when it was generated.
    pub administrator: Option<(String, Option<String>)>,
    pub demo_users: usize,
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..16)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn department_of(kind: RoleKind, code: &str) -> &'static str {
    match (kind, code) {
        (RoleKind::Office, _) => "办公室",
        (_, "senior_leadership") => "公司领导",
        (_, "finance_department") => "财务部",
        (_, "cleaning_team" | "repair_vendor") => "外包服务",
        _ => "业务部",
    }
}

/// Creates the first administrator and the demo people when the database has no user yet;
/// does nothing otherwise (so never twice).
pub async fn set_up_people(
    db: &DatabaseConnection,
    settings: &Settings,
    catalog: &Catalog,
    now: DateTime<Utc>,
) -> Result<PeopleSetup, AppError> {
    let mut done = PeopleSetup::default();
    if has_users(db).await? {
        return Ok(done);
    }
    let login = settings.admin_login.trim().to_ascii_lowercase();
    let (password, generated) = match settings.admin_password.as_deref() {
        Some(p) if !p.is_empty() => (p.to_string(), false),
        _ => (random_password(), true),
    };
    create_user(
        db,
        NewUser {
            login: &login,
            name: "系统管理员",
            department: Some("办公室"),
            password: &password,
            administrator: true,
            roles: &[],
        },
        now,
    )
    .await?;
    done.administrator = Some((login.clone(), generated.then_some(password)));
    if settings.demo == crate::config::Demo::Off {
        return Ok(done);
    }
    let demo_hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    for (i, role) in catalog.roles.iter().enumerate() {
        let code = role.code.as_str();
        if code == login {
            continue;
        }
        let name = DEMO_NAMES[i % DEMO_NAMES.len()];
        create_user_with_hash(
            db,
            NewUser {
                login: code,
                name,
                department: Some(department_of(role.kind, code)),
                password: DEMO_PASSWORD,
                administrator: false,
                roles: &[code],
            },
            demo_hash.clone(),
            now,
        )
        .await?;
        done.demo_users += 1;
    }
    Ok(done)
}
