// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with axe-core injected into pages.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { currentTotp } from '../../src/platform/auth/credentials.ts';
import { createTestApp, type TestApp } from './app.ts';
import { TEST_PASSWORD, type TestUser } from './fixtures.ts';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserHarness {
  t: TestApp;
  browser: Browser;
  baseUrl: string;
  newPage(opts?: { javaScript?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const t = await createTestApp({ port: 0, host: '127.0.0.1' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    t,
    browser,
    // "localhost" is a secure context, so the Secure session cookie is kept over plain HTTP in tests.
    baseUrl: `http://localhost:${port}`,
    async newPage(opts = {}) {
      const context = await browser.newContext({ javaScriptEnabled: opts.javaScript ?? true, baseURL: `http://localhost:${port}` });
      const page = await context.newPage();
      if (opts.javaScript === false) {
        const checker = await (await browser.newContext({ baseURL: `http://localhost:${port}` })).newPage();
        noScriptCheckers.set(page, checker);
        context.on('close', () => void checker.context().close());
      }
      return { context, page };
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

let axeSource: Promise<string> | null = null;
// axe runs asynchronously, which a page with JavaScript disabled cannot do. For those pages the rendered
// HTML (scripts removed, so it stays exactly as a no-JavaScript user sees it) is checked in a twin page.
const noScriptCheckers = new WeakMap<Page, Page>();

/** Run axe-core on the page (WCAG 2.0–2.2 A and AA) and fail with the violations listed. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  let target = page;
  const checker = noScriptCheckers.get(page);
  if (checker) {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    await checker.goto('/accessibility');
    await checker.setContent(html, { waitUntil: 'load' });
    target = checker;
  }
  const results = await target.evaluate(`(async () => {
    if (!window.axe) { ${source} }
    return await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } });
  })()`) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const problems = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(problems, [], `accessibility violations on ${label}`);
}

export async function signInInBrowser(page: Page, user: TestUser, now = Date.now()): Promise<void> {
  await page.goto('/sign-in');
  await page.fill('#email', user.email);
  await page.fill('#password', TEST_PASSWORD);
  await clickAndWait(page, 'button:has-text("Sign in")');
  if (page.url().includes('/sign-in/two-factor')) {
    await page.fill('#code', currentTotp(user.totpSecret!, now));
    await clickAndWait(page, 'button:has-text("Continue")');
  }
}

/** Click something that submits a form or follows a link, and wait for the next page to load. */
export async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(selector)]);
}
