// Synthetic example data and users' names (issue 18, item 5 and the display name): the demo's
// 2021 periods, which the example's followup.toml marks synthetic, say so on the budget page
// (a note and the table's caption) and the seed's 2020 does not; the header and the audit log
// show a user's name, not the login.

const NAMES = {
  admin: 'Maria Sandberg',
  controller: 'Johan Ekström',
  rapportor: 'Eva Lindqvist',
  ksrapportor: 'Karin Nyberg',
  lasare: 'Anders Holm',
  revisor: 'Lena Berglund',
};

export default async function ({ browser, url, passwords, check, login, axeViolations, assert }) {
  await check('synthetic: the 2021 budget page is marked synthetic, 2020 is not', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'controller');
    await page.goto(`${url}/budget?period=2021-10`);
    // The period's note; the plan's synthetic ramberäkning has its own, in every period.
    const note = page.getByRole('note').filter({ hasText: 'Syntetiska exempeldata: uppföljningen' });
    assert.equal(await note.count(), 1, 'one note');
    assert.ok(await note.isVisible(), 'the note is visible');
    const caption = await page.locator('table caption').first().innerText();
    assert.match(caption, /syntetiska exempeldata/);
    assert.deepEqual(await axeViolations(page), [], 'the marked budget page');
    await page.goto(`${url}/budget?period=2020-10`);
    assert.equal(
      await page.locator('p.synthetic').filter({ hasText: 'uppföljningen' }).count(),
      0,
      'no note for the seed',
    );
    assert.equal(
      await page.locator('p.synthetic').filter({ hasText: 'ramberäkningen' }).count(),
      1,
      'the ramberäkning says it is synthetic',
    );
    assert.doesNotMatch(await page.locator('table caption').first().innerText(), /syntetiska/);
    await context.close();
  });

  await check('names: the header and the audit log show who by name', async () => {
    for (const user of Object.keys(passwords)) {
      const context = await browser.newContext();
      const page = await login(context, user);
      const header = await page.locator('header .who span').innerText();
      if (NAMES[user]) assert.ok(header.startsWith(`${NAMES[user]} (${user})`), header);
      await context.close();
    }
    const context = await browser.newContext();
    const page = await login(context, 'admin');
    await page.goto(`${url}/handelselogg`);
    // Every row by a demo user names the user; the login stays in the cell's title.
    const cells = page.locator('td[title]');
    const n = await cells.count();
    for (let i = 0; i < n; i += 1) {
      const login = await cells.nth(i).getAttribute('title');
      if (NAMES[login]) assert.equal(await cells.nth(i).innerText(), NAMES[login]);
    }
    await context.close();
  });
}
