use crate::helpers::{with_app, with_db, Backend};
use crate::on_both_databases;

on_both_databases!(
    an_oversized_request_body_is_refused_early,
    with_app,
    |app| async move {
        let body = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let response = app
            .client
            .post(app.url("/api/organisation/rename"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 413);
        app
    }
);

on_both_databases!(
    an_unknown_api_endpoint_is_not_found,
    with_app,
    |app| async move {
        let (status, _) = app
            .call("/api/no_such_function", serde_json::json!({}))
            .await;
        assert_eq!(status, 404);
        app
    }
);

on_both_databases!(
    a_write_refused_for_read_only_storage_is_told_apart_from_other_failures,
    with_db,
    |db| async move {
        use app::error::AppError;
        use officeflow_server::persistence::{storage_refused, to_app_error};
        use sea_orm::{ConnectOptions, ConnectionTrait, Database};
        let one = |url: &str| {
            let mut options = ConnectOptions::new(url.to_string());
            options.max_connections(1).sqlx_logging(false);
            options
        };
        let conn = Database::connect(one(&db.url)).await.expect("connected");
        conn.execute_unprepared("CREATE TABLE probe (id INTEGER PRIMARY KEY)")
            .await
            .expect("a table");
        conn.execute_unprepared("INSERT INTO probe (id) VALUES (1)")
            .await
            .expect("a row");
        // A failure of another kind is not the storage's.
        let duplicate = conn
            .execute_unprepared("INSERT INTO probe (id) VALUES (1)")
            .await
            .expect_err("a duplicate key");
        assert!(!storage_refused(&duplicate), "{duplicate}");
        assert_eq!(to_app_error(duplicate), AppError::Internal);
        conn.close().await.expect("closed");
        // Storage that takes no writes: a SQLite file opened read-only; PostgreSQL's
        // read-only transactions (as on a standby).
        let read_only = match db.backend {
            Backend::Sqlite => Database::connect(one(&db.url.replace("mode=rwc", "mode=ro")))
                .await
                .expect("connected read-only"),
            Backend::Postgres => {
                let conn = Database::connect(one(&db.url)).await.expect("connected");
                conn.execute_unprepared("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                    .await
                    .expect("read-only from now on");
                conn
            }
        };
        let refused = read_only
            .execute_unprepared("INSERT INTO probe (id) VALUES (2)")
            .await
            .expect_err("no write on read-only storage");
        assert!(storage_refused(&refused), "{refused}");
        assert_eq!(to_app_error(refused), AppError::CannotSave);
        read_only.close().await.expect("closed");
        db
    }
);
