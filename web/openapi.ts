import { bidSchema, MAX_PRICE, MAX_TEXT_LENGTH } from '../lib/bid/bid';

/** The bid schema as an OpenAPI 3.1 component (JSON Schema without its `$schema` line). */
function bidComponent(): Record<string, unknown> {
  const { $schema: _draft, ...schema } = bidSchema;
  return schema;
}

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: 'What went wrong, for people.' } },
};

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

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
        `item and name 1 to ${MAX_TEXT_LENGTH} characters without control characters.`,
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
              description: 'The bid breaks the bid schema; one entry per field.',
              content: json({ $ref: '#/components/schemas/FieldErrors' }),
            },
            '429': {
              description: 'Too many bids from this client; see the RateLimit headers.',
              content: json(errorBody),
            },
            '503': {
              description:
                'Kafka did not acknowledge the bid in time, or too many bids are in flight. `reason` says whether it was not placed (`not-placed`, `busy`) or its outcome is unknown (`unknown`).',
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
            '503': { description: 'MySQL cannot be reached.', content: json(errorBody) },
          },
        },
      },
      '/api/items/{item}/highest': {
        get: {
          summary: 'The highest bid on one item',
          parameters: [
            { name: 'item', in: 'path', required: true, schema: { type: 'string', maxLength: MAX_TEXT_LENGTH } },
          ],
          responses: {
            '200': { description: 'The highest bid on the item.', content: json({ $ref: '#/components/schemas/Bid' }) },
            '404': { description: 'No bids on this item.', content: json(errorBody) },
            '503': { description: 'MySQL cannot be reached.', content: json(errorBody) },
          },
        },
      },
      '/healthz': { get: { summary: 'The process is up', responses: { '200': { description: 'Up.' } } } },
      '/readyz': {
        get: {
          summary: 'Kafka, the schema registry and MySQL are reachable',
          responses: {
            '200': { description: 'Ready.' },
            '503': { description: 'A dependency is down; `checks` says which.' },
          },
        },
      },
    },
    components: {
      schemas: {
        Bid: bidComponent(),
        BidRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['item', 'name', 'price'],
          properties: {
            item: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
            name: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, description: 'Trimmed by the server.' },
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
          required: ['error', 'errors'],
          properties: {
            error: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['field', 'rule', 'message'],
                properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
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
