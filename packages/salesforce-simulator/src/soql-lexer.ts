/** Tokens of the SOQL subset, and SOQL errors formatted the way Salesforce formats them. */

/** Error codes a query can fail with. */
export type SoqlErrorCode =
  'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR' | 'NUMBER_OUTSIDE_VALID_RANGE';

/**
 * A rejected query. `message` is Salesforce's: the offending line (a window of it for long lines), a caret under
 * the error, `ERROR at Row:r:Column:c`, then the reason.
 */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = errorCode;
  }

  /** An error at character offset `pos` of `soql`. */
  static at(soql: string, pos: number, errorCode: SoqlErrorCode, reason: string): SoqlError {
    const lineStart = soql.lastIndexOf('\n', pos - 1) + 1;
    const lineEndAt = soql.indexOf('\n', pos);
    const line = soql.slice(lineStart, lineEndAt < 0 ? soql.length : lineEndAt);
    const row = soql.slice(0, lineStart).split('\n').length;
    const column = pos - lineStart + 1;
    // Long lines are cut to a window around the error, as Salesforce does.
    const from = Math.max(0, column - 1 - 30);
    const snippet = line.slice(from, column - 1 + 40);
    const caret = ' '.repeat(column - 1 - from) + '^';
    return new SoqlError(errorCode, `\n${snippet}\n${caret}\nERROR at Row:${row}:Column:${column}\n${reason}`, reason);
  }
}

/** Kinds of token. */
export type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'op' | 'punct' | 'eof';

/** One token; `pos` is its character offset in the query. */
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  /** Unescaped text of a string literal (with `\%` and `\_` kept for LIKE). */
  str?: string;
  /** Value of a number, or epoch ms of a datetime/date literal. */
  num?: number;
}

const DATETIME = /\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})(?![\w:.+-])/y;
const DATE = /\d{4}-\d{2}-\d{2}(?![\w:.+-])/y;
const NUMBER = /-?\d+(\.\d+)?(?![\w.:+-])/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_.]*/y;
const OPERATOR = /!=|<>|<=|>=|=|<|>/y;
const WORD = /[^\s,()]+/y;

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

function sticky(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

/** Splits a query into tokens; throws MALFORMED_QUERY on characters or literals it cannot read. */
export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const fail = (at: number, text: string): never => {
    throw SoqlError.at(soql, at, 'MALFORMED_QUERY', `unexpected token: '${text}'`);
  };
  while (pos < soql.length) {
    const c = soql.charAt(pos);
    if (/\s/.test(c)) {
      pos++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let i = pos + 1;
      for (;;) {
        if (i >= soql.length) fail(pos, soql.slice(pos));
        const ch = soql.charAt(i);
        if (ch === "'") break;
        if (ch === '\\') {
          const next = soql.charAt(i + 1);
          const mapped = ESCAPES[next];
          if (mapped !== undefined) value += mapped;
          else if (next === '%' || next === '_') value += '\\' + next;
          else fail(i, '\\' + next);
          i += 2;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ kind: 'string', text: soql.slice(pos, i + 1), pos, str: value });
      pos = i + 1;
      continue;
    }
    if (/[0-9-]/.test(c)) {
      const dt = sticky(DATETIME, soql, pos);
      if (dt) {
        const ms = Date.parse(dt[0]);
        if (
          !validDate(dt[0].slice(0, 10)) ||
          !Number.isFinite(ms) ||
          Number(dt[1]) > 23 ||
          Number(dt[2]) > 59 ||
          Number(dt[3]) > 59
        ) {
          fail(pos, dt[0]);
        }
        tokens.push({ kind: 'datetime', text: dt[0], pos, num: ms });
        pos += dt[0].length;
        continue;
      }
      const d = sticky(DATE, soql, pos);
      if (d) {
        if (!validDate(d[0])) fail(pos, d[0]);
        tokens.push({ kind: 'date', text: d[0], pos, num: Date.parse(d[0] + 'T00:00:00Z') });
        pos += d[0].length;
        continue;
      }
      const n = sticky(NUMBER, soql, pos);
      if (n) {
        tokens.push({ kind: 'number', text: n[0], pos, num: Number(n[0]) });
        pos += n[0].length;
        continue;
      }
      // Something date-like in a form SOQL does not accept, e.g. the `+0000` offset that query results print.
      fail(pos, sticky(WORD, soql, pos)?.[0] ?? c);
    }
    const id = sticky(IDENT, soql, pos);
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], pos });
      pos += id[0].length;
      continue;
    }
    const op = sticky(OPERATOR, soql, pos);
    if (op) {
      tokens.push({ kind: 'op', text: op[0], pos });
      pos += op[0].length;
      continue;
    }
    if (c === ',' || c === '(' || c === ')' || c === ':') {
      tokens.push({ kind: 'punct', text: c, pos });
      pos++;
      continue;
    }
    fail(pos, c);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: soql.length });
  return tokens;
}

/** Rejects 2026-02-30 and friends, which `Date.parse` would roll over. */
function validDate(yyyyMmDd: string): boolean {
  const ms = Date.parse(yyyyMmDd + 'T00:00:00Z');
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(yyyyMmDd);
}
