import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** The web app's answer to one posted bid. `status` 0: no answer (refused connection, reset, timed out). */
export interface PostedBidAnswer {
  status: number;
  body: string;
  /** The `Retry-After` header, as sent. */
  retryAfter: string | undefined;
  /** The draft-7 `RateLimit-Policy` header (`120;w=60`), as sent. */
  rateLimitPolicy: string | undefined;
  /** `performance.now()` when the answer was complete (or the request failed). */
  answeredAt: number;
  /** Why there was no answer, when `status` is 0. */
  failure: string | undefined;
}

/**
 * POSTs one bid's JSON body to `url` and resolves with the whole answer;
 * never rejects (a failed request is status 0 with the reason), so one bad
 * request never stops a sender's schedule.
 */
export function postBid(url: URL, body: string, agent: http.Agent, timeoutMs: number): Promise<PostedBidAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<PostedBidAnswer, 'answeredAt'>): void => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, answeredAt: performance.now() });
    };
    const failed = (error: Error): void =>
      finish({ status: 0, body: '', retryAfter: undefined, rateLimitPolicy: undefined, failure: error.message });
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const header = (name: string): string | undefined => {
            const value = response.headers[name];
            return Array.isArray(value) ? value[0] : value;
          };
          finish({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: header('retry-after'),
            rateLimitPolicy: header('ratelimit-policy'),
            failure: response.statusCode === undefined ? 'no status in the answer' : undefined,
          });
        });
        response.on('error', failed);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', failed);
    request.end(body);
  });
}
