// Open data and the Kolada comparison as an anonymous visitor (issue 24, items 2 and 5). Runs
// after zz-decide (file name order): Kommunstyrelsen's budget is decided by then, so it is public.
export default async function ({ browser, url, check, axeViolations, assert }) {
  await check('opendata: /data/ lists the decided budget\'s files for anyone, axe clean', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${url}/data/`);
    assert.equal(response.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Öppna data' }).waitFor();
    assert.match(await page.locator('main').innerText(), /CC0-1\.0/);
    assert.deepEqual(await axeViolations(page), [], '/data/');
    // The budget's CSV behind the index's link, with its tag; the tag again gives 304.
    const href = await page.getByRole('link', { name: 'CSV: Beslutad budget, alla år' }).getAttribute('href');
    assert.equal(href, '/data/budget.csv');
    const file = await context.request.get(`${url}${href}`);
    assert.equal(file.status(), 200);
    assert.match(file.headers()['content-type'], /^text\/csv/);
    const etag = file.headers().etag;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.match(await file.text(), /^organ,organ_namn,budgetversion,beslut,ar,budget,rad/);
    const again = await context.request.get(`${url}${href}`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status(), 304);
    // The Fiscal Data Package's descriptor carries the licence.
    const descriptor = await context.request.get(`${url}/data/fdp/ks/datapackage.json`);
    assert.equal((await descriptor.json()).licenses[0].name, 'CC0-1.0');
    // An unknown year is the site's own 404 page.
    const missing = await page.goto(`${url}/data/budget/1999.csv`);
    assert.equal(missing.status(), 404);
    await page.getByRole('heading', { level: 1, name: 'Sidan finns inte' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the 404 page');
    await context.close();
  });

  await check('opendata: /jamforelse shows each Kolada indicator for anyone, axe clean', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const path of ['/jamforelse', '/jamforelse/forvarvsarbetande']) {
      const response = await page.goto(`${url}${path}`);
      assert.equal(response.status(), 200, path);
      assert.match(await page.locator('main').innerText(), /Förvärvsarbetande invånare 20-64 år/, path);
      assert.deepEqual(await axeViolations(page), [], path);
    }
    await context.close();
  });
}
