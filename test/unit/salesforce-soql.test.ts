import { SalesforceError } from '../../src/salesforce/errors';
import {
  buildEventLogFileListQuery,
  buildFieldLayoutQuery,
  buildHourlyProbeQuery,
  intervalFilter,
  isSalesforceId,
  soqlDateTime,
  soqlId,
  soqlInList,
  soqlString,
  type EventLogFileFieldSupport,
} from '../../src/salesforce/soql';

const full: EventLogFileFieldSupport = { interval: true, sequence: true, apiVersion: true };
const noInterval: EventLogFileFieldSupport = { interval: false, sequence: true, apiVersion: true };
const old: EventLogFileFieldSupport = { interval: false, sequence: false, apiVersion: true };

describe('soqlDateTime', () => {
  it.each([
    ['2026-11-27T13:00:00.000Z', 'floor', '2026-11-27T13:00:00Z'],
    ['2026-11-27T13:00:00.000+0000', 'floor', '2026-11-27T13:00:00Z'],
    ['2026-11-27T14:00:00+01:00', 'floor', '2026-11-27T13:00:00Z'],
    ['2026-11-27', 'floor', '2026-11-27T00:00:00Z'],
    ['2026-11-27T13:00:00.500Z', 'floor', '2026-11-27T13:00:00Z'],
    ['2026-11-27T13:00:00.500Z', 'ceil', '2026-11-27T13:00:01Z'],
    ['2026-11-27T13:00:00.000Z', 'ceil', '2026-11-27T13:00:00Z'],
    ['2026-12-31T23:59:59.001Z', 'ceil', '2027-01-01T00:00:00Z'],
  ] as const)('%s (%s) → %s', (input, rounding, expected) => {
    expect(soqlDateTime(input, rounding)).toBe(expected);
  });

  it('never produces the +0000 form that queries return', () => {
    expect(soqlDateTime('2026-11-27T13:00:00.000+0000')).not.toMatch(/\+0000|\.000/);
  });

  it('rejects values that are not datetimes', () => {
    expect(() => soqlDateTime('yesterday')).toThrow(RangeError);
    expect(() => soqlDateTime('2026-11-27T13:00:00')).toThrow(/time zone/);
  });
});

describe('soqlString', () => {
  it.each([
    ['Login', "'Login'"],
    ["O'Brien", "'O\\'Brien'"],
    ['back\\slash', "'back\\\\slash'"],
    ['say "hi"', '\'say \\"hi\\"\''],
    ['line\nbreak\ttab\r', "'line\\nbreak\\ttab\\r'"],
    ['Ünïcode ✓', "'Ünïcode ✓'"],
    ["' OR Id != '", "'\\' OR Id != \\''"],
  ])('%j → %s', (input, expected) => {
    expect(soqlString(input)).toBe(expected);
  });

  it('refuses control characters SOQL cannot express', () => {
    expect(() => soqlString('a\u0000b')).toThrow(/U\+0000/);
    expect(() => soqlString('a\u001bb')).toThrow(RangeError);
  });
});

describe('ids and IN lists', () => {
  it('recognises 15- and 18-character ids', () => {
    expect(isSalesforceId('0AT5j00002LqQTx')).toBe(true);
    expect(isSalesforceId('0AT5j00002LqQTxGAN')).toBe(true);
    expect(isSalesforceId('0AT5j00002LqQTxGA')).toBe(false);
    expect(isSalesforceId("0AT5j00002LqQ'x")).toBe(false);
  });

  it('quotes ids and refuses anything else', () => {
    expect(soqlId('0AT5j00002LqQTxGAN')).toBe("'0AT5j00002LqQTxGAN'");
    expect(() => soqlId("x' OR Id != '")).toThrow(SalesforceError);
  });

  it('builds IN lists with escaping', () => {
    expect(soqlInList(['Login', "It's"])).toBe("('Login', 'It\\'s')");
    expect(() => soqlInList([])).toThrow(RangeError);
  });
});

describe('intervalFilter', () => {
  it('uses Interval when the field exists', () => {
    expect(intervalFilter(full, 'Hourly')).toBe("Interval = 'Hourly'");
    expect(intervalFilter(full, 'Daily')).toBe("Interval = 'Daily'");
  });

  it('falls back to Sequence without Interval', () => {
    expect(intervalFilter(noInterval, 'Hourly')).toBe('Sequence != 0');
    expect(intervalFilter(noInterval, 'Daily')).toBe('Sequence = 0');
  });

  it('needs no filter for daily files before API 37.0 and refuses hourly ones', () => {
    expect(intervalFilter(old, 'Daily')).toBeUndefined();
    expect(() => intervalFilter(old, 'Hourly')).toThrow(expect.objectContaining({ kind: 'config' }));
  });
});

describe('buildEventLogFileListQuery', () => {
  it('builds the incremental query with the inclusive keyset bound', () => {
    const soql = buildEventLogFileListQuery({
      support: full,
      interval: 'Hourly',
      eventTypes: ['Login', 'Logout'],
      createdFrom: '2026-11-24T13:00:00.000Z',
      createdBefore: '2026-11-27T12:55:00.000Z',
      after: { createdDate: '2026-11-27T10:00:00.000Z', id: '0AT5j00002LqQTxGAN' },
      limit: 201,
    });
    expect(soql).toBe(
      'SELECT Id, EventType, LogDate, CreatedDate, LogFileLength, Interval, Sequence, ApiVersion FROM EventLogFile ' +
        "WHERE Interval = 'Hourly' AND EventType IN ('Login', 'Logout') " +
        'AND CreatedDate >= 2026-11-24T13:00:00Z AND CreatedDate <= 2026-11-27T12:55:00Z ' +
        "AND (CreatedDate > 2026-11-27T10:00:00Z OR (CreatedDate = 2026-11-27T10:00:00Z AND Id > '0AT5j00002LqQTxGAN')) " +
        'ORDER BY CreatedDate ASC, Id ASC LIMIT 201',
    );
  });

  it("accepts the cursor in Salesforce's +0000 form and converts it", () => {
    const soql = buildEventLogFileListQuery({
      support: full,
      interval: 'Daily',
      eventTypes: '*',
      after: { createdDate: '2026-11-27T10:00:00.000+0000', id: '0AT5j00002LqQTxGAN' },
      limit: 10,
    });
    expect(soql).toContain('CreatedDate = 2026-11-27T10:00:00Z');
    expect(soql).not.toContain('+0000');
  });

  it("omits the EventType filter for '*' (alone or in a list) and uses = for a single type", () => {
    const all = buildEventLogFileListQuery({ support: full, interval: 'Daily', eventTypes: ['*'], limit: 5 });
    expect(all.split(' WHERE ')[1]).not.toContain('EventType');
    const one = buildEventLogFileListQuery({ support: full, interval: 'Daily', eventTypes: ['URI'], limit: 5 });
    expect(one).toContain("EventType = 'URI'");
  });

  it('uses the LogDate half-open range for backfills', () => {
    const soql = buildEventLogFileListQuery({
      support: noInterval,
      interval: 'Daily',
      eventTypes: '*',
      logDateFrom: '2026-11-01',
      logDateTo: '2026-11-03T00:00:00Z',
      limit: 101,
    });
    expect(soql).toBe(
      'SELECT Id, EventType, LogDate, CreatedDate, LogFileLength, Sequence, ApiVersion FROM EventLogFile ' +
        'WHERE Sequence = 0 AND LogDate >= 2026-11-01T00:00:00Z AND LogDate < 2026-11-03T00:00:00Z ' +
        'ORDER BY CreatedDate ASC, Id ASC LIMIT 101',
    );
  });

  it('drops the tie branch for a cursor with milliseconds (it cannot tie with a whole-second CreatedDate)', () => {
    const soql = buildEventLogFileListQuery({
      support: full,
      interval: 'Daily',
      eventTypes: '*',
      after: { createdDate: '2026-11-27T10:00:00.250Z', id: '0AT5j00002LqQTxGAN' },
      limit: 2,
    });
    expect(soql).toContain('AND CreatedDate > 2026-11-27T10:00:00Z ORDER BY');
  });

  it('escapes hostile event type names', () => {
    const soql = buildEventLogFileListQuery({
      support: full,
      interval: 'Daily',
      eventTypes: ["Login') OR (Id != '"],
      limit: 2,
    });
    expect(soql).toContain("EventType = 'Login\\') OR (Id != \\''");
  });

  it('selects only the fields the org has', () => {
    const soql = buildEventLogFileListQuery({ support: old, interval: 'Daily', eventTypes: '*', limit: 1 });
    expect(soql).toBe(
      'SELECT Id, EventType, LogDate, CreatedDate, LogFileLength, ApiVersion FROM EventLogFile ' +
        'ORDER BY CreatedDate ASC, Id ASC LIMIT 1',
    );
  });

  it('rejects an empty event type list and a bad limit', () => {
    expect(() => buildEventLogFileListQuery({ support: full, interval: 'Daily', eventTypes: [], limit: 1 })).toThrow(
      /eventTypes/,
    );
    expect(() => buildEventLogFileListQuery({ support: full, interval: 'Daily', eventTypes: '*', limit: 0 })).toThrow(
      /LIMIT/,
    );
  });
});

describe('other queries', () => {
  it('field layout of one file', () => {
    expect(buildFieldLayoutQuery('0AT5j00002LqQTxGAN')).toBe(
      "SELECT Id, LogFileFieldNames, LogFileFieldTypes FROM EventLogFile WHERE Id = '0AT5j00002LqQTxGAN'",
    );
  });

  it('hourly probe', () => {
    expect(buildHourlyProbeQuery(full)).toBe("SELECT Id FROM EventLogFile WHERE Interval = 'Hourly' LIMIT 1");
    expect(buildHourlyProbeQuery(noInterval)).toBe('SELECT Id FROM EventLogFile WHERE Sequence != 0 LIMIT 1');
  });
});
