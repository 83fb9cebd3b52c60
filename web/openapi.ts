import { bidIntakeSchema, MAX_PRICE, MAX_TEXT_LENGTH } from '../lib/bid/bid';
import { ACTIVE_LOTS_SHOWN } from './activeLots';
import { ERRORS_SHOWN } from './bidRefusal';
import { dashboardPaths, dashboardSnapshotSchema } from './dashboard/dashboardOpenApi';
import { RECENT_BIDS_SHOWN } from './recentBids';

/** The bid schema as the API takes it, as an OpenAPI 3.1 component (JSON Schema without its `$schema` line). */
function bidComponent(): Record<string, unknown> {
  const { $schema: _draft, ...schema } = bidIntakeSchema;
  return schema;
}

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: 'What went wrong, for people.' } },
};

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

const normalised =
  'Normalised by the server (Unicode NFKC, each run of white space one space, trimmed; case kept); ' +
  'at least one letter or digit.';

/** An item in a path: looked up normalised as a bid's item is. */
const lotParameter = {
  name: 'item',
  in: 'path',
  required: true,
  description: 'The lot, normalised as a bid’s item is before it is looked up.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
};

const lotRefused = `\`item\` is empty or longer than ${MAX_TEXT_LENGTH} characters once normalised.`;

/** The answers every MySQL read shares: no answer from MySQL, and the read rate limit. */
const readRefusals = {
  '429': {
    description:
      'Too many requests from this client (READ_RATE_LIMIT_PER_MINUTE); see Retry-After and the RateLimit headers.',
    content: json(errorBody),
  },
  '503': {
    description:
      'MySQL gave no answer: `reason` is `unreachable`, `busy` (too many reads already wait for it) or `timeout` (no answer within MYSQL_QUERY_TIMEOUT_MS); see Retry-After.',
    content: json({ $ref: '#/components/schemas/ReadUnavailable' }),
  },
};

/** The OpenAPI 3.1 document of the JSON API, served at /openapi.json. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Auction bids API',
      version: '1.0.0',
      description:
        'Place bids and read the highest bid. A bid is accepted only once Kafka has acknowledged it; ' +
        `prices are whole currency units from 1 to ${MAX_PRICE.toLocaleString('en-US')}, ` +
        `item and name 1 to ${MAX_TEXT_LENGTH} characters with a letter or digit, no control, formatting, invisible, ` +
        'private-use or unassigned characters, normalised (NFKC, white space collapsed and trimmed, case kept).',
    },
    paths: {
      '/api/bids': {
        post: {
          summary: 'Place a bid',
          requestBody: {
            required: true,
            content: json({ $ref: '#/components/schemas/BidRequest' }),
          },
          responses: {
            '201': {
              description: 'Accepted: Kafka acknowledged the bid.',
              content: json({ $ref: '#/components/schemas/PlacedBid' }),
            },
            '400': { description: 'The body is not valid JSON.', content: json(errorBody) },
            '413': { description: 'The body is larger than 16 KB.', content: json(errorBody) },
            '415': { description: 'The body is not application/json.', content: json(errorBody) },
            '422': {
              description:
                'The bid breaks the bid schema, or item or name holds a character it may not (rule `unicode`: a control, ' +
                'formatting, invisible, private-use or unassigned character, a line or paragraph separator, a lone ' +
                'surrogate; the message names it, e.g. `name contains an invisible formatting character (U+200B)`) or ' +
                `no letter or digit (rule \`letterOrDigit\`). At most ${ERRORS_SHOWN} errors are listed, one per field; ` +
                '`errors_omitted` counts the rest.',
              content: json({ $ref: '#/components/schemas/FieldErrors' }),
            },
            '429': {
              description: 'Too many bids from this client; see the RateLimit headers.',
              content: json(errorBody),
            },
            '503': {
              description:
                'Kafka did not acknowledge the bid in time, too many bids are in flight, or the producer failed fatally and the process is restarting. `reason` says whether it was not placed (`not-placed`, `busy`) or its outcome is unknown (`unknown`).',
              content: json({ $ref: '#/components/schemas/Unavailable' }),
            },
          },
        },
      },
      '/api/highest': {
        get: {
          summary: 'The highest bid overall',
          responses: {
            '200': {
              description: 'The highest bid (earliest wins a tie).',
              content: json({ $ref: '#/components/schemas/Bid' }),
            },
            '404': { description: 'No bids yet.', content: json(errorBody) },
            ...readRefusals,
          },
        },
      },
      '/api/items/{item}/highest': {
        get: {
          summary: 'The highest bid on one item',
          parameters: [lotParameter],
          responses: {
            '200': { description: 'The highest bid on the item.', content: json({ $ref: '#/components/schemas/Bid' }) },
            '400': { description: lotRefused, content: json(errorBody) },
            '404': { description: 'No bids on this item.', content: json(errorBody) },
            ...readRefusals,
          },
        },
      },
      '/api/events': {
        get: {
          summary: 'Live events (Server-Sent Events)',
          description:
            'A text/event-stream of `bid`, `highest` (scope `item` or `overall`) and `lots` events as bids reach Kafka, ' +
            'each with an `id` (the position after the bid, e.g. `0:1043.1:998`). Send `Last-Event-ID` to get the events ' +
            'missed since; `event: reset` when they are no longer held. Heartbeat comments keep the stream open.',
          parameters: [
            {
              name: 'item',
              in: 'query',
              required: false,
              description: 'Only events about this lot (and `lots`), normalised as a bid’s item is.',
              schema: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
            },
            { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'The event stream.',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            '400': { description: lotRefused, content: json(errorBody) },
            '429': {
              description: 'Too many requests from this client (opening a stream counts).',
              content: json(errorBody),
            },
            '503': {
              description: 'Too many live clients on this instance (SSE_MAX_CLIENTS).',
              content: json(errorBody),
            },
          },
        },
      },
      '/api/items/{item}/bids': {
        get: {
          summary: "An item's last bids, newest first",
          parameters: [lotParameter],
          responses: {
            '200': {
              description: `Up to ${RECENT_BIDS_SHOWN} bids as stored in MySQL (none for an item without bids).`,
              content: json({
                type: 'object',
                required: ['item', 'bids'],
                properties: {
                  item: { type: 'string' },
                  bids: { type: 'array', items: { $ref: '#/components/schemas/Bid' } },
                },
              }),
            },
            '400': { description: lotRefused, content: json(errorBody) },
            ...readRefusals,
          },
        },
      },
      '/api/lots': {
        get: {
          summary: 'The most active lots with their highest bids',
          responses: {
            '200': {
              description: `Up to ${ACTIVE_LOTS_SHOWN} lots, most bids first (ties by item name), as stored in MySQL.`,
              content: json({
                type: 'object',
                required: ['lots'],
                properties: { lots: { type: 'array', items: { $ref: '#/components/schemas/ActiveLot' } } },
              }),
            },
            ...readRefusals,
          },
        },
      },
      ...dashboardPaths(readRefusals),
      '/healthz': { get: { summary: 'The process is up', responses: { '200': { description: 'Up.' } } } },
      '/readyz': {
        get: {
          summary: 'This process can take bids',
          description:
            'Ready means Kafka answers, the producer has not failed fatally and the bid schema is registered. ' +
            'MySQL serves only the highest-bid reads: when it does not answer the process is still ready, with `mysql` in `degraded`. ' +
            'Each part is only `ready` or `not ready`; why one is not is in the log.',
          responses: {
            '200': {
              description: 'Ready; `degraded` lists what is down without stopping bids (MySQL).',
              content: json({ $ref: '#/components/schemas/Readiness' }),
            },
            '429': { description: 'Too many requests from this client.', content: json(errorBody) },
            '503': {
              description: 'Not ready: `checks` says which part is not (kafka, producer, registry).',
              content: json({ $ref: '#/components/schemas/Readiness' }),
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Bid: bidComponent(),
        ActiveLot: {
          type: 'object',
          required: ['item', 'bids', 'highest'],
          properties: {
            item: { type: 'string' },
            bids: { type: 'integer', minimum: 1, description: 'How many bids the lot has.' },
            highest: { $ref: '#/components/schemas/Bid' },
          },
        },
        BidRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['item', 'name', 'price'],
          properties: {
            item: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, description: normalised },
            name: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, description: normalised },
            price: { type: 'integer', minimum: 1, maximum: MAX_PRICE },
          },
        },
        PlacedBid: {
          allOf: [
            { $ref: '#/components/schemas/Bid' },
            {
              type: 'object',
              required: ['kafka'],
              properties: {
                kafka: {
                  type: 'object',
                  required: ['topic', 'partition', 'offset'],
                  properties: {
                    topic: { type: 'string' },
                    partition: { type: 'integer' },
                    offset: { type: 'integer' },
                  },
                },
              },
            },
          ],
        },
        FieldErrors: {
          type: 'object',
          required: ['error', 'errors', 'errors_omitted'],
          properties: {
            error: { type: 'string' },
            errors_omitted: { type: 'integer', minimum: 0, description: 'Errors not listed in `errors`.' },
            errors: {
              type: 'array',
              maxItems: ERRORS_SHOWN,
              items: {
                type: 'object',
                required: ['field', 'rule', 'message'],
                properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        Readiness: {
          type: 'object',
          required: ['ready', 'degraded', 'checks'],
          properties: {
            ready: { type: 'boolean' },
            degraded: { type: 'array', items: { enum: ['mysql'] } },
            checks: {
              type: 'object',
              description: 'One entry per dependency: kafka, producer, registry, mysql.',
              additionalProperties: { enum: ['ready', 'not ready'] },
            },
          },
        },
        DashboardSnapshot: dashboardSnapshotSchema,
        ReadUnavailable: {
          type: 'object',
          required: ['error', 'reason'],
          properties: { error: { type: 'string' }, reason: { enum: ['unreachable', 'busy', 'timeout'] } },
        },
        Unavailable: {
          type: 'object',
          required: ['error', 'reason'],
          properties: { error: { type: 'string' }, reason: { enum: ['busy', 'not-placed', 'unknown'] } },
        },
      },
    },
  };
}
