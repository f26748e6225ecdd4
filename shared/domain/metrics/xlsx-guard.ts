/**
 * An uploaded XLSX is a zip, and exceljs (through JSZip) inflates every entry into memory before it
 * reads a cell: a few MB of zip can claim gigabytes. Before the bytes reach exceljs this guard reads
 * the zip's own directory, the way JSZip will: the last End Of Central Directory record, then each
 * central directory file header (sizes, method, name length, where its local header is). It refuses
 * ZIP64 (any 0xFFFF / 0xFFFFFFFF marker), split archives, a directory that is not exactly where the
 * record says, more than MAX entries, a total uncompressed size over the cap, or an entry whose
 * uncompressed/compressed ratio is over the cap.
 *
 * The declared sizes are the archive's word only, and JSZip checks them after it has inflated an
 * entry, not while. So each entry is then inflated once with node:zlib, its output capped at the
 * size it declared: an entry that inflates past what it claims is refused having used no more
 * memory than the (already capped) declared size.
 */
import { inflateRawSync } from 'node:zlib';

export const XLSX_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
export const XLSX_MAX_RATIO = 200;
export const XLSX_MAX_ENTRIES = 1_000;
/** Entries smaller than this are not held to the ratio: they cannot matter for memory, and tiny repetitive parts compress well. */
export const XLSX_RATIO_FLOOR_BYTES = 64 * 1024;

export interface XlsxLimits {
  maxUncompressedBytes: number;
  maxRatio: number;
  maxEntries: number;
  ratioFloorBytes: number;
}

export const XLSX_LIMITS: XlsxLimits = {
  maxUncompressedBytes: XLSX_MAX_UNCOMPRESSED_BYTES,
  maxRatio: XLSX_MAX_RATIO,
  maxEntries: XLSX_MAX_ENTRIES,
  ratioFloorBytes: XLSX_RATIO_FLOOR_BYTES,
};

export type XlsxRefusal = 'malformed' | 'zip64' | 'too-many-entries' | 'too-large' | 'ratio' | 'size-mismatch';

export interface XlsxEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type XlsxVerdict = { ok: true; entries: XlsxEntry[]; uncompressedBytes: number } | { ok: false; reason: XlsxRefusal; entry?: string };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_LENGTH = 22;
const CENTRAL_LENGTH = 46;
const LOCAL_LENGTH = 30;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;

/** The last End Of Central Directory signature in the bytes, as JSZip finds it (it searches the whole buffer backwards). */
function lastEocd(view: DataView): number {
  for (let i = view.byteLength - EOCD_LENGTH; i >= 0; i--) if (view.getUint32(i, true) === EOCD_SIGNATURE) return i;
  return -1;
}

/** The central directory only: what the zip says about itself, without inflating anything. */
export function inspectXlsxDirectory(bytes: Uint8Array, limits: XlsxLimits = XLSX_LIMITS): XlsxVerdict {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = lastEocd(view);
  if (eocd < 0) return { ok: false, reason: 'malformed' };
  const disk = view.getUint16(eocd + 4, true);
  const directoryDisk = view.getUint16(eocd + 6, true);
  const entriesHere = view.getUint16(eocd + 8, true);
  const entries = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  const commentLength = view.getUint16(eocd + 20, true);
  if ([disk, directoryDisk, entriesHere, entries].includes(MAX16) || directorySize === MAX32 || directoryOffset === MAX32)
    return { ok: false, reason: 'zip64' };
  if (disk !== 0 || directoryDisk !== 0 || entriesHere !== entries) return { ok: false, reason: 'malformed' };
  if (eocd + EOCD_LENGTH + commentLength > bytes.byteLength) return { ok: false, reason: 'malformed' };
  // exactly where the record says: no prepended bytes for JSZip to re-base its offsets on
  if (directoryOffset + directorySize !== eocd) return { ok: false, reason: 'malformed' };
  if (entries > limits.maxEntries) return { ok: false, reason: 'too-many-entries' };

  const found: XlsxEntry[] = [];
  let total = 0;
  let at = directoryOffset;
  for (let n = 0; n < entries; n++) {
    if (at + CENTRAL_LENGTH > eocd || view.getUint32(at, true) !== CENTRAL_SIGNATURE) return { ok: false, reason: 'malformed' };
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const entryDisk = view.getUint16(at + 34, true);
    const localHeaderOffset = view.getUint32(at + 42, true);
    const end = at + CENTRAL_LENGTH + nameLength + extraLength + commentLen;
    if (end > eocd) return { ok: false, reason: 'malformed' };
    const name = new TextDecoder('utf-8').decode(bytes.subarray(at + CENTRAL_LENGTH, at + CENTRAL_LENGTH + nameLength));
    if (compressedSize === MAX32 || uncompressedSize === MAX32 || localHeaderOffset === MAX32 || entryDisk === MAX16) {
      return { ok: false, reason: 'zip64', entry: name };
    }
    if (entryDisk !== 0 || (method !== STORED && method !== DEFLATED)) return { ok: false, reason: 'malformed', entry: name };
    if (method === STORED && compressedSize !== uncompressedSize) return { ok: false, reason: 'malformed', entry: name };
    if (localHeaderOffset + LOCAL_LENGTH > directoryOffset) return { ok: false, reason: 'malformed', entry: name };
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes) return { ok: false, reason: 'too-large', entry: name };
    if (uncompressedSize >= limits.ratioFloorBytes && uncompressedSize > compressedSize * limits.maxRatio) return { ok: false, reason: 'ratio', entry: name };
    found.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    at = end;
  }
  // nothing between the last header and the record: JSZip would read on while it sees a header signature
  if (at !== eocd) return { ok: false, reason: 'malformed' };
  return { ok: true, entries: found, uncompressedBytes: total };
}

/**
 * The whole guard: the directory first (inspectXlsxDirectory), then each entry's data located through
 * its local header and inflated with its output capped at its declared size, which must be exact.
 */
export function inspectXlsx(bytes: Uint8Array, limits: XlsxLimits = XLSX_LIMITS): XlsxVerdict {
  const directory = inspectXlsxDirectory(bytes, limits);
  if (!directory.ok) return directory;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of directory.entries) {
    const at = entry.localHeaderOffset;
    if (view.getUint32(at, true) !== LOCAL_SIGNATURE) return { ok: false, reason: 'malformed', entry: entry.name };
    const start = at + LOCAL_LENGTH + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (start + entry.compressedSize > bytes.byteLength) return { ok: false, reason: 'malformed', entry: entry.name };
    if (entry.method !== DEFLATED) continue; // stored: its size is its compressed size, checked above
    let inflated: number;
    try {
      inflated = inflateRawSync(bytes.subarray(start, start + entry.compressedSize), { maxOutputLength: Math.max(entry.uncompressedSize, 1) }).byteLength;
    } catch (error) {
      if (error instanceof RangeError) return { ok: false, reason: 'size-mismatch', entry: entry.name };
      return { ok: false, reason: 'malformed', entry: entry.name };
    }
    if (inflated !== entry.uncompressedSize) return { ok: false, reason: 'size-mismatch', entry: entry.name };
  }
  return directory;
}
