/**
 * The OpenAPI document (/openapi.json) and the reference page (/docs): the document is valid
 * OpenAPI 3.1 (an independent validator), and it agrees with the server's validation: each
 * probe value is judged by the document's schema (Ajv, JSON Schema 2020-12) and sent to the
 * server, and both must say the same. The server's answers match the document's shapes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { makeHarness, multipart, TASKS, TINY_PNG } from './http-harness.js';

type H = Awaited<ReturnType<typeof makeHarness>>;
type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, object> } };

const TEN = 'English,French,German,Spanish,Italian,Dutch,Polish,Czech,Danish,Digits';
/** Field → probe values: the document and the server must agree on each. */
const PROBES: Record<string, unknown[]> = {
  image_url: ['https://example.com/a.png', 'http://example.com:80/a.pdf', 'HTTPS://EXAMPLE.COM:443/%41.png?x=1#y', 'http://example.com:8080/a.png',
    'ftp://example.com/a.png', 'http://host/%zz.png', 'http://host/a%2', 'https://example.com/a b.png', 'not a url', 'http:///a.png'],
  language: ['English', 'ChinesePRC,English,Digits', ' English , French ', TEN, `${TEN},Swedish`, Array(11).fill('English').join(','),
    'english', 'Klingon', 'English,,French', 'English,'],
  password: ['p'.repeat(32), 'p'.repeat(33), '密'.repeat(32), '密'.repeat(33)],
  format: ['txt', 'pdf', 'docx', 'xlsx', 'pptx', 'json', 'hocr', 'doc', 'TXT', 'x'.repeat(5000)],
  sync: ['0', '1', 'true', 'false', '2', 'yes'],
  callback_url: ['http://example.com:8443/hook', 'https://example.com/h?a=%20', 'ftp://example.com/h', 'nope', 'http://example.com/%g0'],
  pages: ['1-3,5', '2', ' 1 - 2 , 4 ', 'x', '1-', '-1'],
};
const JSON_ONLY_PROBES: Record<string, unknown[]> = { sync: [0, 1, true, false, 2, 'maybe'], language: [['English', 'French']], password: [1234] };

describe('OpenAPI document', () => {
  let h: H; let key: string; let doc: Doc; let ajv: Ajv2020;
  before(async () => {
    h = await makeHarness(); key = await h.key(100_000);
    doc = (await h.app.inject('/openapi.json')).json();
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc as object, 'doc');
  });
  after(async () => { await h.close(); });

  const validator = (name: string) => ajv.getSchema(`doc#/components/schemas/${name}`)!;

  it('is valid OpenAPI 3.1 (swagger-parser)', async () => {
    assert.equal(doc.openapi, '3.1.0');
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it('lists image_file for multipart only, every sync value, and 429 on every keyed operation', () => {
    const body = doc.paths[TASKS].post.requestBody.content;
    const props = (ct: string) => doc.components.schemas[body[ct].schema.$ref.split('/').pop()] as { properties: Record<string, any> };
    assert.ok(props('multipart/form-data').properties.image_file);
    assert.equal(props('application/x-www-form-urlencoded').properties.image_file, undefined);
    assert.equal(props('application/json').properties.image_file, undefined);
    assert.deepEqual(props('multipart/form-data').properties.sync.enum, ['0', '1', 'true', 'false']);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.security?.length === 0 || !path.startsWith(TASKS)) continue;
        assert.ok(op.responses['429'], `${method.toUpperCase()} ${path} lists 429`);
        assert.ok(op.tags?.length === 1, `${method.toUpperCase()} ${path} is marked compatible or extra`);
      }
    }
    assert.deepEqual(doc.paths[`${TASKS}/{task_id}`].delete.tags, ['docr extras']);
    assert.deepEqual(doc.paths[`${TASKS}/{task_id}`].get.tags, ['PicWish-compatible']);
  });

  async function serverAccepts(kind: 'multipart' | 'urlencoded' | 'json', fields: Record<string, unknown>): Promise<boolean> {
    const headers = { 'x-api-key': key };
    let res;
    if (kind === 'json') res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(fields) });
    else if (kind === 'urlencoded') res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields as Record<string, string>).toString() });
    else {
      const b = multipart({ ...(fields as Record<string, string>), ...(fields.image_url === undefined ? { image_file: { filename: 'a.png', content: TINY_PNG } } : {}) });
      res = await h.app.inject({ method: 'POST', url: TASKS, headers: { ...headers, ...b.headers }, payload: b.payload });
    }
    assert.ok(res.statusCode === 200 || res.statusCode === 400, res.body);
    return res.statusCode === 200;
  }

  for (const [kind, schema] of [['multipart', 'CreateMultipartBody'], ['urlencoded', 'CreateUrlencodedBody'], ['json', 'CreateJsonBody']] as const) {
    it(`agrees with the server's validation of ${kind} bodies, probe by probe`, async () => {
      const probes = kind === 'json' ? mergeProbes(PROBES, JSON_ONLY_PROBES) : PROBES;
      const disagreements: string[] = [];
      let accepted = 0, rejected = 0;
      for (const [field, values] of Object.entries(probes)) {
        for (const value of values) {
          // image_url probes stand alone; the others ride on a valid source.
          const fields = field === 'image_url' ? { image_url: value } : { ...(kind === 'multipart' ? {} : { image_url: 'https://example.com/a.png' }), [field]: value };
          const documented = validator(schema)(fields) as boolean;
          const server = await serverAccepts(kind, fields);
          if (documented !== server) disagreements.push(`${field}=${JSON.stringify(value).slice(0, 60)}: document ${documented ? 'accepts' : 'rejects'}, server ${server ? 'accepts' : 'rejects'}`);
          if (server) accepted++; else rejected++;
        }
      }
      assert.deepEqual(disagreements, []);
      assert.ok(accepted > 10 && rejected > 10, `both kinds of probe ran (${accepted} accepted, ${rejected} rejected)`);
    });
  }

  it('describes what the server answers: created, query, error and sync bodies', async () => {
    const created = await h.app.inject({ method: 'POST', url: TASKS, headers: { 'x-api-key': key }, payload: { image_url: 'https://example.com/a.png' } });
    assert.ok(validator('CreatedBody')(created.json()), JSON.stringify(validator('CreatedBody').errors));
    const query = await h.app.inject({ method: 'GET', url: `${TASKS}/${created.json().data.task_id}`, headers: { 'x-api-key': key } });
    assert.ok(validator('QueryBody')(query.json()), JSON.stringify(validator('QueryBody').errors));
    const bad = await h.app.inject({ method: 'GET', url: `${TASKS}/nope`, headers: { 'x-api-key': key } });
    assert.ok(validator('ErrorBody')(bad.json()));
    const okStatus = doc.paths[TASKS].post.responses['200'].content['application/json'].schema;
    assert.ok(ajv.compile({ $ref: 'doc#/components/schemas/QueryBody' })(query.json()) && okStatus.anyOf.length === 2);
  });
});

describe('reference page', () => {
  let h: H;
  before(async () => { h = await makeHarness(); });
  after(async () => { await h.close(); });

  it('serves the rendered reference at /docs from local files, pointing at /openapi.json', async () => {
    let res = await h.app.inject('/docs');
    if (res.statusCode === 301 || res.statusCode === 302) res = await h.app.inject(String(res.headers.location));
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /openapi\.json/);
    const scripts = [...res.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0);
    for (const src of scripts) {
      assert.doesNotMatch(src, /^(https?:)?\/\//, `script ${src} is served by docr, not a CDN`);
      const js = await h.app.inject(new URL(src, 'http://docr/docs/').pathname);
      assert.equal(js.statusCode, 200, src);
    }
    assert.doesNotMatch(res.body, /fonts\.scalar\.com|cdn\.jsdelivr/);
  });
});

function mergeProbes(a: Record<string, unknown[]>, b: Record<string, unknown[]>): Record<string, unknown[]> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = [...(out[k] ?? []), ...v];
  return out;
}
