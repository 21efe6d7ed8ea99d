/** The parsed form of a SOQL query (see `soql.ts`). */
import type { FieldDef } from './records';

/** Comparison operators (`<>` is read as `!=`). */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A literal on the right of a comparison, checked against the field's type. */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number }
  | { kind: 'range'; start: number; end: number };

/** A WHERE condition. */
export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldDef; op: CompareOp; value: Literal }
  | { kind: 'in'; field: FieldDef; negate: boolean; values: Literal[] }
  | { kind: 'like'; field: FieldDef; pattern: RegExp };

/** One ORDER BY item. */
export interface OrderItem {
  field: FieldDef;
  descending: boolean;
  nullsFirst: boolean;
}

/** A parsed, type-checked query. */
export interface SoqlQuery {
  /** `SELECT COUNT()`: only totalSize is returned. */
  count: boolean;
  /** Selected fields in SELECT order, with Salesforce's casing. */
  fields: FieldDef[];
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

/** A LIKE pattern (`%` any run, `_` one character, `\%` `\_` literal) as a case-insensitive RegExp. */
export function likePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRegExp(pattern.charAt(++i));
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, 'i');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
