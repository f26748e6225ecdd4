/// <reference lib="dom" />
/** Debian's Chromium driven by playwright-core, with the flags this closed network needs, and the app on a free port. */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { TestStack } from './stack.ts';

export const SCREENSHOT_DIR = 'test-output/screenshots';

export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function serveStack(stack: TestStack): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = serve({ fetch: stack.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const AXE_SOURCE = join(dirname(fileURLToPath(import.meta.resolve('axe-core'))), 'axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2 A/AA rules and best practices). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluated through the DevTools protocol: the pages' Content-Security-Policy rightly blocks an added <script>
  await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target.join(' '))) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * English words on a Chinese page: runs of two or more ASCII letters in the visible text, outside
 * elements marked lang="en" (the language switch) or lang="zxx" (code such as JSON) and textareas (content being
 * edited), minus the allowed tokens (file formats, units,
 * what the user typed such as their sign-in name).
 */
export async function englishOnChinesePage(page: Page, allowed: readonly string[] = []): Promise<string[]> {
  const text = await page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      // a textarea holds what the user edits (the criteria JSON), not the page's own words
      if (!parent || parent.closest('[lang="en"],[lang="zxx"],script,style,textarea')) continue;
      const style = getComputedStyle(parent);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      parts.push(node.textContent ?? '');
    }
    return parts.join(' ');
  });
  const tokens = new Set(['CSV', 'Excel', 'XLSX', 'xlsx', 'UTF', 'JSON', 'KB', ...allowed]);
  const words = text.match(/[A-Za-z][A-Za-z0-9_.@-]*[A-Za-z0-9]/g) ?? [];
  return [...new Set(words.filter((w) => /[A-Za-z]{2,}/.test(w) && !tokens.has(w)))];
}

/**
 * Internal ids (district, institution, team, evaluation ids) that appear in the page's visible text; `names` (which may contain an id, as test fixtures' do)
 * are taken out first.
 */
export async function idsShown(page: Page, ids: readonly string[], names: readonly string[] = []): Promise<string[]> {
  let text = await page.innerText('body');
  for (const name of names) text = text.replaceAll(name, '');
  return ids.filter((id) => text.includes(id));
}
