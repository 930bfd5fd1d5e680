/** loadConfig: defaults, flags over env, every error at once, frozen result. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({}, []);
    assert.equal(c.port, 8080);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, './data');
    assert.equal(c.resultTtl, 3600);
    assert.equal(c.processingTimeout, 180);
    assert.equal(c.syncWaitSeconds, 180);
    assert.equal(c.maxUploadBytes, 200 * 1024 * 1024);
    assert.equal(c.urlMaxBytes, 30 * 1024 * 1024);
    assert.equal(c.allowPrivateUrls, false);
    assert.equal(c.defaultQps, 2);
    assert.ok(c.workers >= 1);
    assert.ok(Object.isFrozen(c));
  });

  it('reads DOCR_* variables, and flags win over them', () => {
    const c = loadConfig({ DOCR_PORT: '9000', DOCR_RESULT_TTL: '60', DOCR_ALLOW_PRIVATE_URLS: 'true', DOCR_SYNC_WAIT: '5' },
      ['--port', '9100', '--data-dir=/tmp/x', '--public-url', 'https://ocr.example.com']);
    assert.equal(c.port, 9100);
    assert.equal(c.resultTtl, 60);
    assert.equal(c.allowPrivateUrls, true);
    assert.equal(c.dataDir, '/tmp/x');
    assert.equal(c.publicUrl, 'https://ocr.example.com');
    assert.equal(c.syncWaitSeconds, 5);
    assert.equal(loadConfig({}, ['--allow-private-urls']).allowPrivateUrls, true);
  });

  it('reports every problem at once, per field and across fields', () => {
    try {
      loadConfig({ DOCR_PORT: 'abc', DOCR_WORKERS: '0' }, ['--nope', '--query-qps', '1', '--default-qps', '5', '--refund-policy', 'sometimes']);
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const text = e.issues.join('\n');
      assert.match(text, /unknown option --nope/);
      assert.match(text, /port \(--port, DOCR_PORT\)/);
      assert.match(text, /workers/);
      assert.match(text, /refundPolicy/);
      assert.match(text, /queryQps: must be at least defaultQps/);
      assert.equal(e.issues.length, 5);
    }
  });
});
