// Runs last (zz-): it decides Kommunstyrelsen's 2021 proposal, which changes what every later
// page would show (a decided plan is public, and read-only for everyone).
// The budget process decides what a writer may edit (issue 21, items 1 and 2 together):
// Kommunstyrelsen's writer submits the proposal and then finds the section read-only (no
// editor, the refusal says who submitted it and when); the strategist returns it and the
// writer's editor is back.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('readonly: a submitted proposal is read-only for its writer until returned', async () => {
    const context = await browser.newContext();
    const writer = await login(context, 'ksskribent');
    const section = `${url}/plan/skriv/narrative/driftbudget.md?organ=ks`;
    await writer.goto(section);
    assert.equal(await writer.getByLabel('Text (Markdown)').count(), 1, 'a draft is editable');

    await writer.goto(`${url}/budgetprocess/ks`);
    await Promise.all([
      writer.waitForURL(`${url}/budgetprocess/ks`),
      writer.getByRole('button', { name: /^Lämna in/ }).click(),
    ]);
    assert.equal(await writer.locator('#lage').innerText(), 'inlämnad');

    await writer.goto(section);
    assert.equal(await writer.getByLabel('Text (Markdown)').count(), 0, 'no editor once submitted');
    assert.match(await writer.getByRole('status').first().innerText(), /Förslaget är inlämnat \d{4}-\d\d-\d\d av Lisa Åberg/);
    assert.equal(await writer.getByRole('button', { name: 'Spara' }).count(), 0);
    assert.deepEqual(await axeViolations(writer), [], 'the read-only section');

    const strategistContext = await browser.newContext();
    const strategist = await login(strategistContext, 'strateg');
    await strategist.goto(`${url}/budgetprocess/ks`);
    await strategist.getByLabel('Kommentar (krävs vid återremiss)').fill('Förtydliga driftbudgetens text.');
    await Promise.all([
      strategist.waitForURL(`${url}/budgetprocess/ks`),
      strategist.getByRole('button', { name: 'Återremittera' }).click(),
    ]);
    await writer.goto(section);
    assert.equal(await writer.getByLabel('Text (Markdown)').count(), 1, 'returned: editable again');
    await strategistContext.close();
    await context.close();
  });

  await check('readonly: the secretary records KS\'s proposal and KF\'s decision; then nobody edits', async () => {
    const writerContext = await browser.newContext();
    const writer = await login(writerContext, 'ksskribent');
    await writer.goto(`${url}/budgetprocess/ks`);
    await Promise.all([
      writer.waitForURL(`${url}/budgetprocess/ks`),
      writer.getByRole('button', { name: /^Lämna in/ }).click(),
    ]);
    const context = await browser.newContext();
    const secretary = await login(context, 'sekreterare');
    await secretary.goto(`${url}/budgetprocess/ks`);
    await Promise.all([
      secretary.waitForURL(`${url}/budgetprocess/ks`),
      secretary.getByRole('button', { name: 'KS föreslår' }).click(),
    ]);
    assert.equal(await secretary.locator('#lage').innerText(), 'KS-förslag');
    await secretary.getByLabel('KF:s beslut').selectOption('kf_2020_11_09_185');
    await Promise.all([
      secretary.waitForURL(`${url}/budgetprocess/ks`),
      secretary.getByRole('button', { name: 'KF beslutar' }).click(),
    ]);
    assert.equal(await secretary.locator('#lage').innerText(), 'beslutad');
    assert.match(await secretary.getByRole('table', { name: /Historik/ }).innerText(), /beslutad\s+Nils Borg/);
    assert.deepEqual(await axeViolations(secretary), [], '/budgetprocess/ks decided');
    // Decided: read-only for everyone, the strategist too (a change is an adjusted version).
    const strategistContext = await browser.newContext();
    const strategist = await login(strategistContext, 'strateg');
    await strategist.goto(`${url}/plan/skriv/narrative/driftbudget.md?organ=ks`);
    assert.equal(await strategist.getByLabel('Text (Markdown)').count(), 0, 'no editor once decided');
    assert.match(await strategist.getByRole('status').first().innerText(), /beslutad/);
    await strategistContext.close();
    await writerContext.close();
    await context.close();
  });
}
