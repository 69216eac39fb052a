// Issue 19 (one rule, one place): the report someone else made first reads the same in the
// period grid as in the single form (who and when, in Swedish local time), and the document
// list offers the reports of the kinds in `styr_reports::kinds` only.

// "2026-12-06 05:12" in Stockholm for a moment.
function stockholmMinute(date) {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(date).replace(',', '');
}

export default async function ({ browser, url, check, login, assert }) {
  await check('reportkind: the grid names the report that came first with its Swedish local time, like the form', async () => {
    const mine = await login(await browser.newContext(), 'ksrapportor');
    const theirs = await login(await browser.newContext(), 'controller');
    for (const page of [mine, theirs]) await page.goto(`${url}/rapportering?period=2021-10`);
    const row = (page) => page.getByRole('row', { name: /Kommunfullmäktige/ });
    await row(theirs).locator('input[name^=value]').fill('3 330');
    await row(theirs).locator('input[name^=comment]').fill('Först.');
    const before = new Date();
    await Promise.all([theirs.waitForURL(/sparat=/), theirs.getByRole('button', { name: 'Spara allt' }).click()]);
    const after = new Date();
    await row(mine).locator('input[name^=value]').fill('3 400');
    await row(mine).locator('input[name^=comment]').fill('Sist.');
    const [response] = await Promise.all([
      mine.waitForResponse((r) => r.request().method() === 'POST'),
      mine.getByRole('button', { name: 'Spara allt' }).click(),
    ]);
    assert.equal(response.status(), 409);
    await mine.waitForLoadState();
    const text = await mine.locator('main').innerText();
    const when = [stockholmMinute(before), stockholmMinute(after)];
    assert.ok(
      when.some((minute) => text.includes(`(controller, ${minute})`)),
      `the conflict names controller at ${when.join(' or ')}: ${text.slice(0, 600)}`,
    );
  });

  await check('reportkind: the document list links the reports of the interim and annual periods, and they open', async () => {
    const page = await login(await browser.newContext(), 'controller');
    await page.goto(`${url}/dokument`);
    const links = await page.locator('a[href^="/dokument/rapport/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 0, 'some period report is listed');
    for (const href of links) {
      const month = Number(href.match(/\d{4}-(\d{2})/)[1]);
      assert.ok([4, 8, 12].includes(month), `${href} is an interim or annual period's report`);
    }
    const html = links.find((href) => href.endsWith('.html'));
    const answer = await page.request.get(`${url}${html}`);
    assert.equal(answer.status(), 200);
    assert.match(await answer.text(), /Delårsrapport|Verksamhetsberättelse/);
    const monthly = await page.request.get(`${url}/dokument/rapport/2021-10.html`);
    assert.equal(monthly.status(), 404, 'a monthly closing has no report');
  });
}
