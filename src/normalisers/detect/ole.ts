/**
 * Minimal OLE compound-file (CFB, MS-CFB) reader: lists the names of the directory entries,
 * which is what tells a Word, Excel or PowerPoint binary file from an encrypted OOXML
 * package (an OLE file holding `EncryptionInfo` + `EncryptedPackage`).
 */
export const OLE_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTORS_WALKED = 1 << 20;

export function isOle(buf: Buffer): boolean {
  return buf.length >= 512 && buf.subarray(0, 8).equals(OLE_SIGNATURE);
}

/** Directory entry names, or undefined when the structure is broken (truncated, cyclic). */
export function oleEntryNames(buf: Buffer): string[] | undefined {
  if (!isOle(buf)) return undefined;
  const shift = buf.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return undefined;
  const size = 1 << shift;
  const sectorAt = (n: number): Buffer | undefined => {
    const off = (n + 1) * size;
    return off + size <= buf.length ? buf.subarray(off, off + size) : undefined;
  };
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = buf.readUInt32LE(0x4c + i * 4);
    if (s < END_OF_CHAIN - 4) fatSectors.push(s);
  }
  let difat = buf.readUInt32LE(0x44);
  for (let hops = 0; difat < END_OF_CHAIN - 4 && hops < 1 << 16; hops++) {
    const sec = sectorAt(difat);
    if (!sec) return undefined;
    for (let i = 0; i < size / 4 - 1; i++) {
      const s = sec.readUInt32LE(i * 4);
      if (s < END_OF_CHAIN - 4) fatSectors.push(s);
    }
    difat = sec.readUInt32LE(size - 4);
  }
  const fatNext = (n: number): number | undefined => {
    const perSector = size / 4;
    const sec = sectorAt(fatSectors[Math.floor(n / perSector)] ?? -2);
    return sec?.readUInt32LE((n % perSector) * 4);
  };
  const names: string[] = [];
  let dir = buf.readUInt32LE(0x30);
  for (let walked = 0; dir !== END_OF_CHAIN; walked++) {
    if (walked > MAX_SECTORS_WALKED) return undefined;
    const sec = sectorAt(dir);
    if (!sec) return undefined;
    for (let e = 0; e + 128 <= size; e += 128) {
      const type = sec[e + 0x42];
      const len = sec.readUInt16LE(e + 0x40);
      if (type === 0 || len < 2 || len > 64) continue;
      names.push(sec.toString('utf16le', e, e + len - 2));
    }
    const next = fatNext(dir);
    if (next === undefined) return undefined;
    dir = next;
  }
  return names;
}
