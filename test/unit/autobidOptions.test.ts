import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutobidOptionError, parseAutobidOptions } from '../../scripts/autobid/autobidOptions';

const parse = (args: string[]) => parseAutobidOptions(args, 'http://127.0.0.1:3000', 99);

function refused(args: string[], message: string): void {
  assert.throws(
    () => parse(args),
    (error: unknown) => {
      assert.ok(error instanceof AutobidOptionError);
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe('npm run autobid options', () => {
  it('targets the local web app at one bid a second until Ctrl-C by default, with the random seed given', () => {
    const options = parse([]);
    assert.equal(options.url.href, 'http://127.0.0.1:3000/');
    assert.equal(options.rate, 1);
    assert.equal(options.durationSeconds, undefined);
    assert.equal(options.bids, undefined);
    assert.equal(options.seed, 99);
    assert.equal(options.json, false);
  });

  it('reads every option', () => {
    const options = parse([
      '--url',
      'http://10.0.0.5:8080',
      '--rate',
      '200',
      '--duration',
      '10',
      '--bids',
      '500',
      '--items',
      '30',
      '--skew',
      '0',
      '--bidders',
      '7',
      '--concurrency',
      '16',
      '--seed',
      '42',
      '--json',
      '--accepted-file',
      'accepted.ndjson',
    ]);
    assert.equal(options.url.origin, 'http://10.0.0.5:8080');
    assert.deepEqual(
      [options.rate, options.durationSeconds, options.bids, options.items, options.skew],
      [200, 10, 500, 30, 0],
    );
    assert.deepEqual([options.bidders, options.concurrency, options.seed], [7, 16, 42]);
    assert.equal(options.json, true);
    assert.equal(options.acceptedFile, 'accepted.ndjson');
  });

  it('takes a fractional rate and duration', () => {
    const options = parse(['--rate', '0.5', '--duration=2.5']);
    assert.equal(options.rate, 0.5);
    assert.equal(options.durationSeconds, 2.5);
  });

  it('refuses a rate that is not a positive number, naming the option and the value', () => {
    refused(['--rate', 'fast'], '--rate must be a positive number of at most 100000, got "fast"');
    refused(['--rate', '0'], '--rate must be a positive number of at most 100000, got "0"');
    refused(['--rate', '-5'], '--rate must be a positive number of at most 100000, got "-5"');
    refused(['--rate', 'Infinity'], '--rate must be a positive number of at most 100000, got "Infinity"');
  });

  it('refuses counts that are not whole numbers in range', () => {
    refused(['--items', '1.5'], '--items must be a whole number from 1 to 1000000, got "1.5"');
    refused(['--bids', '0'], '--bids must be a whole number from 1 to 1000000000, got "0"');
    refused(['--concurrency', ''], '--concurrency must be a whole number from 1 to 10000, got ""');
    refused(['--skew', '-1'], '--skew must be a number from 0 to 10, got "-1"');
  });

  it('refuses an address other than http://, an unknown option and a missing value', () => {
    refused(
      ['--url', 'localhost:3000'],
      '--url must be an http:// address such as http://127.0.0.1:3000, got "localhost:3000"',
    );
    refused(['--rat', '5'], "Unknown option '--rat' (see --help)");
    refused(['--rate'], "Option '--rate <value>' argument missing (see --help)");
  });
});
