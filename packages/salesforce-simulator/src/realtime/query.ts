/**
 * SOQL on the real-time objects, with the restrictions Salesforce applies (see `catalog.ts` for the sources):
 * `SELECT f, … FROM <object> [WHERE cond] [ORDER BY f [ASC|DESC], …] [LIMIT n]`.
 *
 * Storage events (big objects): filters only on EventDate, or EventDate with EventIdentifier, with `=`, `<`, `<=`,
 * `>`, `>=` and AND; ORDER BY only EventDate (the index); no OFFSET, no COUNT(); `Id` comes back empty.
 * SetupAuditTrail: filters on its filterable fields with AND / OR and parentheses, ORDER BY its sortable fields.
 */
import { SoqlError, tokenize, type Token } from '../soql-lexer';
import { sfDateTime } from '../time-format';
import { findRealtimeObject, type RealtimeField, type RealtimeObjectDef } from './catalog';
import type { RealtimeRecord, RealtimeValue } from './store';

type Op = '=' | '<' | '<=' | '>' | '>=';
type Cond =
  { kind: 'and' | 'or'; items: Cond[] } | { kind: 'cmp'; field: RealtimeField; op: Op; value: string | number };

export interface RealtimeQuery {
  object: RealtimeObjectDef;
  fields: RealtimeField[];
  where?: Cond;
  orderBy: { field: RealtimeField; descending: boolean }[];
  limit?: number;
}

/** The object a query reads, when it is a real-time object (to route it here), else undefined. */
export function realtimeObjectOf(soql: string): RealtimeObjectDef | undefined {
  const m = /\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(soql);
  return m ? findRealtimeObject(m[1] ?? '') : undefined;
}

/** Parses and checks a query; throws {@link SoqlError} with Salesforce's code and a message saying which rule. */
export function parseRealtimeQuery(soql: string, accessible: boolean): RealtimeQuery {
  return new Parser(soql, tokenize(soql), accessible).query();
}

/** The records a query returns, in order. */
export function executeRealtimeQuery(q: RealtimeQuery, records: readonly RealtimeRecord[]): RealtimeRecord[] {
  const where = q.where;
  let rows = where ? records.filter((r) => matches(where, r)) : [...records];
  // Without ORDER BY, a big object returns rows in its index order (EventDate descending); ties by insertion.
  const order =
    q.orderBy.length > 0
      ? q.orderBy
      : q.object.kind === 'storage-event'
        ? [{ field: q.object.fields[1]!, descending: true }]
        : [];
  rows = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      for (const o of order) {
        const c = compareValues(a.r.values[o.field.name] ?? null, b.r.values[o.field.name] ?? null);
        if (c !== 0) return o.descending ? -c : c;
      }
      return a.i - b.i;
    })
    .map((x) => x.r);
  return q.limit === undefined ? rows : rows.slice(0, q.limit);
}

/** One record as REST JSON text. */
export function realtimeRecordJson(q: RealtimeQuery, r: RealtimeRecord, version: string): string {
  const attrs = {
    type: q.object.name,
    url: `/services/data/v${version}/sobjects/${q.object.name}/${String(r.values.Id)}`,
  };
  let json = `{"attributes":${JSON.stringify(attrs)}`;
  for (const f of q.fields) json += `,${JSON.stringify(f.name)}:${jsonValue(f, r.values[f.name] ?? null)}`;
  return json + '}';
}

function jsonValue(f: RealtimeField, v: RealtimeValue): string {
  if (v === null) return 'null';
  if (f.type === 'datetime' && typeof v === 'number') return JSON.stringify(sfDateTime(v));
  return JSON.stringify(v);
}

function matches(c: Cond, r: RealtimeRecord): boolean {
  if (c.kind !== 'cmp')
    return c.kind === 'and' ? c.items.every((i) => matches(i, r)) : c.items.some((i) => matches(i, r));
  const v = r.values[c.field.name] ?? null;
  if (v === null) return false;
  const d = compareValues(v, c.value);
  switch (c.op) {
    case '=':
      return d === 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    default:
      return d >= 0;
  }
}

function compareValues(a: RealtimeValue, b: RealtimeValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

class Parser {
  private i = 0;
  private object!: RealtimeObjectDef;

  constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
    private readonly accessible: boolean,
  ) {}

  query(): RealtimeQuery {
    this.word('SELECT');
    if (this.peekWord('COUNT')) {
      const t = this.peek();
      this.object = this.lookAheadObject();
      if (this.object.kind === 'storage-event')
        throw this.error(
          t,
          'MALFORMED_QUERY',
          `Aggregate queries are not supported on big objects such as ${this.object.name}`,
        );
    }
    const selected: Token[] = [];
    do selected.push(this.ident());
    while (this.punct(','));
    this.word('FROM');
    const objectToken = this.ident();
    const object = findRealtimeObject(objectToken.text);
    if (!object || !this.accessible) {
      throw this.error(
        objectToken,
        'INVALID_TYPE',
        `sObject type '${objectToken.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    this.object = object;
    const big = object.kind === 'storage-event';
    const fields = selected.map((t) => this.field(t));
    const q: RealtimeQuery = { object, fields, orderBy: [] };
    if (this.acceptWord('WHERE')) {
      const at = this.peek();
      q.where = this.condition();
      if (big) this.checkBigObjectFilter(q.where, at);
    }
    if (this.acceptWord('ORDER')) {
      this.word('BY');
      do {
        const t = this.ident();
        const f = this.field(t);
        if (big ? f.name !== 'EventDate' : !f.sortable)
          throw this.error(
            t,
            'INVALID_FIELD',
            big
              ? `${object.name} is a big object: ORDER BY is allowed only on EventDate, its index`
              : `field '${f.name}' can not be sorted in a query call`,
          );
        const descending = this.acceptWord('DESC');
        if (!descending) this.acceptWord('ASC');
        q.orderBy.push({ field: f, descending });
      } while (this.punct(','));
    }
    if (this.acceptWord('LIMIT')) q.limit = this.number();
    if (this.peekWord('OFFSET')) {
      if (big)
        throw this.error(
          this.peek(),
          'MALFORMED_QUERY',
          `OFFSET is not supported on big objects such as ${object.name}; narrow the EventDate range instead`,
        );
      this.unexpected(this.peek());
    }
    if (this.peek().kind !== 'eof') this.unexpected(this.peek());
    return q;
  }

  /** Big objects: EventDate alone, or EventDate with EventIdentifier, joined by AND only. */
  private checkBigObjectFilter(c: Cond, at: Token): void {
    const fields = new Set<string>();
    const walk = (x: Cond): void => {
      if (x.kind === 'or')
        throw this.error(
          at,
          'INVALID_QUERY_FILTER_OPERATOR',
          `OR is not supported on big objects such as ${this.object.name}`,
        );
      if (x.kind === 'cmp') fields.add(x.field.name);
      else x.items.forEach(walk);
    };
    walk(c);
    if (!fields.has('EventDate')) {
      throw this.error(
        at,
        'INVALID_QUERY_FILTER_OPERATOR',
        `${this.object.name} is a big object: filter on EventDate alone, or on EventDate and EventIdentifier together`,
      );
    }
  }

  private condition(): Cond {
    const first = this.term();
    const joiner = this.peekWord('AND') ? 'and' : this.peekWord('OR') ? 'or' : undefined;
    if (!joiner) return first;
    const items = [first];
    while (this.acceptWord(joiner.toUpperCase())) items.push(this.term());
    if (this.peekWord('AND') || this.peekWord('OR')) this.unexpected(this.peek());
    return { kind: joiner, items };
  }

  private term(): Cond {
    if (this.punct('(')) {
      const c = this.condition();
      if (!this.punct(')')) this.unexpected(this.peek());
      return c;
    }
    const t = this.ident();
    const f = this.field(t);
    if (!f.filterable) {
      throw this.error(
        t,
        this.object.kind === 'storage-event' ? 'INVALID_QUERY_FILTER_OPERATOR' : 'INVALID_FIELD',
        this.object.kind === 'storage-event'
          ? `${this.object.name} is a big object: it can be filtered only on EventDate and EventIdentifier, not ${f.name}`
          : `field '${f.name}' can not be filtered in a query call`,
      );
    }
    const opToken = this.next();
    if (opToken.kind !== 'op') this.unexpected(opToken);
    if (!['=', '<', '<=', '>', '>='].includes(opToken.text)) {
      throw this.error(
        opToken,
        'INVALID_QUERY_FILTER_OPERATOR',
        `operator ${opToken.text} is not supported on ${this.object.name}`,
      );
    }
    const lit = this.next();
    let value: string | number;
    if (f.type === 'datetime') {
      if (lit.kind !== 'datetime')
        throw this.error(
          lit,
          'INVALID_FIELD',
          `value of filter criterion for field '${f.name}' must be of type dateTime and should not be enclosed in quotes`,
        );
      value = lit.num ?? 0;
    } else {
      if (lit.kind !== 'string')
        throw this.error(
          lit,
          'INVALID_FIELD',
          `value of filter criterion for field '${f.name}' must be of type ${f.type} and should be enclosed in quotes`,
        );
      value = lit.str ?? '';
    }
    return { kind: 'cmp', field: f, op: opToken.text as Op, value };
  }

  private field(t: Token): RealtimeField {
    const f = this.object.fields.find((x) => x.name.toLowerCase() === t.text.toLowerCase());
    if (!f) {
      throw this.error(
        t,
        'INVALID_FIELD',
        `No such column '${t.text}' on entity '${this.object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return f;
  }

  private lookAheadObject(): RealtimeObjectDef {
    const o = realtimeObjectOf(this.soql);
    if (!o) this.unexpected(this.peek());
    return o;
  }

  private number(): number {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.num) || (t.num ?? -1) < 0) this.unexpected(t);
    return t.num ?? 0;
  }

  private ident(): Token {
    const t = this.next();
    if (t.kind !== 'ident') this.unexpected(t);
    return t;
  }

  private peek(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private peekWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text.toUpperCase() === w;
  }

  private acceptWord(w: string): boolean {
    if (!this.peekWord(w)) return false;
    this.i++;
    return true;
  }

  private word(w: string): void {
    if (!this.acceptWord(w)) this.unexpected(this.peek());
  }

  private punct(p: string): boolean {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) return false;
    this.i++;
    return true;
  }

  private unexpected(t: Token): never {
    throw this.error(
      t,
      'MALFORMED_QUERY',
      t.kind === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${t.text}'`,
    );
  }

  private error(t: Token, code: SoqlError['errorCode'], reason: string): SoqlError {
    return SoqlError.at(this.soql, t.pos, code, reason);
  }
}
