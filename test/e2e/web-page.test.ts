/**
 * The page at `/` in Debian's Chromium (playwright-core; `npx playwright install` cannot
 * work here), against a live docr: a key, a corpus image, the progress bar moving, the text
 * beside the page with its word boxes, the download link; readable errors for a wrong key
 * and a wrong PDF password; the page's size and first-screen time (measured, not asserted);
 * screenshots in test-artifacts/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cer } from '../../bench/lib/cer.js';
import { CORPUS, ROOT, startDocr, type LiveDocr } from './live-docr.js';

// Callbacks given to page.evaluate run in the browser; this file is compiled without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any, window: any, localStorage: any, performance: any, MutationObserver: any, HTMLProgressElement: any, HTMLInputElement: any;

const IMAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const TRUTH = fs.readFileSync(path.join(CORPUS, 'images-en/ocropy_0079-01000d.gt.txt'), 'utf8');
const LOCKED_PDF = path.join(CORPUS, 'pdf/pypdf_r2-user-password.pdf');
const DIST = path.join(ROOT, 'web/dist');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Runs the page for the files in it and waits for the job card to end, done or failed. */
async function submit(page: Page, key: string, file: string, password = '') {
  await page.fill('#api-key', key);
  await page.fill('#password', password);
  await page.setInputFiles('#files', file);
  const before = await page.locator('.job').count();
  await page.click('#start');
  await page.locator('.job').nth(0).waitFor();
  assert.equal(await page.locator('.job').count(), before + 1);
  return page.locator('.job').first();
}

describe('the web page in Chromium against a live docr', { timeout: 240_000 }, () => {
  let docr: LiveDocr;
  let browser: Browser;
  let page: Page;
  let key: string;
  before(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) {
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(ROOT, 'web/vite.config.ts')], { cwd: ROOT });
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    docr = await startDocr();
    ({ key } = await docr.makeKey(20));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    const code = await docr.stop('SIGTERM');
    fs.rmSync(docr.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, docr.log());
  });

  it('is small, and its first screen is measured', async () => {
    const js = fs.readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    const gzipped = js.reduce((n, f) => n + gzipSync(fs.readFileSync(path.join(DIST, 'assets', f))).length, 0);
    assert.ok(gzipped < 200 * 1024, `${gzipped} bytes of JavaScript (gzip)`);
    await page.goto(docr.base);
    await page.locator('#start').waitFor();
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd), loadMs: Math.round(nav.loadEventEnd), firstContentfulPaintMs: fcp ? Math.round(fcp.startTime) : null };
    });
    const measured = { javascriptGzipBytes: gzipped, ...timing };
    fs.writeFileSync(path.join(ARTIFACTS, 'web-page-timing.json'), `${JSON.stringify(measured, null, 2)}\n`);
    console.log(`web page: ${JSON.stringify(measured)}`);
  });

  it('every control has a label; the page fits a phone', async () => {
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
      .filter((el: any) => !el.labels?.length && !el.getAttribute('aria-labelledby') && !el.textContent?.trim())
      .map((el: any) => el.id || el.outerHTML));
    assert.deepEqual(unlabelled, []);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await phone.goto(docr.base);
      await phone.locator('#start').waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
      await phone.screenshot({ path: path.join(ARTIFACTS, 'web-page-phone.png'), fullPage: true });
    } finally { await phone.close(); }
  });

  it('reads a corpus image: the bar moves, the text and its word boxes appear, the download works', async () => {
    await page.goto(docr.base);
    // Every value the progress bar takes (the <progress> value attribute reflects the property).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver((records: any[]) => {
        for (const r of records) if (r.target instanceof HTMLProgressElement) seen.push(r.target.value);
      }).observe(document.getElementById('jobs')!, { subtree: true, attributes: true, attributeFilter: ['value'] });
    });
    const job = await submit(page, key, IMAGE);
    await job.locator('.download').waitFor({ timeout: 120_000 });
    await job.locator('.page-text').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    assert.ok(new Set(seen).size >= 2 && seen.at(-1) === 100, `progress values: ${seen.join(', ')}`);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'progress never goes back');
    const text = await job.locator('.page-text').innerText();
    assert.ok(cer(text, TRUTH) < 0.15, `the page shows: ${text}`);
    const boxes = await job.locator('.word-box').count();
    assert.ok(boxes >= 3, `${boxes} word boxes`);
    assert.equal(await job.locator('svg image').count(), 1, 'the page image is under the boxes');
    const href = await job.locator('.download').getAttribute('href');
    assert.match(href!, /\/api\/results\/.+\.txt\?/);
    const res = await fetch(href!);
    assert.equal(res.status, 200);
    assert.ok(cer(await res.text(), TRUTH) < 0.1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-page.png'), fullPage: true });
    assert.equal(await page.evaluate(() => localStorage.getItem('docr.apiKey')), key, 'the key is kept in the browser');
  });

  it('says so in plain words when the key is wrong', async () => {
    const job = await submit(page, 'docr_not-a-key', IMAGE);
    const error = job.locator('.error');
    await error.waitFor();
    assert.match(await error.innerText(), /Wrong API key[\s\S]*docr does not know this key/);
    assert.equal(await error.getAttribute('role'), 'alert');
  });

  it('says so in plain words when the PDF password is wrong', async () => {
    const job = await submit(page, key, LOCKED_PDF, 'wrong-password-123');
    const error = job.locator('.error');
    await error.waitFor({ timeout: 120_000 });
    assert.match(await error.innerText(), /Wrong password[\s\S]*does not open this file/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-page-errors.png'), fullPage: true });
  });
});
