import { MINUTE_WINDOWS, RATE_WINDOWS, TOP_SHOWN, WINDOW_SECONDS } from './dashboardWindows';

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const count = { type: 'integer', minimum: 0 };
const utc = { type: 'string', format: 'date-time', description: 'UTC, whole seconds.' };

const window = 'complete 3-second windows of the bids’ own time (bid_ts, UTC)';

/** The dashboard snapshot as an OpenAPI 3.1 component (web/dashboard/dashboardWindows.ts `DashboardSnapshot`, state `figures`). */
export const dashboardSnapshotSchema = {
  type: 'object',
  required: ['state', 'generatedAt', 'windowSeconds', 'rate', 'minute', 'items', 'bidders', 'late'],
  properties: {
    state: { const: 'figures' },
    generatedAt: { type: 'string', format: 'date-time', description: 'When the server read the figures (its clock).' },
    windowSeconds: { const: WINDOW_SECONDS },
    rate: {
      description: `Every item together, the last ${RATE_WINDOWS} ${window}, oldest first, ending with the window before the one the server’s clock is in; 0 where no bid was counted.`,
      type: 'array',
      items: {
        type: 'object',
        required: ['start', 'bids', 'bidsPerSecond', 'lateBids'],
        properties: {
          start: utc,
          bids: count,
          bidsPerSecond: { type: 'number', description: 'bids / 3, to two decimals.' },
          lateBids: { ...count, description: 'Bids of this window that arrived after it closed: not in `bids`.' },
        },
      },
    },
    minute: {
      description: `The last minute: the last ${MINUTE_WINDOWS} windows of \`rate\`.`,
      type: 'object',
      required: ['from', 'to', 'bids', 'bidsPerSecond', 'lateBids'],
      properties: { from: utc, to: utc, bids: count, bidsPerSecond: { type: 'number' }, lateBids: count },
    },
    items: {
      description: `Up to ${TOP_SHOWN} items with most bids in the last minute (ties by item), each with its highest price then and its bids per window (\`sparkline\`, ${MINUTE_WINDOWS} values, oldest first).`,
      type: 'array',
      items: {
        type: 'object',
        required: ['item', 'bids', 'highest', 'sparkline'],
        properties: {
          item: { type: 'string' },
          bids: count,
          highest: { type: ['integer', 'null'] },
          sparkline: { type: 'array', items: count, minItems: MINUTE_WINDOWS, maxItems: MINUTE_WINDOWS },
        },
      },
    },
    bidders: {
      description: `Up to ${TOP_SHOWN} bidders with most bids in the last minute, every item together (ties by name).`,
      type: 'array',
      items: { type: 'object', required: ['name', 'bids'], properties: { name: { type: 'string' }, bids: count } },
    },
    late: {
      description: `Late bids of the \`rate\` windows, of the last minute, and the (up to ${TOP_SHOWN}) items with most in the last minute.`,
      type: 'object',
      required: ['inRate', 'inMinute', 'items'],
      properties: {
        inRate: count,
        inMinute: count,
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['item', 'lateBids'],
            properties: { item: { type: 'string' }, lateBids: count },
          },
        },
      },
    },
  },
};

/** The dashboard's routes in the OpenAPI document; `readRefusals` are the 429 and 503 every MySQL read shares. */
export function dashboardPaths(readRefusals: Record<string, unknown>): Record<string, unknown> {
  return {
    '/api/dashboard': {
      get: {
        summary: 'The dashboard’s figures: bids per second, most active items, top bidders, late bids',
        description:
          `Read from the statistics worker’s tables (${window}); "the last minute" is relative to the server’s clock. ` +
          'The same snapshot is served to every request for up to a second.',
        responses: {
          '200': { description: 'The snapshot.', content: json({ $ref: '#/components/schemas/DashboardSnapshot' }) },
          ...readRefusals,
        },
      },
    },
    '/api/dashboard/events': {
      get: {
        summary: 'The dashboard’s figures, live (Server-Sent Events)',
        description:
          'A text/event-stream of `snapshot` events, one a second: the `DashboardSnapshot`, or ' +
          '`{state: "unavailable", generatedAt, reason}` while MySQL gives no answer. The stream opens with the latest one. ' +
          'Counts against SSE_MAX_CLIENTS with the live event streams.',
        responses: {
          '200': { description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          '429': {
            description: 'Too many requests from this client (opening a stream counts).',
            content: json({ type: 'object', required: ['error'], properties: { error: { type: 'string' } } }),
          },
          '503': {
            description: 'Too many live clients on this instance (SSE_MAX_CLIENTS).',
            content: json({ type: 'object', required: ['error'], properties: { error: { type: 'string' } } }),
          },
        },
      },
    },
  };
}
