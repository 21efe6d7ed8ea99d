import {
  KIND_DATETIME,
  KIND_STRING,
  isIpFieldType,
  kindOfFieldType,
  splitFieldList,
  type ColumnKind,
} from './column-types';
import { EVENT_TIME_COLUMN, IP_ADDRESS_COLUMNS, TRACE_ID_COLUMNS, USERNAME_COLUMNS, schemaFor } from './event-schemas';
import { jsonString } from './json-text';

/**
 * Per-file preparation of the normalizer: how each header column is written (its JSON key, type and role), which
 * columns are new, and how the header compares with `LogFileFieldNames`. Done once per file so the per-row code
 * only indexes arrays.
 *
 * Type of a column: `LogFileFieldTypes` (parallel to `LogFileFieldNames`, or to the header when the names are
 * absent and the counts agree), else the built-in schema of the event type, else string. A column neither in
 * `LogFileFieldNames` nor in the built-in schema is unknown: kept as a string and reported.
 */

/** Roles of a column besides its value (bit flags). */
export const ROLE_IP = 1;
export const ROLE_TRACE = 2;
export const ROLE_USER = 4;

const RESERVED_PREFIX = 'p_';

/** The header differs from `LogFileFieldNames`; the header wins. */
export interface HeaderMismatch {
  expected: readonly string[];
  actual: readonly string[];
  /** In `LogFileFieldNames` but not in the header. */
  missing: readonly string[];
  /** In the header but not in `LogFileFieldNames`. */
  extra: readonly string[];
}

export interface ColumnPlan {
  keyFirst: string[];
  keyNext: string[];
  kinds: ColumnKind[];
  roles: number[];
  unknownColumns: string[];
  headerMismatch: HeaderMismatch | undefined;
  warnings: string[];
}

/** Resolves, once per file, each header column's JSON key, type and role. */
export function planColumns(
  eventType: string,
  header: readonly string[],
  options: { fieldNames?: string; fieldTypes?: string },
): ColumnPlan {
  const schema = schemaFor(eventType);
  const names = splitFieldList(options.fieldNames);
  const types = splitFieldList(options.fieldTypes);
  const warnings: string[] = [];
  const declared = new Map<string, string>();
  if (types !== undefined) {
    // Types are parallel to LogFileFieldNames; without the names, to the header if the counts agree.
    const typedNames = names ?? (types.length === header.length ? header : undefined);
    if (typedNames === undefined || typedNames.length !== types.length) {
      warnings.push(
        `LogFileFieldTypes has ${types.length} entries for ${typedNames?.length ?? header.length} field names; ignored`,
      );
    } else typedNames.forEach((name, i) => declared.set(name, types[i] as string));
  }

  let headerMismatch: HeaderMismatch | undefined;
  if (names !== undefined && (names.length !== header.length || names.some((nm, i) => nm !== header[i]))) {
    const inHeader = new Set(header);
    const inNames = new Set(names);
    headerMismatch = {
      expected: names,
      actual: [...header],
      missing: names.filter((nm) => !inHeader.has(nm)),
      extra: header.filter((h) => !inNames.has(h)),
    };
    warnings.push(
      `CSV header differs from LogFileFieldNames (the header wins): missing [${headerMismatch.missing.join(', ')}], ` +
        `extra [${headerMismatch.extra.join(', ')}]` +
        (headerMismatch.missing.length === 0 && headerMismatch.extra.length === 0 ? ', different order' : ''),
    );
  }

  const known = names !== undefined ? new Set(names) : undefined;
  const plan: ColumnPlan = {
    keyFirst: [],
    keyNext: [],
    kinds: [],
    roles: [],
    unknownColumns: [],
    headerMismatch,
    warnings,
  };
  const used = new Set<string>();
  header.forEach((name, i) => {
    const key = uniqueKey(name, i, used);
    if (key !== name) warnings.push(`column ${i + 1} ${JSON.stringify(name)} is written as ${JSON.stringify(key)}`);
    const type = declared.get(name) ?? schema?.columns[name];
    const isKnown = known?.has(name) === true || declared.has(name) || schema?.columns[name] !== undefined;
    // Without any reference (generic type, no LogFileFieldNames) no column can be called unknown.
    if (!isKnown && (known !== undefined || schema !== undefined)) plan.unknownColumns.push(name);
    const encodedKey = jsonString(key) + ':';
    plan.keyFirst.push(encodedKey);
    plan.keyNext.push(',' + encodedKey);
    plan.kinds.push(name === EVENT_TIME_COLUMN ? KIND_DATETIME : isKnown ? kindOfFieldType(type) : KIND_STRING);
    plan.roles.push(
      (IP_ADDRESS_COLUMNS.has(name) || isIpFieldType(type) ? ROLE_IP : 0) |
        (TRACE_ID_COLUMNS.has(name) ? ROLE_TRACE : 0) |
        (USERNAME_COLUMNS.has(name) ? ROLE_USER : 0),
    );
  });
  return plan;
}

/** JSON keys must be unique and must not collide with the p_* fields: rename such columns deterministically. */
function uniqueKey(name: string, index: number, used: Set<string>): string {
  let key = name === '' ? `column_${index + 1}` : name;
  if (key.startsWith(RESERVED_PREFIX)) key = '_' + key;
  if (used.has(key)) {
    let k = 2;
    while (used.has(`${key}_${k}`)) k++;
    key = `${key}_${k}`;
  }
  used.add(key);
  return key;
}
