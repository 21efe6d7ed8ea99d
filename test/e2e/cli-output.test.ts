/** The CLI's output helpers and argument checks, in process (no server needed). */
import { parseRequest } from '../../src/cli/commands/backfill';
import { CliError, ExitCode } from '../../src/cli/exit-codes';
import { formatInstant, formatTable, LiveLines, progressBar, truncate, type OutputStream } from '../../src/cli/output';
import { staticDetails, staticSummary } from '../../src/cli/start-sources';
import type { SourceConfig } from '../../src/config/types';

function capture(tty: boolean, columns = 80): OutputStream & { text: string } {
  const s = {
    text: '',
    isTTY: tty,
    columns,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s;
}

describe('output helpers', () => {
  it('aligns table columns and leaves the last one unpadded', () => {
    expect(
      formatTable(
        ['SOURCE', 'STATE', 'LAST ERROR'],
        [
          ['a', 'waiting', ''],
          ['longer-id', 'paused', 'boom'],
        ],
      ),
    ).toBe(['SOURCE     STATE    LAST ERROR', 'a          waiting', 'longer-id  paused   boom'].join('\n'));
  });

  it('formats instants, cuts text, draws progress bars', () => {
    expect(formatInstant('2026-11-28T10:15:00.000Z')).toBe('2026-11-28 10:15:00Z');
    expect(formatInstant(undefined)).toBe('—');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(progressBar(3, 12, 8)).toBe('[##------] 3/12');
    expect(progressBar(0, 0, 4)).toBe('[----] 0/0');
  });

  it('prints only changed lines when the output is not a terminal', () => {
    const out = capture(false);
    const live = new LiveLines(out);
    live.update(['a: 1 file', 'b: 0 files']);
    live.update(['a: 1 file', 'b: 0 files']);
    live.update(['a: 2 files', 'b: 0 files']);
    live.log('note');
    expect(out.text).toBe('a: 1 file\nb: 0 files\na: 2 files\nnote\n');
    expect(out.text).not.toContain('\x1b');
  });

  it('redraws in place on a terminal, within its width', () => {
    const out = capture(true, 30);
    const live = new LiveLines(out);
    live.update(['first', 'x'.repeat(50)]);
    expect(out.text).toBe(`\x1b[0Jfirst\n${'x'.repeat(28)}…\n`);
    out.text = '';
    live.update(['second']);
    expect(out.text).toBe('\x1b[2A\r\x1b[0Jsecond\n');
    out.text = '';
    live.log('message');
    expect(out.text).toBe('\x1b[1A\r\x1b[0Jmessage\n\x1b[0Jsecond\n');
  });
});

describe('backfill arguments', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('normalizes dates and instants to ISO-8601 UTC', () => {
    expect(parseRequest({ from: '2026-11-20', to: '2026-11-21T06:00:00+02:00', types: 'Login, URI' }, now)).toEqual({
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-21T04:00:00.000Z',
      eventTypes: ['Login', 'URI'],
    });
  });

  it.each([
    [{ from: '2026-11-21', to: '2026-11-20' }, 'must be before'],
    [{ from: 'nope', to: '2026-11-20' }, '--from must be an ISO-8601'],
    [{ from: '2026-11-20', to: '2026-11-21', types: ' , ' }, '--types needs at least one event type'],
    [{ from: '2026-09-01', to: '2026-09-02' }, '30-day EventLogFile retention'],
    [
      { from: '2026-11-20', to: '2026-11-21', types: 'Login,login' },
      '--types: "login" is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView" (did you mean "Login"?)',
    ],
  ])('rejects %j as a usage error', (opts, message) => {
    let error: unknown;
    try {
      parseRequest(opts, now);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
    expect((error as CliError).message).toContain(message);
  });
});

describe('start metadata', () => {
  const source = {
    id: 'acme-prod',
    label: 'Acme production',
    eventTypes: ['Login', 'URI'],
    interval: 'auto',
    schedule: '*/15 * * * *',
    startFrom: '-24h',
    salesforce: {
      loginUrl: 'https://acme.my.salesforce.com',
      apiVersion: '62.0',
      auth: { type: 'client-credentials', clientId: 'id', clientSecret: 'TOP-SECRET' },
    },
  } as SourceConfig;

  it('summarizes the source and details its settings without secrets', () => {
    expect(staticSummary(source)).toBe('Salesforce Event Monitoring: Acme production (acme-prod)');
    const details = staticDetails(source);
    expect(details).toContain('| Event types | Login, URI |');
    expect(details).toContain('`*/15 * * * *`');
    expect(details).not.toContain('TOP-SECRET');
  });

  it('keeps a long summary within Temporal’s 200 bytes', () => {
    const long = staticSummary({ ...source, label: 'é'.repeat(300) });
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('… (acme-prod)')).toBe(true);
  });
});
