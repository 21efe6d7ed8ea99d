/**
 * The string value of top-level field `key` in one normalized event line, read without parsing the line; undefined
 * when absent or when the value holds escapes. The normalizer writes the `p_*` fields as plain strings, so this is
 * exact for them; in JSON text, `"key":"` with bare quotes can only be a key, since quotes inside values are escaped.
 */
export function plainStringField(line: string, key: string): string | undefined {
  const prefix = `"${key}":"`;
  const at = line.indexOf(prefix);
  if (at < 0) return undefined;
  const start = at + prefix.length;
  const end = line.indexOf('"', start);
  if (end < 0) return undefined;
  const value = line.slice(start, end);
  return value.includes('\\') ? undefined : value;
}
