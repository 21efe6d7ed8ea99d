/**
 * Output helpers shared by the commands: aligned tables, JSON, numbers and instants in one format, progress bars,
 * and live progress lines that rewrite themselves on a terminal and fall back to plain lines in logs and pipes.
 */

/** The part of a stream the helpers use; `process.stdout` and test doubles both fit. */
export interface OutputStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** Writes `text` followed by a line break. */
export function println(stream: OutputStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Writes `value` as indented JSON: the `--json` output, for `jq` and scripts. */
export function printJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Formats rows under headers, columns padded to their widest cell and separated by two spaces. The last column is
 * not padded, so long messages (last errors) do not drag trailing blanks along.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `12345` → `12,345`: counts read at a glance. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** An ISO instant as `2026-11-28 10:15:00Z` (UTC, seconds); `—` when absent or not a date. */
export function formatInstant(iso: string | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Shortens `text` to `max` characters, marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `[########------------] 12/30` */
export function progressBar(done: number, total: number, width = 20): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

const CSI = '\x1b[';

/**
 * A block of status lines that updates in place. On a terminal the block is redrawn where it stands (cursor up,
 * clear to the end of the screen, write), each line cut to the terminal width so a wrapped line cannot throw the
 * redraw off. Elsewhere (a pipe, a log file, CI) redrawing would litter the output with escape codes and repeats,
 * so a line is printed only when its text changed: callers keep countdowns out of the text for that reason.
 */
export class LiveLines {
  private readonly tty: boolean;
  private drawn: string[] = [];
  private printed: string[] = [];

  constructor(
    private readonly stream: OutputStream,
    opts: { tty?: boolean } = {},
  ) {
    this.tty = opts.tty ?? Boolean(stream.isTTY);
  }

  /** Shows `lines` as the current state. */
  update(lines: readonly string[]): void {
    if (this.tty) {
      this.redraw(lines);
      return;
    }
    lines.forEach((line, i) => {
      if (this.printed[i] !== line) println(this.stream, line);
    });
    this.printed = [...lines];
  }

  /** Prints a message above the block (logs, warnings) without breaking it. */
  log(message: string): void {
    if (!this.tty) {
      println(this.stream, message);
      return;
    }
    const lines = this.drawn;
    this.clear();
    println(this.stream, message);
    this.redraw(lines);
  }

  /** Leaves the last state on screen and stops managing it; later output starts below it. */
  done(): void {
    this.drawn = [];
    this.printed = [];
  }

  private clear(): void {
    if (this.drawn.length > 0) this.stream.write(`${CSI}${this.drawn.length}A\r${CSI}0J`);
    this.drawn = [];
  }

  private redraw(lines: readonly string[]): void {
    const width = Math.max(20, (this.stream.columns ?? 120) - 1);
    const fitted = lines.map((l) => truncate(l, width));
    const up = this.drawn.length > 0 ? `${CSI}${this.drawn.length}A\r` : '';
    this.stream.write(`${up}${CSI}0J${fitted.map((l) => `${l}\n`).join('')}`);
    this.drawn = fitted;
  }
}
