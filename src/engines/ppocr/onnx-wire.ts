/**
 * The few pieces of the protobuf wire format needed to rewrite an ONNX model's graph in memory
 * (see graph-folding.ts): walk a message's fields, and encode fields back. Fields that are not
 * rewritten are copied as their original bytes, so nothing else about the model changes.
 */

export const VARINT = 0, I64 = 1, LEN = 2, I32 = 5;

export interface WireField {
  no: number;
  wire: number;
  /** The value: a LEN field's payload, or a scalar field's raw bytes (varint, 4 or 8 bytes). */
  value: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0, scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * scale;
    if (b < 0x80) return [result, pos];
    scale *= 128;
  }
}

/** Varint as a number (exact up to 2^53; ONNX dims and attribute ints here are small). */
export function varintValue(bytes: Uint8Array): number {
  return readVarint(bytes, 0)[0];
}

export function* fieldsOf(buf: Uint8Array): Generator<WireField> {
  let pos = 0;
  while (pos < buf.length) {
    const [key, p] = readVarint(buf, pos);
    const no = Math.floor(key / 8), wire = key & 7;
    let end: number, start = p;
    if (wire === VARINT) end = readVarint(buf, p)[1];
    else if (wire === I64) end = p + 8;
    else if (wire === I32) end = p + 4;
    else if (wire === LEN) { const [len, q] = readVarint(buf, p); start = q; end = q + len; }
    else throw new Error(`unsupported wire type ${wire}`);
    if (end > buf.length) throw new Error('truncated field');
    yield { no, wire, value: buf.subarray(start, end) };
    pos = end;
  }
}

/** The packed-or-repeated varints of field `no` (e.g. TensorProto.dims, AttributeProto.ints). */
export function varintsOf(fields: readonly WireField[], no: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.no !== no) continue;
    if (f.wire === VARINT) out.push(varintValue(f.value));
    else for (let p = 0; p < f.value.length;) { const [v, q] = readVarint(f.value, p); out.push(v); p = q; }
  }
  return out;
}

function encodeVarint(n: number): Uint8Array {
  const out: number[] = [];
  do {
    const b = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? b | 0x80 : b);
  } while (n > 0);
  return Uint8Array.from(out);
}

/** One encoded field; `value` is a LEN payload or a scalar's raw bytes, as in WireField. */
export function encodeField(no: number, wire: number, value: Uint8Array): Uint8Array {
  const key = encodeVarint(no * 8 + wire);
  const len = wire === LEN ? encodeVarint(value.length) : new Uint8Array(0);
  const out = new Uint8Array(key.length + len.length + value.length);
  out.set(key, 0); out.set(len, key.length); out.set(value, key.length + len.length);
  return out;
}

export const lenField = (no: number, value: Uint8Array | string) =>
  encodeField(no, LEN, typeof value === 'string' ? new TextEncoder().encode(value) : value);
export const varintField = (no: number, n: number) => encodeField(no, VARINT, encodeVarint(n));
export function floatField(no: number, x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, x, true);
  return encodeField(no, I32, b);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
