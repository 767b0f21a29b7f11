use crate::helpers::with_app;
use crate::on_both_databases;

on_both_databases!(
    the_home_page_is_rendered_on_the_server_with_the_navigation,
    with_app,
    |app| async move {
        let (status, html) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<html lang=\"zh-CN\""),
            "Chinese is the default language"
        );
        assert!(html.contains("id=\"sidenav\""));
        for name in ["综合统筹与协调管理", "文书与公文处理", "制度建设与流程优化"]
        {
            assert!(html.contains(name), "navigation lists {name}");
        }
        assert!(
            html.contains("示范单位办公室"),
            "the top bar names the organisation"
        );
        app
    }
);

on_both_databases!(
    the_language_cookie_renders_english,
    with_app,
    |app| async move {
        let response = app
            .client
            .get(app.url("/"))
            .header("cookie", "officeflow_lang=en")
            .send()
            .await
            .unwrap();
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"en\""));
        assert!(html.contains("Office overview"));
        assert!(html.contains("Coordination"));
        app
    }
);

on_both_databases!(
    an_unknown_address_answers_404_with_a_page,
    with_app,
    |app| async move {
        let (status, html) = app.get("/no/such/page").await;
        assert_eq!(status, 404);
        assert!(html.contains("页面不存在"));
        app
    }
);
