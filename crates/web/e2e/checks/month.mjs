// The monthly round (issue 18 items 10–13): the demo's calendar, the reporting grid moved
// through with the keyboard and saved in one action, errors at their field, a 409 per stale
// item, POST-redirect-GET, and the KS month measured before (one form per item) and after
// (one page). The figures are printed as "MÄTNING …" lines.

// Counts the page loads of a page and the actions a person makes on it.
function meter(page) {
  const counts = { loads: 0, clicks: 0, fields: 0, keys: 0 };
  page.on('load', () => { counts.loads += 1; });
  return counts;
}

async function fillForecastsAtBudget(page, counts) {
  // Each forecast row shows its annual budget; the forecast is the budget (no deviation).
  const rows = page.getByRole('table', { name: 'Prognoser att rapportera (tkr)' }).locator('tbody tr');
  const n = await rows.count();
  for (let i = 0; i < n; i += 1) {
    const row = rows.nth(i);
    const budget = (await row.locator('td').first().innerText()).replace('–', '0');
    await row.locator('input[name^=value]').fill(budget);
    counts.fields += 1;
  }
  return n;
}

export default async function ({ browser, url, passwords, check, login, axeViolations, assert }) {
  await check('month: the demo has a KS reporter and its calendar reads as on 2021-11-05 (October)', async () => {
    assert.ok(passwords.ksrapportor, 'the KS reporter is a demo user');
    const context = await browser.newContext();
    const page = await login(context, 'ksrapportor');
    await page.goto(`${url}/rapportering`);
    assert.equal(await page.locator('#period').inputValue(), '2021-10');
    const text = await page.locator('main').innerText();
    assert.match(text, /Månadsuppföljning oktober 2021: rapporteras nu, sista rapportdag 2021-11-10/);
    // Forecasts, statuses, indicators and audit actions of Kommunstyrelsen.
    for (const name of ['Prognoser att rapportera (tkr)', 'Uppdrag att rapportera', 'Indikatorer att rapportera', 'Åtgärder att rapportera']) {
      assert.ok((await page.getByRole('table', { name }).locator('tbody tr').count()) > 0, name);
    }
    assert.equal(await page.getByRole('table', { name: 'Prognoser att rapportera (tkr)' }).locator('tbody tr').count(), 26);
    // Controls are due in the periods the plan names: August has three, two of them
    // Kommunstyrelseförvaltningen's (the attestation control is Ekonomiavdelningen's).
    await page.goto(`${url}/rapportering?period=2021-08`);
    assert.equal(await page.getByRole('table', { name: 'Kontroller att rapportera' }).locator('tbody tr').count(), 2);
    await page.goto(`${url}/`);
    assert.equal(await page.locator('#period').inputValue(), '2021-10');
    await context.close();
  });

  await check('month: missing and late are shown on /perioder', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'controller');
    await page.goto(`${url}/perioder`);
    const october = page.getByRole('row', { name: /Månadsuppföljning oktober 2021/ });
    assert.match(await october.innerText(), /rapporteras nu/);
    const september = page.getByRole('row', { name: /Månadsuppföljning september 2021/ });
    assert.match(await september.innerText(), /\d+ sena/);
    await context.close();
  });

  await check('month: the grid moves like a spreadsheet', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'ksrapportor');
    await page.goto(`${url}/rapportering?period=2021-05`);
    const first = page.locator('#f0-value');
    await first.focus();
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f1-value');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f0-value');
    // The caret at the end of the text: right goes to the next cell of the row.
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f0-comment');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f0-value');
    assert.equal(await first.inputValue(), '123', 'Enter does not submit the form');
    assert.deepEqual(await axeViolations(page), [], 'the grid');
    await context.close();
  });

  await check('month: an error sits at its field with the focus there, nothing saved, text kept', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'ksrapportor');
    await page.goto(`${url}/rapportering?period=2021-05`);
    await page.locator('#f0-value').fill('86 500');
    await page.locator('#f1-value').fill('inte ett tal');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Spara allt' }).click(),
    ]);
    assert.equal(response.status(), 422);
    await page.waitForLoadState();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f1-value');
    assert.equal(await page.locator('#f1-value').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#e1-value').innerText(), /inget belopp/);
    assert.equal(await page.locator('#f0-value').inputValue(), '86 500');
    assert.equal(await page.locator('#f1-value').inputValue(), 'inte ett tal');
    // Nothing was written: a fresh page has no forecast.
    await page.goto(`${url}/rapportering?period=2021-05`);
    assert.equal(await page.locator('#f0-value').inputValue(), '');
    await context.close();
  });

  await check('month: a stale item gets a 409 with their report, and the user keeps their text', async () => {
    const mine = await login(await browser.newContext(), 'ksrapportor');
    const theirs = await login(await browser.newContext(), 'controller');
    for (const page of [mine, theirs]) await page.goto(`${url}/rapportering?period=2021-05`);
    const cell = (page) => page.getByRole('row', { name: /Kommunfullmäktige/ }).locator('input[name^=comment]');
    await cell(theirs).fill('Controllerns kommentar.');
    await theirs.getByRole('row', { name: /Kommunfullmäktige/ }).locator('input[name^=value]').fill('3 330');
    await Promise.all([theirs.waitForURL(/sparat=/), theirs.getByRole('button', { name: 'Spara allt' }).click()]);
    await mine.getByRole('row', { name: /Kommunfullmäktige/ }).locator('input[name^=value]').fill('3 400');
    await cell(mine).fill('Min kommentar.');
    const [response] = await Promise.all([
      mine.waitForResponse((r) => r.request().method() === 'POST'),
      mine.getByRole('button', { name: 'Spara allt' }).click(),
    ]);
    assert.equal(response.status(), 409);
    await mine.waitForLoadState();
    assert.match(await mine.locator('main').innerText(), /Någon annan har rapporterat.*Controllerns kommentar\./s);
    assert.equal(await cell(mine).inputValue(), 'Min kommentar.');
    // Saving again replaces theirs, deliberately.
    await Promise.all([mine.waitForURL(/sparat=1/), mine.getByRole('button', { name: 'Spara allt' }).click()]);
  });

  await check('month: a save redirects (reloading never posts) and confirms where the user is', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'ksrapportor');
    await page.goto(`${url}/rapportering?period=2021-05`);
    await page.locator('#f3-value').fill('100');
    await page.locator('#f3-comment').fill('Prognos.');
    await page.locator('#f3-comment').focus();
    await Promise.all([page.waitForURL(/sparat=/), page.keyboard.press('Control+s')]);
    assert.match(page.url(), /#f3-comment$/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f3-comment');
    assert.match(await page.getByRole('status').innerText(), /Sparat: 1 rapport ändrade/);
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    await page.reload();
    assert.deepEqual(posts, []);
    await context.close();
  });

  await check('month: the grid asks to confirm a forecast far from its budget, like the form', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'ksrapportor');
    await page.goto(`${url}/rapportering?period=2021-06`);
    await page.locator('#f0-value').fill('500');
    await page.locator('#f0-comment').fill('Stor omorganisation.');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Spara allt' }).click(),
    ]);
    assert.equal(refused.status(), 422);
    assert.match(await page.locator('#e0-value').innerText(), /budget/);
    assert.equal(await page.locator('#f0-value').inputValue(), '500');
    await Promise.all([page.waitForURL(/sparat=1/), page.getByRole('button', { name: 'Spara ändå' }).click()]);
    await context.close();
  });

  await check('month: the KS month measured before (one form per item) and after (one page)', async () => {
    // Before: September through the per-item forms (/rapportering/formular and each
    // assignment's page). After: November on the grid. Both months ask the same of KS.
    const before = await login(await browser.newContext(), 'ksrapportor');
    const b = meter(before);
    await before.goto(`${url}/rapportering/formular?period=2021-09`);
    b.clicks += 1;
    const forms = before.locator('form.report');
    const formCount = await forms.count();
    let forecasts = 0;
    let indicators = 0;
    for (let i = 0; i < formCount; i += 1) {
      const form = before.locator('form.report').nth(i);
      const kind = await form.locator('input[name=kind]').inputValue();
      if (kind !== 'forecast' && kind !== 'outcome') continue;
      if (kind === 'forecast') {
        const legend = await form.locator('legend').innerText();
        const budget = (legend.match(/budget (.+?) tkr/) ?? [null, '0'])[1].replace('–', '0');
        await form.locator('input[name=value]').fill(budget.trim());
        forecasts += 1;
      } else {
        await form.locator('input[name=value]').fill('1');
        indicators += 1;
      }
      b.fields += 1;
      await Promise.all([before.waitForLoadState('load'), form.getByRole('button').click()]);
      b.clicks += 1;
    }
    const links = await before.getByRole('table', { name: 'Uppdrag att rapportera' }).locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of links) {
      await before.goto(`${url}${href}`);
      b.clicks += 1;
      await before.getByLabel('Status', { exact: true }).selectOption('started');
      b.fields += 1;
      await Promise.all([before.waitForURL(/\/uppdrag\//), before.getByRole('button', { name: 'Spara status' }).click()]);
      b.clicks += 1;
    }
    const after = await login(await browser.newContext(), 'ksrapportor');
    const a = meter(after);
    await after.goto(`${url}/rapportering?period=2021-11`);
    a.clicks += 1;
    const gridForecasts = await fillForecastsAtBudget(after, a);
    const indicatorCells = after.getByRole('table', { name: 'Indikatorer att rapportera' }).locator('input[name^=value]');
    for (let i = 0; i < (await indicatorCells.count()); i += 1) {
      await indicatorCells.nth(i).fill('1');
      a.fields += 1;
    }
    const statusCells = after.getByRole('table', { name: 'Uppdrag att rapportera' }).locator('select');
    const statuses = await statusCells.count();
    for (let i = 0; i < statuses; i += 1) {
      await statusCells.nth(i).selectOption('started');
      a.fields += 1;
    }
    const [saved] = await Promise.all([
      after.waitForResponse((r) => r.request().method() === 'POST'),
      after.getByRole('button', { name: 'Spara allt' }).click(),
    ]);
    a.clicks += 1;
    if (saved.status() === 422) {
      // Forecasts at budget but below what is already booked look wrong: nothing was saved, the
      // warnings sit at their cells, and the reporter confirms them all at once.
      await after.getByRole('button', { name: 'Spara ändå' }).waitFor();
      await Promise.all([after.waitForURL(/sparat=/), after.getByRole('button', { name: 'Spara ändå' }).click()]);
      a.clicks += 1;
    } else {
      await after.waitForURL(/sparat=/);
    }
    assert.match(await after.getByRole('status').innerText(), new RegExp(`Sparat: ${gridForecasts + statuses + 6} rapporter`));
    assert.equal(forecasts, gridForecasts);
    assert.equal(links.length, statuses);
    console.log(`MÄTNING före (formulär per sak, 2021-09): ${forecasts} prognoser, ${indicators} indikatorer, ${links.length} uppdrag: ${b.clicks} klick, ${b.fields} ifyllda fält, ${b.loads} sidladdningar`);
    console.log(`MÄTNING efter (en sida, 2021-11): ${gridForecasts} prognoser, ${6} indikatorer, ${statuses} uppdrag: ${a.clicks} klick, ${a.fields} ifyllda fält, ${a.loads} sidladdningar`);
    // One page and one save, plus one page and one click when the save asks to confirm.
    assert.ok(a.loads <= 3 && a.clicks <= 3, 'one page, one save (and one confirmation)');
  });
}
