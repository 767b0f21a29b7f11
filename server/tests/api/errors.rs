use crate::helpers::with_app;
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
