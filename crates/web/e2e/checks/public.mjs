// The public site (issue 24, items 1 and 4): an anonymous visitor reaches every public page from
// the start page, each answers 200 with no serious or critical axe violation, and the keyboard
// alone works: the first Tab reaches the skip link, which moves focus into the main content, and
// Tab reaches every link of the menu in order. A controller first closes Barn- och
// utbildningsnämnden's delårsrapport 1 (2021-04) so that a closed period's report is public too.
const PUBLIC = ['/planen', '/rapporter', '/sammanfattning', '/malbarometer', '/tillganglighet'];

export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('public: every public page answers 200 with no serious or critical axe violation', async () => {
    const staff = await browser.newContext();
    const controller = await login(staff, 'controller');
    await controller.goto(`${url}/perioder?organ=bun`);
    await Promise.all([
      controller.waitForURL(/\/perioder/),
      controller.getByRole('button', { name: 'Stäng 2021-04' }).click(),
    ]);
    await staff.close();

    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const seen = new Set();
    const queue = ['/'];
    const found = [];
    while (queue.length > 0) {
      const path = queue.shift();
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.goto(`${url}${path}`);
      assert.equal(response.status(), 200, path);
      for (const violation of await axeViolations(page)) found.push(`${path}: ${violation}`);
      const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const href of hrefs) {
        if (href === '/' || PUBLIC.some((prefix) => href.startsWith(prefix))) queue.push(href);
      }
    }
    for (const expected of ['/', '/planen', '/planen/kf', '/rapporter', '/rapporter/bun/2021-04', '/sammanfattning/2021', '/malbarometer', '/tillganglighet']) {
      assert.ok(seen.has(expected), `${expected} is reached from the start page: ${[...seen].join(' ')}`);
    }
    assert.deepEqual(found, []);
    // Something not public is the site's own 404 page.
    const missing = await page.goto(`${url}/rapporter/bun/2021-08`);
    assert.equal(missing.status(), 404);
    assert.equal(await page.getByRole('navigation', { name: 'Huvudmeny' }).count(), 1);
    assert.deepEqual(await axeViolations(page), [], 'the 404 page');
    await context.close();
  });

  await check('public: the skip link and every menu link are reached with the keyboard alone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/sammanfattning/2021`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Hoppa till innehållet');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#innehall$/);
    await page.keyboard.press('Tab');
    assert.ok(
      await page.evaluate(() => document.querySelector('main').contains(document.activeElement)),
      'after the skip link, Tab moves inside the main content',
    );

    await page.goto(`${url}/sammanfattning/2021`);
    const menu = await page
      .getByRole('navigation', { name: 'Huvudmeny' })
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(menu.length >= 8, `the menu has its links: ${menu}`);
    const reached = [];
    for (let i = 0; i < menu.length + 6; i += 1) {
      await page.keyboard.press('Tab');
      const inMenu = await page.evaluate(() => {
        const active = document.activeElement;
        return active.closest('nav[aria-label="Huvudmeny"]') ? active.getAttribute('href') : null;
      });
      if (inMenu) reached.push(inMenu);
    }
    assert.deepEqual(reached, menu, 'Tab reaches every menu link, in order');
    await context.close();
  });
}
