/**
 * `npm run lint`'s line-length check: no tracked .ts/.tsx/.mjs line over 160 characters.
 * Biome's formatter wraps code at 160 but cannot break long strings, comments or test names;
 * this keeps those in bounds too. Lengths are in characters (UTF-16 units), not bytes, so a
 * Chinese character counts as one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 160;
const IGNORED = [/(^|\/)package-lock\.json$/, /\.d\.ts$/, /(^|\/)(cdk\.out|dist|coverage)\//];

const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !IGNORED.some((pattern) => pattern.test(file)));

const offenders = files.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => (line.length > LIMIT ? [`${file}:${index + 1}: ${line.length} characters`] : [])),
);

if (offenders.length > 0) {
  console.error(`Lines longer than ${LIMIT} characters:\n${offenders.join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`Line length: ${files.length} files, no line over ${LIMIT} characters.`);
}
