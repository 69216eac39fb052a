// The harness itself: every topic module gets a logged-in page for each demo user.
export default async function ({ browser, passwords, check, login, assert }) {
  await check('every demo user can log in', async () => {
    for (const user of Object.keys(passwords)) {
      const context = await browser.newContext();
      const page = await login(context, user);
      assert.ok(page.url().endsWith('/'), `${user} lands on the start page`);
      await context.close();
    }
  });
}
