// The reminders page (/paminnelser, issue 25's schedule on the web): a controller finds it in
// the menu, changes a step with the keyboardless form and sees who changed it; a change made
// from a page that someone else's change has overtaken answers 409 and writes nothing; axe finds
// no serious violation; a reader has no link and is refused.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('reminders: a controller changes the schedule, a stale change is refused, a reader is not let in', async () => {
    const context = await browser.newContext();
    const controller = await login(context, 'controller');
    await Promise.all([
      controller.waitForURL(`${url}/paminnelser`),
      controller.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Påminnelser' }).click(),
    ]);
    assert.deepEqual(await axeViolations(controller), [], '/paminnelser');
    assert.match(await controller.locator('#utkorg-summa').innerText(), /0 skickade, 0 väntar, 0 misslyckade/);

    const adminContext = await browser.newContext();
    const admin = await login(adminContext, 'admin');
    await admin.goto(`${url}/paminnelser`);

    await controller.getByLabel('Dagar före sista rapportdag').fill('4');
    await Promise.all([
      controller.waitForURL(`${url}/paminnelser`),
      controller.getByRole('button', { name: 'Spara påminnelsen före sista rapportdag' }).click(),
    ]);
    assert.equal(await controller.getByLabel('Dagar före sista rapportdag').inputValue(), '4');
    assert.match(await controller.locator('#andrad-fore').innerText(), /Ändrad \d{4}-\d\d-\d\d \d\d:\d\d av Johan Ekström/);

    // The administrator's page still shows the schedule before the controller's change.
    await admin.getByLabel('Dagar före sista rapportdag').fill('6');
    const [response] = await Promise.all([
      admin.waitForResponse((r) => new URL(r.url()).pathname === '/paminnelser/schema'),
      admin.getByRole('button', { name: 'Spara påminnelsen före sista rapportdag' }).click(),
    ]);
    assert.equal(response.status(), 409);
    assert.match(await admin.getByRole('alert').innerText(), /har ändrats av controller/);
    assert.equal(await admin.getByLabel('Dagar före sista rapportdag').inputValue(), '4', 'nothing overwritten');
    assert.deepEqual(await axeViolations(admin), [], 'the 409 page');
    await adminContext.close();

    const readerContext = await browser.newContext();
    const reader = await login(readerContext, 'lasare');
    assert.equal(await reader.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Påminnelser' }).count(), 0);
    assert.equal((await reader.goto(`${url}/paminnelser`)).status(), 403);
    await readerContext.close();
    await context.close();
  });
}
