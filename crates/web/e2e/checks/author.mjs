// Authoring in the browser (issue 21, item 1): Kommunstyrelsen's writer edits a sentence of a
// narrative so that a claim no longer matches its table and sees the checker's finding beside
// the editor at once; two writers edit the same section, the second gets 409 with the current
// text shown and their own text still in the textarea; axe finds no serious violation on the
// new pages.
export default async function ({ browser, url, check, login, axeViolations, assert }) {

  await check('author: a writer breaks a claim by editing a sentence and sees the finding', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'ksskribent');
    await Promise.all([page.waitForURL(/\/plan\/skriv/), page.getByRole('link', { name: 'Skriv', exact: true }).click()]);
    assert.deepEqual(await axeViolations(page), [], 'the list of sections');
    await Promise.all([page.waitForURL(/driftbudget\.md/), page.getByRole('link', { name: 'Driftbudget', exact: true }).click()]);
    const text = page.getByLabel('Text (Markdown)');
    const before = await text.inputValue();
    assert.ok(before.includes('[20 500 tkr]{= op.fortroende.reserv@2021}'), 'the claim is in the text');
    const findings = page.getByRole('complementary', { name: 'Kontrollen' });
    assert.ok(!(await findings.innerText()).includes('21 500'));
    await text.fill(before.replace('[20 500 tkr]', '[21 500 tkr]'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Spara' }).click()]);
    await page.getByText(/Sparat som revision 1/).waitFor();
    const shown = await page.getByRole('complementary', { name: 'Kontrollen' }).innerText();
    assert.match(shown, /21 500/, 'the finding of the broken claim is beside the editor');
    assert.ok((await page.getByLabel('Text (Markdown)').inputValue()).includes('[21 500 tkr]'));
    // The preview renders the section as the document does.
    const preview = await page.getByRole('region', { name: 'Förhandsgranskning' }).innerText();
    assert.match(preview, /Driftbudget/);
    assert.deepEqual(await axeViolations(page), [], 'the editor after a save');
    await page.goto(`${url}/plan/skriv/narrative/driftbudget.md/historik?organ=ks&fran=0&till=1`);
    assert.match(await page.locator('pre.diff').innerText(), /\+ .*21 500 tkr/);
    assert.deepEqual(await axeViolations(page), [], 'the history with a diff');
    await context.close();
  });

  await check('author: two writers edit one section; the second gets 409 and keeps their text', async () => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    const one = await login(first, 'ksskribent');
    const two = await login(second, 'strateg');
    const page = `${url}/plan/skriv/narrative/ordforande.md?organ=ks`;
    await one.goto(page);
    await two.goto(page);
    const original = await one.getByLabel('Text (Markdown)').inputValue();
    await one.getByLabel('Text (Markdown)').fill(`${original}\n\nSkribentens tillägg.`);
    const mine = `${original}\n\nStrategens tillägg som inte får försvinna.`;
    await two.getByLabel('Text (Markdown)').fill(mine);
    const [saved] = await Promise.all([one.waitForNavigation(), one.getByRole('button', { name: 'Spara' }).click()]);
    assert.equal(saved.status(), 200);
    const [refused] = await Promise.all([two.waitForNavigation(), two.getByRole('button', { name: 'Spara' }).click()]);
    assert.equal(refused.status(), 409, 'the second save is a conflict');
    assert.match(await two.getByRole('alert').first().innerText(), /Någon annan har sparat/);
    assert.equal((await two.getByLabel('Din text').inputValue()).replace(/\r\n/g, '\n'), mine, 'nothing typed is lost');
    assert.match(await two.locator('pre.section-text').innerText(), /Skribentens tillägg/);
    assert.deepEqual(await axeViolations(two), [], 'the conflict page');
    // Saving again from the conflict page goes through on the current revision.
    const [again] = await Promise.all([two.waitForNavigation(), two.getByRole('button', { name: 'Spara' }).click()]);
    assert.equal(again.status(), 200);
    await first.close();
    await second.close();
  });

  await check('author: a broken cell is refused next to the cell, and what was typed stays', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'ksskribent');
    await page.goto(`${url}/plan/skriv/budget/investment.csv?organ=ks`);
    const cell = page.getByLabel('2021, rad 1', { exact: true });
    await cell.fill('5O000');
    const [refused] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Spara' }).click()]);
    assert.equal(refused.status(), 422);
    const marked = page.getByLabel('2021, rad 1', { exact: true });
    assert.equal(await marked.inputValue(), '5O000');
    assert.equal(await marked.getAttribute('aria-invalid'), 'true');
    const described = await marked.getAttribute('aria-describedby');
    assert.ok((await page.locator(`#${described}`).innerText()).length > 0, 'the message is next to the cell');
    assert.deepEqual(await axeViolations(page), [], 'the table editor with a refused cell');
    await context.close();
  });
}
