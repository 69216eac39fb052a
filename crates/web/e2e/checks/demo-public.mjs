// What a citizen sees on a fresh `styr serve --demo` (issue 24, item 1): the demo records what
// the municipality decided and closes the period its story has closed, so an anonymous visitor
// finds Kommunstyrelsen's decided plan on /planen and its delårsrapport 1 (2021-04) on
// /rapporter, each a page of its own. Runs before public.mjs (file name order), which closes a
// period of its own: what this check finds, the demo did.
export default async function ({ browser, url, check, axeViolations, assert }) {
  await check('demo: an anonymous visitor sees a decided plan on /planen and a closed report on /rapporter', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    assert.equal((await page.goto(`${url}/planen`)).status(), 200);
    const plans = page.locator('main');
    assert.match(await plans.innerText(), /Kommunstyrelsens fördelning av ram 2021/);
    const ks = await page.locator('main a[href="/planen/ks"]').count();
    assert.equal(ks, 1, 'Kommunstyrelsen\'s decided plan is listed');
    assert.doesNotMatch(await plans.innerText(), /förslag till fördelning/, 'the draft is not public');
    assert.equal((await page.goto(`${url}/planen/ks`)).status(), 200);
    assert.deepEqual(await axeViolations(page), [], '/planen/ks');

    assert.equal((await page.goto(`${url}/rapporter`)).status(), 200);
    const reports = await page.locator('main a[href^="/rapporter/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(reports.includes('/rapporter/ks/2021-04'), `delårsrapport 1 is public: ${reports}`);
    const report = await page.goto(`${url}/rapporter/ks/2021-04`);
    assert.equal(report.status(), 200);
    assert.match(await page.locator('main').innerText(), /Delårsrapport 1 per april 2021/);
    assert.deepEqual(await axeViolations(page), [], '/rapporter/ks/2021-04');

    // An open period's report is not public: October's is still being reported.
    assert.equal((await page.goto(`${url}/rapporter/ks/2021-10`)).status(), 404);
    await context.close();
  });
}
