import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type ServerProcess, startServer } from '../../scripts/lib/server-process';
import { ROOT } from '../../scripts/lib/paths';
import { specOperationIds } from '../support/test-app';

// The /docs page in Debian's Chromium, as a person would use it. Anything the
// page cannot load, any console error (a CSP violation is one) and any request
// to another origin fails the test: the page must work offline.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CONTRACT_OPERATIONS = ['hello', 'listPassengers', 'getPassenger', 'createPassenger', 'replacePassenger', 'deletePassenger'];

let server: ServerProcess;
// Undefined in afterAll when beforeAll failed before launching it.
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer({ PGLITE_DATA_DIR: 'memory://', SHUTDOWN_DRAIN_MS: '0' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  await page.route('**/*', (route) => {
    if (new URL(route.request().url()).origin === server.baseUrl) return route.continue();
    problems.push(`request to another origin: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
});

afterAll(async () => {
  await browser?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before starting it
  await server?.stop();
});

it('shows every operation, runs "Try it out" on GET /hello against this server, and logs no error', async () => {
  try {
    const docs = await page.goto(`${server.baseUrl}/docs`);
    expect(docs?.status()).toBe(200);
    expect(docs?.headers()['content-security-policy']).toContain("script-src 'self'");

    // Swagger UI gives each operation the element id operations-<tag>-<operationId>.
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const shown = await page.locator('.opblock').evaluateAll((blocks: { id: string }[]) => blocks.map((block) => block.id));
    const shownIds = shown.map((id) => id.replace(/^operations-[^-]+-/, ''));
    expect(shownIds).toEqual(expect.arrayContaining(CONTRACT_OPERATIONS));
    expect([...shownIds].sort()).toEqual([...specOperationIds].sort());

    const hello = page.locator('#operations-ops-hello');
    await hello.locator('.opblock-summary').click();
    await hello.getByRole('button', { name: 'Try it out' }).click();
    const answered = page.waitForResponse((response) => response.url() === `${server.baseUrl}/hello`);
    await hello.getByRole('button', { name: 'Execute' }).click();
    expect((await answered).status()).toBe(200);
    const liveResponse = hello.locator('.live-responses-table .response');
    await expect(liveResponse.locator('.response-col_status').innerText()).resolves.toContain('200');
    await expect(liveResponse.locator('.response-col_description').innerText()).resolves.toContain('"message": "ok"');
  } finally {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'docs-page.png'), fullPage: true });
    // Here, not after: when a step above times out, what the browser saw is the cause to report.
    expect(problems).toEqual([]);
  }
});
