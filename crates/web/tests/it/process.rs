//! The budget process over HTTP (issue 21): the overview with states and late bodies, a
//! writer submits, the strategist returns with a comment, a stale form is a 409 that keeps
//! what was typed, CSRF is required, beredning's questions are asked and answered.

use crate::db::TestDb;
use crate::{PASSWORD, TestApp, csrf_of, logged_in, spawn_app};
use styr_app::process::{CalendarChange, Milestone};
use styr_app::{Actor, NewUser, Role};
use styr_domain::{Id, Plan};

fn socialnamnden() -> Plan {
    let mut plan = styr_package::read_dir(&crate::example_dir()).expect("the example");
    plan.document.body = Id::parse("sn").unwrap();
    plan.document.title = "Socialnämndens verksamhetsplan 2021".into();
    plan.budget.version.id = Id::parse("sn_2021_proposal").unwrap();
    plan
}

async fn spawn_process(db: &TestDb) -> TestApp {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    test.app
        .import_plan(&operator, &socialnamnden())
        .await
        .unwrap();
    for (login, role, body) in [
        ("snskribent", Role::Writer, Some("sn")),
        ("strateg", Role::Strategist, None),
        ("politiker", Role::Politician, None),
    ] {
        test.app
            .add_user(
                &operator,
                &NewUser {
                    login: login.to_owned(),
                    role,
                    units: body.iter().map(|b| Id::parse(b).unwrap()).collect(),
                    body: body.map(str::to_owned),
                    municipality: None,
                    password: PASSWORD.to_owned(),
                    name: None,
                },
            )
            .await
            .unwrap();
    }
    test.app
        .set_calendar(
            &operator,
            None,
            &CalendarChange {
                year: 2021,
                milestone: Milestone::Inlamning,
                body: None,
                date: Some("2020-09-30"),
                synthetic: true,
            },
        )
        .await
        .unwrap();
    test
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn post(client: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = client.post(url).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn submit_return_and_a_stale_form(db: &TestDb) {
    let test = spawn_process(db).await;
    // The public is sent to the login page.
    let (status, _) = get(&crate::client(), &format!("{}/budgetprocess", test.url)).await;
    assert_eq!(status, 303);

    let writer = logged_in(&test, "snskribent").await;
    let (status, page) = get(&writer, &format!("{}/budgetprocess", test.url)).await;
    assert_eq!(status, 200);
    // Both bodies are utkast and late (the test's today is after 2020-09-30); said in text.
    assert!(
        page.contains("utkast <strong class=\"late\">(sent)</strong>"),
        "{page}"
    );
    assert!(page.contains("2 organ är sena"));
    assert!(page.contains("syntetiska exempeldata"));
    assert!(page.contains("href=\"/budgetprocess\" aria-current=\"page\""));
    let csrf = csrf_of(&page);

    // Without the CSRF token nothing moves.
    let url = format!("{}/budgetprocess/sn", test.url);
    let (status, _) = post(&writer, &url, &[("transition", "submit"), ("seq", "0")]).await;
    assert_eq!(status, 403);
    // The writer may not move KS's proposal.
    let (status, _) = post(
        &writer,
        &format!("{}/budgetprocess/ks", test.url),
        &[("csrf", &csrf), ("transition", "submit"), ("seq", "0")],
    )
    .await;
    assert_eq!(status, 403);
    let response = writer
        .post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("transition", "submit"),
            ("seq", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        "/budgetprocess/sn"
    );
    let (_, page) = get(&writer, &url).await;
    assert!(page.contains("<strong id=\"lage\">inlämnad</strong>"));
    assert!(page.contains("Du kan inte flytta förslaget"));

    // The strategist, with a page from before the submission (seq 0), returns it: 409, the
    // comment typed is kept; from the current page it works, a missing comment is 422.
    let strategist = logged_in(&test, "strateg").await;
    let (_, page) = get(&strategist, &url).await;
    let csrf = csrf_of(&page);
    let (status, page) = post(
        &strategist,
        &url,
        &[
            ("csrf", &csrf),
            ("transition", "return"),
            ("seq", "0"),
            ("comment", "Ramen överskrids med 2 mnkr"),
        ],
    )
    .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("har redan flyttats av någon annan"));
    assert!(page.contains(">Ramen överskrids med 2 mnkr</textarea>"));
    let (status, page) = post(
        &strategist,
        &url,
        &[("csrf", &csrf), ("transition", "return"), ("seq", "1")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("återremiss måste ha en kommentar"));
    let (status, _) = post(
        &strategist,
        &url,
        &[
            ("csrf", &csrf),
            ("transition", "return"),
            ("seq", "1"),
            ("comment", "Ramen överskrids med 2 mnkr"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = get(&writer, &url).await;
    assert!(page.contains("<strong id=\"lage\">återremitterad</strong>"));
    assert!(page.contains("<td>Ramen överskrids med 2 mnkr</td>"));
    assert!(page.contains("<td>strateg</td>"));
    // The overview: Socialnämnden is återremitterad and still late, KS is late.
    let (_, page) = get(&strategist, &format!("{}/budgetprocess", test.url)).await;
    assert!(page.contains("återremitterad <strong class=\"late\">(sent)</strong>"));
    assert!(page.contains("Ändra ett datum i kalendern"));
}

async fn questions_asked_and_answered(db: &TestDb) {
    let test = spawn_process(db).await;
    let politician = logged_in(&test, "politiker").await;
    let (status, page) = get(&politician, &format!("{}/beredning", test.url)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ställ en fråga"));
    let csrf = csrf_of(&page);
    let (status, _) = post(
        &politician,
        &format!("{}/beredning/fraga", test.url),
        &[
            ("csrf", &csrf),
            ("body", "sn"),
            ("line", "op.ksf.trygghet"),
            ("question", "Varför ökar kostnaden?"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (status, page) = post(
        &politician,
        &format!("{}/beredning/fraga", test.url),
        &[
            ("csrf", &csrf),
            ("body", "sn"),
            ("line", "x"),
            ("question", " "),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("question: får inte vara tomt"));

    // The public sees no unanswered question.
    let public = crate::client();
    let (status, page) = get(&public, &format!("{}/beredning", test.url)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Inga frågor."));
    assert!(!page.contains("Varför ökar kostnaden?"));
    let writer = logged_in(&test, "snskribent").await;
    let (_, page) = get(&writer, &format!("{}/beredning?lage=oppen", test.url)).await;
    assert!(page.contains("Varför ökar kostnaden?"));
    assert!(!page.contains("Ställ en fråga"));
    assert!(page.contains("Svar på fråga 1"));
    let csrf = csrf_of(&page);
    let (status, _) = post(
        &writer,
        &format!("{}/beredning/svar", test.url),
        &[
            ("csrf", &csrf),
            ("id", "1"),
            ("answer", "Fler väktare."),
            ("published", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = get(&politician, &format!("{}/beredning?avser=sn", test.url)).await;
    assert!(page.contains("Fler väktare."));
    assert!(page.contains("publicerat svar"));
    let (_, page) = get(&politician, &format!("{}/beredning?lage=oppen", test.url)).await;
    assert!(!page.contains("Varför ökar kostnaden?"));
    // Published: the public sees the question and its answer, and no form.
    let (_, shown) = get(&public, &format!("{}/beredning", test.url)).await;
    assert!(shown.contains("Varför ökar kostnaden?"));
    assert!(shown.contains("Fler väktare."));
    assert!(!shown.contains("Spara svaret"));
    // The politician may not answer.
    let (status, _) = post(
        &politician,
        &format!("{}/beredning/svar", test.url),
        &[("csrf", &csrf_of(&page)), ("id", "1"), ("answer", "x")],
    )
    .await;
    assert_eq!(status, 403);
    let (_, page) = get(&politician, &format!("{}/budgetprocess", test.url)).await;
    assert!(page.contains(">0<span class=\"sr-only\"> öppna frågor om"));
}

async fn api_call(
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn the_process_through_the_api(db: &TestDb) {
    use reqwest::Method;
    use serde_json::json;
    let test = spawn_process(db).await;
    let token = |login: &'static str| {
        let app = test.app.clone();
        async move {
            app.create_token(&Actor::local_admin("test"), login)
                .await
                .unwrap()
        }
    };
    let (writer, strategist, politician) = (
        token("snskribent").await,
        token("strateg").await,
        token("politiker").await,
    );
    let base = &test.url;
    let (status, process) =
        api_call(Method::GET, format!("{base}/api/v1/process"), &writer, None).await;
    assert_eq!(status, 200, "{process}");
    assert_eq!(process["year"], 2021);
    assert_eq!(process["calendar"][0]["milestone"], "inlamning");
    assert_eq!(process["calendar"][0]["synthetic"], true);
    let sn = process["bodies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["proposal"]["body"] == "sn")
        .unwrap();
    assert_eq!(sn["proposal"]["state"], "utkast");
    assert_eq!(sn["late"], true);
    assert_eq!(sn["proposal"]["transitions"], json!(["submit"]));

    let moved = format!("{base}/api/v1/proposals/sn/transitions");
    let (status, proposal) = api_call(
        Method::POST,
        moved.clone(),
        &writer,
        Some(json!({"transition": "submit", "seq": 0})),
    )
    .await;
    assert_eq!(status, 200, "{proposal}");
    assert_eq!(proposal["state"], "inlamnad");
    assert_eq!(proposal["history"][0]["actor"], "snskribent");
    // A stale seq is 409; a return without comment 422; the writer may not return.
    let (status, _) = api_call(
        Method::POST,
        moved.clone(),
        &strategist,
        Some(json!({"transition": "return", "seq": 0, "comment": "x"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, error) = api_call(
        Method::POST,
        moved.clone(),
        &strategist,
        Some(json!({"transition": "return", "seq": 1})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error["problems"][0]["field"], "comment");
    let (status, _) = api_call(
        Method::POST,
        moved.clone(),
        &writer,
        Some(json!({"transition": "return", "comment": "x"})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, proposal) = api_call(
        Method::POST,
        moved,
        &strategist,
        Some(json!({"transition": "return", "seq": 1, "comment": "För hög kostnad"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(proposal["state"], "aterremitterad");
    let (status, proposal) = api_call(
        Method::GET,
        format!("{base}/api/v1/proposals/sn"),
        &politician,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(proposal["history"][1]["comment"], "För hög kostnad");
    assert_eq!(proposal["transitions"], json!([]));

    // The calendar: the strategist sets, the writer may not.
    let date = json!({"year": 2021, "milestone": "kf", "date": "2020-11-09"});
    let (status, _) = api_call(
        Method::PUT,
        format!("{base}/api/v1/calendar"),
        &writer,
        Some(date.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let (status, calendar) = api_call(
        Method::PUT,
        format!("{base}/api/v1/calendar"),
        &strategist,
        Some(date),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(calendar.as_array().unwrap().len(), 2);
    let (status, calendar) = api_call(
        Method::GET,
        format!("{base}/api/v1/calendar?year=2021"),
        &writer,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(calendar[1]["date"], "2020-11-09");

    // Questions.
    let (status, question) = api_call(
        Method::POST,
        format!("{base}/api/v1/questions"),
        &politician,
        Some(json!({"body": "sn", "line": "ram", "question": "Varför?"})),
    )
    .await;
    assert_eq!(status, 201, "{question}");
    assert_eq!(question["state"], "open");
    let (status, question) = api_call(
        Method::PUT,
        format!("{base}/api/v1/questions/1/answer"),
        &writer,
        Some(json!({"answer": "Därför.", "published": true})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(question["state"], "answered");
    assert_eq!(question["published"], true);
    let (status, list) = api_call(
        Method::GET,
        format!("{base}/api/v1/questions?state=open"),
        &politician,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list, json!([]));
}

crate::on_both_backends!(
    submit_return_and_a_stale_form,
    questions_asked_and_answered,
    the_process_through_the_api
);
