/** Evaluates a parsed query over the visible files. */
import type { FieldDef, FieldValue, RecordContext } from './records';
import { fieldValue } from './records';
import type { SimFile } from './sim-file';
import type { Condition, Literal, OrderItem, SoqlQuery } from './soql-ast';

/**
 * The files a query returns, in order: filtered, sorted (stable, so rows equal on every key keep the ground-truth
 * order of CreatedDate, Id), then OFFSET and LIMIT applied.
 */
export function executeSoql(query: SoqlQuery, files: readonly SimFile[], ctx: RecordContext): SimFile[] {
  const { where } = query;
  let rows = where ? files.filter((f) => matches(where, f, ctx)) : [...files];
  if (query.orderBy.length > 0) {
    const keyed = rows.map((file) => ({ file, keys: query.orderBy.map((o) => fieldValue(file, o.field, ctx)) }));
    keyed.sort((a, b) => compareKeys(query.orderBy, a.keys, b.keys));
    rows = keyed.map((k) => k.file);
  }
  const offset = query.offset ?? 0;
  return rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
}

function matches(cond: Condition, file: SimFile, ctx: RecordContext): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.items.every((c) => matches(c, file, ctx));
    case 'or':
      return cond.items.some((c) => matches(c, file, ctx));
    case 'not':
      return !matches(cond.item, file, ctx);
    case 'like': {
      const v = fieldValue(file, cond.field, ctx);
      return typeof v === 'string' && cond.pattern.test(v);
    }
    case 'in': {
      const v = fieldValue(file, cond.field, ctx);
      const hit = cond.values.some((lit) => compare(v, '=', lit, isId(cond.field)));
      return cond.negate ? !hit : hit;
    }
    case 'compare':
      return compare(fieldValue(file, cond.field, ctx), cond.op, cond.value, isId(cond.field));
  }
}

/** Ids compare by their canonical 18-character form, code unit by code unit (as ORDER BY Id sorts them). */
function isId(field: FieldDef): boolean {
  return field.type === 'id' || field.type === 'reference';
}

/** `value op literal`, with SOQL's rules: case-insensitive text, ranges for relative dates, nulls only equal nulls. */
function compare(value: FieldValue, op: string, lit: Literal, exact: boolean): boolean {
  if (lit.kind === 'null') {
    if (op === '=') return value === null;
    if (op === '!=') return value !== null;
    return false;
  }
  if (value === null) return op === '!=';
  if (lit.kind === 'range') {
    if (typeof value !== 'number') return false;
    const inside = value >= lit.start && value < lit.end;
    switch (op) {
      case '=':
        return inside;
      case '!=':
        return !inside;
      case '<':
        return value < lit.start;
      case '<=':
        return value < lit.end;
      case '>':
        return value >= lit.end;
      default:
        return value >= lit.start;
    }
  }
  const c = compareScalars(value, lit.value, exact);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Text compares case-insensitively unless `exact` (ids). */
function compareScalars(a: string | number | boolean, b: string | number | boolean, exact: boolean): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const la = exact ? a : a.toLowerCase();
    const lb = exact ? b : b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : 0;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return (a as number) - (b as number);
}

function compareKeys(order: readonly OrderItem[], a: FieldValue[], b: FieldValue[]): number {
  for (let i = 0; i < order.length; i++) {
    const o = order[i] as OrderItem;
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x === y) continue;
      return (x === null) === o.nullsFirst ? -1 : 1;
    }
    const c = compareScalars(x, y, isId(o.field));
    if (c !== 0) return o.descending ? -c : c;
  }
  return 0;
}
