import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { odbcFailureOf, type OdbcFailure } from '../../workers/hive/odbcFailure';

/** An error shaped as the `odbc` package throws it: its own message, and the driver's diagnostic records. */
function odbcError(state: string, message: string): Error {
  return Object.assign(new Error('[odbc] Error executing the sql statement'), {
    odbcErrors: [{ state, code: 0, message }],
  });
}

/** How HiveServer2's own words reach us through the Cloudera/Simba Hive ODBC driver. */
function fromHiveServer(code: number, serverMessage: string): string {
  return `[Cloudera][Hardy] (35) Error from server: error code: '${code}' error message: '${serverMessage}'.`;
}

function expectFailure(expected: OdbcFailure, cases: readonly [state: string, message: string][]): void {
  for (const [state, message] of cases) {
    assert.equal(odbcFailureOf(odbcError(state, message)), expected, `${state} ${message}`);
  }
}

describe('ODBC failures', () => {
  it('are transient when 08S01 says the link to the server failed', () => {
    expectFailure('transient', [
      // psqlODBC, using a connection the server has ended
      ['08S01', 'SQLExecDirect unable due to the connection lost'],
      // HiveServer2 not (yet) listening
      [
        '08S01',
        'Could not open client transport with JDBC Uri: jdbc:hive2://hiveserver2:10000/: java.net.ConnectException: Connection refused (Connection refused)',
      ],
      ['08S01', 'I/O Error: Connection reset by peer: socket write error'],
      ['08S01', 'org.apache.thrift.transport.TTransportException: java.net.SocketTimeoutException: Read timed out'],
      ['08S01', '[Cloudera][Hardy] (34) Error from server: Could not resolve host for client socket.'],
      ['08S01', 'server closed the connection unexpectedly'],
    ]);
  });

  it('are not transient when 08S01 reports a statement HiveServer2 could not compile or run', () => {
    expectFailure('other', [
      [
        '08S01',
        fromHiveServer(
          40000,
          "Error while compiling statement: FAILED: SemanticException [Error 10004]: Line 8:133 Invalid table alias or column reference 'ranges'",
        ),
      ],
      [
        '08S01',
        fromHiveServer(
          1,
          "Error while processing statement: FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. Unable to alter table. work.rt can't be declared transactional because it's an external table",
        ),
      ],
      // HiveServer2 4.0.1 (the local stack's) files a failed MapReduce job under "compiling" too.
      [
        '08S01',
        fromHiveServer(
          2,
          'Error while compiling statement: FAILED: Execution Error, return code 2 from org.apache.hadoop.hive.ql.exec.mr.MapRedTask',
        ),
      ],
      // A failed task that mentions a connection is still a failed statement, not a lost link.
      [
        '08S01',
        fromHiveServer(
          2,
          'Error while processing statement: FAILED: Execution Error, return code 2 from org.apache.hadoop.hive.ql.exec.tez.TezTask. Vertex failed, java.net.ConnectException: Connection refused',
        ),
      ],
      ['08S01', ''],
    ]);
  });

  it('are transient for other lost connections, timeouts, shutdowns, lost races, lock waits and full disks', () => {
    expectFailure('transient', [
      ['08001', 'could not connect to server: Connection refused'],
      ['08006', 'connection failure'],
      ['HYT00', 'Timeout expired'],
      ['57P01', 'FATAL: terminating connection due to administrator command;\nThe connection has been lost'],
      ['40001', 'could not serialize access due to concurrent update'],
      ['40P01', 'deadlock detected'],
      ['55P03', 'ERROR: canceling statement due to lock timeout'],
      ['53100', 'ERROR: could not extend file: No space left on device'],
      [
        '08S01',
        fromHiveServer(
          10,
          'Error while processing statement: FAILED: Error in acquiring locks: Locks on the underlying objects cannot be acquired. retry after some time',
        ),
      ],
    ]);
  });

  it('are refused data for PostgreSQL data exceptions and integrity violations, and Hive constraint violations', () => {
    expectFailure('refused-data', [
      ['22001', 'ERROR: value too long for type character varying(36);\nError while executing the query'],
      [
        '23514',
        'ERROR: new row for relation "bids" violates check constraint "bids_name_check"\nDETAIL: Failing row contains (…).',
      ],
      [
        '08S01',
        fromHiveServer(
          2,
          'Error while processing statement: FAILED: Execution Error, return code 2 from org.apache.hadoop.hive.ql.exec.tez.TezTask. java.lang.RuntimeException: org.apache.hadoop.hive.ql.exec.errors.DataConstraintViolationError: Either CHECK or NOT NULL constraint violated!',
        ),
      ],
    ]);
  });

  it('name a missing table, whatever state the driver gives it', () => {
    expectFailure('missing-table', [
      ['42P01', 'ERROR: relation "bids" does not exist;\nError while preparing parameters'],
      [
        '42S02',
        fromHiveServer(
          10001,
          "Error while compiling statement: FAILED: SemanticException [Error 10001]: Line 3:17 Table not found 'date_dim'",
        ),
      ],
      [
        '08S01',
        fromHiveServer(
          10001,
          "Error while compiling statement: FAILED: SemanticException [Error 10001]: Line 1:14 Table not found 'bids'",
        ),
      ],
    ]);
  });

  it('name a permission or login the data source refuses', () => {
    expectFailure('access-denied', [
      ['42501', 'ERROR: permission denied for table bids'],
      ['28P01', 'FATAL: password authentication failed for user "etl"'],
      [
        'HY000',
        "[Microsoft][HiveODBC] (35) Error from Hive: error code: '40000' error message: 'Error while compiling statement: FAILED: HiveAccessControlException Permission denied: user [hiveuser2] does not have [SELECT] privilege on [default/hivesampletable/clientid,country ...]'.",
      ],
      [
        '08S01',
        'Could not open client transport with JDBC Uri: jdbc:hive2://emr-header-1:10000/: Peer indicated failure: Error validating the login',
      ],
    ]);
  });

  it('are otherwise neither: a syntax error fails the same way again', () => {
    expectFailure('other', [
      ['42601', 'ERROR: syntax error at or near "VALUES"'],
      ['HY000', 'General error'],
    ]);
    assert.equal(odbcFailureOf(new Error('plain')), 'other');
  });
});
