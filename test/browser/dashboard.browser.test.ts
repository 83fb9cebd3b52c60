import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import type { Browser, Page } from 'playwright-core';
import { assertFitsWidth, launchChromium, saveScreenshot, watchProblems } from '../support/browserPage';
import { BuiltProgram, SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { waitFor } from '../support/service';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/** How long auto-bid runs: longer than both tests together, which stop it when they are done. */
const AUTOBID_SECONDS = 150;

/** What the page shows at one moment: its charts' data and its tables, read in one go (a snapshot updates both at once). */
interface Shown {
  rate: number[];
  rateTable: string[][];
  items: string[][];
  bidderLabels: string[];
  bidderTable: string[][];
  captions: number;
  rowHeadersWithoutScope: number;
}

const SHOWN_SCRIPT = `(() => {
  const cells = (selector) =>
    [...document.querySelectorAll(selector + ' tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent.trim()));
  return {
    rate: Array.from(Chart.getChart('rate-chart').data.datasets[0].data),
    rateTable: cells('[data-testid="rate-table"]'),
    items: cells('[data-testid="items-table"]'),
    bidderLabels: Array.from(Chart.getChart('bidders-chart').data.labels),
    bidderTable: cells('[data-testid="bidders-table"]'),
    captions: document.querySelectorAll('table > caption').length,
    rowHeadersWithoutScope: document.querySelectorAll('tbody th:not([scope="row"])').length,
  };
})()`;

function shown(page: Page): Promise<Shown> {
  return page.evaluate<Shown>(SHOWN_SCRIPT);
}

/** Resolves once the page's snapshot stream is open and has delivered figures. */
async function liveFiguresOn(page: Page): Promise<void> {
  await page
    .getByTestId('dashboard-status')
    .filter({ hasText: /^Live: the figures update every second\.$/ })
    .waitFor({ timeout: 15_000 });
  await page
    .getByTestId('dashboard-read-at')
    .filter({ hasText: /^Figures read at \d\d:\d\d:\d\d UTC\.$/ })
    .waitFor();
}

describe('the dashboard in headless Chromium while auto-bid runs', { timeout: 300_000 }, () => {
  let topic: string;
  let deadLetterTopic: string;
  let database: TestDatabase;
  let stats: SinkWorkerProcess;
  let web: WebAppUnderTest;
  let autobid: BuiltProgram;
  let browser: Browser;

  before(async () => {
    topic = await createTestTopic('dashboard-browser', 3);
    deadLetterTopic = await createTestTopic('dashboard-browser-dlq', 1);
    database = await createTestDatabase('dashboard_browser');
    const shared = { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: deadLetterTopic, MYSQL_URL: database.url };
    stats = new SinkWorkerProcess('stats', { ...shared, SINK_CONSUMER_GROUP: `dashboard-stats-${topic}` });
    // 20 bids a second from one address: far above the default per-client bid limit.
    // A short read timeout, so that a stalled MySQL shows on the page within a second.
    web = await startWebApp({ ...shared, BID_RATE_LIMIT_PER_MINUTE: '100000', MYSQL_QUERY_TIMEOUT_MS: '500' });
    autobid = new BuiltProgram('scripts/autobid/main.js', {}, [
      '--url',
      web.baseUrl,
      '--rate',
      '20',
      '--duration',
      String(AUTOBID_SECONDS),
      '--items',
      '40',
      '--bidders',
      '25',
    ]);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await autobid?.stop();
    await web?.stop();
    await stats?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
  });

  it('at desktop width (1366px) the overall rate chart moves and the most active items update as bids arrive, with the same figures in the tables, and the CSP refuses nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(`${web.baseUrl}/dashboard`);
      assert.equal(await page.title(), 'Auction dashboard');
      await liveFiguresOn(page);
      await page.evaluate('window.sameDocument = true');

      // The statistics worker has stored the first complete windows: the chart has bids.
      const first = await waitFor(
        'bids on the rate chart',
        async () => {
          const now = await shown(page);
          return now.rate.some((value) => value > 0) && now.items.length > 0 ? now : undefined;
        },
        60_000,
      );
      // A later window closes every 3 s: the line moves along, and the items' counts follow.
      const later = await waitFor(
        'the rate chart and the items list to change',
        async () => {
          const now = await shown(page);
          const moved = JSON.stringify(now.rate) !== JSON.stringify(first.rate);
          const itemsChanged = JSON.stringify(now.items) !== JSON.stringify(first.items);
          return moved && itemsChanged ? now : undefined;
        },
        30_000,
      );
      assert.equal(await page.evaluate('window.sameDocument'), true, 'the page was not reloaded');
      assert.equal(later.rate.length, 60, 'three minutes of 3-second windows');
      assert.ok(
        later.rate.filter((value) => value > 0).length >= 2,
        `bids in several windows: ${later.rate.join(' ')}`,
      );

      // The tables hold the charts' figures: the rate table is the chart newest first.
      assert.deepEqual(
        later.rateTable.map((row) => Number(row[2])),
        [...later.rate].reverse(),
      );
      assert.ok(later.items.length > 0 && later.items.length <= 10, `${later.items.length} items listed`);
      const counts = later.items.map((row) => Number(row[1]!.replace(/,/g, '')));
      assert.deepEqual(
        counts,
        [...counts].sort((a, b) => b - a),
        'most bids first',
      );
      assert.ok(later.bidderTable.length > 0);
      assert.deepEqual(
        later.bidderTable.map((row) => row[0]),
        later.bidderLabels,
        'the bidders table names the chart’s bars',
      );
      assert.equal(later.captions, 6, 'every table has a caption');
      assert.equal(later.rowHeadersWithoutScope, 0, 'every row header has scope="row"');
      assert.equal(
        await page.locator('[data-testid="items-table"] canvas').count(),
        later.items.length,
        'a sparkline per item',
      );

      await saveScreenshot(page, 'dashboard-desktop');
      await assertFitsWidth(page);
      assert.deepEqual(problems, [], 'no script errors, blocked resources or CSP refusals');
    } finally {
      await context.close();
    }
  });

  it('while MySQL does not answer, the page keeps its last figures and says since when and why they are stale, then goes live again', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const session = await mysql.createConnection({ uri: database.url });
    try {
      await page.goto(`${web.baseUrl}/dashboard`);
      await liveFiguresOn(page);
      // Every read of the statistics (and the worker's writes) waits behind this lock.
      await session.query('LOCK TABLES bid_windows WRITE, bid_window_bidders WRITE');
      const status = page.getByTestId('dashboard-status');
      await status
        .filter({
          hasText:
            /^Figures unavailable since \d\d:\d\d:\d\d UTC: the bid database did not answer in time; showing the figures read at \d\d:\d\d:\d\d UTC\.$/,
        })
        .waitFor({ timeout: 10_000 });
      // The figures shown are those of the last snapshot that had any, and they stay while MySQL is stalled.
      const shownAt = await page.evaluate<string>("document.getElementById('dashboard').dataset.generatedAt");
      assert.match(await status.innerText(), new RegExp(`figures read at ${shownAt.slice(11, 19)} UTC`));
      const stale = await shown(page);
      assert.ok(stale.items.length > 0 && stale.rate.some((value) => value > 0), 'the last figures stay on the page');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.deepEqual(await shown(page), stale, 'nothing changed while MySQL gave no answer');
      const since = /^Figures unavailable since (\d\d:\d\d:\d\d)/;
      const staleText = await status.innerText();
      assert.match(staleText, since);
      // Said once, not announced anew every second: the status names when the stall began.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(await status.innerText(), staleText);
      await saveScreenshot(page, 'dashboard-stale');
      await session.query('UNLOCK TABLES');
      await liveFiguresOn(page);
      assert.deepEqual(problems, [], 'no script errors, blocked resources or CSP refusals');
    } finally {
      await session.end();
      await context.close();
    }
  });

  it('at phone width (390px) the dashboard, opened from the bid page, fits the screen and updates live', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(`${web.baseUrl}/`);
      await page.getByTestId('dashboard-link').click();
      await page.waitForURL(`${web.baseUrl}/dashboard`);
      await liveFiguresOn(page);
      const first = await shown(page);
      await waitFor(
        'the rate chart to move',
        async () => (JSON.stringify((await shown(page)).rate) !== JSON.stringify(first.rate) ? true : undefined),
        30_000,
      );
      assert.ok((await shown(page)).items.length > 0);
      await assertFitsWidth(page);
      const chart = await page.getByTestId('rate-chart').boundingBox();
      assert.ok(chart && chart.width <= 390 && chart.width > 250, `the rate chart is ${chart?.width}px wide`);
      await saveScreenshot(page, 'dashboard-phone');
      assert.deepEqual(problems, [], 'no script errors, blocked resources or CSP refusals');
    } finally {
      await context.close();
    }
  });
});
