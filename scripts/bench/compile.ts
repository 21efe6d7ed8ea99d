/**
 * Compiles the sources a benchmark child runs to CommonJS under test-output/<name>/ (same layout as the repository,
 * so `node_modules` resolves from there), so that children run plain `node` as the product does: under tsx, its
 * loader thread alone adds about 50 MB of RSS, and worker threads (the ingest threads) would load it again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export interface CompiledTree {
  /** Output root (test-output/<name>). */
  dir: string;
  /** Path of the compiled `.js` of a source file given by its path (absolute, or relative to the repository). */
  js(source: string): string;
  /** sha256 (12 hex digits) of the compiled sources' paths and contents: which state of the code was measured. */
  digest: string;
}

/**
 * A compiled workspace package (`packages/<name>/src`) is found by its package name from the compiled tree:
 * test-output/<name>/node_modules/<package> points at the compiled entry, ahead of the TypeScript one at the root.
 */
function linkWorkspacePackages(out: string, dirs: string[], js: (source: string) => string): void {
  for (const dir of dirs) {
    const pkgDir = /^packages\/[^/]+/.exec(dir)?.[0];
    if (!pkgDir) continue;
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, pkgDir, 'package.json'), 'utf8')) as {
      name: string;
      main: string;
    };
    const link = path.join(out, 'node_modules', manifest.name);
    fs.mkdirSync(link, { recursive: true });
    const main = path.relative(link, js(path.join(pkgDir, manifest.main)));
    fs.writeFileSync(path.join(link, 'package.json'), JSON.stringify({ name: manifest.name, main }));
  }
}

/**
 * Transpiles (no type check: `npx tsc` does that) every `.ts` file under `dirs` (relative to the repository) to
 * test-output/<name>/. The TypeScript compiler is loaded here only, so children never carry it in their memory.
 */
export async function compileForChild(name: string, dirs: string[]): Promise<CompiledTree> {
  const ts = (await import('typescript')).default;
  const out = path.join(ROOT, 'test-output', name);
  fs.rmSync(out, { recursive: true, force: true });
  const js = (source: string): string =>
    path.join(out, path.relative(ROOT, path.resolve(ROOT, source))).replace(/\.ts$/, '.js');
  const hash = crypto.createHash('sha256');
  for (const dir of dirs) {
    const files = walk(path.join(ROOT, dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .sort();
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      hash.update(`${path.relative(ROOT, file)}\0${source}\0`);
      const output = ts.transpileModule(source, {
        fileName: file,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          isolatedModules: true,
        },
      }).outputText;
      fs.mkdirSync(path.dirname(js(file)), { recursive: true });
      fs.writeFileSync(js(file), output);
    }
  }
  linkWorkspacePackages(out, dirs, js);
  return { dir: out, js, digest: hash.digest('hex').slice(0, 12) };
}
