/**
 * The SOQL subset the simulator understands, on EventLogFile only:
 * `SELECT f, … | COUNT() FROM EventLogFile [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …]
 * [LIMIT n] [OFFSET n]`. Conditions combine with AND / OR / NOT and parentheses (mixing AND and OR needs
 * parentheses, as in SOQL); operators `= != <> < <= > >= LIKE IN NOT IN`. Anything else is MALFORMED_QUERY,
 * unknown fields INVALID_FIELD, values of the wrong type INVALID_FIELD, bad ids INVALID_QUERY_FILTER_OPERATOR.
 */
import type { FieldDef } from './records';
import { findField } from './records';
import type { CompareOp, Condition, Literal, OrderItem, SoqlQuery } from './soql-ast';
import { likePattern } from './soql-ast';
import { normalizeId } from './ids';
import { relativeRange, takesN } from './soql-dates';
import type { Token } from './soql-lexer';
import { SoqlError, tokenize } from './soql-lexer';

export { SoqlError } from './soql-lexer';
export type { SoqlErrorCode } from './soql-lexer';
export { executeSoql } from './soql-eval';
export type { CompareOp, Condition, Literal, OrderItem, SoqlQuery } from './soql-ast';

/** What parsing depends on. */
export interface ParseOptions {
  /** API version of the request (fields introduced later are unknown). */
  version: number;
  /** Simulated now, for relative date literals. */
  nowMs: number;
  /** False when the user cannot see EventLogFile (no Event Monitoring, no View Event Log Files). */
  objectAccessible: boolean;
  /** Whether the org publishes hourly files; without them `Interval` does not exist. Default true. */
  hourly?: boolean;
}

const KEYWORDS = new Set(
  'SELECT FROM WHERE ORDER BY LIMIT OFFSET AND OR NOT IN LIKE ASC DESC NULLS FIRST LAST GROUP HAVING WITH FOR USING TYPEOF INCLUDES EXCLUDES TRUE FALSE NULL'.split(
    ' ',
  ),
);
const MAX_OFFSET = 2000;

/** Parses and checks a query; throws {@link SoqlError} with Salesforce's code and message. */
export function parseSoql(soql: string, opts: ParseOptions): SoqlQuery {
  return new Parser(soql, tokenize(soql), opts).query();
}

class Parser {
  private i = 0;

  constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
    private readonly opts: ParseOptions,
  ) {}

  query(): SoqlQuery {
    this.keyword('SELECT');
    let count = false;
    const selected: Token[] = [];
    if (this.peekWord('COUNT') && this.peek(1).text === '(') {
      this.next();
      this.punct('(');
      this.punct(')');
      count = true;
    } else {
      do selected.push(this.fieldToken());
      while (this.acceptPunct(','));
    }
    this.keyword('FROM');
    const object = this.next();
    if (object.kind !== 'ident' || KEYWORDS.has(object.text.toUpperCase())) this.unexpected(object);
    if (object.text.toLowerCase() !== 'eventlogfile' || !this.opts.objectAccessible) {
      throw this.error(
        object,
        'INVALID_TYPE',
        `sObject type '${object.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const fields: FieldDef[] = [];
    for (const t of selected) {
      const field = this.resolveField(t);
      if (fields.includes(field)) throw this.error(t, 'MALFORMED_QUERY', `duplicate field selected: ${field.name}`);
      fields.push(field);
    }
    const result: SoqlQuery = { count, fields, orderBy: [] };
    if (this.acceptWord('WHERE')) result.where = this.condition();
    if (this.acceptWord('ORDER')) {
      this.keyword('BY');
      do result.orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    if (this.acceptWord('LIMIT')) result.limit = this.wholeNumber();
    if (this.acceptWord('OFFSET')) {
      const at = this.peek();
      result.offset = this.wholeNumber();
      if (result.offset > MAX_OFFSET) {
        throw this.error(at, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
      }
    }
    if (this.peek().kind !== 'eof') this.unexpected(this.peek());
    return result;
  }

  private condition(): Condition {
    const first = this.simpleCondition();
    const joiner = this.peekWord('AND') ? 'and' : this.peekWord('OR') ? 'or' : undefined;
    if (!joiner) return first;
    const items = [first];
    while (this.acceptWord(joiner.toUpperCase())) items.push(this.simpleCondition());
    // SOQL needs parentheses to mix AND and OR.
    if (this.peekWord('AND') || this.peekWord('OR')) this.unexpected(this.peek());
    return { kind: joiner, items };
  }

  private simpleCondition(): Condition {
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    if (this.acceptWord('NOT')) return { kind: 'not', item: this.simpleCondition() };
    const fieldToken = this.fieldToken();
    const field = this.resolveField(fieldToken);
    if (!field.filterable) {
      throw this.error(fieldToken, 'INVALID_FIELD', `field '${field.name}' can not be filtered in a query call`);
    }
    if (this.acceptWord('LIKE')) {
      const t = this.next();
      if (t.kind !== 'string') this.unexpected(t);
      if (!['string', 'picklist', 'id', 'reference'].includes(field.type)) {
        throw this.error(t, 'INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${field.type} field`);
      }
      return { kind: 'like', field, pattern: likePattern(t.str ?? '') };
    }
    const negate = this.acceptWord('NOT');
    if (negate || this.peekWord('IN')) {
      this.keyword('IN');
      this.punct('(');
      const values: Literal[] = [];
      do values.push(this.literal(field));
      while (this.acceptPunct(','));
      this.punct(')');
      return { kind: 'in', field, negate, values };
    }
    const opToken = this.next();
    if (opToken.kind !== 'op') this.unexpected(opToken);
    const op = (opToken.text === '<>' ? '!=' : opToken.text) as CompareOp;
    return { kind: 'compare', field, op, value: this.literal(field) };
  }

  /** A literal, checked against the type of `field`. */
  private literal(field: FieldDef): Literal {
    const t = this.next();
    let lit: Literal;
    if (t.kind === 'string') lit = { kind: 'string', value: t.str ?? '' };
    else if (t.kind === 'number') lit = { kind: 'number', value: t.num ?? 0 };
    else if (t.kind === 'datetime') lit = { kind: 'datetime', value: t.num ?? 0 };
    else if (t.kind === 'date') lit = { kind: 'range', start: t.num ?? 0, end: (t.num ?? 0) + 86_400_000 };
    else if (t.kind === 'ident') lit = this.wordLiteral(t);
    else return this.unexpected(t);
    const typeError = (type: string, quoted: boolean): SoqlError =>
      this.error(
        t,
        'INVALID_FIELD',
        `value of filter criterion for field '${field.name}' must be of type ${type} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
      );
    if (lit.kind === 'null') return lit;
    switch (field.type) {
      case 'datetime':
        // A date-only literal is for date fields; a dateTime field needs a dateTime or a relative literal.
        if (lit.kind === 'datetime' || (lit.kind === 'range' && t.kind === 'ident')) return lit;
        throw typeError('dateTime', false);
      case 'string':
      case 'picklist':
        if (lit.kind === 'string') return { kind: 'string', value: lit.value.replace(/\\([%_])/g, '$1') };
        throw typeError('string', true);
      case 'id':
      case 'reference': {
        if (lit.kind !== 'string') throw typeError('id', true);
        const id = normalizeId(lit.value);
        if (!id) throw this.error(t, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${lit.value}`);
        return { kind: 'string', value: id };
      }
      case 'double':
        if (lit.kind === 'number') return lit;
        throw typeError('double', false);
      case 'int':
        if (lit.kind === 'number' && Number.isInteger(lit.value)) return lit;
        throw typeError('integer', false);
      case 'boolean':
        if (lit.kind === 'boolean') return lit;
        throw typeError('boolean', false);
      default:
        throw this.error(t, 'INVALID_FIELD', `field '${field.name}' can not be filtered in a query call`);
    }
  }

  /** TRUE / FALSE / NULL or a relative date literal such as `LAST_N_DAYS:7`. */
  private wordLiteral(t: Token): Literal {
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
    if (upper === 'NULL') return { kind: 'null' };
    let n: number | undefined;
    if (takesN(upper)) {
      this.punct(':');
      n = this.wholeNumber();
    }
    const range = relativeRange(upper, this.opts.nowMs, n);
    if (!range) return this.unexpected(t);
    return { kind: 'range', ...range };
  }

  private orderItem(): OrderItem {
    const t = this.fieldToken();
    const field = this.resolveField(t);
    if (!field.sortable)
      throw this.error(t, 'INVALID_FIELD', `field '${field.name}' can not be sorted in a query call`);
    let descending = false;
    if (this.acceptWord('DESC')) descending = true;
    else this.acceptWord('ASC');
    let nullsFirst = !descending;
    if (this.acceptWord('NULLS')) {
      if (this.acceptWord('FIRST')) nullsFirst = true;
      else if (this.acceptWord('LAST')) nullsFirst = false;
      else this.unexpected(this.peek());
    }
    return { field, descending, nullsFirst };
  }

  private fieldToken(): Token {
    const t = this.next();
    if (t.kind !== 'ident' || KEYWORDS.has(t.text.toUpperCase())) this.unexpected(t);
    return t;
  }

  private resolveField(t: Token): FieldDef {
    const name = t.text.replace(/^eventlogfile\./i, '');
    const field = findField(name, this.opts.version, { hourly: this.opts.hourly ?? true });
    if (!field) {
      throw this.error(
        t,
        'INVALID_FIELD',
        `No such column '${name}' on entity 'EventLogFile'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return field;
  }

  private wholeNumber(): number {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.num) || (t.num ?? -1) < 0) this.unexpected(t);
    return t.num ?? 0;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private peekWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.peekWord(word)) return false;
    this.i++;
    return true;
  }

  private keyword(word: string): void {
    if (!this.acceptWord(word)) this.unexpected(this.peek());
  }

  private acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) return false;
    this.i++;
    return true;
  }

  private punct(p: string): void {
    if (!this.acceptPunct(p)) this.unexpected(this.peek());
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
