// The municipality's bodies (issue 20, item 6): the body switcher in the header (keyboard
// alone, the choice kept while moving between pages), the municipal overview /kommun (every
// body, totals that are the sum of the rows shown, no serious axe violation), and
// Socialnämnden's reporter, who gets no form for KS's items and a refusal when posting one.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  /// A whole-tkr cell as a number ("2 600 000" → 2600000, "−1 509" → −1509); null for "–".
  const amount = (text) => {
    const cleaned = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace('−', '-');
    return cleaned === '–' || cleaned === '' ? null : Number(cleaned);
  };

  await check('bodies: the header switcher changes the body with the keyboard and keeps it', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'lasare');
    const select = page.getByLabel('Organ', { exact: true });
    assert.equal(await select.inputValue(), 'ks', 'the executive board is the default body');
    await page.goto(`${url}/dokument`);
    await page.getByLabel('Organ', { exact: true }).focus();
    await page.keyboard.press('End'); // the last option, by the keyboard
    const chosen = await page.getByLabel('Organ', { exact: true }).inputValue();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert.equal(focused, 'Byt organ', 'the switcher\'s button follows its list');
    await Promise.all([page.waitForURL(new RegExp(`/dokument\\?organ=${chosen}$`)), page.keyboard.press('Enter')]);
    assert.notEqual(chosen, 'ks');
    // Socialnämnden by its name, then the menu: the choice stays.
    await page.getByLabel('Organ', { exact: true }).selectOption({ label: 'Socialnämnden' });
    await Promise.all([page.waitForURL(/organ=sn/), page.getByRole('button', { name: 'Byt organ' }).click()]);
    assert.match(await page.locator('main').innerText(), /Socialnämndens verksamhetsplan och budget 2021/);
    await Promise.all([page.waitForURL(`${url}/budget`), page.getByRole('link', { name: 'Budget', exact: true }).click()]);
    assert.equal(await page.getByLabel('Organ', { exact: true }).inputValue(), 'sn');
    assert.deepEqual(await axeViolations(page), [], 'the budget page of Socialnämnden');
    await context.close();
  });

  await check('bodies: /kommun lists every body, its totals are the sum of the rows, axe clean', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, 'lasare');
    await Promise.all([page.waitForURL(`${url}/kommun`), page.getByRole('link', { name: 'Kommunen' }).click()]);
    const table = page.getByRole('table', { name: /Nämnder och styrelser/ });
    const rows = await table.locator('tbody tr').all();
    const names = [];
    const columns = [1, 3, 4, 5, 6]; // Ram, Budget år, Budget ack, Utfall ack, Avvikelse
    const sums = Object.fromEntries(columns.map((c) => [c, 0]));
    let shown = 0;
    let totals = null;
    for (const row of rows) {
      const name = (await row.locator('th').innerText()).trim();
      const cells = await row.locator('td').allInnerTexts();
      if (name === 'Summa nämnder och styrelser') {
        totals = cells;
        continue;
      }
      names.push(name);
      if (name === 'Barn- och utbildningsnämnden') {
        // Budget år is the nämnd's allocation, as in the roll-up report, also without a ledger.
        assert.equal(amount(cells[2]), 2600000, `Budget år of ${name}: ${cells[2]}`);
      }
      for (const c of columns) {
        const value = amount(cells[c - 1 + 0] ?? '–');
        if (value !== null) {
          sums[c] += value;
          shown += 1;
        }
      }
    }
    for (const body of ['Kommunstyrelsen', 'Socialnämnden', 'Barn- och utbildningsnämnden']) {
      assert.ok(names.includes(body), `${body} in ${names}`);
    }
    assert.ok(totals, 'a totals row');
    assert.ok(shown > 0, 'figures shown');
    // Each figure is rounded to whole tkr once: a total may differ from the sum of its rounded
    // rows by half a tkr per row.
    for (const c of columns) {
      const total = amount(totals[c - 1]);
      assert.ok(Math.abs(total - sums[c]) <= rows.length / 2, `column ${c}: ${total} against Σ ${sums[c]}`);
    }
    assert.match(await table.innerText(), /\d+ av \d+/, 'reporting progress');
    assert.deepEqual(await axeViolations(page), [], '/kommun');
    await context.close();
  });

  await check('bodies: Socialnämnden\'s reporter gets no form for KS\'s items and a refusal when posting one', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'snrapportor');
    assert.equal(await page.getByLabel('Organ', { exact: true }).inputValue(), 'sn', 'their own body first');
    await page.goto(`${url}/uppdrag/sn2021_1?period=2021-10`);
    await page.getByRole('button', { name: 'Spara status' }).waitFor();
    await page.goto(`${url}/uppdrag/ks2020_3?period=2021-10&organ=ks`);
    assert.equal(await page.getByRole('button', { name: 'Spara status' }).count(), 0, 'no form for KS\'s item');
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/rapportering/status'),
      page.evaluate((csrf) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/rapportering/status?organ=ks';
        const fields = { csrf, assignment: 'ks2020_3', period: '2021-10', version: '0', status: 'started', comment: 'x' };
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }, csrf),
    ]);
    assert.equal(response.status(), 403);
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), /får inte rapportera/i);
    await context.close();
  });
}
