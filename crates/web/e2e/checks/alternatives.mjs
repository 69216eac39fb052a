// Alternative budgets (issue 21, item 5): `politiker` creates an alternative, raises
// Socialnämnden's frame so the result breaks KF's financial goal, tries to submit and sees the
// refusal with the amount while the state stays utkast; lowers the frame and submits; the
// comparison shows the difference (marker and text, not colour alone); the documents open; axe
// finds no serious or critical violation on the new pages.
export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('alternatives: a politician cannot submit an unbalanced alternative, then can', async () => {
    const context = await browser.newContext();
    const page = await login(context, 'politiker');
    await Promise.all([
      page.waitForURL(`${url}/alternativ`),
      page.getByRole('link', { name: 'Alternativa budgetar' }).click(),
    ]);
    assert.deepEqual(await axeViolations(page), [], 'the list with the create form');
    await page.getByLabel('Parti').fill('Moderaterna');
    await page.getByLabel('Titel').fill('Trygghet först');
    await Promise.all([
      page.waitForURL(/\/alternativ\/\d+$/),
      page.getByRole('button', { name: 'Skapa alternativ budget' }).click(),
    ]);
    const address = page.url();
    assert.equal((await page.locator('#status').innerText()).trim(), 'utkast');
    assert.equal((await page.locator('#resultatet').innerText()).trim(), '107 000');
    assert.deepEqual(await axeViolations(page), [], 'the alternative, balanced');

    // Socialnämnden +27 000 tkr: the result 80 000 tkr, 26 000 under the goal.
    await page.getByLabel('Ram för Socialnämnden (tkr)').fill('927 000');
    await Promise.all([
      page.waitForURL(address),
      page.getByRole('button', { name: 'Spara ramar och räkna om resultatet' }).click(),
    ]);
    assert.equal((await page.locator('#resultatet').innerText()).trim(), '80 000');
    const refusal = /Resultatet 80 000 tkr är 26 000 tkr under det finansiella målet \(2,0 % av skatteintäkter och generella statsbidrag = 106 000 tkr\)/;
    assert.match(await page.locator('#balans').innerText(), refusal, 'beside the result');
    assert.match(await page.locator('#lamna-in-hinder').innerText(), refusal, 'beside the submit button');
    assert.deepEqual(await axeViolations(page), [], 'the alternative, unbalanced');

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/lamna-in')),
      page.getByRole('button', { name: 'Lämna in alternativet' }).click(),
    ]);
    assert.equal(response.status(), 422);
    await page.locator('#lamna-in-hinder[role="alert"]').waitFor();
    assert.match(await page.locator('#lamna-in-hinder').innerText(), refusal);
    assert.equal((await page.locator('#status').innerText()).trim(), 'utkast', 'the state stays utkast');
    await page.goto(address);
    assert.equal((await page.locator('#status').innerText()).trim(), 'utkast', 'and stays so when reloaded');

    // Lowered to 900 500: the result 106 500, submitted.
    await page.getByLabel('Ram för Socialnämnden (tkr)').fill('900 500');
    await Promise.all([
      page.waitForURL(address),
      page.getByRole('button', { name: 'Spara ramar och räkna om resultatet' }).click(),
    ]);
    assert.equal((await page.locator('#resultatet').innerText()).trim(), '106 500');
    await Promise.all([
      page.waitForURL(address),
      page.getByRole('button', { name: 'Lämna in alternativet' }).click(),
    ]);
    assert.equal((await page.locator('#status').innerText()).trim(), 'inlämnad');
    assert.equal(await page.getByRole('button', { name: 'Spara ramar och räkna om resultatet' }).count(), 0);

    // The comparison: Socialnämnden's cell differs by +500, said in text and a marker.
    await Promise.all([
      page.waitForURL(/\/alternativ\/jamfor/),
      page.getByRole('link', { name: 'Jämför med förslaget och de andra alternativen' }).click(),
    ]);
    const table = page.getByRole('table', { name: /Ramar och resultat 2021/ });
    const row = table.getByRole('row', { name: /Socialnämnden/ });
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0].trim(), '900 000');
    assert.match(cells[1], /≠ 900 500 \(\+500\)/);
    assert.match(cells[1], /skiljer sig från förslaget/);
    const result = await table.getByRole('row', { name: /^Resultat/ }).locator('td').allInnerTexts();
    assert.equal(result[0].trim(), '107 000');
    assert.match(result[1], /106 500 \(−500\)/);
    assert.deepEqual(await axeViolations(page), [], 'the comparison');

    // As documents.
    await page.goto(`${url}/alternativ/jamfor/dokument?ar=2021`);
    assert.match(await page.locator('body').innerText(), /Alternativa budgetar 2021/);
    assert.deepEqual(await axeViolations(page), [], 'the comparison as a document');
    await page.goto(`${address}/dokument`);
    assert.match(await page.locator('body').innerText(), /Trygghet först/);
    assert.deepEqual(await axeViolations(page), [], 'the alternative as a document');
    await context.close();
  });
}
