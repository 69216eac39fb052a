// Paged drill-down (issue 23): the vouchers behind one unit and account of a budget line, a
// few rows a page, walked forwards and back with the keyboard through the pager's links; every
// page axe clean.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('paging: the vouchers of a figure page forwards and back by keyboard, axe clean', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'admin');
    await page.goto(`${url}/budget/rad?line=op.ksf.ksf&period=2021-08`);
    // The group with the most rows, three to a page.
    const groups = page.locator('main table').first().locator('tbody tr:not(.total)');
    let best = { rows: -1, href: '' };
    for (let i = 0; i < await groups.count(); i += 1) {
      const row = groups.nth(i);
      const rows = Number((await row.locator('td.num').first().innerText()).replace(/\s/g, ''));
      const href = await row.locator('a').getAttribute('href');
      if (rows > best.rows) best = { rows, href };
    }
    assert.ok(best.rows > 6, `a group of several pages (${best.rows} rows)`);
    await page.goto(`${url}${best.href.replace('#', '&limit=3#')}`);
    const pager = page.getByRole('navigation', { name: 'Sidor med verifikationer' });
    const vouchers = () => page.locator('#verifikationer tbody tr');
    const seen = [];
    const pages = Math.ceil(best.rows / 3);
    for (let n = 1; n <= pages; n += 1) {
      await page.waitForLoadState('load');
      await vouchers().first().waitFor();
      assert.deepEqual(await axeViolations(page), [], `page ${n}`);
      const rows = await vouchers().allInnerTexts();
      assert.ok(rows.length >= 1 && rows.length <= 3, `page ${n}: ${rows.length} rows`);
      seen.push(...rows);
      const next = pager.getByRole('link', { name: 'Nästa sida' });
      if (n === pages) {
        assert.equal(await next.count(), 0, 'no next page after the last');
        break;
      }
      // Tab to the link and follow it with Enter, as a keyboard user does.
      await next.focus();
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Nästa sida');
      await Promise.all([page.waitForURL(/after=/), page.keyboard.press('Enter')]);
    }
    assert.equal(seen.length, best.rows, 'every row once');
    assert.equal(new Set(seen).size <= seen.length, true);
    // And back one page: the rows of the page before the last.
    await Promise.all([
      page.waitForURL(/before=/),
      pager.getByRole('link', { name: 'Föregående sida' }).press('Enter'),
    ]);
    await page.waitForLoadState('load');
    const back = await vouchers().allInnerTexts();
    const lastPage = seen.length - (seen.length % 3 || 3);
    assert.deepEqual(back, seen.slice(lastPage - 3, lastPage));
    assert.deepEqual(await axeViolations(page), [], 'a previous page');
    // A cursor that is not one: a 400 page in the site's frame.
    const response = await page.goto(`${url}${best.href.replace('#verifikationer', '')}&after=inte-en-markor`);
    assert.equal(response.status(), 400);
    assert.match(await page.locator('main').innerText(), /markör/);
    await context.close();
  });
}
