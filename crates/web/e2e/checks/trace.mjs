// Every figure traced (issue 24, item 3): from a total in the published report (a body's
// report, and the municipality's delårsrapport through a body) down to one voucher, each link
// reached and followed with the keyboard, every /spar/ page axe clean; the plan document's
// totals lead to the rows they sum; a statement line's bokslut account leads to its vouchers;
// the report's forecasts and risk counts lead to their parts; the public sees sums but never
// vouchers.
const amount = (text) => Number(text.replace(/\s/g, '').replace('\u2212', '-').replace(',', '.'));

async function follow(page, link, pattern, assert) {
  await link.focus();
  const href = await link.getAttribute('href');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), href, 'the link has the focus');
  // Wait for the link's own page, not for any URL like it: a net's trace links to other nets.
  const target = new URL(href, page.url()).href;
  await Promise.all([page.waitForURL((u) => u.href === target), page.keyboard.press('Enter')]);
  await page.waitForLoadState('load');
  assert.match(page.url(), pattern, 'the link leads where it should');
  return href;
}

export default async function ({ browser, url, check, login, axeViolations, assert }) {
  let outcomeTrace = '';
  await check('trace: a total in the published report leads by keyboard down to one voucher, axe clean', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'revisor');
    await page.goto(`${url}/dokument/rapport/2021-08.html`);
    // The outcome's total (`rapport/V/P/summa/drift`), not the other columns' totals
    // (`rapport/V/P/COLUMN/summa/drift`).
    const sums = await page
      .locator('a[href^="/spar/rapport/"][href$="/summa/drift"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    const outcomeSums = [...new Set(sums)].filter((href) => /^\/spar\/rapport\/[^/]+\/[^/]+\/summa\/drift$/.test(href));
    assert.equal(outcomeSums.length, 1, 'the operating total links to its trace');
    const total = page.locator(`a[href="${outcomeSums[0]}"]`).first();
    const printed = (await total.innerText()).trim();
    await follow(page, total, /\/summa\/drift$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'the total\'s trace');
    const facts = await page.locator('dl.trace-facts').innerText();
    assert.ok(facts.includes(printed), `the trace names the printed figure ${printed}: ${facts}`);
    const sum = (await page.locator('main table tr.total td.num').last().innerText()).trim();
    assert.equal(sum, printed, 'the rows listed sum to the figure');
    // A line with something booked.
    const lines = page.locator('main table tbody tr:not(.total) td a');
    let line = null;
    for (let i = 0; i < await lines.count(); i += 1) {
      if (amount(await lines.nth(i).innerText()) !== 0) { line = lines.nth(i); break; }
    }
    assert.ok(line, 'a line with an outcome');
    const lineFigure = (await line.innerText()).trim();
    outcomeTrace = await follow(page, line, /\/utfall\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'the line\'s trace');
    // The accounts × units in kronor and öre, as the ledger has them; their sum is the line's
    // outcome, which the report prints rounded to whole tkr (and the trace names).
    const lineFacts = await page.locator('dl.trace-facts').innerText();
    assert.ok(lineFacts.includes(lineFigure), `the trace names the printed ${lineFigure}: ${lineFacts}`);
    const lineSum = amount((await page.locator('main table tr.total td.num').last().innerText()).trim());
    const tkr = Math.sign(lineSum) * Math.round(Math.abs(lineSum) / 1000);
    assert.equal(tkr, amount(lineFigure), 'the accounts × units sum to the line\'s outcome');
    const account = page.locator('main table tbody tr:not(.total) td a').first();
    await follow(page, account, /\/budget\/rad\?/, assert);
    const voucher = page.locator('#verifikationer tbody tr').first();
    await voucher.waitFor();
    assert.ok((await voucher.innerText()).trim().length > 0, 'one voucher');
    assert.deepEqual(await axeViolations(page), [], 'the vouchers');
    await context.close();
  });

  await check('trace: the plan document\'s totals lead to the rows they sum, axe clean', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'revisor');
    await page.goto(`${url}/dokument/plan.html`);
    const total = page.locator('tr.total a[href^="/spar/plan/"]').first();
    assert.equal(await total.count(), 1, 'a total links to its trace');
    await follow(page, total, /\/spar\/plan\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'a total\'s trace');
    assert.ok(await page.getByRole('heading', { name: 'Avstämning' }).count() === 1);
    const rows = page.locator('main table tbody tr:not(.total)');
    assert.ok(await rows.count() > 0, 'the rows it sums');
    const claim = await page.request.get(`${url}/dokument/plan.html`);
    const html = await claim.text();
    const match = html.match(/href="(\/spar\/plan\/[^"]+\/pastaende\/[^"]+)"/);
    assert.ok(match, 'a claim in the text links to its check');
    await page.goto(`${url}${match[1].replace(/&amp;/g, '&')}`);
    assert.deepEqual(await axeViolations(page), [], 'a claim\'s trace');
    assert.match(await page.locator('main').innerText(), /Kontrolleras mot/);
    await context.close();
  });

  await check('trace: the exploitation total leads by keyboard to a project\'s net and on to its income, axe clean', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'revisor');
    await page.goto(`${url}/dokument/plan.html`);
    const total = page.locator('tr.total a[href^="/spar/plan/"][href*="/exploatering/"][href$="/netto"]');
    assert.equal(await total.count(), 1, 'the exploitation total\'s net links to its trace');
    const printed = (await total.innerText()).trim();
    await follow(page, total, /\/exploatering\/.*\/netto$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'the total\'s trace');
    assert.ok((await page.locator('dl.trace-facts').innerText()).includes(printed), 'the trace names the printed total');
    const net = page.locator('main table tbody tr:not(.total) td a[href$="/netto"]').first();
    const netFigure = (await net.innerText()).trim();
    await follow(page, net, /\/netto$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'a project\'s net');
    assert.match(await page.locator('dl.trace-facts').innerText(), /Intäkter \+ kostnader/);
    const parts = page.locator('main table tbody tr:not(.total) td a');
    assert.equal(await parts.count(), 2, 'its income and its cost');
    const income = amount(await parts.nth(0).innerText());
    const cost = amount(await parts.nth(1).innerText());
    assert.equal(income + cost, amount(netFigure), 'the net is income + cost');
    await follow(page, parts.nth(0), /\/intakter$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'the income');
    assert.ok(await page.getByRole('heading', { name: 'Avstämning' }).count() === 1);
    // An indicator's value names its source.
    await page.goto(`${url}/dokument/plan.html`);
    const indicator = page.locator('a[href*="/indikator/"]').first();
    assert.equal(await indicator.count(), 1, 'an indicator value links to its trace');
    await follow(page, indicator, /\/indikator\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'an indicator\'s trace');
    assert.match(await page.locator('dl.trace-facts').innerText(), /Värdet kommer från/);
    await context.close();
  });

  await check('trace: a total of the statutory report leads by keyboard through a body and an account to one voucher, axe clean', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'revisor');
    await page.goto(`${url}/dokument/kommun/2021-08.html`);
    // Summa nämnder och styrelser, utfall: the municipality's total down to the ledger.
    const total = page.locator('a[href="/spar/kommun/2021-08/summa/utfall"]').first();
    assert.equal(await total.count(), 1, 'the total of the outcomes links to its trace');
    const printed = (await total.innerText()).trim();
    await follow(page, total, /\/summa\/utfall$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'the total\'s trace');
    assert.ok((await page.locator('dl.trace-facts').innerText()).includes(printed), `the trace names ${printed}`);
    const sum = (await page.locator('main table tr.total td.num').last().innerText()).trim();
    assert.equal(sum, printed, 'the bodies listed sum to the figure');
    // A body with something booked, to its own report's operating total.
    const bodies = page.locator('main table tbody tr:not(.total) td a');
    let body = null;
    for (let i = 0; i < await bodies.count(); i += 1) {
      if (amount(await bodies.nth(i).innerText()) !== 0) { body = bodies.nth(i); break; }
    }
    assert.ok(body, 'a body with an outcome');
    await follow(page, body, /\/summa\/drift$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'the body\'s operating total');
    const lines = page.locator('main table tbody tr:not(.total) td a');
    let line = null;
    for (let i = 0; i < await lines.count(); i += 1) {
      if (amount(await lines.nth(i).innerText()) !== 0) { line = lines.nth(i); break; }
    }
    assert.ok(line, 'a line with an outcome');
    await follow(page, line, /\/utfall\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'the line\'s accounts');
    const account = page.locator('main table tbody tr:not(.total) td a').first();
    await follow(page, account, /\/budget\/rad\?/, assert);
    const voucher = page.locator('#verifikationer tbody tr').first();
    await voucher.waitFor();
    assert.ok((await voucher.innerText()).trim().length > 0, 'one voucher');
    assert.deepEqual(await axeViolations(page), [], 'the vouchers');
    // The statements' figures trace to their accounts.
    await page.goto(`${url}/dokument/kommun/2021-08.html`);
    const statement = page.locator('a[href="/spar/kommun/2021-08/rakenskaper/rr.kostnader"]').first();
    assert.equal(await statement.count(), 1, 'Verksamhetens kostnader links to its accounts');
    const figure = (await statement.innerText()).trim();
    await follow(page, statement, /\/rakenskaper\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'a statement line\'s accounts');
    assert.equal((await page.locator('main table tr.total td.num').last().innerText()).trim(), figure,
      'the accounts sum to the printed figure');
    assert.match(await page.locator('main table tbody').innerText(), /Konto \d+/);
    // A bokslut account on to its vouchers (logged in), one voucher of that account.
    const konto = page.locator('main table tbody td a[href*="/konto/"]').first();
    assert.equal(await konto.count(), 1, 'an account links to its vouchers');
    const accountNumber = (await page.locator('main table tbody th').first().innerText()).match(/Konto (\d+)/)[1];
    await follow(page, konto, /\/spar\/kommun\/2021-08\/konto\//, assert);
    const bokslutVoucher = page.locator('#verifikationer tbody tr').first();
    await bokslutVoucher.waitFor();
    assert.ok((await bokslutVoucher.innerText()).includes(accountNumber), `one voucher of account ${accountNumber}`);
    assert.deepEqual(await axeViolations(page), [], 'a bokslut account\'s vouchers');
    await context.close();
  });

  await check('trace: the report\'s forecast, deviation and risk counts lead to their parts, axe clean', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'revisor');
    await page.goto(`${url}/dokument/rapport/2021-08.html`);
    // Prognos helår of the operating total: the lines' forecasts, which sum to it.
    const forecast = page.locator('a[href^="/spar/rapport/"][href$="/prognos/summa/drift"]');
    assert.equal(await forecast.count(), 1, 'the operating total\'s forecast links to its trace');
    const printed = (await forecast.innerText()).trim();
    await follow(page, forecast, /\/prognos\/summa\/drift$/, assert);
    assert.deepEqual(await axeViolations(page), [], 'the forecast\'s trace');
    assert.equal((await page.locator('main table tr.total td.num').last().innerText()).trim(), printed,
      'the lines\' forecasts sum to the total');
    // A line's computed forecast: its parts, each with its own trace (the outcome to the ledger).
    const line = page.locator('main table tbody tr:not(.total) td a').first();
    await follow(page, line, /\/prognos\/rad\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'a line\'s forecast');
    assert.ok(await page.getByRole('heading', { name: 'Avstämning' }).count() === 1);
    // A count of the risk matrix: as many risks listed.
    await page.goto(`${url}/dokument/rapport/2021-08.html`);
    // The matrix's counts are its table alternative, behind "Visa diagrammets data som tabell".
    const summary = page.locator('figure[id$="-matris"] summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    const cells = page.locator('figure[id$="-matris"] a[href*="/riskmatris/"]');
    assert.equal(await cells.count(), 16, 'every cell of the 4 × 4 matrix');
    let cell = null;
    for (let i = 0; i < 16; i += 1) {
      if (amount(await cells.nth(i).innerText()) > 0) { cell = cells.nth(i); break; }
    }
    assert.ok(cell, 'a cell with a risk');
    const count = amount(await cell.innerText());
    await follow(page, cell, /\/riskmatris\//, assert);
    assert.deepEqual(await axeViolations(page), [], 'a risk matrix cell');
    assert.equal(await page.locator('main table tbody tr').count(), count, 'the risks counted');
    await context.close();
  });

  await check('trace: the public never reaches vouchers through /spar/', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    assert.ok(outcomeTrace, 'the chain above found an outcome');
    const response = await page.goto(`${url}${outcomeTrace}`);
    // 404 while the plan is a proposal or the period open; else the sums without vouchers.
    assert.ok([200, 404].includes(response.status()), `status ${response.status()}`);
    assert.equal(await page.locator('a[href^="/budget/rad"]').count(), 0, 'no link to vouchers');
    if (response.status() === 200) {
      assert.deepEqual(await axeViolations(page), [], 'the public trace');
    }
    const drill = await page.goto(`${url}/budget/rad?line=op.ksf.ksf&period=2021-08&account=4010`);
    assert.ok(!page.url().includes('/budget/rad') || drill.status() >= 400, 'the vouchers need a login');
    await context.close();
  });
}
