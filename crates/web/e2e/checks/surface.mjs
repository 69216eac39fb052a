// The web application's surface (issue 18, items 14, 15, 2 and 16): the way in for a newcomer,
// error pages in the site's frame, limits and plausibility of what is reported, formatting,
// the back button after logging out, and every page at 390 px.
export default async function ({ browser, url, check, login, assert }) {
  const forsakringar = '#forecast-op-gemensamma-forsakringar';

  /// Posts a form from inside a page of the site (same origin, with its cookies), as a browser
  /// would from a stale or hand-made form; returns the answer's status.
  async function postForm(page, action, fields) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(action) && r.request().method() === 'POST'),
      page.evaluate(({ action, fields }) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }, { action, fields }),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  async function assertFramed(page, what) {
    await page.getByRole('navigation', { name: 'Huvudmeny' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Översikt' }).count(), 1, `${what}: the menu`);
    assert.equal(await page.locator('header.top').count(), 1, `${what}: the header`);
  }

  await check('a newcomer at the printed URL gets a start page that leads to the login', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${url}/`);
    assert.equal(response.status(), 200, 'the start page answers 200');
    await assertFramed(page, 'start page');
    const main = await page.locator('main').innerText();
    assert.doesNotMatch(main, /Det gick inte/);
    await Promise.all([
      page.waitForURL(`${url}/logga-in`),
      page.getByRole('main').getByRole('link', { name: 'Logga in' }).first().click(),
    ]);
    await page.getByLabel('Användarnamn').waitFor();
    await context.close();
  });

  await check('error pages 404, 403, 409 and 422 keep the header and the menu', async () => {
    const anonymous = await (await browser.newContext()).newPage();
    const missing = await anonymous.goto(`${url}/finns-inte`);
    assert.equal(missing.status(), 404);
    await assertFramed(anonymous, '404 for a visitor');
    assert.match(await anonymous.locator('main').innerText(), /finns inte/);

    const page = await login(await browser.newContext(), 'controller');
    const gone = await page.goto(`${url}/uppdrag/finns_inte?period=2021-08`);
    assert.equal(gone.status(), 404);
    await assertFramed(page, '404 for a user');
    assert.match(await page.locator('header.top').innerText(), /controller/);

    await page.goto(`${url}/perioder`);
    const forged = await postForm(page, '/perioder/stang', { csrf: 'fel', period: '2021-02' });
    assert.ok([403, 422].includes(forged), `a forged form: ${forged}`);
    await assertFramed(page, `${forged} for a forged form`);

    await page.goto(`${url}/perioder`);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const unreadable = await postForm(page, '/perioder/stang', { csrf });
    assert.equal(unreadable, 422, 'a form without its fields');
    await assertFramed(page, '422');
    assert.doesNotMatch(await page.locator('main').innerText(), /Failed to deserialize/);

    await page.goto(`${url}/perioder`);
    assert.ok([303, 200].includes(await postForm(page, '/perioder/stang', { csrf, period: '2021-02' })));
    await page.goto(`${url}/perioder`);
    const again = await postForm(page, '/perioder/stang', { csrf, period: '2021-02' });
    assert.equal(again, 409, 'closing a closed period');
    await assertFramed(page, '409');
  });

  await check('a forecast over the limit is refused, one far from the budget asks for confirmation', async () => {
    const page = await login(await browser.newContext(), 'controller');
    await page.goto(`${url}/rapportering/formular?period=2021-10`);
    const form = page.locator(forsakringar);
    await form.getByLabel('Prognos helår (tkr)').fill('1 000 000 000 000');
    const [huge] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/rapportering/rapport'),
      form.getByRole('button', { name: 'Spara prognos' }).click(),
    ]);
    assert.equal(huge.status(), 422);
    assert.match(await page.locator(forsakringar).innerText(), /Prognosen 1 000 000 000 000 tkr är större än gränsen/);

    await page.locator(forsakringar).getByLabel('Prognos helår (tkr)').fill('-5000');
    await page.locator(forsakringar).getByLabel('Förklaring till avvikelsen').fill('Återbetalning från försäkringsbolaget.');
    const [far] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/rapportering/rapport'),
      page.locator(forsakringar).getByRole('button', { name: 'Spara prognos' }).click(),
    ]);
    assert.equal(far.status(), 422, 'not saved before it is confirmed');
    assert.match(await page.locator(forsakringar).innerText(), /långt från årets budget/);
    assert.equal(await page.locator(forsakringar).getByLabel('Prognos helår (tkr)').inputValue(), '-5000');
    await Promise.all([
      page.waitForURL(/\/rapportering\/formular\?period=2021-10/),
      page.locator(forsakringar).getByRole('button', { name: 'Spara ändå' }).click(),
    ]);
    assert.equal(await page.locator(forsakringar).getByLabel('Prognos helår (tkr)').inputValue(), '−5 000');

    // As a script or an old browser would send it: past the field's maxlength.
    await page.locator(forsakringar).getByLabel('Förklaring till avvikelsen')
      .evaluate((field) => { field.removeAttribute('maxlength'); field.value = 'x'.repeat(200000); });
    const [long] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/rapportering/rapport'),
      page.locator(forsakringar).getByRole('button', { name: 'Spara prognos' }).click(),
    ]);
    assert.equal(long.status(), 422);
    assert.match(await page.locator(forsakringar).innerText(), /Kommentaren är för lång: 200 000 tecken, högst 4 000 tecken/);
    // Put the example's forecast back for the checks after this one.
    await page.goto(`${url}/rapportering/formular?period=2021-10`);
    await page.locator(forsakringar).getByLabel('Prognos helår (tkr)').fill('2 800');
    await page.locator(forsakringar).getByLabel('Förklaring till avvikelsen').fill('Antalet skador med självrisk har varit färre än budgeterat under året.');
    await Promise.all([
      page.waitForURL(/\/rapportering\/formular\?period=2021-10/),
      page.locator(forsakringar).getByRole('button', { name: 'Spara prognos' }).click(),
    ]);
  });

  await check('a long word in a comment wraps instead of widening the page', async () => {
    const page = await login(await browser.newContext(), 'controller');
    await page.goto(`${url}/uppdrag/ks2020_3?period=2021-10`);
    await page.getByLabel('Kommentar').fill(`Se ${'https://example.org/'.padEnd(3000, 'a')} för underlaget.`);
    await Promise.all([page.waitForURL(/\/uppdrag\//), page.getByRole('button', { name: 'Spara status' }).click()]);
    for (const path of ['/uppdrag/ks2020_3?period=2021-10', '/uppdrag?period=2021-10']) {
      await page.goto(`${url}${path}`);
      const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scroll <= width, `${path}: ${scroll} px wide in a ${width} px window`);
    }
  });

  await check('a forecast below what is booked is a warning in the form and a finding in the report', async () => {
    const page = await login(await browser.newContext(), 'controller');
    await page.goto(`${url}/rapportering/formular?period=2021-08`);
    assert.match(
      await page.locator(forsakringar).innerText(),
      /prognosen för helåret \(2 900 tkr\) är lägre än det som redan är bokfört i år \(3 273 tkr\)/,
    );
    await page.goto(`${url}/?period=2021-08`);
    const attention = await page.locator('section[aria-labelledby=uppmarksamhet]').innerText();
    assert.match(attention, /Försäkringar.*lägre än det som redan är bokfört/);
    await page.goto(`${url}/dokument/rapport/2021-08.html`);
    const report = await page.locator('body').innerText();
    assert.match(report, /Prognoser som behöver kontrolleras/);
    assert.match(report, /Försäkringar[\s\S]{0,80}3\s273/);
  });

  await check('amounts as the tables show them, times in Swedish local time to the minute', async () => {
    const page = await login(await browser.newContext(), 'controller');
    await page.goto(`${url}/rapportering/formular?period=2021-08`);
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /utfall hittills -?[\d ]+,\d/, 'no decimals of tkr in the legends');
    assert.match(text, /utfall hittills 3 273 tkr/);
    await page.goto(`${url}/uppdrag/${'ny2021_seniorbostadskon'}?period=2021-08`);
    const history = await page.locator('main').innerText();
    assert.doesNotMatch(history, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no ISO timestamps');
    const audit = await login(await browser.newContext(), 'admin');
    await audit.goto(`${url}/handelselogg`);
    const log = await audit.locator('main').innerText();
    assert.doesNotMatch(log, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no ISO timestamps in the log');
    assert.match(log, /\d{4}-\d\d-\d\d \d\d:\d\d/);
  });

  await check('the back button after logging out does not show the page again', async () => {
    const page = await login(await browser.newContext(), 'controller');
    const response = await page.goto(`${url}/budget?period=2021-08`);
    assert.equal(response.headers()['cache-control'], 'no-store');
    assert.match(await page.locator('header.top').innerText(), /controller/);
    await Promise.all([page.waitForURL(`${url}/logga-in`), page.getByRole('button', { name: 'Logga ut' }).click()]);
    await page.goBack();
    await page.waitForLoadState();
    assert.doesNotMatch(await page.locator('body').innerText(), /controller \(/, `after back: ${page.url()}`);
  });

  await check('at 390 px no page scrolls sideways; tables scroll in their own box', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await login(context, 'admin');
    const paths = [
      '/', '/?period=2021-08', '/mal?period=2021-08', '/uppdrag?period=2021-08',
      '/uppdrag/ks2020_3?period=2021-08', '/rapportering?period=2021-08', '/rapportering/formular?period=2021-08', '/budget?period=2021-08',
      '/budget/rad?line=op.ksf.ksf&period=2021-08', '/dokument', '/handelselogg', '/perioder', '/kontroll',
      '/logga-in', '/finns-inte',
    ];
    const wide = [];
    for (const path of paths) {
      await page.goto(`${url}${path}`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scroll > 390) wide.push(`${path}: ${scroll} px`);
    }
    assert.deepEqual(wide, []);
    // The budget table is wider than the screen and scrolls inside its box.
    await page.goto(`${url}/budget?period=2021-08`);
    const box = await page.locator('.table-wrap').first().evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(box[0] > box[1], `the table scrolls inside its box (${box})`);
  });

  await check('deviations on the overview: colour, sign and words, largest first, the investment underspend flagged', async () => {
    const page = await login(await browser.newContext(), 'controller');
    await page.goto(`${url}/?period=2021-10`);
    const list = page.locator('#avvikelser-lista li');
    const count = await list.count();
    assert.ok(count >= 2, 'the deviations are listed');
    const sizes = [];
    for (let i = 0; i < count; i += 1) {
      const item = list.nth(i);
      const text = await item.innerText();
      assert.match(text, /[+−]\d/, `a sign: ${text}`);
      assert.match(text, /överskott|underskott|lägre utgifter än budget|högre utgifter än budget/, `words: ${text}`);
      assert.match(await item.locator('.dev').getAttribute('class'), /dev-(pos|neg|warn)/);
      sizes.push(Number((text.match(/[+−]([\d ]+) tkr/) ?? [])[1]?.replace(/ /g, '')));
    }
    assert.deepEqual([...sizes].sort((a, b) => b - a), sizes, 'largest first');
    const attention = await page.locator('section[aria-labelledby=uppmarksamhet]').innerText();
    assert.match(attention, /Investeringar.*lägre utgifter än budget/i);
  });
}
