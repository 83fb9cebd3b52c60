import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { webReadAccountOf } from '../../lib/mysql/webReadAccount';

const MIGRATE = 'mysql://admin:a@db:3306/auction';

function problemWith(webUrl: string): string {
  try {
    webReadAccountOf({ MYSQL_URL: MIGRATE, WEB_MYSQL_URL: webUrl });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.variable, 'WEB_MYSQL_URL');
    return error.message;
  }
  assert.fail(`no error for ${webUrl}`);
}

describe("the web app's read-only account, as WEB_MYSQL_URL names it", () => {
  it('is none when WEB_MYSQL_URL is unset or empty: the web app then reads with MYSQL_URL', () => {
    assert.equal(webReadAccountOf({ MYSQL_URL: MIGRATE }), undefined);
    assert.equal(webReadAccountOf({ MYSQL_URL: MIGRATE, WEB_MYSQL_URL: ' ' }), undefined);
  });

  it("is the URL's user and password (percent-decoded) on MYSQL_URL's database, whatever host the web app reaches it by", () => {
    assert.deepEqual(
      webReadAccountOf({ MYSQL_URL: MIGRATE, WEB_MYSQL_URL: 'mysql://auction_web:p%40ss%3Aw0rd@replica:3307/auction' }),
      {
        user: 'auction_web',
        password: 'p@ss:w0rd',
        database: 'auction',
      },
    );
  });

  it('refuses the user MYSQL_URL migrates with: migrate would take its rights away', () => {
    assert.match(
      problemWith('mysql://admin:a@db:3306/auction'),
      /^WEB_MYSQL_URL names the user MYSQL_URL migrates with/,
    );
  });

  it('refuses another database than the one MYSQL_URL migrates', () => {
    assert.match(
      problemWith('mysql://web:w@db:3306/other'),
      /names the database "other", but MYSQL_URL migrates "auction"/,
    );
  });

  it('refuses an account without a password or without a plain name', () => {
    assert.match(problemWith('mysql://web@db:3306/auction'), /needs a password/);
    assert.match(problemWith("mysql://we'b:w@db:3306/auction"), /user made of letters, digits and underscores/);
    assert.match(problemWith(`mysql://${'w'.repeat(33)}:w@db:3306/auction`), /at most 32 characters/);
    assert.match(problemWith('mysql://:w@db:3306/auction'), /user made of letters/);
  });

  it('never repeats the password in a refusal', () => {
    assert.doesNotMatch(problemWith('mysql://web:s3cret-value@db:3306/other'), /s3cret-value/);
  });
});
