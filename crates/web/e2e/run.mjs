// Browser tests of the styr web application, in a real browser: Playwright (playwright-core)
// driving Debian's chromium (no browser download), axe-core on every page and on the generated
// documents. Starts `styr serve --demo` on a fresh database and a free port.
//
//   node crates/web/e2e/run.mjs target/debug/styr
//
// Exits non-zero on the first failed check, naming it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const styr = process.argv[2] ?? join(here, '../../../target/debug/styr');
const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

function startServer() {
  const db = join(mkdtempSync(join(tmpdir(), 'styr-e2e-')), 'e2e.db');
  const server = spawn(styr, ['serve', '--demo', '--db', db, '--addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // One JSON line per request would bury the checks' own lines; warnings still show.
    env: { ...process.env, STYR_LOG: process.env.STYR_LOG ?? 'warn' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const passwords = {};
    server.on('exit', (code) => reject(new Error(`styr serve ended with ${code}: ${out}`)));
    server.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        const user = line.match(/^\s+(\w+)\s+\S+\s+([0-9a-f]{24})$/);
        if (user) passwords[user[1]] = user[2];
      }
      const url = out.match(/styr kör på (http:\/\/[^\s]+)\//);
      if (url) resolve({ server, url: url[1], passwords });
    });
  });
}

const { server, url, passwords } = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

let failures = 0;
async function check(name, body) {
  try {
    await body();
    console.log(`ok    ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`FEL   ${name}\n      ${String(error.stack ?? error).split('\n').join('\n      ')}`);
  }
}

async function login(context, user) {
  const page = await context.newPage();
  await page.goto(`${url}/logga-in`);
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(passwords[user]);
  await Promise.all([page.waitForURL(`${url}/`), page.getByRole('button', { name: 'Logga in' }).click()]);
  return page;
}

/// Serious or critical axe violations of the page now loaded.
async function axeViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.help}`);
}

const senior = 'ny2021_seniorbostadskon';

await check('a reporter reports a status with the keyboard alone and sees it in the history and the log', async () => {
  const context = await browser.newContext();
  const page = await login(context, 'rapportor');
  await page.goto(`${url}/uppdrag/${senior}?period=2021-08`);
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id === 'status')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'status');
  await page.keyboard.type('Väntar');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Inväntar äldrenämndens beslut i oktober.');
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForURL(/\/uppdrag\//), page.keyboard.press('Enter')]);
  const history = await page.getByRole('table', { name: 'Alla rapporter för uppdraget, äldst först' }).innerText();
  assert.match(history, /Väntar\s+Inväntar äldrenämndens beslut i oktober\.\s+Eva Lindqvist/); // the demo reporter by name
  await page.goto(`${url}/?period=2021-08`);
  await page.getByRole('heading', { name: 'Kräver uppmärksamhet' }).waitFor();
  await context.close();

  const reader = await browser.newContext();
  const readerPage = await login(reader, 'lasare');
  await readerPage.goto(`${url}/handelselogg?what=report+status`);
  const log = await readerPage.getByRole('table', { name: 'Händelselogg, äldst först' }).innerText();
  assert.match(log, /Eva Lindqvist/);
  assert.match(log, /status: Väntar; kommentar: Inväntar äldrenämndens beslut i oktober\./);
  await reader.close();
});

await check('a reporter gets no form for another unit', async () => {
  const context = await browser.newContext();
  const page = await login(context, 'rapportor');
  await page.goto(`${url}/uppdrag/ks2020_3?period=2021-08`);
  assert.equal(await page.getByRole('button', { name: 'Spara status' }).count(), 0);
  await page.goto(`${url}/rapportering?period=2021-08`);
  const rows = await page.getByRole('table', { name: 'Uppdrag att rapportera' }).getByRole('row').count();
  assert.equal(rows, 2, 'the header and the one assignment of Äldrenämnden');
  await context.close();
});

await check('a stale edit gets the conflict page and keeps what was typed', async () => {
  const first = await login(await browser.newContext(), 'controller');
  const second = await login(await browser.newContext(), 'admin');
  for (const page of [first, second]) await page.goto(`${url}/uppdrag/ks2020_3?period=2021-08`);
  await first.getByLabel('Kommentar').fill('Controllerns ändring.');
  await Promise.all([first.waitForURL(/\/uppdrag\//), first.getByRole('button', { name: 'Spara status' }).click()]);
  await second.getByLabel('Kommentar').fill('Administratörens förslag.');
  const [response] = await Promise.all([
    second.waitForResponse((r) => new URL(r.url()).pathname === '/rapportering/status'),
    second.getByRole('button', { name: 'Spara status' }).click(),
  ]);
  assert.equal(response.status(), 409);
  await second.getByText('Någon annan har rapporterat').waitFor();
  assert.match(await second.locator('main').innerText(), /Controllerns ändring\./);
  assert.equal(await second.getByLabel('Kommentar').inputValue(), 'Administratörens förslag.');
  const violations = await axeViolations(second);
  assert.deepEqual(violations, [], 'the conflict page');
});

await check('no serious or critical accessibility violation on any page or document', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await login(context, 'admin');
  const paths = [
    '/', '/?period=2021-08', '/mal?period=2021-08', '/uppdrag?period=2021-08',
    `/uppdrag/${senior}?period=2021-08`, '/rapportering?period=2021-08', '/budget?period=2021-08',
    '/dokument', '/handelselogg', '/perioder', '/budget/rad?line=op.ksf.ksf&period=2021-08',
    '/dokument/plan.html', '/dokument/rapport/2021-08.html', '/kontroll',
  ];
  const found = [];
  for (const path of paths) {
    await page.goto(`${url}${path}`);
    for (const violation of await axeViolations(page)) found.push(`${path}: ${violation}`);
  }
  // The vouchers behind one account of the line.
  await page.goto(`${url}/budget/rad?line=op.ksf.ksf&period=2021-08`);
  await Promise.all([page.waitForURL(/account=/), page.locator('main table a').first().click()]);
  assert.ok((await page.getByRole('table').nth(1).getByRole('row').count()) > 1, 'vouchers listed');
  for (const violation of await axeViolations(page)) found.push(`vouchers: ${violation}`);
  const anonymous = await (await browser.newContext({ bypassCSP: true })).newPage();
  await anonymous.goto(`${url}/logga-in`);
  for (const violation of await axeViolations(anonymous)) found.push(`/logga-in: ${violation}`);
  assert.deepEqual(found, []);
});

// Every topic's checks live in a module of their own under checks/, each exporting one async
// function that takes the harness; they run in the order of their file names.
const checksDir = join(here, 'checks');
for (const file of readdirSync(checksDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const topic = await import(join(checksDir, file));
  await topic.default({ browser, url, passwords, check, login, axeViolations, assert });
}

await browser.close();
server.kill();
if (failures > 0) {
  console.log(`${failures} webbläsartest misslyckades`);
  process.exit(1);
}
console.log('webbläsartesterna gick igenom');
