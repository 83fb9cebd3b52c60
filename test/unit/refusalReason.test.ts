import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusalReason } from '../../lib/registry/refusalReason';

describe('the registry’s reason for refusing a schema', () => {
  it('is the list of findings in an Apicurio refusal', () => {
    const body = {
      error_code: 409,
      message:
        'io.apicurio.registry.rules.violation.RuleViolationException: Incompatible artifact: auction-value [JSON], ' +
        'num of incompatible diffs: {2}, list of diff types: [A new required property was added at /required, ' +
        'Subschema type changed at /properties/price]',
    };
    assert.equal(
      refusalReason(body),
      'A new required property was added at /required, Subschema type changed at /properties/price',
    );
  });

  it('is any other registry’s message whole, on one line', () => {
    const body = { error_code: 409, message: 'Schema being registered is incompatible\nwith an earlier schema' };
    assert.equal(refusalReason(body), 'Schema being registered is incompatible with an earlier schema');
  });
});
