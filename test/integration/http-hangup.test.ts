/**
 * A client that hangs up mid-upload (issue 13): an info-level event, not an error with a
 * stack; the partial upload is removed and nothing is charged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { makeHarness, TASKS } from './http-harness.js';

test('a client hanging up mid-upload is logged at info, leaves nothing and costs nothing', async () => {
  const lines: { level: number; msg: string; err?: unknown }[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l)); done(); } });
  const h = await makeHarness({}, { logger: pino({ level: 'info' }, sink) });
  try {
    const key = await h.key(10);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as net.AddressInfo).port;
    const boundary = 'xxBOUNDARYxx';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="image_file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write(`POST ${TASKS} HTTP/1.1\r\nHost: x\r\nX-API-KEY: ${key}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n${head}`);
        s.write(Buffer.alloc(200_000, 7), () => setTimeout(() => { s.destroy(); resolve(); }, 300));
      });
    });
    // Give the server a moment to see the hang-up.
    for (let i = 0; i < 200 && !lines.some((l) => /closed the connection/.test(l.msg)); i++) await new Promise((r) => setTimeout(r, 50));
    const hangup = lines.find((l) => /closed the connection/.test(l.msg));
    assert.ok(hangup, JSON.stringify(lines));
    assert.equal(hangup.level, 30, 'info level');
    assert.deepEqual(lines.filter((l) => l.level >= 50), [], 'no error lines');
    assert.deepEqual(await h.blobs.list('inputs/'), []);
    assert.equal((await h.record(key)).credits, 10);
  } finally {
    await h.close();
  }
});
