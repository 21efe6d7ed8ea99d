import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What the installed dependency tree must look like, checked on the installed tree itself. */
const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, string>;
};

describe('dependencies', () => {
  it('installs one copy of protobufjs, the version package.json overrides it to', () => {
    // Temporal's packages share protobuf classes: two copies break `instanceof` in history (de)serialization.
    const ls = spawnSync('npm', ['ls', 'protobufjs', '--all', '--parseable', '--long'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    // One line per installed copy: `<path>:protobufjs@<version>[:OVERRIDDEN]` (a nested copy has a path of its own).
    const lines = ls.stdout.split('\n').filter((line) => line.trim() !== '');
    const copies = [...new Set(lines.map((line) => line.replace(/:OVERRIDDEN$/, '')))];
    expect(copies).toEqual([
      `${path.join(ROOT, 'node_modules', 'protobufjs')}:protobufjs@${pkg.overrides?.protobufjs}`,
    ]);
  });

  it('pins every @temporalio package to the same exact version', () => {
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    const temporal = Object.entries(all).filter(([name]) => name.startsWith('@temporalio/'));
    expect(temporal.length).toBeGreaterThanOrEqual(5);
    expect(new Set(temporal.map(([, version]) => version)).size).toBe(1);
    for (const [, version] of temporal) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
