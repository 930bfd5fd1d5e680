/**
 * Every answer in the envelope (issue 13): errors raised by Node's HTTP parser and by
 * Fastify's router, before any route runs, answer `{status, message, data}` and show in
 * /metrics. Driven over a real socket: `inject()` skips the parser.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { makeHarness, TASKS } from './http-harness.js';

type H = Awaited<ReturnType<typeof makeHarness>>;

/** Sends raw bytes, returns status and parsed body of the answer (or what came). */
function raw(port: number, data: string | ((s: net.Socket) => void), waitMs = 5000): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => (typeof data === 'string' ? s.write(data) : data(s)));
    let out = '';
    const done = () => {
      clearTimeout(timer);
      const [head, body = ''] = out.split('\r\n\r\n');
      let json: unknown;
      try { json = JSON.parse(body); } catch { json = undefined; }
      resolve({ status: Number(head.split(' ')[1]), body: json, text: out });
    };
    const timer = setTimeout(() => { s.destroy(); done(); }, waitMs);
    s.on('data', (d) => { out += d; });
    s.on('close', done);
    s.on('error', () => undefined);
  });
}

describe('errors before routing', () => {
  let h: H; let port: number;
  before(async () => {
    h = await makeHarness({}, { headersTimeoutMs: 500 });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as net.AddressInfo).port;
  });
  after(async () => { await h.close(); });

  const cases: [string, string, number, RegExp][] = [
    ['a 100 KB header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, 431, /headers are larger than 16 KB/],
    ['a 100 KB URL', `GET /api/tasks/document/ocr/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, /shorten the URL/],
    ['a long task id', `GET ${TASKS}/${'a'.repeat(5000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414, /task_id is a UUID/],
    ['a malformed percent-encoding in the path', `GET ${TASKS}/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 400, /percent-encoding/],
    ['a garbage request line', 'GARBAGE\r\n\r\n', 400, /malformed HTTP request/],
    ['a non-numeric Content-Length', `POST ${TASKS} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`, 400, /malformed HTTP request/],
  ];
  for (const [name, request, status, message] of cases) {
    it(`answers ${name} with ${status} in the envelope`, async () => {
      const res = await raw(port, request);
      assert.equal(res.status, status, res.text.slice(0, 300));
      assert.deepEqual(Object.keys(res.body ?? {}).sort(), ['data', 'message', 'status'], res.text.slice(0, 300));
      assert.equal(res.body.status, status);
      assert.match(res.body.message, message);
      assert.ok(res.text.length < 1000, 'the answer does not echo the request');
    });
  }

  it('answers headers that arrive too slowly with 408 in the envelope', async () => {
    const res = await raw(port, (s) => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'), 8000);
    assert.equal(res.status, 408, res.text);
    assert.equal(res.body.status, 408);
    assert.match(res.body.message, /did not arrive in time/);
  });

  it('counts them in /metrics', async () => {
    const metrics = (await h.app.inject('/metrics')).body;
    for (const status of [400, 408, 414, 431]) {
      assert.match(metrics, new RegExp(`docr_http_requests_total\\{route="\\(unrouted\\)",status="${status}"\\} [1-9]`), `status ${status}:\n${metrics}`);
    }
  });
});
