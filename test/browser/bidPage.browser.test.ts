import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { assertFitsWidth, launchChromium, saveScreenshot, watchProblems } from '../support/browserPage';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

const VIEWPORTS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

/** How long a bid may take to show in another open page. */
const LIVE_WITHIN_MS = 1_000;

/** Fills the form and submits it; resolves once the page confirms the bid. */
async function placeBid(page: Page, bid: { name: string; item: string; price: string }): Promise<void> {
  await page.fill('#name', bid.name);
  await page.fill('#item', bid.item);
  await page.fill('#price', bid.price);
  await page.getByTestId('submit-bid').click();
  await page.getByTestId('confirmation').waitFor();
}

/** Resolves once the page's event stream is open. */
async function liveUpdatesOn(page: Page): Promise<void> {
  await page
    .getByTestId('live-status')
    .filter({ hasText: /^Live:/ })
    .waitFor({ timeout: 10_000 });
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the bid page in headless Chromium', { timeout: 180_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let deadLetterTopic: string;
  let web: WebAppUnderTest;
  let mysqlSink: SinkWorkerProcess;
  let browser: Browser;
  before(async () => {
    topic = await createTestTopic('browser', 1);
    deadLetterTopic = await createTestTopic('browser-dlq', 1);
    database = await createTestDatabase('browser');
    const shared = { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: deadLetterTopic, MYSQL_URL: database.url };
    // The MySQL worker stores the bids, so a page load shows them as the live events do.
    mysqlSink = new SinkWorkerProcess('mysql', { ...shared, SINK_CONSUMER_GROUP: `browser-mysql-${topic}` });
    web = await startWebApp({ ...shared, BID_RATE_LIMIT_PER_MINUTE: '1000' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await web?.stop();
    await mysqlSink?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
  });

  for (const viewport of VIEWPORTS) {
    it(`places a bid and shows a field error at ${viewport.name} width (${viewport.width}px)`, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const page = await context.newPage();
      const problems = watchProblems(page);
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
        await saveScreenshot(page, `${viewport.name}-placed`);

        await page.fill('#name', `Linus ${viewport.name}`);
        await page.fill('#item', 'Brass telescope');
        await page.fill('#price', '0');
        await page.getByTestId('submit-bid').click();
        const priceError = page.getByTestId('price-error');
        await priceError.waitFor();
        assert.equal(await priceError.innerText(), 'Price must be at least 1.');
        assert.equal(await page.inputValue('#name'), `Linus ${viewport.name}`, 'what was typed is kept');
        assert.ok(await priceError.isVisible());
        await saveScreenshot(page, `${viewport.name}-price-error`);

        await assertFitsWidth(page);
        const form = await page.getByTestId('bid-form').boundingBox();
        assert.ok(form && form.width <= viewport.width);
        assert.deepEqual(problems, [], 'no script errors or blocked resources');
      } finally {
        await context.close();
      }
    });
  }

  /** One bidder: a browser of their own (own cookies and storage) with the bid page open. */
  async function bidder(viewport: Viewport): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    return { page, problems: watchProblems(page), close: () => context.close() };
  }

  for (const viewport of VIEWPORTS) {
    it(`shows a bid placed in one page in another within a second without reload, and tells the first bidder they were outbid, at ${viewport.name} width`, async () => {
      const item = `Vinyl jukebox (${viewport.name})`;
      const [alice, bob] = [await bidder(viewport), await bidder(viewport)];
      try {
        const itemPage = `${web.baseUrl}/?item=${encodeURIComponent(item)}`;
        await Promise.all([alice.page.goto(itemPage), bob.page.goto(itemPage)]);
        await Promise.all([liveUpdatesOn(alice.page), liveUpdatesOn(bob.page)]);
        // A reload would drop this; it is checked after each live update.
        await bob.page.evaluate('window.sameDocument = true');

        // Watching starts before the bid is placed; the second is counted from the moment the bid was accepted
        // (Alice's POST answered), not from when the browser began filling the form.
        const seenAt = (locator: Locator): Promise<number> =>
          locator.waitFor({ timeout: 10_000 }).then(() => performance.now());
        const bobSeesAlice = Promise.all([
          seenAt(bob.page.getByTestId('highest-item-price').filter({ hasText: /^1,000$/ })),
          seenAt(
            bob.page
              .locator('[data-testid="recent-bids"] [data-testid="recent-bid"]')
              .first()
              .filter({ hasText: `Alice ${viewport.name}` }),
          ),
        ]);
        const acceptedAt = alice.page
          .waitForResponse((response) => response.request().method() === 'POST')
          .then(() => performance.now());
        await placeBid(alice.page, { name: `Alice ${viewport.name}`, item, price: '1000' });
        const shownAfterMs = Math.max(...(await bobSeesAlice)) - (await acceptedAt);
        assert.ok(
          shownAfterMs <= LIVE_WITHIN_MS,
          `Bob's page showed Alice's bid ${Math.round(shownAfterMs)} ms after it was accepted`,
        );
        assert.equal(await bob.page.evaluate('window.sameDocument'), true, "Bob's page was not reloaded");
        assert.equal(await bob.page.getByTestId('highest-item-name').innerText(), `Alice ${viewport.name}`);

        // Alice's page after her bid (POST, redirect, GET) goes live again; then Bob bids higher.
        await liveUpdatesOn(alice.page);
        await alice.page.evaluate('window.sameDocument = true');
        const notice = alice.page.getByTestId('outbid-notice');
        await placeBid(bob.page, { name: `Bob ${viewport.name}`, item, price: '1500' });
        await notice.waitFor({ timeout: 5_000 });
        assert.equal(
          normalised(await notice.innerText()),
          `You have been outbid on ${item}: 1,500 by Bob ${viewport.name}`,
        );
        assert.equal(
          await alice.page.locator('#outbid-notices[aria-live="polite"] [data-testid="outbid-notice"]').count(),
          1,
          'the notice is announced politely, once',
        );
        await alice.page
          .getByTestId('highest-item-price')
          .filter({ hasText: /^1,500$/ })
          .waitFor({ timeout: 5_000 });
        assert.deepEqual(
          await alice.page.locator('[data-testid="recent-bids"] [data-testid="recent-bid-name"]').allInnerTexts(),
          [`Bob ${viewport.name}`, `Alice ${viewport.name}`],
        );
        // The most active lots follow too (their event comes at most every 500 ms).
        await alice.page
          .locator('[data-testid="active-lot"]')
          .filter({ hasText: item })
          .filter({ hasText: '2 bids' })
          .waitFor({ timeout: 5_000 });
        assert.equal(await alice.page.evaluate('window.sameDocument'), true, "Alice's page was not reloaded");
        // Bob's own page after his bid: he holds the highest bid, so he is told nothing.
        await liveUpdatesOn(bob.page);
        assert.equal(await bob.page.getByTestId('outbid-notice').count(), 0);

        await saveScreenshot(alice.page, `${viewport.name}-outbid`);
        await saveScreenshot(bob.page, `${viewport.name}-live-highest`);
        await assertFitsWidth(alice.page);
        await assertFitsWidth(bob.page);

        await notice.getByRole('button', { name: 'Dismiss this notice' }).click();
        await notice.waitFor({ state: 'detached' });
        assert.deepEqual([...alice.problems, ...bob.problems], [], 'no script errors or blocked resources');
      } finally {
        await alice.close();
        await bob.close();
      }
    });
  }
});
