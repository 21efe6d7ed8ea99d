import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The lint rule that keeps dependencies behind their public API (eslint.config.mjs, `no-restricted-syntax`): each
 * way of reaching a private internal is reported, and ordinary code is not. ESLint runs as `npm run lint` runs it,
 * once, on a plain JavaScript probe file at the root (the rule is the same for TypeScript; a .js file lints quicker).
 */
const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** The restricted-syntax messages for `code`, with their line numbers. */
function problems(code: string): [number, string][] {
  const args = [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', 'lint-probe.js'];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, input: code, encoding: 'utf8' });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; line: number; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => [m.line, m.message]);
}

it('lint reports private members, undocumented Buffer codecs and deep imports, and nothing else', () => {
  const privateMember = "A `_`-prefixed member is a dependency's private internal: use its public API.";
  const codec = "Buffer's codec methods are undocumented: use buf.toString(encoding, start, end) or buf.write().";
  const deepImport = "Import a package's public entry points, not its lib/, dist/, build/ or src/ files.";
  const code = [
    "import { tsToMs } from '@temporalio/common/lib/time';",
    "export { Parser } from 'csv-parse/dist/cjs/index.cjs';",
    'export const a = (conn) => conn._transport;',
    "export const b = (conn) => conn['_refreshDelegate'];",
    'export const c = (buf) => buf.utf8Slice(0, 1);',
    "export const d = () => import('jsforce/lib/http-api');",
    "export const e = () => require('jsforce/lib/transport');",
    // Public entry points, subpath exports, relative paths, documented methods:
    "import { parse } from 'csv-parse/sync';",
    "import { Connection } from 'jsforce';",
    "import { x } from '../lib/thing';",
    "export const f = (buf) => buf.toString('utf8', 0, 1);",
    'export const g = (obj) => obj.value_;',
    'export { tsToMs, parse, Connection, x };',
  ].join('\n');
  expect(problems(code)).toEqual([
    [1, deepImport],
    [2, deepImport],
    [3, privateMember],
    [4, privateMember],
    [5, codec],
    [6, deepImport],
    [7, deepImport],
  ]);
});
