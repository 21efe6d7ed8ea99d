import { fromSalesforceDateTime, parseSalesforceDateTime, toSalesforceDateTime } from '../../src/salesforce/dates';
import { resolveInterval, schemaFromDescribe, toEventLogFileMeta } from '../../src/salesforce/event-log-file';

describe('Salesforce datetimes', () => {
  it.each([
    ['2026-11-27T13:00:00.000+0000', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T13:00:00.000Z', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T13:00:00Z', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T14:30:00.000+0130', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T05:00:00-08:00', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T13:00:00.1234567Z', '2026-11-27T13:00:00.123Z'],
    ['2026-11-27', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27T00:30:00.000+0100', '2026-11-26T23:30:00.000Z'],
  ])('%s → %s', (sf, iso) => {
    expect(fromSalesforceDateTime(sf)).toBe(iso);
  });

  it('converts ISO back to the +0000 form queries print', () => {
    expect(toSalesforceDateTime('2026-11-27T13:00:00.000Z')).toBe('2026-11-27T13:00:00.000+0000');
    expect(toSalesforceDateTime('2026-11-27T14:00:00+01:00')).toBe('2026-11-27T13:00:00.000+0000');
  });

  it('round-trips', () => {
    const iso = '2024-02-29T23:59:59.999Z';
    expect(fromSalesforceDateTime(toSalesforceDateTime(iso))).toBe(iso);
  });

  it.each([
    '',
    'not a date',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-11-27T24:00:00Z',
    '2026-11-27T13:00',
  ])('rejects %j', (value) => {
    expect(() => parseSalesforceDateTime(value)).toThrow(RangeError);
  });
});

describe('EventLogFile records and describe', () => {
  it('maps a listed record to metadata with ISO instants', () => {
    expect(
      toEventLogFileMeta({
        Id: '0AT5j00002LqQTxGAN',
        EventType: 'Login',
        LogDate: '2026-11-27T13:00:00.000+0000',
        CreatedDate: '2026-11-27T17:04:35.000+0000',
        LogFileLength: 5120.0,
        Interval: 'Hourly',
        Sequence: 2,
        ApiVersion: 62.0,
      }),
    ).toEqual({
      id: '0AT5j00002LqQTxGAN',
      eventType: 'Login',
      logDate: '2026-11-27T13:00:00.000Z',
      createdDate: '2026-11-27T17:04:35.000Z',
      interval: 'Hourly',
      sequence: 2,
      logFileLength: 5120,
      apiVersion: 62,
    });
  });

  it('derives the interval from Sequence when Interval is absent or null', () => {
    const base = { Id: '0AT5j00002LqQTxGAN', EventType: 'URI', LogDate: '2026-11-27', CreatedDate: '2026-11-28' };
    expect(toEventLogFileMeta({ ...base, LogFileLength: 1, Sequence: 1 }).interval).toBe('Hourly');
    expect(toEventLogFileMeta({ ...base, LogFileLength: 1, Interval: null, Sequence: 0 }).interval).toBe('Daily');
    expect(toEventLogFileMeta({ ...base, LogFileLength: '7' })).toMatchObject({ interval: 'Daily', sequence: 0 });
  });

  it('reads field support and picklists from describe', () => {
    const schema = schemaFromDescribe({
      fields: [
        { name: 'Id' },
        {
          name: 'Interval',
          picklistValues: [
            { value: 'Daily', active: true },
            { value: 'Hourly', active: true },
          ],
        },
        { name: 'Sequence' },
        {
          name: 'EventType',
          picklistValues: [
            { value: 'Login', active: true },
            { value: 'Old', active: false },
          ],
        },
      ],
    });
    expect(schema).toEqual({
      support: { interval: true, sequence: true, apiVersion: false },
      intervalValues: ['Daily', 'Hourly'],
      eventTypes: ['Login'],
    });
  });

  it('resolves auto to hourly only when the org has it', () => {
    expect(resolveInterval('auto', true)).toBe('Hourly');
    expect(resolveInterval('auto', false)).toBe('Daily');
    expect(resolveInterval('Daily', true)).toBe('Daily');
  });
});
