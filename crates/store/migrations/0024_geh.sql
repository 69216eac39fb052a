-- God ekonomisk hushållning and the follow-up of KF's budget (issue 22, items 2–3): KF's goals
-- for god ekonomisk hushållning (council.toml `[financial_goal]` and `[[geh_goal]]`; the result
-- goal's share moves here from `councils.financial_goal_share`, which is still read when this
-- table has no row), KF's stated judgement per period (`[[geh_judgement]]`), KF's
-- anslagsförändringar during the year (`[[appropriation_change]]`), and an investment
-- project's decided total, earlier outcome and reported total forecast
-- (budget/investment_projects.csv). Plan elements like those of 0001: keyed by the plan and a
-- printed position, deleted with the plan.

CREATE TABLE council_geh_goals (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    share TEXT,
    text TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, kind),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE council_geh_judgements (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    period TEXT NOT NULL,
    verdict TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, period),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE council_appropriation_changes (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    kind TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE investment_projects (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    project TEXT NOT NULL,
    decided_total_ore BIGINT NOT NULL,
    decision TEXT,
    outcome_until BIGINT,
    outcome_ore BIGINT,
    forecast_total_ore BIGINT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, project),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);
