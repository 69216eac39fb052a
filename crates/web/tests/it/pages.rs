//! The pages: every role against the status form (allowed and denied), CSRF, a stale edit,
//! escaping, the public, and login throttling.

use crate::db::TestDb;
use crate::{PASSWORD, client, csrf_of, logged_in, spawn_app, try_login};
use styr_app::EntryFilter;
use styr_domain::followup::EntryKind;

const SENIOR: &str = "ny2021_seniorbostadskon";

async fn form_page(client: &reqwest::Client, url: &str, assignment: &str) -> (u16, String) {
    let response = client
        .get(format!("{url}/uppdrag/{assignment}?period=2021-08"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn submit(
    client: &reqwest::Client,
    url: &str,
    csrf: &str,
    assignment: &str,
    version: &str,
    status: &str,
    comment: &str,
) -> (u16, String) {
    let response = client
        .post(format!("{url}/rapportering/status"))
        .form(&[
            ("csrf", csrf),
            ("assignment", assignment),
            ("period", "2021-08"),
            ("version", version),
            ("status", status),
            ("comment", comment),
        ])
        .send()
        .await
        .unwrap();
    let code = response.status().as_u16();
    (code, response.text().await.unwrap())
}

async fn history_len(test: &crate::TestApp, assignment: &str) -> usize {
    let filter = EntryFilter {
        kind: Some(EntryKind::Status),
        subject: Some(assignment.to_owned()),
        history: true,
        ..EntryFilter::default()
    };
    let operator = styr_app::Actor::local_admin("test");
    let (_, entries) = test
        .app
        .reports(&operator, &styr_app::PlanSelector::default(), &filter)
        .await
        .unwrap();
    entries.len()
}

async fn every_role_against_the_status_form(db: &TestDb) {
    let test = spawn_app(db).await;
    // Allowed: admin and controller for everything, the reporter for Äldrenämnden's assignment.
    for (login, assignment) in [
        ("admin", "ks2020_3"),
        ("controller", "ks2020_4"),
        ("rapportor", SENIOR),
    ] {
        let client = logged_in(&test, login).await;
        let (status, page) = form_page(&client, &test.url, assignment).await;
        assert_eq!(status, 200);
        let csrf = csrf_of(&page);
        let (code, _) = submit(
            &client,
            &test.url,
            &csrf,
            assignment,
            "1",
            "dialogue",
            &format!("Från {login}."),
        )
        .await;
        assert_eq!(code, 303, "{login} reports {assignment}");
        assert_eq!(history_len(&test, assignment).await, 2);
    }
    // Denied: the reporter for another unit's assignment, and the reader for anything. The
    // page shows no form to either; a forged post is refused and changes nothing.
    for (login, assignment) in [("rapportor", "ks2019_1"), ("lasare", "ks2019_1")] {
        let client = logged_in(&test, login).await;
        let (status, page) = form_page(&client, &test.url, assignment).await;
        assert_eq!(status, 200);
        assert!(
            !page.contains("/rapportering/status"),
            "{login} sees no form"
        );
        let home = client.get(format!("{}/", test.url)).send().await.unwrap();
        let csrf = csrf_of(&home.text().await.unwrap());
        let (code, _) = submit(
            &client,
            &test.url,
            &csrf,
            assignment,
            "1",
            "dialogue",
            "Förfalskad.",
        )
        .await;
        assert_eq!(code, 403, "{login} may not report {assignment}");
        assert_eq!(history_len(&test, assignment).await, 1);
    }
}

async fn a_form_without_the_csrf_token_is_refused(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "rapportor").await;
    for csrf in ["", "0000"] {
        let (code, _) = submit(&client, &test.url, csrf, SENIOR, "1", "waiting", "x").await;
        assert_eq!(code, 403);
    }
    // Nor can someone without a session post at all.
    let (code, _) = submit(
        &client_without_session(),
        &test.url,
        "x",
        SENIOR,
        "1",
        "waiting",
        "x",
    )
    .await;
    assert_eq!(code, 303);
    assert_eq!(history_len(&test, SENIOR).await, 1);
}

fn client_without_session() -> reqwest::Client {
    client()
}

async fn a_stale_edit_gets_the_conflict_page_and_nothing_is_lost(db: &TestDb) {
    let test = spawn_app(db).await;
    let first = logged_in(&test, "controller").await;
    let second = logged_in(&test, "admin").await;
    let (_, page_one) = form_page(&first, &test.url, "ks2020_3").await;
    let (_, page_two) = form_page(&second, &test.url, "ks2020_3").await;
    assert!(page_one.contains("name=\"version\" value=\"1\""));
    let (code, _) = submit(
        &first,
        &test.url,
        &csrf_of(&page_one),
        "ks2020_3",
        "1",
        "waiting",
        "Först.",
    )
    .await;
    assert_eq!(code, 303);
    let (code, page) = submit(
        &second,
        &test.url,
        &csrf_of(&page_two),
        "ks2020_3",
        "1",
        "deviation",
        "Mitt förslag.",
    )
    .await;
    assert_eq!(code, 409);
    assert!(page.contains("Någon annan har rapporterat"));
    assert!(
        page.contains("status: Väntar; kommentar: Först."),
        "their change is shown"
    );
    assert!(page.contains("Mitt förslag."), "what I typed is kept");
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "the form is now based on theirs"
    );
    assert_eq!(history_len(&test, "ks2020_3").await, 2);
}

async fn a_comment_with_script_or_sql_is_shown_verbatim_and_harmless(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "rapportor").await;
    let (_, page) = form_page(&client, &test.url, SENIOR).await;
    let evil = "<script>alert('x')</script>'; DROP TABLE followup_entries; --";
    let (code, _) = submit(
        &client,
        &test.url,
        &csrf_of(&page),
        SENIOR,
        "1",
        "deviation",
        evil,
    )
    .await;
    assert_eq!(code, 303);
    let (_, page) = form_page(&client, &test.url, SENIOR).await;
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("&lt;script&gt;alert("));
    assert!(page.contains("DROP TABLE followup_entries;"));
    assert_eq!(history_len(&test, SENIOR).await, 2);
}

async fn the_public_never_sees_a_proposal_and_pages_need_a_login(db: &TestDb) {
    let test = spawn_app(db).await;
    let public = client();
    // The start page is the way in: what styr is and the login, not an error.
    let start = public.get(format!("{}/", test.url)).send().await.unwrap();
    assert_eq!(start.status(), 200);
    let text = start.text().await.unwrap();
    assert!(text.contains("Ingen beslutad plan är publicerad ännu"));
    assert!(text.contains("class=\"button\" href=\"/logga-in\""));
    for path in ["/uppdrag", "/budget", "/mal", "/dokument/plan.html"] {
        let response = public
            .get(format!("{}{path}", test.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let text = response.text().await.unwrap();
        assert!(text.contains("ingen beslutad plan är publicerad"), "{path}");
    }
    for path in ["/rapportering", "/handelselogg"] {
        let response = public
            .get(format!("{}{path}", test.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{path}");
    }
    // Once decided, the plan is public; a period's follow-up only once the period is closed.
    let operator = styr_app::Actor::local_admin("test");
    let selector = styr_app::PlanSelector::default();
    test.app
        .decide_version(&operator, &selector, "kf_2020_11_09_185")
        .await
        .unwrap();
    let august = format!("{}/?period=2021-08", test.url);
    assert_eq!(public.get(&august).send().await.unwrap().status(), 404);
    test.app
        .close_period(
            &operator,
            &selector,
            styr_domain::ledger::Month::parse("2021-08").unwrap(),
        )
        .await
        .unwrap();
    let response = public.get(&august).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Mer företagsmark ska hittas")
    );
    // Every page carries the security headers.
    let response = public
        .get(format!("{}/logga-in", test.url))
        .send()
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
}

async fn logins_are_throttled_and_wrong_passwords_say_nothing(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = client();
    for _ in 0..styr_app::MAX_FAILURES {
        let response = try_login(&test, &client, "lasare", "fel").await;
        assert_eq!(response.status(), 401);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("fel användarnamn eller lösenord")
        );
    }
    // From this client even the right password must wait now.
    let response = try_login(&test, &client, "lasare", PASSWORD).await;
    assert_eq!(response.status(), 401);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("för många misslyckade inloggningar")
    );
    // The session cookie is HttpOnly and SameSite.
    let response = try_login(&test, &client, "admin", PASSWORD).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

async fn every_page_renders_for_a_logged_in_reader(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "lasare").await;
    for path in [
        "/",
        "/?period=2021-08",
        "/mal?period=2021-08",
        "/uppdrag?period=2021-08",
        "/uppdrag/ks2020_3?period=2021-08",
        "/budget?period=2021-08",
        "/dokument",
        "/handelselogg",
        "/dokument/rapport/2021-08.html",
        "/kontroll",
    ] {
        let response = client
            .get(format!("{}{path}", test.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let text = response.text().await.unwrap();
        assert!(text.contains("lang=\"sv\""), "{path}");
    }
    let overview = client
        .get(format!("{}/?period=2021-08", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(overview.contains("Avvikelse: 2019 KS 3 Mer företagsmark ska hittas"));
    let goals = client
        .get(format!("{}/mal?period=2021-08", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The indicators' charts, drawn by the document's chart code, with their descriptions.
    let budget = client
        .get(format!("{}/budget?period=2021-08", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The plan's tables as in the document: the 2020 total is the sum KS printed, kept and
    // marked, with the computed sum (the checker's smallest correction) in its note.
    assert!(budget.contains("Finansförvaltning") && budget.contains("Exploateringsbudget 2021"));
    assert!(
        budget.contains("<mark class=\"diff\">228\u{a0}600"),
        "the printed sum, kept and marked"
    );
    assert!(
        budget.contains("i det tryckta dokumentet står 228\u{a0}600 tkr. Avstämningens minsta rättelse är 230\u{a0}034 tkr"),
        "both figures in the note"
    );
    assert!(overview.contains("Ram 2021: 247 000 tkr"));
    // Six: five with an outcome per August, and trygghetsindex with its outcome of 2018.
    assert_eq!(goals.matches("<svg").count(), 6);
    assert!(goals.contains("role=\"img\""));
}

async fn forecasts_outcomes_and_assessments_are_reported_on_the_reporting_page(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "controller").await;
    let page = client
        .get(format!("{}/rapportering/formular?period=2021-08", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Prognoser för helåret") && page.contains("Målbedömningar"));
    let csrf = csrf_of(&page);
    let post = |fields: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = test.url.clone();
        async move {
            let response = client
                .post(format!("{url}/rapportering/rapport"))
                .form(&fields)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let forecast = |version: &str, value: &str, plan: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("kind", "forecast".to_owned()),
            ("subject", "op.ksf.trygghet".to_owned()),
            ("period", "2021-08".to_owned()),
            ("version", version.to_owned()),
            ("value", value.to_owned()),
            ("comment", "Fler trygghetsvärdar.".to_owned()),
            ("action_plan", plan.to_owned()),
        ]
    };
    // The example's delårsrapport 2 has a forecast for the line: version 1. A deficit without an
    // action plan is asked for at its form, with what was typed kept.
    let (status, page) = post(forecast("1", "18 000", "")).await;
    assert_eq!(status, 422);
    assert!(page.contains("en åtgärdsplan krävs"), "{page}");
    assert!(page.contains("value=\"18 000\""));
    let (status, _) = post(forecast("1", "18 000", "Omfördelning inom förvaltningen.")).await;
    assert_eq!(status, 303);
    // The same form again, on the version it was opened with: a conflict, nothing lost.
    let (status, page) = post(forecast("1", "17 500", "Annan plan.")).await;
    assert_eq!(status, 409);
    assert!(page.contains("Någon annan har rapporterat"));
    let outcome = vec![
        ("csrf", csrf.clone()),
        ("kind", "outcome".to_owned()),
        ("subject", "trygghetsindex".to_owned()),
        ("period", "2021-08".to_owned()),
        ("version", "0".to_owned()),
        ("value", "61,5".to_owned()),
        ("date", "2021-08-31".to_owned()),
        ("source", "Trygghetsmätningen".to_owned()),
    ];
    assert_eq!(post(outcome).await.0, 303);
    let assessment = |motivation: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("kind", "assessment".to_owned()),
            ("subject", "mal3".to_owned()),
            ("period", "2021-08".to_owned()),
            ("version", "1".to_owned()),
            ("value", "partly_met".to_owned()),
            ("comment", motivation.to_owned()),
        ]
    };
    assert_eq!(post(assessment(" ")).await.0, 422);
    assert_eq!(
        post(assessment("Tryggheten ökar men skadegörelsen också."))
            .await
            .0,
        303
    );
    let operator = styr_app::Actor::local_admin("test");
    let (_, entries) = test
        .app
        .reports(
            &operator,
            &styr_app::PlanSelector::default(),
            &EntryFilter::default(),
        )
        .await
        .unwrap();
    let texts: Vec<String> = entries
        .iter()
        .filter(|e| e.reported_by == "controller")
        .map(|e| e.report.entry.to_string())
        .collect();
    assert_eq!(
        texts,
        [
            "bedömning: Delvis uppfyllt; motivering: Tryggheten ökar men skadegörelsen också.",
            "prognos: 18 000 tkr; förklaring: Fler trygghetsvärdar.; åtgärdsplan: Omfördelning inom förvaltningen.",
            "utfall: 61,5; datum: 2021-08-31; källa: Trygghetsmätningen",
        ]
    );
}

async fn controllers_close_periods_and_admins_reopen_them_with_a_reason(db: &TestDb) {
    let test = spawn_app(db).await;
    let post =
        |client: reqwest::Client, path: &'static str, fields: Vec<(&'static str, String)>| {
            let url = test.url.clone();
            async move {
                let response = client
                    .post(format!("{url}{path}"))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                (status, response.text().await.unwrap())
            }
        };
    let csrf_for = |client: reqwest::Client| {
        let url = test.url.clone();
        async move {
            let page = client.get(format!("{url}/perioder")).send().await.unwrap();
            csrf_of(&page.text().await.unwrap())
        }
    };
    // A reporter sees the calendar but cannot close a period.
    let reporter = logged_in(&test, "rapportor").await;
    let csrf = csrf_for(reporter.clone()).await;
    let (status, _) = post(
        reporter,
        "/perioder/stang",
        vec![("csrf", csrf), ("period", "2021-08".into())],
    )
    .await;
    assert_eq!(status, 403);
    let controller = logged_in(&test, "controller").await;
    let csrf = csrf_for(controller.clone()).await;
    let (status, _) = post(
        controller.clone(),
        "/perioder/stang",
        vec![("csrf", csrf.clone()), ("period", "2021-08".into())],
    )
    .await;
    assert_eq!(status, 303);
    // The controller may not reopen; the admin must give a reason.
    let (status, _) = post(
        controller,
        "/perioder/oppna",
        vec![
            ("csrf", csrf),
            ("period", "2021-08".into()),
            ("reason", "x".into()),
        ],
    )
    .await;
    assert_eq!(status, 403);
    let admin = logged_in(&test, "admin").await;
    let csrf = csrf_for(admin.clone()).await;
    let (status, page) = post(
        admin.clone(),
        "/perioder/oppna",
        vec![
            ("csrf", csrf.clone()),
            ("period", "2021-08".into()),
            ("reason", " ".into()),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("kräver ett skäl"));
    let (status, _) = post(
        admin,
        "/perioder/oppna",
        vec![
            ("csrf", csrf),
            ("period", "2021-08".into()),
            ("reason", "Rättelse av 2020 KS 3".into()),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let operator = styr_app::Actor::local_admin("test");
    let log = test
        .app
        .audit_log(
            &operator,
            &styr_app::AuditFilter {
                action_contains: Some("period".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let seen: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("controller", ""),
            ("admin", "reason=Rättelse av 2020 KS 3")
        ]
    );
}

async fn control_results_and_audit_actions_are_reported_and_shown(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "controller").await;
    let get = |path: &'static str| {
        let client = client.clone();
        let url = test.url.clone();
        async move {
            client
                .get(format!("{url}{path}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let page = get("/rapportering/formular?period=2021-08").await;
    // The controls due in August (not the evacuation control, due in December).
    assert_eq!(page.matches("name=\"kind\" value=\"control\"").count(), 3);
    assert!(page.contains("Attesträtter i ekonomisystemet"));
    // The actions still open (the plan's done and closed ones are no longer asked for).
    assert_eq!(
        page.matches("name=\"kind\" value=\"audit_action\"").count(),
        5
    );
    let csrf = csrf_of(&page);
    let post = |fields: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = test.url.clone();
        async move {
            let response = client
                .post(format!("{url}/rapportering/rapport"))
                .form(&fields)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let control = |action: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("kind", "control".to_owned()),
            ("subject", "ikp21_attest".to_owned()),
            ("period", "2021-08".to_owned()),
            ("version", "0".to_owned()),
            ("value", "deficiencies".to_owned()),
            ("light", "red".to_owned()),
            ("comment", "<script>alert(1)</script> 3 av 20".to_owned()),
            ("action_plan", action.to_owned()),
        ]
    };
    let (status, page) = post(control("")).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("resultatet Med brister kräver en åtgärd"),
        "{page}"
    );
    // What was typed is kept, escaped.
    assert!(page.contains("&lt;script&gt;alert(1)") && !page.contains("<script>alert"));
    assert_eq!(post(control("Attesträtterna rensas.")).await.0, 303);
    let action = |evidence: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("kind", "audit_action".to_owned()),
            ("subject", "gdpr_a2".to_owned()),
            ("period", "2021-08".to_owned()),
            ("version", "0".to_owned()),
            ("value", "done".to_owned()),
            ("source", evidence.to_owned()),
        ]
    };
    let (status, page) = post(action("")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Genomförd kräver ett underlag"), "{page}");
    assert_eq!(post(action("Utbildningen genomförd i maj")).await.0, 303);

    let shown = get("/kontroll").await;
    assert!(shown.contains("<title id=\"riskmatris-title\">Riskmatris 2021</title>"));
    assert!(shown.contains("<td>Med brister</td><td>röd</td>"));
    assert!(shown.contains("&lt;script&gt;") && !shown.contains("<script>alert"));
    assert!(shown.contains("Utbildningen genomförd i maj"));
    // Judged today (after 2021): every action not closed is overdue.
    assert_eq!(shown.matches("<strong>försenad</strong>").count(), 4);

    // A reporter of Äldrenämnden owns no control and no action.
    let reporter = logged_in(&test, "rapportor").await;
    let page = reporter
        .get(format!("{}/rapportering/formular?period=2021-08", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("value=\"control\"") && !page.contains("value=\"audit_action\""));
}

async fn the_audit_page_shows_swedish_sentences_and_names(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "controller").await;
    let page = client
        .get(format!("{}/handelselogg", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Importerade uppföljningsfilen delar2-2021.csv"),
        "{page}"
    );
    // The before and after name their subjects and keys in Swedish.
    assert!(page.contains("2021-08 uppdraget «"), "{page}");
    assert!(page.contains("roll: controller; enheter: –"), "{page}");
    for key in [
        " status ks",
        " forecast op.",
        "role: ",
        "units: ",
        "import followup",
    ] {
        assert!(!page.contains(key), "{key:?} on the audit page");
    }
}

crate::on_both_backends!(
    the_audit_page_shows_swedish_sentences_and_names,
    control_results_and_audit_actions_are_reported_and_shown,
    controllers_close_periods_and_admins_reopen_them_with_a_reason,
    forecasts_outcomes_and_assessments_are_reported_on_the_reporting_page,
    every_role_against_the_status_form,
    a_form_without_the_csrf_token_is_refused,
    a_stale_edit_gets_the_conflict_page_and_nothing_is_lost,
    a_comment_with_script_or_sql_is_shown_verbatim_and_harmless,
    the_public_never_sees_a_proposal_and_pages_need_a_login,
    logins_are_throttled_and_wrong_passwords_say_nothing,
    every_page_renders_for_a_logged_in_reader,
);
