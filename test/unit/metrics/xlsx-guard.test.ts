/**
 * The zip guard in front of exceljs: a real workbook passes; a zip bomb (100 MB of zeros deflated to
 * about 100 KB), a central directory that lies about its sizes, too many entries, ZIP64 and garbage
 * are refused before exceljs is ever loaded.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inspectXlsx, inspectXlsxDirectory, XLSX_MAX_ENTRIES } from '#shared/domain/metrics/xlsx-guard.ts';
import { readXlsxUpload, xlsxToCsv } from '#shared/services/metrics-workbook.ts';

interface ZipPart {
  name: string;
  data: Uint8Array;
  /** what the central directory says; the real size of data inflated when absent */
  declaredSize?: number;
  method?: 0 | 8;
  rawSize: number;
}

const part = (name: string, content: Uint8Array, method: 0 | 8 = 8): ZipPart => ({
  name,
  data: method === 8 ? new Uint8Array(deflateRawSync(content)) : content,
  method,
  rawSize: content.byteLength,
});

/** A minimal zip assembled by hand: local headers and data, the central directory, the End Of Central Directory record. */
function zip(parts: ZipPart[], eocdPatch?: (view: DataView) => void): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.rawSize;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(p.method ?? 8, 8);
    local.writeUInt32LE(p.data.byteLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(p.method ?? 8, 10);
    central.writeUInt32LE(p.data.byteLength, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(p.data));
    centrals.push(central, name);
    offset += 30 + name.length + p.data.byteLength;
  }
  const directory = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocdPatch?.(new DataView(eocd.buffer, eocd.byteOffset, eocd.byteLength));
  return new Uint8Array(Buffer.concat([...locals, directory, eocd]));
}

async function realWorkbook(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('服务数据');
  sheet.addRow(['团队编号', '团队名称', '高血压患者应随访人次']);
  for (let i = 1; i <= 300; i++) sheet.addRow([`t${i}`, `团队 ${i}`, i]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const ZEROS = new Uint8Array(100 * 1024 * 1024);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the XLSX zip guard', () => {
  it('passes a real workbook written by exceljs, and the upload reads it', async () => {
    const bytes = await realWorkbook();
    const verdict = inspectXlsx(bytes);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) {
      expect(verdict.entries.map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
      expect(verdict.uncompressedBytes).toBeGreaterThan(bytes.byteLength);
    }
    const load = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get'); // the same spy sees exceljs load a file that passes
    const read = await readXlsxUpload(bytes);
    expect(read.ok && read.csv.split('\n')[1]).toBe('t1,团队 1,1');
    expect(load).toHaveBeenCalled();
  });

  it('refuses a zip bomb (100 MB of zeros in about 100 KB) as too large, without exceljs ever loading', async () => {
    const bomb = zip([part('[Content_Types].xml', new TextEncoder().encode('<Types/>')), part('xl/worksheets/sheet1.xml', ZEROS)]);
    expect(bomb.byteLength).toBeLessThan(200 * 1024);
    expect(inspectXlsxDirectory(bomb)).toMatchObject({ ok: false, reason: 'too-large', entry: 'xl/worksheets/sheet1.xml' });
    const load = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
    await expect(readXlsxUpload(bomb)).resolves.toEqual({ ok: false, code: 'upload-xlsx-too-large' });
    expect(load).not.toHaveBeenCalled();
  });

  it('refuses an entry whose ratio is over 200 even under the total cap', () => {
    const bytes = zip([part('xl/worksheets/sheet1.xml', ZEROS.subarray(0, 10 * 1024 * 1024))]);
    expect(inspectXlsxDirectory(bytes)).toMatchObject({ ok: false, reason: 'ratio' });
  });

  it('refuses a bomb whose central directory lies about its size: inflating stops at the declared size', async () => {
    const liar = zip([{ ...part('xl/worksheets/sheet1.xml', ZEROS), declaredSize: 1000 }]);
    expect(inspectXlsxDirectory(liar).ok).toBe(true); // the directory alone believes it
    expect(inspectXlsx(liar)).toMatchObject({ ok: false, reason: 'size-mismatch' });
    const load = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
    await expect(readXlsxUpload(liar)).resolves.toEqual({ ok: false, code: 'upload-file-type' });
    expect(load).not.toHaveBeenCalled();
  });

  it('refuses more than 1,000 entries', () => {
    const many = Array.from({ length: XLSX_MAX_ENTRIES + 1 }, (_, i) => part(`xl/media/${i}.txt`, new Uint8Array([i % 256]), 0));
    expect(inspectXlsxDirectory(zip(many))).toMatchObject({ ok: false, reason: 'too-many-entries' });
  });

  it('refuses ZIP64 markers in the record or in an entry', () => {
    const one = [part('a.xml', new TextEncoder().encode('<a/>'))];
    expect(inspectXlsxDirectory(zip(one, (v) => v.setUint32(12, 0xffffffff, true)))).toMatchObject({ ok: false, reason: 'zip64' });
    expect(inspectXlsxDirectory(zip(one, (v) => v.setUint16(10, 0xffff, true)))).toMatchObject({ ok: false, reason: 'zip64' });
    expect(inspectXlsxDirectory(zip([{ ...one[0]!, declaredSize: 0xffffffff }]))).toMatchObject({ ok: false, reason: 'zip64' });
  });

  it('refuses malformed bytes: garbage, a truncated workbook, a directory not where the record says', async () => {
    const real = await realWorkbook();
    expect(inspectXlsx(new TextEncoder().encode('teamId,a\nt1,1\n'))).toEqual({ ok: false, reason: 'malformed' });
    expect(inspectXlsx(new Uint8Array(0))).toEqual({ ok: false, reason: 'malformed' });
    expect(inspectXlsx(real.subarray(0, real.byteLength - 30))).toEqual({ ok: false, reason: 'malformed' });
    expect(inspectXlsx(real.subarray(0, real.byteLength / 2))).toEqual({ ok: false, reason: 'malformed' });
    const shifted = zip([part('a.xml', new TextEncoder().encode('<a/>'))], (v) => v.setUint32(16, 1, true));
    expect(inspectXlsx(shifted)).toMatchObject({ ok: false, reason: 'malformed' });
    const corrupt = zip([{ ...part('a.xml', new TextEncoder().encode('<a/>')), data: new Uint8Array([0xff, 0xff, 0xff]) }]);
    expect(inspectXlsx(corrupt)).toMatchObject({ ok: false, reason: 'malformed' });
    await expect(xlsxToCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).resolves.toBeNull();
  });
});
