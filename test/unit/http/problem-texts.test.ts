/**
 * Problem texts in the reader's language: every code thrown in shared/ and functions/ (DomainError,
 * conflict, ruleBroken, notFound, a problem's catalogue code) has a Chinese and an English text in
 * shared/domain/messages/, each code in one catalogue only with the same placeholders in both
 * languages; the mapper answers in zh by default and in en when Accept-Language prefers it, the
 * detail in either language the catalogue's text with its placeholders filled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiApp } from '#shared/http/api.ts';
import { acceptedLang } from '#shared/http/lang.ts';
import { problems } from '#shared/http/problem.ts';
import { fillPlaceholders } from '#shared/domain/messages/catalogue.ts';
import { CATALOGUES } from '#shared/domain/messages/index.ts';
import { conflict, DomainError } from '#shared/domain/errors.ts';
import * as z from '#shared/schemas/zod.ts';
import { createRoute } from '@hono/zod-openapi';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Codes as they are thrown: the literal code argument of each way to raise a problem. */
function thrownCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /new DomainError\(\s*'[a-z-]+',\s*'([a-z0-9-]+)'/g,
    /\b(?:conflict|ruleBroken|notFound)\(\s*'([a-z0-9-]+)'/g,
    /problems\.\w+\([^;]*?\{ code: '([a-z0-9-]+)'/g,
    /new Problem\([\s\S]{0,600}?\bcode: '([a-z0-9-]+)'/g,
  ];
  for (const file of [...sources('shared'), ...sources('functions')]) {
    if (file.startsWith(join('shared', 'domain', 'messages'))) continue;
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.set(match[1]!, file);
  }
  return found;
}

/** The catalogue's text of a code. */
const textOf = (code: string) => Object.values(CATALOGUES).find((catalogue) => catalogue[code])![code]!;
const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the problem catalogues', () => {
  it('find every code thrown today (the scan sees them)', () => {
    const codes = thrownCodes();
    for (const code of ['stale-revision', 'team-roles', 'bad-cursor', 'criteria-document-invalid', 'no-access-district', 'invalid-upload', 'too-many-rows']) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(60);
  });

  it('have a Chinese and an English text for every code thrown in shared/ and functions/', () => {
    const known = new Map(Object.values(CATALOGUES).flatMap((catalogue) => Object.entries(catalogue)));
    const missing = [...thrownCodes()].filter(([code]) => !known.get(code)?.zh || !known.get(code)?.en).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('hold each code once, with the same placeholders in both languages', () => {
    const seen = new Map<string, string>();
    for (const [area, catalogue] of Object.entries(CATALOGUES)) {
      for (const [code, text] of Object.entries(catalogue)) {
        expect(seen.get(code), `${code} in ${area} and ${seen.get(code)}`).toBeUndefined();
        seen.set(code, area);
        expect(placeholders(text.zh), code).toEqual(placeholders(text.en));
        expect(text.zh, code).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });
});

describe('the reader’s language', () => {
  it('is the first of zh and en by preference in Accept-Language, Chinese otherwise', () => {
    expect(acceptedLang(undefined)).toBe('zh');
    expect(acceptedLang('')).toBe('zh');
    expect(acceptedLang('en')).toBe('en');
    expect(acceptedLang('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(acceptedLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(acceptedLang('fr-FR, en;q=0.5')).toBe('en');
    expect(acceptedLang('zh;q=0.2, en;q=0.7')).toBe('en');
    expect(acceptedLang('en;q=0, zh-TW')).toBe('zh');
    expect(acceptedLang('fr, de')).toBe('zh');
  });
});

describe('the error mapper', () => {
  const app = createApiApp();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/things',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.strictObject({ name: z.string().min(3), count: z.number().int(), code: z.string().regex(/^\d+$/, 'Digits only') }),
            },
          },
        },
      },
      responses: { 200: { description: 'ok' } },
    }),
    () => {
      throw conflict('stale-revision', 'Version 3 was saved by someone else meanwhile', { currentRevision: 4 });
    },
  );
  app.get('/rule', () => {
    throw new DomainError('rule', 'period-type-mismatch', 'Version 2 is for quarter periods', { field: 'body.period' });
  });
  app.get('/gone', () => {
    throw problems.notFound('Team t-1');
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request('/things', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers in Chinese without Accept-Language: title by kind, detail from the catalogue with its placeholders filled', async () => {
    const body = (await (await post({ name: 'abc', count: 1, code: '1' })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 409, title: '冲突', code: 'stale-revision', currentRevision: 4 });
    expect(body.detail).toBe('该版本已被他人保存（当前修订号 4），请刷新后重新修改');
  });

  it('answers in English when Accept-Language prefers it, with the catalogue’s English text rather than the thrown message', async () => {
    const body = (await (await post({ name: 'abc', count: 1, code: '1' }, { 'accept-language': 'en-GB,en;q=0.9' })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ title: 'Conflict', detail: fillPlaceholders(textOf('stale-revision').en, { currentRevision: 4 }) });
    expect(body.detail).not.toBe('Version 3 was saved by someone else meanwhile');
  });

  it('keeps the thrown message for a code the catalogue does not have', async () => {
    const bare = createApiApp();
    bare.get('/odd', () => {
      throw conflict('not-a-catalogued-code', 'Something odd happened');
    });
    for (const lang of ['en', 'zh']) {
      expect(await (await bare.request('/odd', { headers: { 'accept-language': lang } })).json()).toMatchObject({ detail: 'Something odd happened' });
    }
  });

  it('gives zod’s messages in Chinese, keeps a schema’s own message and every field path', async () => {
    const zh = (await (await post({ name: 'a', count: 'x', code: 'y', extra: 1 })).json()) as {
      title: string;
      errors: { field: string; message: string }[];
      detail: string;
    };
    expect(zh.title).toBe('请求无效');
    const byField = Object.fromEntries(zh.errors.map((e) => [e.field, e.message]));
    expect(Object.keys(byField).sort()).toEqual(['body.code', 'body.count', 'body.extra', 'body.name']);
    expect(byField['body.name']).toMatch(/[\u4e00-\u9fff]/);
    expect(byField['body.count']).toContain('期望 数字');
    expect(byField['body.code']).toBe('Digits only');
    expect(byField['body.extra']).toBe('未知字段');
    expect(zh.detail).toContain('body.name: ');

    const en = (await (await post({ name: 'a', count: 'x', code: 'y', extra: 1 }, { 'accept-language': 'en' })).json()) as {
      errors: { field: string; message: string }[];
    };
    expect(Object.fromEntries(en.errors.map((e) => [e.field, e.message]))).toMatchObject({
      'body.count': 'Invalid input: expected number, received string',
      'body.extra': 'Unknown field',
    });
  });

  it('names the field of a domain error in the reader’s language too', async () => {
    const zh = (await (await app.request('/rule')).json()) as { detail: string; errors: { field: string; message: string }[] };
    expect(zh.detail).toBe('该版本不适用于此类周期');
    expect(zh.errors).toEqual([{ field: 'body.period', message: '该版本不适用于此类周期' }]);
    const en = (await (await app.request('/rule', { headers: { 'accept-language': 'en' } })).json()) as {
      detail: string;
      errors: { field: string; message: string }[];
    };
    const text = textOf('period-type-mismatch').en;
    expect(en.detail).toBe(text);
    expect(en.errors).toEqual([{ field: 'body.period', message: text }]);
  });

  it('localizes the HTTP layer’s own problems and unknown routes', async () => {
    expect(await (await app.request('/gone')).json()).toMatchObject({ title: '未找到', detail: '未找到：Team t-1' });
    expect(await (await app.request('/nowhere')).json()).toMatchObject({ status: 404, title: '未找到', detail: '没有此接口：GET /nowhere' });
    expect(await (await app.request('/nowhere', { headers: { 'accept-language': 'en' } })).json()).toMatchObject({
      title: 'Not found',
      detail: fillPlaceholders(textOf('route-not-found').en, { method: 'GET', path: '/nowhere' }),
    });
  });
});

describe('every catalogued code through the mapper', () => {
  const entries = Object.values(CATALOGUES).flatMap((catalogue) => Object.entries(catalogue));
  // a value for each placeholder, as a domain error's details carry them
  const detailsOf = (template: string) => Object.fromEntries(placeholders(template).map((name) => [name!, `<${name}>`]));
  const app = createApiApp();
  app.get('/refuse/:code', (c) => {
    const code = c.req.param('code');
    const text = entries.find(([known]) => known === code)![1];
    throw new DomainError('rule', code, 'The English message the code was thrown with', detailsOf(text.en));
  });

  it('has a Chinese and an English text for each, the English one without Chinese', () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const [code, text] of entries) {
      expect(text.zh.trim(), code).not.toBe('');
      expect(text.en.trim(), code).not.toBe('');
      expect(text.en, code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('answers each in English with the catalogue’s English text and in Chinese with the Chinese one, placeholders filled', async () => {
    for (const [code, text] of entries) {
      const details = detailsOf(text.en);
      const en = (await (await app.request(`/refuse/${code}`, { headers: { 'accept-language': 'en' } })).json()) as { detail: string; code: string };
      expect(en, code).toMatchObject({ code, detail: fillPlaceholders(text.en, details) });
      expect(en.detail, code).not.toMatch(/\{\w+\}/);
      const zh = (await (await app.request(`/refuse/${code}`)).json()) as { detail: string };
      expect(zh.detail, code).toBe(fillPlaceholders(text.zh, details));
    }
  });
});
