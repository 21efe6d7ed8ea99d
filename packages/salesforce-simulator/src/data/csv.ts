/** CSV exactly as EventLogFiles are written: every value double-quoted, quotes doubled, LF line ends. */

/** One CSV line, including its trailing `\n`. */
export function csvLine(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    line += (i === 0 ? '"' : ',"') + (v.includes('"') ? v.replace(/"/g, '""') : v) + '"';
  }
  return line + '\n';
}

/** Number of records after the header of a CSV text, honouring quoted line breaks. */
export function countCsvRecords(csv: string): number {
  let records = 0;
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (c === 34 /* " */) {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (c === 10 /* \n */ && !inQuotes) {
      if (lineHasContent) records++;
      lineHasContent = false;
    } else if (c !== 13) {
      lineHasContent = true;
    }
  }
  if (lineHasContent) records++;
  return Math.max(0, records - 1);
}

/** The column names of a CSV text's header line (unquoted). */
export function csvHeader(csv: string): string[] {
  const end = csv.indexOf('\n');
  const line = (end < 0 ? csv : csv.slice(0, end)).replace(/\r$/, '');
  return line.split(',').map((name) => name.replace(/^"(.*)"$/, '$1'));
}
