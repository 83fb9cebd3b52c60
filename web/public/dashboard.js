// The dashboard: draws the server-rendered figures as charts (Chart.js,
// served by the app from node_modules) and keeps charts and tables up to
// date from the server's snapshot stream (/api/dashboard/events, one
// snapshot a second). Without this script the page shows the tables as
// they were when it was loaded.
//
// Data is only ever written with textContent or setAttribute, never parsed as HTML.
'use strict';

(() => {
  /** After the server refused the stream (e.g. 503, too many live clients), try again after this, plus jitter. */
  const RETRY_AFTER_REFUSAL_MS = 5000;
  /** Windows in "the last minute" (web/dashboard/dashboardWindows.ts MINUTE_WINDOWS). */
  const MINUTE_WINDOWS = 20;
  const LINE_COLOUR = '#0d6efd';
  const BAR_COLOUR = '#6f42c1';

  const page = document.getElementById('dashboard');
  const Chart = window.Chart;
  if (!page || typeof Chart !== 'function') return;
  const status = document.getElementById('dashboard-status');

  // ---- formatting (the same text the server renders) ----

  const count = (n) => Number(n).toLocaleString('en-US');
  const rate = (n) => Number(n).toFixed(2);
  const clock = (iso) => String(iso).slice(11, 19);

  const REASONS = {
    busy: 'the bid database is busy with other requests',
    timeout: 'the bid database did not answer in time',
    unreachable: 'the bid database cannot be reached',
  };

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  /** A table row: a header cell (scope row) and right-aligned figures. */
  function row(header, figures) {
    const tr = element('tr');
    tr.append(element('th', header, { scope: 'row', class: 'text-break' }));
    for (const figure of figures) tr.append(element('td', figure, { class: 'text-end' }));
    return tr;
  }

  function body(name) {
    return document.querySelector(`[data-body="${name}"]`);
  }

  // ---- charts ----

  const common = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { display: false } },
  };

  const rateChart = new Chart(document.getElementById('rate-chart'), {
    type: 'line',
    data: {
      labels: [],
      datasets: [
        {
          label: 'Bids per second',
          data: [],
          borderColor: LINE_COLOUR,
          backgroundColor: LINE_COLOUR,
          pointRadius: 0,
          borderWidth: 2,
        },
      ],
    },
    options: {
      ...common,
      scales: {
        x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } },
        y: { beginAtZero: true, title: { display: true, text: 'bids/s' } },
      },
    },
  });

  const biddersChart = new Chart(document.getElementById('bidders-chart'), {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'Bids', data: [], backgroundColor: BAR_COLOUR }] },
    options: {
      ...common,
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } },
    },
  });

  function sparklineChart(canvas, values) {
    return new Chart(canvas, {
      type: 'line',
      data: {
        labels: values.map((_, index) => index),
        datasets: [{ data: values, borderColor: LINE_COLOUR, pointRadius: 0, borderWidth: 1.5 }],
      },
      options: {
        ...common,
        events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
      },
    });
  }

  // ---- the figures ----

  /** The rows of the items table by item, each with its sparkline chart. */
  const itemRows = new Map();

  let windowSeconds = 3;

  function sparklineLabel(values) {
    return `Bids per ${windowSeconds} seconds, oldest first: ${values.join(', ')}`;
  }

  function showItems(items) {
    const tbody = body('items');
    const wanted = new Set(items.map((item) => item.item));
    for (const [name, entry] of itemRows) {
      if (wanted.has(name)) continue;
      entry.chart.destroy();
      entry.row.remove();
      itemRows.delete(name);
    }
    for (const item of items) {
      let entry = itemRows.get(item.item);
      if (!entry) {
        const tr = row(item.item, ['', '']);
        tr.setAttribute('data-item', item.item);
        const box = element('div', undefined, { class: 'sparkline' });
        const canvas = element('canvas', undefined, { role: 'img' });
        box.append(canvas);
        const cell = element('td');
        cell.append(box);
        tr.append(cell);
        entry = { row: tr, canvas, chart: undefined };
        itemRows.set(item.item, entry);
      }
      const [, bids, highest] = entry.row.children;
      bids.textContent = count(item.bids);
      highest.textContent = item.highest === null ? '–' : count(item.highest);
      entry.canvas.setAttribute('aria-label', sparklineLabel(item.sparkline));
      // In the order of the snapshot: appending an existing row moves it.
      tbody.append(entry.row);
      if (entry.chart) {
        entry.chart.data.datasets[0].data = item.sparkline;
        entry.chart.update('none');
      } else {
        entry.chart = sparklineChart(entry.canvas, item.sparkline);
      }
    }
  }

  /** Shows "none" under a table while it has no rows. */
  function noteEmpty(name, length) {
    const note = document.querySelector(`[data-empty-note="${name}"]`);
    if (note) note.hidden = length > 0;
  }

  function showSparklineTable(figures) {
    const head = document.querySelector('[data-head="sparklines"]');
    head.replaceChildren(element('th', 'Window start (UTC)', { scope: 'col' }));
    for (const item of figures.items)
      head.append(element('th', item.item, { scope: 'col', class: 'text-end text-break' }));
    const points = figures.rate.slice(-MINUTE_WINDOWS);
    body('sparklines').replaceChildren(
      ...points.map((point, index) =>
        row(
          clock(point.start),
          figures.items.map((item) => count(item.sparkline[index])),
        ),
      ),
    );
  }

  function show(figures) {
    windowSeconds = figures.windowSeconds;
    rateChart.data.labels = figures.rate.map((point) => clock(point.start));
    rateChart.data.datasets[0].data = figures.rate.map((point) => point.bidsPerSecond);
    rateChart.update('none');
    body('rate').replaceChildren(
      ...[...figures.rate]
        .reverse()
        .map((point) => row(clock(point.start), [count(point.bids), rate(point.bidsPerSecond), count(point.lateBids)])),
    );

    const range = document.querySelector('[data-field="minute-range"]');
    if (range) range.textContent = `${clock(figures.minute.from)}–${clock(figures.minute.to)} UTC`;
    const minuteFigures = {
      'minute-bids': count(figures.minute.bids),
      'minute-rate': rate(figures.minute.bidsPerSecond),
      'minute-late': count(figures.late.inMinute),
      'rate-late': count(figures.late.inRate),
    };
    for (const [testid, text] of Object.entries(minuteFigures)) {
      const cell = document.querySelector(`[data-testid="${testid}"]`);
      if (cell) cell.textContent = text;
    }

    showItems(figures.items);
    showSparklineTable(figures);

    biddersChart.data.labels = figures.bidders.map((bidder) => bidder.name);
    biddersChart.data.datasets[0].data = figures.bidders.map((bidder) => bidder.bids);
    biddersChart.update('none');
    body('bidders').replaceChildren(...figures.bidders.map((bidder) => row(bidder.name, [count(bidder.bids)])));

    body('late').replaceChildren(...figures.late.items.map((late) => row(late.item, [count(late.lateBids)])));
    noteEmpty('items', figures.items.length);
    noteEmpty('bidders', figures.bidders.length);
    noteEmpty('late', figures.late.items.length);
  }

  /** When the figures shown were read (the last snapshot that had figures), and since when none came. */
  let shownAt;
  let staleSince;
  const readAt = document.querySelector('[data-testid="dashboard-read-at"]');

  /** Changes the status (a live region) only when its text changes, so it is not announced every second. */
  function say(text, stale) {
    if (status.textContent !== text) status.textContent = text;
    status.classList.toggle('text-warning-emphasis', stale);
    page.dataset.stale = stale ? 'true' : 'false';
  }

  function render(snapshot, live) {
    if (snapshot.state === 'figures') {
      show(snapshot);
      shownAt = snapshot.generatedAt;
      staleSince = undefined;
      page.dataset.generatedAt = snapshot.generatedAt;
      if (readAt) readAt.textContent = `Figures read at ${clock(snapshot.generatedAt)} UTC.`;
      say(live ? 'Live: the figures update every second.' : 'As loaded: reload the page for newer figures.', false);
      return;
    }
    staleSince = staleSince || snapshot.generatedAt;
    const why = REASONS[snapshot.reason] || REASONS.unreachable;
    const kept = shownAt ? `; showing the figures read at ${clock(shownAt)} UTC` : '';
    say(`Figures unavailable since ${clock(staleSince)} UTC: ${why}${kept}.`, true);
  }

  // The server's rows of the items table have no chart yet: they are built again, with one.
  body('items').replaceChildren();
  const initial = document.getElementById('dashboard-snapshot');
  if (initial) render(JSON.parse(initial.textContent), false);

  // ---- the stream ----

  function connect() {
    if (typeof EventSource !== 'function') return;
    const source = new EventSource('/api/dashboard/events');
    source.addEventListener('snapshot', (event) => render(JSON.parse(event.data), true));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (e.g. too many live clients): EventSource gives up; try again later.
        say('Live updates paused: the server is busy; retrying shortly.', true);
        setTimeout(connect, RETRY_AFTER_REFUSAL_MS + Math.random() * RETRY_AFTER_REFUSAL_MS);
      } else {
        say('Live updates interrupted: reconnecting…', true);
      }
    });
  }
  connect();
})();
