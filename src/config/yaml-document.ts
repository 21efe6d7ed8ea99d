/** Reading the YAML text of a configuration file into plain data, with syntax errors located by line and column. */
import { LineCounter, parseDocument } from 'yaml';
import type { YAMLError } from 'yaml';
import type { ConfigIssue } from './errors';

// Messages of yaml errors that can quote pieces of the document (which may be a secret) are replaced.
const SAFE_MESSAGES: Readonly<Record<string, string>> = {
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string (use single quotes, or write \\\\ for a backslash)',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block cannot be an implicit key (check the indentation)',
};

function describe(error: YAMLError, line: string): string {
  const raw = SAFE_MESSAGES[error.code] ?? error.message.split('\n')[0] ?? error.code;
  // Drop quoted tokens (`Unexpected scalar token in YAML stream: "..."` quotes the document, maybe a secret).
  const message = raw.replace(/:?\s*"(?:[^"\\]|\\.)*"/g, '').replace(/[:.]\s*$/, '');
  const hint = /[{[]/.test(line) && line.includes('${') ? '; quote values holding ${VAR} inside { } or [ ]' : '';
  return `YAML syntax error: ${message}${hint}`;
}

/**
 * Parses `text` (one YAML document; `<<` merge keys allowed, duplicate keys rejected). Returns the data, or the first
 * syntax error located as `line L, column C`. An empty document is an empty mapping.
 */
export function readYaml(text: string): { data: unknown; issues?: undefined } | { issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    // Only the first: later ones mostly follow from it.
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const lineText = text.split(/\r?\n/)[line - 1] ?? '';
    return { issues: [{ path: `line ${line}, column ${col}`, message: describe(first, lineText) }] };
  }
  try {
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    return { data: data ?? {} };
  } catch (err) {
    // toJS throws on alias abuse ("billion laughs") and similar structural problems.
    return { issues: [{ path: '(root)', message: `YAML error: ${(err as Error).message.split('\n')[0] ?? ''}` }] };
  }
}
