use crate::helpers::with_app;
use crate::on_both_databases;

on_both_databases!(
    healthz_answers_ok_when_the_database_is_reachable,
    with_app,
    |app| async move {
        let (status, body) = app.get("/healthz").await;
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["status"], "ok");
        assert_eq!(json["database"], "ok");
        app
    }
);
