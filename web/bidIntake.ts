import type { Bid } from '../lib/bid/bid';
import type { FieldError } from '../lib/bid/validateBid';
import {
  DeliveryFailedError,
  NotQueuedError,
  type DeliveringProducer,
  type Delivery,
} from '../lib/kafka/deliveringProducer';
import type { Logger } from '../lib/logger';
import type { BidCodec } from '../lib/registry/bidCodec';
import { bidFromRequest } from './bidRequest';
import { errorMessage } from '../lib/errorMessage';
import type { WebMetrics } from './webMetrics';

/**
 * Why a valid bid was not accepted:
 * - `busy`: too many bids are already waiting for Kafka; this one was not sent.
 * - `not-placed`: Kafka could not take it (no broker answered in time, queue
 *   full, the producer failed fatally); it was never written and never will be.
 * - `unknown`: a request carrying it went unanswered; the broker may or may
 *   not have it. Rare: the broker failed while the bid was on its way.
 */
export type UnavailableReason = 'busy' | 'not-placed' | 'unknown';

export type BidOutcome =
  | { kind: 'accepted'; bid: Bid; delivery: Delivery }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'unavailable'; reason: UnavailableReason; message: string };

/**
 * Whether a failed delivery means the bid never reached a broker: it could
 * not be queued, or librdkafka reports it timed out waiting in its queue
 * ("Message timed out"). node-rdkafka passes delivery errors on as text only.
 * A request that went unanswered ("Timed out") may have been written.
 */
function neverSent(error: unknown): boolean {
  if (error instanceof NotQueuedError) return true;
  // "Purged in queue": a fatal producer error emptied librdkafka's queue before the bid was sent.
  return error instanceof DeliveryFailedError && /message timed out|queue full|purged in queue/i.test(error.message);
}

/** The answer is due: no delivery report yet. */
class AnswerDue extends Error {
  override message = 'no delivery report yet';
}

/**
 * Takes bids from the page and the API: validates, encodes with the
 * registered schema, produces keyed by item, and answers only with what
 * Kafka's delivery report said. At most `maxInFlight` bids wait for Kafka at
 * once; one more is refused straight away rather than queued without limit.
 */
export class BidIntake {
  private inFlight = 0;
  private drained: (() => void) | undefined;

  constructor(
    private readonly codec: BidCodec,
    private readonly producer: DeliveringProducer,
    private readonly topic: string,
    private readonly options: { maxInFlight: number; ackTimeoutMs: number },
    private readonly metrics: WebMetrics,
    private readonly log: Logger,
  ) {}

  /** Bids sent and still waiting for their delivery report. */
  get bidsInFlight(): number {
    return this.inFlight;
  }

  async place(body: unknown): Promise<BidOutcome> {
    const checked = bidFromRequest(body);
    if (!checked.valid) return { kind: 'invalid', errors: checked.errors };
    if (this.producer.fatalError) {
      // The process is stopping (see web/main.ts): refuse at once rather than queue on a dead producer.
      this.metrics.bidDeliveryErrors.inc({ kind: 'fatal' });
      return {
        kind: 'unavailable',
        reason: 'not-placed',
        message:
          'Bids cannot be placed here right now: this server lost its connection to Kafka and is restarting. Nothing was recorded; please try again in a moment.',
      };
    }
    if (this.inFlight >= this.options.maxInFlight) {
      this.metrics.bidDeliveryErrors.inc({ kind: 'busy' });
      return {
        kind: 'unavailable',
        reason: 'busy',
        message: 'Too many bids are being placed right now; this one was not placed. Please try again in a moment.',
      };
    }
    const { bid } = checked;
    const delivering = this.track(
      this.producer.send({ topic: this.topic, key: bid.item, value: this.codec.encode(bid) }),
    );
    let timer: NodeJS.Timeout | undefined;
    const due = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AnswerDue()), this.options.ackTimeoutMs);
    });
    try {
      const delivery = await Promise.race([delivering, due]);
      return { kind: 'accepted', bid, delivery };
    } catch (error) {
      if (error instanceof AnswerDue) this.reportLateOutcome(bid, delivering);
      return this.notAccepted(bid, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts a bid as in flight until librdkafka settles it, which may be after its request was answered. */
  private async track(delivering: Promise<Delivery>): Promise<Delivery> {
    this.inFlight++;
    this.metrics.bidsInFlight.inc();
    try {
      return await delivering;
    } finally {
      this.inFlight--;
      this.metrics.bidsInFlight.dec();
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Logs what became of a bid whose request was answered before its delivery report came. */
  private reportLateOutcome(bid: Bid, delivering: Promise<Delivery>): void {
    delivering.then(
      (delivery) =>
        this.log.warn({ bid_id: bid.bid_id, ...delivery }, 'bid answered as unconfirmed was placed after all'),
      (error: unknown) =>
        this.log.warn({ bid_id: bid.bid_id, err: errorMessage(error) }, 'bid answered as unconfirmed was not placed'),
    );
  }

  private notAccepted(bid: Bid, error: unknown): BidOutcome {
    const seconds = Math.round(this.options.ackTimeoutMs / 1000);
    if (neverSent(error)) {
      this.metrics.bidDeliveryErrors.inc({ kind: 'not-placed' });
      this.log.warn({ bid_id: bid.bid_id, err: errorMessage(error) }, 'bid not placed: Kafka did not take it');
      return {
        kind: 'unavailable',
        reason: 'not-placed',
        message: `The bid could not be placed: Kafka did not acknowledge it within ${seconds} s. Nothing was recorded; please try again.`,
      };
    }
    this.metrics.bidDeliveryErrors.inc({ kind: 'unknown' });
    this.log.error({ bid_id: bid.bid_id, err: errorMessage(error) }, 'bid outcome unknown: Kafka has not confirmed it');
    return {
      kind: 'unavailable',
      reason: 'unknown',
      message: `Kafka has not confirmed bid ${bid.bid_id} within ${seconds} s; it may or may not be placed. Check the highest bid before bidding again.`,
    };
  }

  /** Resolves once no bid is waiting for Kafka (for a graceful shutdown). */
  async drain(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
    });
  }
}
