import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeLabel } from '../../web/requestMetrics';

describe('routeLabel', () => {
  it('is the route pattern under its mount point, never the URL with the item in it', () => {
    assert.equal(
      routeLabel({
        baseUrl: '/api',
        originalUrl: '/api/items/Oak%20dresser/highest',
        route: { path: '/items/:item/highest' },
      }),
      '/api/items/:item/highest',
    );
    assert.equal(routeLabel({ baseUrl: '', originalUrl: '/?item=Oak', route: { path: '/' } }), '/');
  });

  it('puts every static asset under one label and every unmatched URL under another', () => {
    assert.equal(routeLabel({ baseUrl: '/assets/bootstrap', originalUrl: '/assets/bootstrap/css/x.css' }), '/assets/*');
    assert.equal(routeLabel({ baseUrl: '', originalUrl: '/wp-admin/setup.php' }), '(unmatched)');
  });
});
