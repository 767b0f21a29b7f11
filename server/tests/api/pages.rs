use std::time::Duration;

use officeflow_server::startup::Application;

use crate::helpers::{with_app, Backend, TestDb, DEMO_PASSWORD};
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

on_both_databases!(
    an_unknown_address_keeps_the_signed_in_shell,
    with_app,
    |app| async move {
        // The 404 page was drawn without the app's context: a signed-in person saw a
        // signed-out top bar, no organisation and an empty navigation.
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let response = app
            .client
            .get(app.url("/no/such/page"))
            .header("cookie", &director.cookie)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status().as_u16(), 404);
        let html = response.text().await.unwrap_or_default();
        assert!(html.contains("页面不存在"));
        assert!(html.contains("data-testid=\"account\""), "signed in");
        assert!(html.contains("退出登录"));
        assert!(html.contains("示范单位办公室"), "the organisation's name");
        assert!(html.contains("文书与公文处理"), "the navigation");
        app
    }
);

on_both_databases!(
    a_page_renders_in_full_while_other_instances_start_in_the_same_process,
    with_app,
    |app| async move {
        // Starting an instance once rendered the whole app under a process-wide flag that
        // left the resources first run meanwhile pending for good (leptos-rs/leptos#4773):
        // a page served by another instance then never finished. Pages are requested here
        // without pause while other instances start beside this one.
        let starter = std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                for _ in 0..8 {
                    let db = TestDb::create(Backend::Sqlite).await;
                    let other = Application::build(&db.settings())
                        .await
                        .expect("the other instance starts");
                    drop(other);
                    db.drop_db().await;
                }
            })
        });
        let mut pages = 0;
        while pages < 3 || !starter.is_finished() {
            let answer = tokio::time::timeout(Duration::from_secs(30), app.get("/")).await;
            let (status, html) = answer.expect("the page is answered in full within 30 s");
            assert_eq!(status, 200);
            let tail = &html[html.len().saturating_sub(200)..];
            assert!(
                html.contains("</html>") && tail.contains("__INCOMPLETE_CHUNKS=[];"),
                "the page is complete, every resource resolved: …{tail}"
            );
            assert!(html.contains("id=\"sidenav\""));
            pages += 1;
        }
        starter
            .join()
            .expect("the other instances started and stopped");
        app
    }
);
