// Security checks of the pages (issue 18, items 8, 17–23): the login form's CSRF token, a
// forged login refused, and the audit log in Swedish sentences with names.
export default async function ({ browser, url, check, login, assert }) {
  await check('the login form carries a CSRF token and a forged login is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/logga-in`);
    const token = await page.locator('input[name="csrf"]').getAttribute('value');
    assert.match(token ?? '', /^[0-9a-f]{64}$/);
    // A post without the form's token (as another site would make) is refused.
    const forged = await context.request.post(`${url}/logga-in`, {
      form: { login: 'admin', password: 'fel', csrf: '0'.repeat(64) },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    await context.close();
  });

  await check('the audit log reads as Swedish sentences with names', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'lasare');
    await page.goto(`${url}/handelselogg`);
    const log = await page.getByRole('table', { name: 'Händelselogg, äldst först' }).innerText();
    assert.match(log, /Importerade planen «/);
    assert.doesNotMatch(log, /import plan haninge\//);
    assert.doesNotMatch(log, /changed=\d/);
    await context.close();
  });
}
