// The budget process (issue 21, items 2 and 4) in the browser: Socialnämnden's writer submits
// the proposal, the strategist returns it with a comment, the overview shows states and a late
// body (in text, not only colour), a politician asks a question and the strategist answers
// it; axe finds no serious violation on /budgetprocess, /budgetprocess/sn and /beredning.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('process: the writer submits, the strategist returns with a comment', async () => {
    const writerContext = await browser.newContext();
    const writer = await login(writerContext, 'snskribent');
    await Promise.all([writer.waitForURL(`${url}/budgetprocess`), writer.getByRole('link', { name: 'Budgetprocessen' }).click()]);
    const row = writer.locator('#organ-sn');
    assert.match(await row.innerText(), /utkast \(sent\)/, 'Socialnämnden is an utkast, late');
    assert.match(await writer.locator('main').innerText(), /syntetiska exempeldata/);
    assert.deepEqual(await axeViolations(writer), [], '/budgetprocess');
    await Promise.all([
      writer.waitForURL(`${url}/budgetprocess/sn`),
      row.getByRole('button', { name: /^Lämna in/ }).click(),
    ]);
    assert.equal(await writer.locator('#lage').innerText(), 'inlämnad');
    assert.match(await writer.locator('main').innerText(), /Du kan inte flytta förslaget/);
    assert.match(await writer.getByRole('table', { name: /Historik/ }).innerText(), /inlämnad\s+Omar Haddad/);
    assert.deepEqual(await axeViolations(writer), [], '/budgetprocess/sn');

    const strategistContext = await browser.newContext();
    const strategist = await login(strategistContext, 'strateg');
    await strategist.goto(`${url}/budgetprocess/sn`);
    // Without a comment the return is refused beside the form.
    await strategist.getByRole('button', { name: 'Återremittera' }).click();
    assert.match(await strategist.getByRole('alert').innerText(), /återremiss måste ha en kommentar/);
    await strategist.getByLabel('Kommentar (krävs vid återremiss)').fill('Ramen för äldreomsorgen överskrids med 2 mnkr.');
    await Promise.all([
      strategist.waitForURL(`${url}/budgetprocess/sn`),
      strategist.getByRole('button', { name: 'Återremittera' }).click(),
    ]);
    assert.equal(await strategist.locator('#lage').innerText(), 'återremitterad');
    // The writer's stale page (it showed inlämnad) cannot move it again: nothing changes.
    await writer.reload();
    assert.equal(await writer.locator('#lage').innerText(), 'återremitterad');
    assert.match(await writer.getByRole('table', { name: /Historik/ }).innerText(), /Ramen för äldreomsorgen överskrids med 2 mnkr\./);
    await writerContext.close();
    await strategistContext.close();
  });

  await check('process: the overview shows every state and the late bodies in text', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'lasare');
    await page.goto(`${url}/budgetprocess`);
    const table = page.getByRole('table', { name: /Organens förslag/ });
    const text = await table.innerText();
    assert.match(text, /Socialnämnden\s+återremitterad \(sent\)/);
    assert.match(text, /Kommunstyrelsen\s+utkast \(sent\)/);
    assert.match(await page.locator('main').innerText(), /\d+ organ är sena med sitt förslag/);
    const calendar = await page.getByRole('table', { name: /Budgetkalendern/ }).innerText();
    assert.match(calendar, /Inlämning\s+alla\s+2020-09-30/);
    await context.close();
  });

  await check('process: a politician asks, the strategist answers and publishes; axe clean', async () => {
    const politicianContext = await browser.newContext();
    const politician = await login(politicianContext, 'politiker');
    await Promise.all([politician.waitForURL(`${url}/beredning`), politician.getByRole('link', { name: 'Beredning' }).click()]);
    await politician.getByLabel('Organ', { exact: true }).last().selectOption({ label: 'Socialnämnden' });
    await politician.getByLabel('Budgetrad (text eller id, t.ex. op.ksf.trygghet)').fill('Äldreomsorg');
    await politician.getByLabel('Fråga', { exact: true }).fill('Hur många platser ger ökningen?');
    await Promise.all([politician.waitForURL(`${url}/beredning`), politician.getByRole('button', { name: 'Skicka frågan' }).click()]);
    const question = politician.locator('article.question').filter({ hasText: 'Hur många platser ger ökningen?' });
    assert.match(await question.innerText(), /Socialnämnden, Äldreomsorg – öppen/);
    assert.deepEqual(await axeViolations(politician), [], '/beredning (politician)');

    const strategistContext = await browser.newContext();
    const strategist = await login(strategistContext, 'strateg');
    await strategist.goto(`${url}/beredning?lage=oppen`);
    const open = strategist.locator('article.question').filter({ hasText: 'Hur många platser ger ökningen?' });
    const id = (await open.getAttribute('id')).replace('fraga-', '');
    await strategist.getByLabel(`Svar på fråga ${id}`).fill('Tolv platser från hösten 2021.');
    await strategist.getByLabel('Publicera svaret').first().check();
    await Promise.all([strategist.waitForURL(new RegExp(`/beredning#fraga-${id}$`)), open.getByRole('button', { name: 'Spara svaret' }).click()]);
    assert.deepEqual(await axeViolations(strategist), [], '/beredning (strategist)');

    await politician.goto(`${url}/beredning?avser=sn`);
    const answered = await politician.locator(`#fraga-${id}`).innerText();
    assert.match(answered, /– besvarad/);
    assert.match(answered, /Svar: Tolv platser från hösten 2021\./);
    assert.match(answered, /Per Wallin; publicerat svar/);
    await politicianContext.close();
    await strategistContext.close();
  });
}
