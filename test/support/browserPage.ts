import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fromRoot } from '../../lib/paths';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fromRoot('test-results', 'screenshots');

/** The event streams a page holds open: the browser cuts them whenever the page goes away, which is no problem. */
const STREAM_PATHS: ReadonlySet<string> = new Set(['/api/events', '/api/dashboard/events']);

/** Headless Chromium (`CHROMIUM_PATH`, else /usr/bin/chromium) as the browser tests run it. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Collects script errors, failed sub-resources (a document's own status,
 * such as a form's 422, is not one) and what the Content Security Policy
 * refused, as the console reports it.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const aborted = request.failure()?.errorText === 'net::ERR_ABORTED';
    if (aborted && STREAM_PATHS.has(new URL(request.url()).pathname)) return;
    problems.push(`failed ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  return problems;
}

/** Nothing sticks out sideways: the layout fits the screen. */
export async function assertFitsWidth(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
}

/** A full-page screenshot into test-results/screenshots/<name>.png (git-ignored). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}
