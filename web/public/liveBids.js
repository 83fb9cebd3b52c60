// The live bid page: keeps the server-rendered figures (highest bids, the
// selected item's last bids, the most active lots) up to date from the
// server's event stream (/api/events), and tells this browser when a bid it
// placed has been outbid. Without this script the page still shows the
// figures as stored when it was loaded.
//
// Markup comes from <template> elements the server renders with the same
// partials as the figures themselves; data is only ever written with
// textContent or setAttribute, never parsed as HTML.
'use strict';

(() => {
  /** How many of an item's bids the page lists (web/recentBids.ts RECENT_BIDS_SHOWN). */
  const RECENT_BIDS_SHOWN = 20;
  /** The bids this browser placed, newest last; only the last few are kept. */
  const PLACED_BIDS_KEY = 'auction.placedBids';
  const PLACED_BIDS_KEPT = 50;
  /** After the server refused the stream (e.g. 503, too many live clients), try again after this, plus jitter. */
  const RETRY_AFTER_REFUSAL_MS = 5000;

  const page = document.getElementById('bid-page');
  if (!page || typeof EventSource !== 'function') return;
  /** The item this page is about (the form's item or ?item=), or '' for none. */
  const selectedItem = page.dataset.item || '';

  // ---- formatting (the same text the server renders) ----

  const priceText = (price) => Number(price).toLocaleString('en-US');
  const bidTimeText = (bidTs) =>
    String(bidTs)
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
  const bidCountText = (count) => `${priceText(count)} ${count === 1 ? 'bid' : 'bids'}`;

  function valueAt(data, path) {
    return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), data);
  }

  /** Writes `data` into every [data-field] element of a cloned template, as text. */
  function fill(root, data) {
    for (const element of root.querySelectorAll('[data-field]')) {
      const path = element.dataset.field;
      const value = valueAt(data, path);
      const key = path.split('.').pop();
      if (key === 'price') element.textContent = priceText(value);
      else if (key === 'bids') element.textContent = bidCountText(value);
      else if (key === 'bid_ts') {
        element.textContent = bidTimeText(value);
        element.setAttribute('datetime', String(value));
      } else element.textContent = String(value);
    }
    return root;
  }

  /** A filled copy of the template named `name` (its first element). */
  function fromTemplate(name, data) {
    const template = document.querySelector(`template[data-template="${name}"]`);
    if (!template) return undefined;
    const element = template.content.firstElementChild.cloneNode(true);
    return fill(element, data);
  }

  // ---- the figures ----

  function isBid(bid) {
    return (
      bid !== null &&
      typeof bid === 'object' &&
      typeof bid.bid_id === 'string' &&
      typeof bid.item === 'string' &&
      typeof bid.name === 'string' &&
      typeof bid.price === 'number' &&
      typeof bid.bid_ts === 'string'
    );
  }

  function showHighest(region, bid) {
    const container = document.querySelector(`[data-live-region="${region}"]`);
    const figure = fromTemplate(region, bid);
    if (!container || !figure) return;
    figure.dataset.bidId = bid.bid_id;
    figure.dataset.price = String(bid.price);
    container.replaceChildren(figure);
  }

  function showNoHighest(region) {
    const container = document.querySelector(`[data-live-region="${region}"]`);
    if (!container) return;
    const none = document.createElement('p');
    none.className = 'mb-0 text-body-secondary';
    none.dataset.testid = `${region}-none`;
    none.textContent = 'No bids yet.';
    container.replaceChildren(none);
  }

  /** Hides the "no bids yet" / "unavailable" line of a list once it has rows, and shows "no bids yet" when empty. */
  function updateEmptyNote(listName) {
    const list = document.querySelector(`[data-live-list="${listName}"]`);
    const note = document.querySelector(`[data-empty-note="${listName}"]`);
    if (!list || !note) return;
    if (list.children.length > 0) note.hidden = true;
    else {
      note.hidden = false;
      note.textContent = 'No bids yet.';
    }
  }

  function addRecentBid(bid) {
    const list = document.querySelector('[data-live-list="recent-bids"]');
    if (!list) return;
    // An event replayed after a reconnect, or a bid the page was rendered with, is listed once.
    for (const row of list.children) if (row.dataset.bidId === bid.bid_id) return;
    const row = fromTemplate('recent-bid', bid);
    if (!row) return;
    row.dataset.bidId = bid.bid_id;
    list.prepend(row);
    while (list.children.length > RECENT_BIDS_SHOWN) list.lastElementChild.remove();
    updateEmptyNote('recent-bids');
  }

  function showRecentBids(bids) {
    const list = document.querySelector('[data-live-list="recent-bids"]');
    if (!list) return;
    const rows = bids.filter(isBid).map((bid) => {
      const row = fromTemplate('recent-bid', bid);
      row.dataset.bidId = bid.bid_id;
      return row;
    });
    list.replaceChildren(...rows);
    updateEmptyNote('recent-bids');
  }

  function showActiveLots(lots) {
    const list = document.querySelector('[data-live-list="active-lots"]');
    if (!list || !Array.isArray(lots)) return;
    const rows = lots
      .filter((lot) => lot && typeof lot.item === 'string' && typeof lot.bids === 'number' && isBid(lot.highest))
      .map((lot) => {
        const row = fromTemplate('active-lot', lot);
        // A relative link to this page, the item encoded: data never becomes a scheme or a path.
        for (const link of row.querySelectorAll('[data-item-link]')) {
          link.setAttribute('href', `/?item=${encodeURIComponent(lot.item)}`);
        }
        return row;
      });
    list.replaceChildren(...rows);
    updateEmptyNote('active-lots');
  }

  // ---- bids this browser placed, and the outbid notice ----

  function readPlacedBids() {
    try {
      const stored = JSON.parse(localStorage.getItem(PLACED_BIDS_KEY) || '[]');
      return Array.isArray(stored)
        ? stored.filter(
            (b) => b && typeof b.bid_id === 'string' && typeof b.item === 'string' && typeof b.price === 'number',
          )
        : [];
    } catch {
      // Storage disabled or unreadable: the page works, without outbid notices across page views.
      return [];
    }
  }

  let placedBids = readPlacedBids();

  function savePlacedBids() {
    placedBids = placedBids.slice(-PLACED_BIDS_KEPT);
    try {
      localStorage.setItem(PLACED_BIDS_KEY, JSON.stringify(placedBids));
    } catch {
      // Kept in memory for this page view only.
    }
  }

  /** The confirmation after a bid was placed names it: remember it. */
  function rememberConfirmedBid() {
    const confirmation = document.querySelector('[data-placed-bid-id]');
    if (!confirmation) return;
    const placed = {
      bid_id: confirmation.dataset.placedBidId,
      item: confirmation.dataset.placedItem,
      price: Number(confirmation.dataset.placedPrice),
    };
    if (!placed.bid_id || !placed.item || !Number.isFinite(placed.price)) return;
    if (!placedBids.some((b) => b.bid_id === placed.bid_id)) placedBids.push(placed);
    savePlacedBids();
  }

  function outbidNoticeFor(item) {
    const notices = document.getElementById('outbid-notices');
    if (!notices) return undefined;
    for (const notice of notices.children) if (notice.dataset.item === item) return notice;
    return undefined;
  }

  /**
   * A new highest bid on `item`: if this browser placed a bid on it and the
   * highest is another bid at a higher price, say so (once per highest bid,
   * unless dismissed); if the highest is one of ours, any notice goes.
   */
  function checkOutbid(item, highest) {
    const ours = placedBids.filter((b) => b.item === item);
    if (ours.length === 0) return;
    const existing = outbidNoticeFor(item);
    if (ours.some((b) => b.bid_id === highest.bid_id)) {
      existing?.remove();
      return;
    }
    const bestOfOurs = Math.max(...ours.map((b) => b.price));
    if (highest.price <= bestOfOurs) return;
    if (ours.some((b) => b.dismissedOutbidBy === highest.bid_id)) return;
    if (existing?.dataset.outbidBy === highest.bid_id) return;
    const notices = document.getElementById('outbid-notices');
    const template = document.getElementById('outbid-notice-template');
    if (!notices || !template) return;
    const notice = fill(template.content.firstElementChild.cloneNode(true), highest);
    notice.dataset.item = item;
    notice.dataset.outbidBy = highest.bid_id;
    notice.querySelector('.btn-close')?.addEventListener('click', () => {
      for (const b of ours) b.dismissedOutbidBy = highest.bid_id;
      savePlacedBids();
      notice.remove();
    });
    if (existing) existing.replaceWith(notice);
    else notices.append(notice);
  }

  /** On load: a bid of ours on the selected item may have been outbid while the page was closed. */
  function checkRenderedHighest() {
    if (!selectedItem) return;
    const figure = document.querySelector('[data-live-region="highest-item"] [data-highest-bid]');
    if (!figure) return;
    const name = figure.querySelector('[data-field="name"]');
    const highest = {
      bid_id: figure.dataset.bidId,
      item: selectedItem,
      name: name ? name.textContent : '',
      price: Number(figure.dataset.price),
    };
    if (highest.bid_id && Number.isFinite(highest.price)) checkOutbid(selectedItem, highest);
  }

  // ---- the event stream ----

  const status = document.getElementById('live-status');
  function setStatus(text) {
    if (status && status.textContent !== text) status.textContent = text;
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch {
      return undefined;
    }
  }

  function onBid(data) {
    if (!data || !isBid(data.bid)) return;
    if (selectedItem && data.bid.item === selectedItem) addRecentBid(data.bid);
  }

  function onHighest(data) {
    if (!data || !isBid(data.bid)) return;
    if (data.scope === 'overall') showHighest('highest-overall', data.bid);
    else if (data.scope === 'item') {
      if (selectedItem && data.item === selectedItem) showHighest('highest-item', data.bid);
      checkOutbid(data.item, data.bid);
    }
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  /** Reads every figure again from the JSON API (the stream could not replay what was missed). */
  async function reloadFigures() {
    try {
      const item = encodeURIComponent(selectedItem);
      const [overall, lots, itemHighest, recent] = await Promise.all([
        getJson('/api/highest'),
        getJson('/api/lots'),
        selectedItem ? getJson(`/api/items/${item}/highest`) : undefined,
        selectedItem ? getJson(`/api/items/${item}/bids`) : undefined,
      ]);
      if (isBid(overall)) showHighest('highest-overall', overall);
      else if (overall === null) showNoHighest('highest-overall');
      if (lots) showActiveLots(lots.lots);
      if (isBid(itemHighest)) {
        showHighest('highest-item', itemHighest);
        checkOutbid(selectedItem, itemHighest);
      } else if (itemHighest === null) showNoHighest('highest-item');
      if (recent && Array.isArray(recent.bids)) showRecentBids(recent.bids);
    } catch {
      setStatus('Live updates are on, but the figures could not be reloaded; reload the page to see them all.');
    }
  }

  function connect(afterRefusal) {
    const source = new EventSource('/api/events');
    source.addEventListener('open', () => {
      setStatus('Live: new bids appear here as they are placed.');
      // A new stream starts from now: what happened while there was none is read from the API.
      if (afterRefusal) void reloadFigures();
      afterRefusal = false;
    });
    source.addEventListener('bid', (event) => onBid(parse(event)));
    source.addEventListener('highest', (event) => onHighest(parse(event)));
    source.addEventListener('lots', (event) => {
      const data = parse(event);
      if (data) showActiveLots(data.lots);
    });
    source.addEventListener('reset', () => void reloadFigures());
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CONNECTING) {
        // The browser reconnects by itself and sends Last-Event-ID: nothing is missed.
        setStatus('Reconnecting to live updates…');
        return;
      }
      // Closed for good (the server refused the stream): open a new one after a while.
      source.close();
      setStatus('Live updates are paused; trying again shortly. Reload the page for the latest figures.');
      setTimeout(() => connect(true), RETRY_AFTER_REFUSAL_MS + Math.random() * RETRY_AFTER_REFUSAL_MS);
    });
  }

  rememberConfirmedBid();
  checkRenderedHighest();
  connect(false);
})();
