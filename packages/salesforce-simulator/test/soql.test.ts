import { to15, to18 } from '../src/ids';
import type { RecordContext } from '../src/records';
import type { SimFile } from '../src/sim-file';
import { compareFiles } from '../src/sim-file';
import type { SoqlErrorCode } from '../src/soql';
import { executeSoql, parseSoql, SoqlError } from '../src/soql';

const NOW = Date.parse('2026-11-27T13:00:00Z');

function file(
  n: number,
  eventType: string,
  interval: 'Hourly' | 'Daily',
  sequence: number,
  logDate: string,
  created: string,
  bytes: number,
): SimFile {
  return {
    id: to18(`0AT5j0000ABCD${n}${n}`),
    eventType,
    logDateMs: Date.parse(logDate),
    createdMs: Date.parse(created),
    interval,
    sequence,
    content: { kind: 'csv', bytes: Buffer.alloc(bytes), rows: 1 },
    fieldNames: 'EVENT_TYPE',
    fieldTypes: 'String',
    apiVersion: 62,
  };
}

// A small world: two hourly files tie on CreatedDate, two daily files tie too.
const F1 = file(1, 'Login', 'Hourly', 1, '2026-11-26T10:00:00Z', '2026-11-26T14:05:00Z', 100);
const F2 = file(2, 'URI', 'Hourly', 1, '2026-11-26T10:00:00Z', '2026-11-26T14:05:00Z', 200);
const F3 = file(3, 'Login', 'Hourly', 2, '2026-11-26T10:00:00Z', '2026-11-26T22:00:00Z', 50);
const F4 = file(4, 'Login', 'Daily', 0, '2026-11-25T00:00:00Z', '2026-11-26T21:30:00Z', 5000);
const F5 = file(5, 'Logout', 'Daily', 0, '2026-11-25T00:00:00Z', '2026-11-26T21:30:00Z', 3000);
const F6 = file(6, 'API', 'Hourly', 1, '2026-11-27T09:00:00Z', '2026-11-27T12:00:00Z', 700);
const WORLD = [F6, F5, F4, F3, F2, F1].sort(compareFiles);
const ctx: RecordContext = {
  version: '62.0',
  systemUserId: to18('0055j0000SYSTEM'),
  length: (f) => (f.content.kind === 'csv' ? f.content.bytes.length : 0),
};

function run(soql: string, version = 62): string[] {
  return executeSoql(parseSoql(soql, { version, nowMs: NOW, objectAccessible: true }), WORLD, ctx).map((f) => f.id);
}

const ids = (...files: SimFile[]) => files.map((f) => f.id);

describe('SOQL subset: accepted queries', () => {
  it('keeps the world in (CreatedDate, Id) order, with ties on CreatedDate', () => {
    expect(WORLD[0]?.createdMs).toBe(WORLD[1]?.createdMs);
    expect(run('SELECT Id FROM EventLogFile')).toEqual(WORLD.map((f) => f.id));
  });

  const cases: [string, SimFile[]][] = [
    ["select id from eventlogfile where eventtype = 'login'", [F1, F4, F3]],
    ["SELECT Id FROM EventLogFile WHERE EventType = 'LOGIN' AND Interval = 'hourly'", [F1, F3]],
    [
      "SELECT Id, EventType FROM EventLogFile WHERE Interval = 'Hourly' AND EventType IN ('Login','URI') ORDER BY CreatedDate ASC, Id ASC",
      [F1, F2, F3],
    ],
    [
      `SELECT Id FROM EventLogFile WHERE (CreatedDate > 2026-11-26T14:05:00Z OR (CreatedDate = 2026-11-26T14:05:00Z AND Id > '${F1.id}')) ORDER BY CreatedDate, Id`,
      [F2, F4, F5, F3, F6],
    ],
    ['SELECT Id FROM EventLogFile WHERE Sequence != 0 ORDER BY CreatedDate DESC, Id DESC', [F6, F3, F2, F1]],
    ['SELECT Id FROM EventLogFile WHERE Sequence = 0', [F4, F5]],
    ["SELECT Id FROM EventLogFile WHERE Sequence <> 0 AND EventType = 'Login'", [F1, F3]],
    ['SELECT Id FROM EventLogFile WHERE LogDate = YESTERDAY', [F1, F2, F3]],
    ['SELECT Id FROM EventLogFile WHERE LogDate = Yesterday AND Sequence = 1', [F1, F2]],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate = TODAY', [F6]],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate = LAST_N_DAYS:1', [F1, F2, F4, F5, F3, F6]],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate = last_n_days:0', [F6]],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate >= LAST_N_DAYS:0', [F6]],
    // Documented range semantics: `>` means after the end of the range, which includes today.
    ['SELECT Id FROM EventLogFile WHERE CreatedDate > LAST_N_DAYS:2', []],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate < TODAY AND LogDate < YESTERDAY', [F4, F5]],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate <= 2026-11-26T15:05:00.000+01:00', [F1, F2]],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate = 2026-11-26T16:05:00+02:00', [F1, F2]],
    ["SELECT Id FROM EventLogFile WHERE NOT EventType = 'Login'", [F2, F5, F6]],
    ["SELECT Id FROM EventLogFile WHERE EventType NOT IN ('Login', 'URI')", [F5, F6]],
    ["SELECT Id FROM EventLogFile WHERE NOT (EventType = 'Login' OR Interval = 'Daily')", [F2, F6]],
    ['SELECT Id FROM EventLogFile WHERE LogFileLength > 1000', [F4, F5]],
    ['SELECT Id FROM EventLogFile WHERE LogFileLength >= 700.0 AND ApiVersion = 62', [F4, F5, F6]],
    ["SELECT Id FROM EventLogFile WHERE EventType LIKE 'log%'", [F1, F4, F5, F3]],
    ["SELECT Id FROM EventLogFile WHERE EventType LIKE '_RI'", [F2]],
    ['SELECT Id FROM EventLogFile ORDER BY LogFileLength DESC LIMIT 2', [F4, F5]],
    ['SELECT Id FROM EventLogFile ORDER BY CreatedDate LIMIT 2 OFFSET 1', [F2, F4]],
    ['SELECT Id FROM EventLogFile ORDER BY EventType, Sequence DESC', [F6, F3, F1, F4, F5, F2]],
    [`SELECT Id FROM EventLogFile WHERE Id = '${to15(F1.id)}'`, [F1]],
    [`SELECT Id FROM EventLogFile WHERE Id IN ('${F2.id}', '${to15(F6.id)}')`, [F2, F6]],
    ['SELECT Id FROM EventLogFile WHERE IsDeleted = false AND Interval != null LIMIT 1', [F1]],
    ['SELECT Id FROM EventLogFile WHERE Interval = null', []],
    ["SELECT Id FROM EventLogFile WHERE EventType = 'It\\'s'", []],
    ['SELECT EventLogFile.Id FROM EventLogFile WHERE EventLogFile.Sequence = 2', [F3]],
    ["SELECT Id FROM EventLogFile WHERE CreatedById = '0055j0000SYSTEM'", WORLD],
    [
      'SELECT Id\nFROM EventLogFile\nWHERE LogDate = LAST_N_DAYS:1\nORDER BY CreatedDate DESC NULLS LAST',
      [F6, F3, F1, F2],
    ],
  ];
  it.each(cases)('%s', (soql, expected) => {
    expect(run(soql)).toEqual(ids(...expected));
  });

  it('selects fields in SELECT order with Salesforce casing, and counts with COUNT()', () => {
    const q = parseSoql('select logfilelength, ID, interval from EVENTLOGFILE', {
      version: 62,
      nowMs: NOW,
      objectAccessible: true,
    });
    expect(q.fields.map((f) => f.name)).toEqual(['LogFileLength', 'Id', 'Interval']);
    const count = parseSoql("SELECT COUNT() FROM EventLogFile WHERE Interval = 'Daily'", {
      version: 62,
      nowMs: NOW,
      objectAccessible: true,
    });
    expect(count.count).toBe(true);
    expect(executeSoql(count, WORLD, ctx)).toHaveLength(2);
  });
});

describe('SOQL subset: rejected queries', () => {
  const cases: [string, SoqlErrorCode, string, number?][] = [
    [
      'SELECT Foo FROM EventLogFile',
      'INVALID_FIELD',
      "\nSELECT Foo FROM EventLogFile\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'EventLogFile'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    ],
    [
      'SELECT Id FROM Account',
      'INVALID_TYPE',
      "\nSELECT Id FROM Account\n               ^\nERROR at Row:1:Column:16\nsObject type 'Account' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    ],
    ['SELECT Id FROM EventLogFile WHERE', 'MALFORMED_QUERY', 'ERROR at Row:1:Column:34\nunexpected token: <EOF>'],
    ['SELECT Id EventLogFile', 'MALFORMED_QUERY', "unexpected token: 'EventLogFile'"],
    ['SELECT FROM EventLogFile', 'MALFORMED_QUERY', "unexpected token: 'FROM'"],
    [
      'SELECT Id FROM EventLogFile WHERE CreatedDate > 2026-11-27',
      'INVALID_FIELD',
      "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    ],
    [
      "SELECT Id FROM EventLogFile WHERE LogDate = '2026-11-27T00:00:00Z'",
      'INVALID_FIELD',
      "value of filter criterion for field 'LogDate' must be of type dateTime",
    ],
    [
      'SELECT Id FROM EventLogFile WHERE CreatedDate > 2023-12-19T21:04:35.000+0000',
      'MALFORMED_QUERY',
      "unexpected token: '2023-12-19T21:04:35.000+0000'",
    ],
    ['SELECT Id FROM EventLogFile WHERE CreatedDate > 2026-02-30T00:00:00Z', 'MALFORMED_QUERY', 'unexpected token'],
    ['SELECT Id FROM EventLogFile WHERE EventType = Login', 'MALFORMED_QUERY', "unexpected token: 'Login'"],
    [
      "SELECT Id FROM EventLogFile WHERE Sequence = '1'",
      'INVALID_FIELD',
      "field 'Sequence' must be of type integer and should not be enclosed in quotes",
    ],
    [
      'SELECT Id FROM EventLogFile WHERE EventType = 1',
      'INVALID_FIELD',
      "field 'EventType' must be of type string and should be enclosed in quotes",
    ],
    ["SELECT Id FROM EventLogFile WHERE IsDeleted = 'false'", 'INVALID_FIELD', 'must be of type boolean'],
    [
      "SELECT Id FROM EventLogFile WHERE Sequence = 1 AND EventType = 'API' OR Sequence = 0",
      'MALFORMED_QUERY',
      "unexpected token: 'OR'",
    ],
    ["SELECT Id FROM EventLogFile WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', 'invalid ID field: nope'],
    [
      "SELECT Id FROM EventLogFile WHERE LogFile = 'x'",
      'INVALID_FIELD',
      "field 'LogFile' can not be filtered in a query call",
    ],
    [
      'SELECT Id FROM EventLogFile ORDER BY LogFileFieldNames',
      'INVALID_FIELD',
      "field 'LogFileFieldNames' can not be sorted in a query call",
    ],
    [
      'SELECT Id, Interval FROM EventLogFile',
      'INVALID_FIELD',
      "No such column 'Interval' on entity 'EventLogFile'",
      36,
    ],
    ['SELECT Id FROM EventLogFile WHERE Sequence = 0', 'INVALID_FIELD', "No such column 'Sequence'", 36],
    ['SELECT EventType, COUNT(Id) FROM EventLogFile GROUP BY EventType', 'MALFORMED_QUERY', "unexpected token: '('"],
    ['SELECT Id FROM EventLogFile GROUP BY EventType', 'MALFORMED_QUERY', "unexpected token: 'GROUP'"],
    ['SELECT Id FROM EventLogFile LIMIT abc', 'MALFORMED_QUERY', "unexpected token: 'abc'"],
    ['SELECT Id FROM EventLogFile OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000'],
    ['SELECT Id, id FROM EventLogFile', 'MALFORMED_QUERY', 'duplicate field selected: Id'],
    ["SELECT Id FROM EventLogFile WHERE EventType = 'unterminated", 'MALFORMED_QUERY', 'unexpected token'],
    ['SELECT Id FROM EventLogFile WHERE Sequence > 0; DROP', 'MALFORMED_QUERY', "unexpected token: ';'"],
  ];
  it.each(cases)('%s → %s', (soql, code, message, version = 62) => {
    let error: unknown;
    try {
      parseSoql(soql, { version, nowMs: NOW, objectAccessible: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SoqlError);
    expect((error as SoqlError).errorCode).toBe(code);
    expect((error as SoqlError).message).toContain(message);
  });

  it('reports the row and column of errors in multi-line queries', () => {
    expect(() =>
      parseSoql('SELECT Id\nFROM EventLogFile\nWHERE Bogus = 1', { version: 62, nowMs: NOW, objectAccessible: true }),
    ).toThrow("\nWHERE Bogus = 1\n      ^\nERROR at Row:3:Column:7\nNo such column 'Bogus'");
  });

  it('hides EventLogFile when the user cannot see it', () => {
    expect(() =>
      parseSoql('SELECT Id FROM EventLogFile', { version: 62, nowMs: NOW, objectAccessible: false }),
    ).toThrow(
      expect.objectContaining({
        errorCode: 'INVALID_TYPE',
        reason: expect.stringContaining("sObject type 'EventLogFile' is not supported"),
      }),
    );
  });
});
