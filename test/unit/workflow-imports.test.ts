/**
 * Workflow code runs in Temporal's deterministic sandbox: everything it reaches, however indirectly, must be pure.
 * The lint rule checks each workflow file's own imports; this walks the whole graph from the workflow entry, so a
 * pure-looking module that pulls in I/O (a config loader, a client, `node:fs`) is caught too.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const ENTRY = path.join(ROOT, 'src/workflows/index.ts');
/** Packages workflow code may load at run time: the workflow API and the SDK's pure common types. */
const ALLOWED_PACKAGES = ['@temporalio/workflow', '@temporalio/common'];

interface Edge {
  from: string;
  to: string;
}

/** Value (not type-only) imports and re-exports of a TypeScript file. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause !== undefined &&
          clause.name === undefined &&
          clause.namedBindings !== undefined &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${specifier}`);
}

/** Every module reachable from the workflow entry by value imports, with the edge that first reached it. */
function reachable(): { files: Set<string>; external: Edge[] } {
  const files = new Set<string>([ENTRY]);
  const external: Edge[] = [];
  const queue = [ENTRY];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of valueImports(file)) {
      if (!specifier.startsWith('.')) {
        external.push({ from: path.relative(ROOT, file), to: specifier });
        continue;
      }
      const target = resolveLocal(file, specifier);
      if (!files.has(target)) {
        files.add(target);
        queue.push(target);
      }
    }
  }
  return { files, external };
}

describe('workflow code imports only pure modules, transitively', () => {
  const graph = reachable();

  it('reaches no package but the workflow API and common types', () => {
    expect(graph.external.filter((e) => !ALLOWED_PACKAGES.includes(e.to))).toEqual([]);
  });

  it('reaches no project module that does I/O', () => {
    const outside = [...graph.files]
      .map((f) => path.relative(ROOT, f))
      .filter((f) => !f.startsWith('src/workflows/'))
      // The contracts shared with workflow code on purpose, no I/O: the activity and Salesforce types, and the
      // real-time cursor rules (the activity moves the cursor, the workflow keeps it; it imports nothing).
      .filter((f) => !/^src\/(activities|salesforce)\/types\.ts$/.test(f) && f !== 'src/realtime/cursor.ts');
    expect(outside).toEqual([]);
  });

  it('walks the real graph (the entry reaches the three workflows)', () => {
    const names = [...graph.files].map((f) => path.relative(ROOT, f));
    expect(names).toEqual(
      expect.arrayContaining(['src/workflows/source.ts', 'src/workflows/file.ts', 'src/workflows/backfill.ts']),
    );
  });
});
