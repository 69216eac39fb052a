// The municipality's statutory reports (issue 22): /kommun and /dokument link the
// årsredovisning and the delårsrapporter of the whole municipality; the page is the document
// `styr render --report` gives, with R15's headings of the förvaltningsberättelse in order,
// the räkenskaper after them, and no serious axe violation. The workbook downloads as xlsx.
const R15 = [
  'Översikt över verksamhetens utveckling',
  'Den kommunala koncernen',
  'Viktiga förhållanden för resultat och ekonomisk ställning',
  'Händelser av väsentlig betydelse',
  'Styrning och uppföljning av den kommunala verksamheten',
  'God ekonomisk hushållning och ekonomisk ställning',
  'Balanskravsresultat',
  'Väsentliga personalförhållanden',
  'Förväntad utveckling',
  'Privata utförare',
];

export default async function ({ browser, url, check, login, axeViolations, assert }) {
  await check('annual: /kommun links the statutory reports and the årsredovisning has R15\'s headings in order, axe clean', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, 'lasare');
    await page.goto(`${url}/kommun`);
    const list = page.getByRole('heading', { name: 'Årsredovisning och delårsrapporter' });
    assert.ok(await list.count() > 0, 'the list of statutory reports on /kommun');
    const links = await page.locator('a[href^="/dokument/kommun/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const annual = links.find((href) => /-12\.html$/.test(href));
    assert.ok(annual, `the årsredovisning is linked: ${links}`);
    assert.ok(links.some((href) => /-08\.html$/.test(href)), `a delårsrapport is linked: ${links}`);
    await Promise.all([page.waitForURL(`${url}${annual}`), page.locator(`a[href="${annual}"]`).click()]);
    assert.match(await page.title(), /Årsredovisning 2021/);
    const headings = (await page.locator('h1, h2, h3').allInnerTexts()).map((t) => t.trim());
    let at = headings.indexOf('Förvaltningsberättelse');
    assert.ok(at >= 0, `Förvaltningsberättelse in ${headings.slice(0, 20)}`);
    for (const title of R15) {
      const next = headings.indexOf(title, at);
      assert.ok(next > at, `${title} after position ${at} in ${headings.slice(0, 30)}`);
      at = next;
    }
    assert.ok(headings.indexOf('Räkenskaper', at) > at, 'the räkenskaper follow');
    assert.deepEqual(await axeViolations(page), [], 'the årsredovisning page');
    await context.close();
  });

  await check('annual: /dokument links the delårsrapport with its helårsprognos and its workbook', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, 'controller');
    await page.goto(`${url}/dokument`);
    const links = await page.locator('a[href^="/dokument/kommun/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const interim = links.find((href) => /-08\.html$/.test(href));
    assert.ok(interim, `a delårsrapport is listed: ${links}`);
    await page.goto(`${url}${interim}`);
    const table = page.getByRole('table', { name: /Utfall och helårsprognos/ });
    const header = await table.locator('thead th').allInnerTexts();
    assert.ok(header.includes('Helårsprognos'), `the helårsprognos column: ${header}`);
    assert.deepEqual(await axeViolations(page), [], 'the delårsrapport page');
    const workbook = await page.request.get(`${url}${interim.replace(/\.html$/, '.xlsx')}`);
    assert.equal(workbook.status(), 200);
    assert.match(workbook.headers()['content-type'], /spreadsheetml/);
    const bytes = await workbook.body();
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
    await context.close();
  });

  await check('annual: a controller writes a text of the förvaltningsberättelse in KF\'s decided plan and sees the finding', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, 'controller');
    await page.goto(`${url}/plan/skriv?organ=kf`);
    const link = page.getByRole('link', { name: 'Förvaltningsberättelse 2021-12: God ekonomisk hushållning och ekonomisk ställning' });
    await Promise.all([page.waitForURL(/god-ekonomisk-hushallning\.md/), link.click()]);
    const text = page.getByLabel('Text (Markdown)');
    const before = await text.inputValue();
    assert.ok(before.includes('[107,0 mnkr]{= kf.resultat@2021}'), 'the claim on KF\'s budget is in the text');
    await text.fill(before.replace('[107,0 mnkr]', '[117,0 mnkr]'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Spara' }).click()]);
    await page.getByText(/Sparat som revision 1/).waitFor();
    const shown = await page.getByRole('complementary', { name: 'Kontrollen' }).innerText();
    assert.match(shown, /117,0 mnkr/, 'the finding of the broken claim is beside the editor');
    assert.deepEqual(await axeViolations(page), [], 'the editor of a förvaltningsberättelse text');
    // The årsredovisning shows the text as saved.
    await page.goto(`${url}/dokument/kommun/2021-12.html`);
    assert.match(await page.locator('main, body').first().innerText(), /117,0 mnkr/);
    await context.close();
  });
}
