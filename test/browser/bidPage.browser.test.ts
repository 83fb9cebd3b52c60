import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fromRoot } from '../../lib/paths';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fromRoot('test-results', 'screenshots');

const VIEWPORTS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

describe('the bid page in headless Chromium', { timeout: 180_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let web: WebAppUnderTest;
  let browser: Browser;
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    topic = await createTestTopic('browser', 1);
    database = await createTestDatabase('browser');
    web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: database.url, BID_RATE_LIMIT_PER_MINUTE: '1000' });
    browser = await chromium.launch({
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
  });
  after(async () => {
    await browser?.close();
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  }

  for (const viewport of VIEWPORTS) {
    it(`places a bid and shows a field error at ${viewport.name} width (${viewport.width}px)`, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const page = await context.newPage();
      const problems: string[] = [];
      // Script errors, and sub-resources that failed (the 422 answer to the form itself is expected).
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('response', (response) => {
        if (response.status() >= 400 && response.request().resourceType() !== 'document') {
          problems.push(`${response.status()} ${response.url()}`);
        }
      });
      page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
      try {
        await page.goto(`${web.baseUrl}/`);
        assert.equal(await page.title(), 'Auction bids');

        // The random-bid button fills every field; nothing is sent until "Place bid".
        await page.getByTestId('random-bid').click();
        for (const field of ['#name', '#item', '#price']) assert.notEqual(await page.inputValue(field), '');

        await page.fill('#name', `Grace ${viewport.name}`);
        await page.fill('#item', 'Brass telescope');
        await page.fill('#price', '4200');
        await page.getByTestId('submit-bid').click();
        const confirmation = page.getByTestId('confirmation');
        await confirmation.waitFor();
        assert.match(await confirmation.innerText(), /Bid [0-9a-f-]{36} placed: 4,200 on Brass telescope/);
        await screenshot(page, `${viewport.name}-placed`);

        await page.fill('#name', `Linus ${viewport.name}`);
        await page.fill('#item', 'Brass telescope');
        await page.fill('#price', '0');
        await page.getByTestId('submit-bid').click();
        const priceError = page.getByTestId('price-error');
        await priceError.waitFor();
        assert.equal(await priceError.innerText(), 'Price must be at least 1.');
        assert.equal(await page.inputValue('#name'), `Linus ${viewport.name}`, 'what was typed is kept');
        assert.ok(await priceError.isVisible());
        await screenshot(page, `${viewport.name}-price-error`);

        // Nothing sticks out sideways at this width: the layout fits the screen.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
        const form = await page.getByTestId('bid-form').boundingBox();
        assert.ok(form && form.width <= viewport.width);
        assert.deepEqual(problems, [], 'no script errors or blocked resources');
      } finally {
        await context.close();
      }
    });
  }
});
