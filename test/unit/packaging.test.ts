/**
 * The Salesforce simulator is a development package: a production install (`npm ci --omit=dev`, the worker image)
 * must not contain it, and the product's code may reach it only through the CLI's lazy loader (`dev`, `sim`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SIMULATOR = '@elfstream/salesforce-simulator';

describe('packaging', () => {
  it('the simulator is a dev dependency in the lockfile, so npm ci --omit=dev leaves it out', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; link?: boolean; resolved?: string }>;
    };
    expect(lock.packages[`node_modules/${SIMULATOR}`]).toEqual({
      resolved: 'packages/salesforce-simulator',
      link: true,
    });
    expect(lock.packages['packages/salesforce-simulator']?.dev).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.dependencies[SIMULATOR]).toBeUndefined();
    expect(manifest.devDependencies[SIMULATOR]).toBe('file:packages/salesforce-simulator');
  });

  it('src/ loads the simulator only lazily, for dev and sim, and never imports its files', () => {
    const uses = execFileSync('git', ['grep', '-nE', `salesforce-simulator|simulator/`, '--', 'src/'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => /from '|require\(/.test(line));
    const valueImports = uses.filter((line) => !/import type|src\/cli\/lazy\.ts:.*require\(/.test(line));
    expect(valueImports).toEqual([]);
  });

  it("the worker image's production stage copies no simulator code", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const production = dockerfile.slice(dockerfile.indexOf('AS production'));
    expect(production).not.toMatch(/COPY[^\n]*packages/);
    expect(production).toMatch(/npm ci --omit=dev/);
  });
});
