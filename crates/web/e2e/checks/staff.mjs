// Verksamhetsmått (issue 22, item 6) in the browser: the KS reporter opens the measures page
// from Rapportering, sees each measure's table and its chart against the budget, saves an
// outcome with the keyboard (POST-redirect-GET), and the page has no serious accessibility
// violation.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('staff: the KS reporter saves a measure outcome and sees it against the budget', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, 'ksrapportor');
    await page.goto(`${url}/rapportering?period=2021-10`);
    await page.getByRole('link', { name: /Verksamhetsmått/ }).click();
    assert.match(page.url(), /\/rapportering\/matt\?period=2021-10$/);
    const table = page.getByRole('table', { name: /Antal besök i kontaktcenter/ });
    assert.equal(await table.locator('tbody tr').count(), 12, 'ten months, the accumulated row and the year');
    assert.ok(await page.locator('figure.chart svg').count() >= 3, 'a chart per measure');
    const field = page.getByLabel('Utfall 2021-10 (besök)');
    await field.fill('2 750');
    await field.press('Enter');
    await page.waitForURL(/\/rapportering\/matt\?period=2021-10$/);
    assert.equal(await page.getByLabel('Utfall 2021-10 (besök)').inputValue(), '2750');
    const row = table.locator('tbody tr', { hasText: 'okt 2021' });
    assert.match(await row.innerText(), /2\s750/);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], 'the measures page');
    await context.close();
  });
}
