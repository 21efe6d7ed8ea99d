import { MalformedRecord } from '../../src/events/malformed-record';
import { createRowNormalizer, type NormalizeOptions, type RowNormalizer } from '../../src/events/normalize';
import {
  ORG_ID,
  PARSE_TIME,
  contextFor,
  expectedRawRowId,
  expectedRowId,
  fixture,
  parseAll,
} from './events-test-helpers';

const SOURCE = { p_source_id: 'acme-prod', p_source_label: 'Acme Production' };

function sourceFile(eventType: string, row: number): Record<string, unknown> {
  return {
    id: '0AT5j00002LqQTxGAN',
    event_type: eventType,
    log_date: '2023-12-18T00:00:00.000Z',
    interval: 'Daily',
    sequence: 0,
    row,
  };
}

/** Normalizes a whole fixture; returns the lines and the normalizer (for its reports). */
function normalizeFixture(
  name: string,
  eventType: string,
  options: NormalizeOptions = {},
): { lines: string[]; normalizer: RowNormalizer; values: (string[] | undefined)[] } {
  const { header, records } = parseAll(fixture(name));
  const normalizer = createRowNormalizer(contextFor(eventType), header ?? [], options);
  const lines = records.map(({ row, record }) =>
    Array.isArray(record) ? normalizer(record, row) : normalizer.malformed(record, row),
  );
  return { lines, normalizer, values: records.map((r) => (Array.isArray(r.record) ? r.record : undefined)) };
}

/** The exact expected line: key order is the object literal's. */
const json = (o: Record<string, unknown>): string => JSON.stringify(o);

describe('createRowNormalizer: exact events', () => {
  it('Login (built-in schema): numbers, Salesforce.com IP, TIMESTAMP without ms and with a 2-digit fraction, unicode', () => {
    const { lines, values, normalizer } = normalizeFixture('login.csv', 'Login');
    const id = (i: number): string => expectedRowId(ORG_ID, 'Login', values[i] as string[]);
    expect(lines).toEqual([
      json({
        EVENT_TYPE: 'Login',
        TIMESTAMP: '20231218054831.655',
        REQUEST_ID: '4u6LyuMrDvb_G-l1cJIQk-',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT6I1',
        RUN_TIME: 1219,
        CPU_TIME: 127,
        URI: '/services/oauth2/token',
        LOGIN_KEY: 'bY5Wfv8t/Ith7WVE',
        USER_TYPE: 'Standard',
        DB_TOTAL_TIME: 1051271151,
        LOGIN_TYPE: 'i',
        BROWSER_TYPE: 'Go-http-client/1.1',
        API_VERSION: '9998.0',
        USER_NAME: 'salesforceinstance@devtest.in',
        TLS_PROTOCOL: 'TLSv1.2',
        CIPHER_SUITE: 'ECDHE-RSA-AES256-GCM-SHA384',
        TIMESTAMP_DERIVED: '2023-12-18T05:48:31.655Z',
        USER_ID_DERIVED: '0055j00000AT6I1AAL',
        CLIENT_IP: 'Salesforce.com IP',
        LOGIN_STATUS: 'LOGIN_NO_ERROR',
        SOURCE_IP: '103.108.207.58',
        p_log_type: 'Salesforce.Login',
        p_event_time: '2023-12-18T05:48:31.655Z',
        p_parse_time: PARSE_TIME,
        p_row_id: id(0),
        ...SOURCE,
        p_any_ip_addresses: ['103.108.207.58'],
        p_any_trace_ids: ['4u6LyuMrDvb_G-l1cJIQk-', 'bY5Wfv8t/Ith7WVE'],
        p_any_usernames: ['salesforceinstance@devtest.in'],
        p_source_file: sourceFile('Login', 1),
      }),
      json({
        EVENT_TYPE: 'Login',
        TIMESTAMP: '20231218060102',
        REQUEST_ID: '4u6Lz0aBcDe_F-g2hIJKl-',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT7K2',
        RUN_TIME: 88,
        CPU_TIME: 40,
        URI: '/index.jsp',
        LOGIN_KEY: 'Qw9Er8Ty7Ui6Op5A',
        USER_TYPE: 'Standard',
        REQUEST_STATUS: 'S',
        DB_TOTAL_TIME: 23819311,
        LOGIN_TYPE: 'a',
        BROWSER_TYPE:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "Chrome" 120.0',
        API_VERSION: '9998.0',
        USER_NAME: 'zoë.müller@例え.jp',
        TLS_PROTOCOL: 'TLSv1.3',
        CIPHER_SUITE: 'TLS_AES_128_GCM_SHA256',
        AUTHENTICATION_METHOD_REFERENCE: 'pwd',
        TIMESTAMP_DERIVED: '2023-12-18T06:01:02.000Z',
        USER_ID_DERIVED: '0055j00000AT7K2AAM',
        CLIENT_IP: '198.51.100.23',
        LOGIN_STATUS: 'LOGIN_NO_ERROR',
        SOURCE_IP: '198.51.100.23',
        p_log_type: 'Salesforce.Login',
        p_event_time: '2023-12-18T06:01:02.000Z',
        p_parse_time: PARSE_TIME,
        p_row_id: id(1),
        ...SOURCE,
        p_any_ip_addresses: ['198.51.100.23'],
        p_any_trace_ids: ['4u6Lz0aBcDe_F-g2hIJKl-', 'Qw9Er8Ty7Ui6Op5A'],
        p_any_usernames: ['zoë.müller@例え.jp'],
        p_source_file: sourceFile('Login', 2),
      }),
      json({
        EVENT_TYPE: 'Login',
        TIMESTAMP: '20231218061500.13',
        REQUEST_ID: '4u6M11xYzAb_C-d3eFGHi-',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT8L3',
        RUN_TIME: 15,
        CPU_TIME: 3,
        URI: '/services/Soap/u/59.0',
        USER_TYPE: 'Standard',
        REQUEST_STATUS: 'F',
        DB_TOTAL_TIME: 4000000,
        LOGIN_TYPE: 'u',
        BROWSER_TYPE: 'Apache-HttpClient/4.5.13 (Java/17.0.2)',
        API_TYPE: 'P',
        API_VERSION: '59.0',
        USER_NAME: 'api.user@acme.example',
        TLS_PROTOCOL: 'TLSv1.2',
        CIPHER_SUITE: 'ECDHE-RSA-AES256-GCM-SHA384',
        USER_ID_DERIVED: '0055j00000AT8L3AAN',
        CLIENT_IP: '2001:db8::1',
        LOGIN_STATUS: 'LOGIN_ERROR_INVALID_PASSWORD',
        SOURCE_IP: '2001:db8::1',
        p_log_type: 'Salesforce.Login',
        // No TIMESTAMP_DERIVED: from TIMESTAMP, where ".13" is 130 ms.
        p_event_time: '2023-12-18T06:15:00.130Z',
        p_parse_time: PARSE_TIME,
        p_row_id: id(2),
        ...SOURCE,
        p_any_ip_addresses: ['2001:db8::1'],
        p_any_trace_ids: ['4u6M11xYzAb_C-d3eFGHi-'],
        p_any_usernames: ['api.user@acme.example'],
        p_source_file: sourceFile('Login', 3),
      }),
    ]);
    expect(normalizer.unknownColumns).toEqual([]);
    expect(normalizer.headerMismatch).toBeUndefined();
    for (const line of lines) expect(JSON.parse(line)).toBeTruthy(); // valid JSON, one line
  });

  it('LoginAs: the delegating administrator is a username too', () => {
    const { lines, values } = normalizeFixture('login-as.csv', 'LoginAs');
    expect(lines).toEqual([
      json({
        EVENT_TYPE: 'LoginAs',
        TIMESTAMP: '20231218071234.567',
        REQUEST_ID: '3Kq9LmNoPqR_s-T4uVWXy-',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT6I1',
        RUN_TIME: 35,
        CPU_TIME: 12,
        URI: '/servlet/servlet.su',
        SESSION_KEY: 'Xy7Zk1Lm2No3Pq4R',
        LOGIN_KEY: 'Ab1Cd2Ef3Gh4Ij5K',
        DELEGATED_USER_NAME: 'admin@acme.example',
        DELEGATED_USER_ID: '0055j00000AT001',
        TIMESTAMP_DERIVED: '2023-12-18T07:12:34.567Z',
        USER_ID_DERIVED: '0055j00000AT6I1AAL',
        CLIENT_IP: '203.0.113.9',
        URI_ID_DERIVED: '0055j00000AT6I1AAL',
        DELEGATED_USER_ID_DERIVED: '0055j00000AT001AAA',
        p_log_type: 'Salesforce.LoginAs',
        p_event_time: '2023-12-18T07:12:34.567Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'LoginAs', values[0] as string[]),
        ...SOURCE,
        p_any_ip_addresses: ['203.0.113.9'],
        p_any_trace_ids: ['3Kq9LmNoPqR_s-T4uVWXy-', 'Xy7Zk1Lm2No3Pq4R', 'Ab1Cd2Ef3Gh4Ij5K'],
        p_any_usernames: ['admin@acme.example'],
        p_source_file: sourceFile('LoginAs', 1),
      }),
    ]);
  });

  it('Logout: booleans from 1/0, numeric codes, empty values omitted, no IP from Salesforce.com IP', () => {
    const { lines, values } = normalizeFixture('logout.csv', 'Logout');
    expect(lines).toEqual([
      json({
        EVENT_TYPE: 'Logout',
        TIMESTAMP: '20231218080000.001',
        REQUEST_ID: '5Rt6Yu7Io8Pa_S-D9fGHj-',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT7K2',
        USER_TYPE: 'S',
        SESSION_TYPE: 'U',
        SESSION_LEVEL: '1',
        BROWSER_TYPE: 'Chrome 120',
        PLATFORM_TYPE: 2003,
        RESOLUTION_TYPE: 1440,
        APP_TYPE: 1000,
        CLIENT_VERSION: 9,
        USER_INITIATED_LOGOUT: true,
        SESSION_KEY: 'Qw9Er8Ty7Ui6Op5A',
        LOGIN_KEY: 'Qw9Er8Ty7Ui6Op5A',
        TIMESTAMP_DERIVED: '2023-12-18T08:00:00.001Z',
        USER_ID_DERIVED: '0055j00000AT7K2AAM',
        CLIENT_IP: '198.51.100.23',
        p_log_type: 'Salesforce.Logout',
        p_event_time: '2023-12-18T08:00:00.001Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'Logout', values[0] as string[]),
        ...SOURCE,
        p_any_ip_addresses: ['198.51.100.23'],
        p_any_trace_ids: ['5Rt6Yu7Io8Pa_S-D9fGHj-', 'Qw9Er8Ty7Ui6Op5A'],
        p_source_file: sourceFile('Logout', 1),
      }),
      json({
        EVENT_TYPE: 'Logout',
        TIMESTAMP: '20231218081500.000',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT8L3',
        USER_TYPE: 'S',
        SESSION_TYPE: 'A',
        SESSION_LEVEL: '1',
        APP_TYPE: 2514,
        API_TYPE: 'E',
        API_VERSION: '59.0',
        USER_INITIATED_LOGOUT: false,
        LOGIN_KEY: 'Zx9Cv8Bn7Mm6Aa5S',
        TIMESTAMP_DERIVED: '2023-12-18T08:15:00.000Z',
        USER_ID_DERIVED: '0055j00000AT8L3AAN',
        CLIENT_IP: 'Salesforce.com IP',
        p_log_type: 'Salesforce.Logout',
        p_event_time: '2023-12-18T08:15:00.000Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'Logout', values[1] as string[]),
        ...SOURCE,
        p_any_trace_ids: ['Zx9Cv8Bn7Mm6Aa5S'],
        p_source_file: sourceFile('Logout', 2),
      }),
    ]);
  });

  it('URI (CRLF): an embedded line break, a new column kept as a string and reported, header vs LogFileFieldNames', () => {
    const fieldNames =
      'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,RUN_TIME,CPU_TIME,URI,SESSION_KEY,LOGIN_KEY,' +
      'REQUEST_STATUS,DB_TOTAL_TIME,DB_BLOCKS,DB_CPU_TIME,REFERRER_URI,TIMESTAMP_DERIVED,USER_ID_DERIVED,CLIENT_IP,' +
      'URI_ID_DERIVED,USER_TYPE';
    const { lines, values, normalizer } = normalizeFixture('uri-crlf.csv', 'URI', { fieldNames });
    expect(lines).toEqual([
      json({
        EVENT_TYPE: 'URI',
        TIMESTAMP: '20231218090001.250',
        REQUEST_ID: 'TID1aBcD',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT7K2',
        RUN_TIME: 61,
        CPU_TIME: 20,
        URI: '/lightning/r/Account/0015j00000ABCDEAA4/view',
        SESSION_KEY: 'Qw9Er8Ty7Ui6Op5A',
        LOGIN_KEY: 'Qw9Er8Ty7Ui6Op5A',
        REQUEST_STATUS: 'S',
        DB_TOTAL_TIME: 51234567,
        DB_BLOCKS: 120,
        DB_CPU_TIME: 10,
        REFERRER_URI: 'https://acme.lightning.force.com/lightning/page/home\r\nsecond line, with a comma',
        TIMESTAMP_DERIVED: '2023-12-18T09:00:01.250Z',
        USER_ID_DERIVED: '0055j00000AT7K2AAM',
        CLIENT_IP: '198.51.100.23',
        URI_ID_DERIVED: '0015j00000ABCDEAA4',
        USER_TYPE: 'Standard',
        NEW_COLUMN_X: 'surprise',
        p_log_type: 'Salesforce.URI',
        p_event_time: '2023-12-18T09:00:01.250Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'URI', values[0] as string[]),
        ...SOURCE,
        p_any_ip_addresses: ['198.51.100.23'],
        p_any_trace_ids: ['TID1aBcD', 'Qw9Er8Ty7Ui6Op5A'],
        p_source_file: sourceFile('URI', 1),
      }),
      json({
        EVENT_TYPE: 'URI',
        TIMESTAMP: '20231218090002.5',
        REQUEST_ID: 'TID2eFgH',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT7K2',
        URI: '/home/home.jsp',
        SESSION_KEY: 'Qw9Er8Ty7Ui6Op5A',
        LOGIN_KEY: 'Qw9Er8Ty7Ui6Op5A',
        REQUEST_STATUS: 'S',
        TIMESTAMP_DERIVED: '2023-12-18T09:00:02.500Z',
        USER_ID_DERIVED: '0055j00000AT7K2AAM',
        CLIENT_IP: '198.51.100.23',
        USER_TYPE: 'Standard',
        p_log_type: 'Salesforce.URI',
        p_event_time: '2023-12-18T09:00:02.500Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'URI', values[1] as string[]),
        ...SOURCE,
        p_any_ip_addresses: ['198.51.100.23'],
        p_any_trace_ids: ['TID2eFgH', 'Qw9Er8Ty7Ui6Op5A'],
        p_source_file: sourceFile('URI', 2),
      }),
    ]);
    expect(normalizer.unknownColumns).toEqual(['NEW_COLUMN_X']);
    expect(normalizer.headerMismatch).toMatchObject({ missing: [], extra: ['NEW_COLUMN_X'] });
  });

  it('a generic event type, typed by LogFileFieldTypes; a value that does not fit its type stays a string', () => {
    const fieldNames =
      'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,API_FAMILY,API_VERSION,API_RESOURCE,CLIENT_NAME,' +
      'HTTP_METHOD,CLIENT_IP,COUNTS_AGAINST_API_LIMIT,ENTITY_NAME,STATUS_CODE,TIMESTAMP_DERIVED,USER_ID_DERIVED';
    const fieldTypes =
      'String,String,String,Id,Id,String,String,String,String,String,IP,Boolean,String,Number,DateTime,Id';
    const { lines, values, normalizer } = normalizeFixture('api-total-usage.csv', 'ApiTotalUsage', {
      fieldNames,
      fieldTypes,
    });
    const common = {
      EVENT_TYPE: 'ApiTotalUsage',
    };
    expect(lines).toEqual([
      json({
        ...common,
        TIMESTAMP: '20231218100000.100',
        REQUEST_ID: '4ZzYy_Xx',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT8L3',
        API_FAMILY: 'REST',
        API_VERSION: '59.0',
        API_RESOURCE: '/sobjects/Account',
        CLIENT_NAME: 'acme-etl',
        HTTP_METHOD: 'GET',
        CLIENT_IP: '192.0.2.44',
        COUNTS_AGAINST_API_LIMIT: true,
        ENTITY_NAME: 'Account',
        STATUS_CODE: 200,
        TIMESTAMP_DERIVED: '2023-12-18T10:00:00.100Z',
        USER_ID_DERIVED: '0055j00000AT8L3AAN',
        p_log_type: 'Salesforce.ApiTotalUsage',
        p_event_time: '2023-12-18T10:00:00.100Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'ApiTotalUsage', values[0] as string[]),
        ...SOURCE,
        p_any_ip_addresses: ['192.0.2.44'],
        p_any_trace_ids: ['4ZzYy_Xx'],
        p_source_file: sourceFile('ApiTotalUsage', 1),
      }),
      json({
        ...common,
        TIMESTAMP: '20231218100001.200',
        REQUEST_ID: '4ZzYy_Xy',
        ORGANIZATION_ID: '00D5j00000DgAYG',
        USER_ID: '0055j00000AT8L3',
        API_FAMILY: 'REST',
        API_VERSION: '59.0',
        API_RESOURCE: '/query',
        CLIENT_NAME: 'acme-etl',
        HTTP_METHOD: 'GET',
        CLIENT_IP: '192.0.2.44',
        COUNTS_AGAINST_API_LIMIT: false,
        STATUS_CODE: 'not-a-number',
        TIMESTAMP_DERIVED: '2023-12-18T10:00:01.200Z',
        USER_ID_DERIVED: '0055j00000AT8L3AAN',
        p_log_type: 'Salesforce.ApiTotalUsage',
        p_event_time: '2023-12-18T10:00:01.200Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRowId(ORG_ID, 'ApiTotalUsage', values[1] as string[]),
        ...SOURCE,
        p_any_ip_addresses: ['192.0.2.44'],
        p_any_trace_ids: ['4ZzYy_Xy'],
        p_source_file: sourceFile('ApiTotalUsage', 2),
      }),
    ]);
    expect(normalizer.unknownColumns).toEqual([]);
  });

  it('malformed rows: exact error events, and every valid row around them', () => {
    const { lines } = normalizeFixture('malformed-middle.csv', 'Logout');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => 'p_parse_error' in e)).toHaveLength(5);
    expect(events.filter((e) => !('p_parse_error' in e)).map((e) => e.REQUEST_ID)).toEqual(['r1', 'r4', 'r6', 'r9']);
    const malformed = (row: number, error: string, raw: string, extra: Record<string, unknown> = {}): string =>
      json({
        p_log_type: 'Salesforce.Logout',
        p_event_time: '2023-12-18T00:00:00.000Z',
        p_parse_time: PARSE_TIME,
        p_row_id: expectedRawRowId(ORG_ID, 'Logout', raw),
        ...SOURCE,
        p_parse_error: error,
        p_raw: raw,
        ...extra,
        p_source_file: sourceFile('Logout', row),
      });
    const unterminated = 'a quote inside a quoted value is not doubled, or a quoted value is not terminated';
    expect(lines[1]).toBe(
      malformed(2, 'expected 5 columns, got 4', '"Logout","20231218110002.000","r2","b@acme.example"'),
    );
    expect(lines[2]).toBe(malformed(3, unterminated, '"Logout","20231218110003.000","r3","c@acme.example,"10.0.0.3"'));
    expect(lines[4]).toBe(malformed(5, unterminated, '"Logout","20231218110005.000","r5","e@acme.example","10.0.0.5'));
    expect(lines[6]).toBe(
      malformed(
        7,
        'expected 5 columns, got 6',
        '"Logout","20231218110007.000","r7","g@acme.example","10.0.0.7","extra"',
      ),
    );
    const rawBad = '"Logout","20231218110008.000","r8","bad\xffname@acme.example","10.0.0.8"';
    expect(lines[7]).toBe(
      malformed(8, 'invalid UTF-8 at byte 537 of the file', rawBad.replace('\xff', '\ufffd'), {
        p_raw_base64: Buffer.from(rawBad, 'latin1').toString('base64'),
      }),
    );
    // A valid row next to them is untouched.
    expect(events[8]).toMatchObject({ REQUEST_ID: 'r9', USER_NAME: 'i@acme.example', p_source_file: { row: 9 } });
  });

  it('marks a truncated raw text', () => {
    const n = createRowNormalizer(contextFor('Logout'), ['A']);
    const line = n.malformed(new MalformedRecord('COLUMN_COUNT', 'expected 1 columns, got 2', 'x,y', 0, 9, true), 4);
    expect(JSON.parse(line)).toMatchObject({ p_raw: 'x,y', p_raw_truncated: true, p_source_file: { row: 4 } });
  });

  it('reports a header that differs from LogFileFieldNames (a column inserted mid-row) and keeps the header order', () => {
    const fieldNames2023 = fixture('login.csv').toString('utf8').split('\n')[0]?.replace(/"/g, '') ?? '';
    const { lines, normalizer } = normalizeFixture('login-2021-header.csv', 'Login', { fieldNames: fieldNames2023 });
    expect(normalizer.headerMismatch).toMatchObject({ missing: ['LOGIN_TYPE', 'LOGIN_SUB_TYPE'], extra: [] });
    expect(normalizer.warnings[0]).toContain('CSV header differs from LogFileFieldNames');
    expect(normalizer.unknownColumns).toEqual([]);
    const event = JSON.parse(lines[0] as string) as Record<string, unknown>;
    const keys = Object.keys(event);
    expect(keys).not.toContain('LOGIN_TYPE');
    expect(keys.slice(0, 6)).toEqual([
      'EVENT_TYPE',
      'TIMESTAMP',
      'REQUEST_ID',
      'ORGANIZATION_ID',
      'USER_ID',
      'RUN_TIME',
    ]);
    expect(event.RUN_TIME).toBe(1219);
  });

  it('LogFileFieldTypes wins over the built-in schema; the header order wins over LogFileFieldNames', () => {
    const n = createRowNormalizer(contextFor('Logout'), ['APP_TYPE', 'USER_INITIATED_LOGOUT', 'EXTRA'], {
      fieldNames: 'USER_INITIATED_LOGOUT,APP_TYPE,EXTRA',
      fieldTypes: 'String,Number,IP',
    });
    const event = JSON.parse(n(['7', '1', '192.0.2.1'], 1)) as Record<string, unknown>;
    expect(Object.keys(event).slice(0, 3)).toEqual(['APP_TYPE', 'USER_INITIATED_LOGOUT', 'EXTRA']);
    expect(event).toMatchObject({ APP_TYPE: 7, USER_INITIATED_LOGOUT: '1', EXTRA: '192.0.2.1' });
    expect(event.p_any_ip_addresses).toEqual(['192.0.2.1']); // typed IP
    expect(n.headerMismatch).toMatchObject({ missing: [], extra: [] });
  });

  it('renames duplicate, empty and p_-prefixed column names so that keys stay unique', () => {
    const n = createRowNormalizer(contextFor('Foo'), ['A', 'A', '', 'p_row_id']);
    expect(Object.keys(JSON.parse(n(['1', '2', '3', '4'], 1)) as object).slice(0, 4)).toEqual([
      'A',
      'A_2',
      'column_3',
      '_p_row_id',
    ]);
    expect(n.warnings).toHaveLength(3);
  });

  it('keeps numbers digit for digit, normalizes other spellings, and splits X-Forwarded-For lists', () => {
    const n = createRowNormalizer(contextFor('Login'), ['RUN_TIME', 'CPU_TIME', 'DB_TOTAL_TIME', 'FORWARDED_FOR_IP'], {
      fieldNames: 'RUN_TIME,CPU_TIME,DB_TOTAL_TIME,FORWARDED_FOR_IP',
      fieldTypes: 'Number,Number,Number,String',
    });
    const line = n(['12345678901234567890', '007', '1e999', '203.0.113.7, 10.1.2.3, unknown'], 1);
    expect(line.startsWith('{"RUN_TIME":12345678901234567890,"CPU_TIME":7,"DB_TOTAL_TIME":"1e999",')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ p_any_ip_addresses: ['203.0.113.7', '10.1.2.3'] });
  });

  it('falls back to LogDate for p_event_time and escapes control characters', () => {
    const n = createRowNormalizer(contextFor('Foo', { logDate: '2023-12-18T05:00:00.000+0000' }), ['TIMESTAMP', 'X']);
    const event = JSON.parse(n(['garbage', 'tab\there\u0001'], 3)) as Record<string, unknown>;
    expect(event).toMatchObject({
      TIMESTAMP: 'garbage',
      X: 'tab\there\u0001',
      p_event_time: '2023-12-18T05:00:00.000Z',
    });
    expect(event.p_source_file).toMatchObject({ log_date: '2023-12-18T05:00:00.000Z' });
  });
});
