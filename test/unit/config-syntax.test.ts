import {
  DEFAULT_EVENT_TYPES,
  KNOWN_EVENT_TYPES,
  isKnownEventType,
  suggestEventType,
} from '../../src/salesforce/event-types';
import {
  checkCronSyntax,
  closestMatch,
  didYouMean,
  editDistance,
  interpolateString,
  parseDuration,
} from '../../src/config';

describe('parseDuration', () => {
  it.each([
    ['5m', 300_000],
    ['72h', 259_200_000],
    ['-24h', -86_400_000],
    ['30s', 30_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    ['0s', 0],
    ['PT5M', 300_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 129_600_000],
    ['P1W', 604_800_000],
    ['-PT24H', -86_400_000],
    ['PT0.5S', 500],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '5 m', '5min', 'm5', '--5m', 'P', 'PT', 'P1M', 'P1Y', 'PT5', '5M', 'P1H', 'abc'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('checkCronSyntax', () => {
  it.each([
    '* * * * *',
    '*/15 * * * *',
    '0 0 1 1 0',
    '59 23 31 12 7',
    '0,30 8-18/2 * 1-6,9 1-5',
    '5/10 * * * *',
    '  0   * * * *  ',
  ])('accepts %j', (expression) => {
    expect(checkCronSyntax(expression)).toBeUndefined();
  });

  it.each([
    ['*/15 * * *', '"*/15 * * *" is not a 5-field cron expression (minute hour day-of-month month day-of-week)'],
    ['* * * * * *', '"* * * * * *" is not a 5-field cron expression (minute hour day-of-month month day-of-week)'],
    ['', '"" is not a 5-field cron expression (minute hour day-of-month month day-of-week)'],
    [
      '@hourly',
      '"@hourly" is a cron macro; macros are not supported, write the 5 fields (e.g. "0 * * * *" for hourly)',
    ],
    ['60 * * * *', '"60 * * * *" is not a valid cron expression: minute 60 is out of range 0-59'],
    ['0 24 * * *', '"0 24 * * *" is not a valid cron expression: hour 24 is out of range 0-23'],
    ['0 0 0 * *', '"0 0 0 * *" is not a valid cron expression: day-of-month 0 is out of range 1-31'],
    ['0 0 * 13 *', '"0 0 * 13 *" is not a valid cron expression: month 13 is out of range 1-12'],
    ['0 0 * * 8', '"0 0 * * 8" is not a valid cron expression: day-of-week 8 is out of range 0-7'],
    ['*/0 * * * *', '"*/0 * * * *" is not a valid cron expression: minute step "0" must be a positive integer'],
    ['*/75 * * * *', '"*/75 * * * *" is not a valid cron expression: minute step 75 is larger than 59'],
    ['0 18-8 * * *', '"0 18-8 * * *" is not a valid cron expression: hour range 18-8 runs backwards'],
    [
      '0 0 * JAN *',
      '"0 0 * JAN *" is not a valid cron expression: month "JAN" is not a number, *, a range (a-b), a step (*/n, a-b/n) or a list of those',
    ],
    [
      '1,,2 * * * *',
      '"1,,2 * * * *" is not a valid cron expression: minute "" is not a number, *, a range (a-b), a step (*/n, a-b/n) or a list of those',
    ],
    [
      '0 0 ? * *',
      '"0 0 ? * *" is not a valid cron expression: day-of-month "?" is not a number, *, a range (a-b), a step (*/n, a-b/n) or a list of those',
    ],
  ])('rejects %j', (expression, message) => {
    expect(checkCronSyntax(expression)).toBe(message);
  });
});

describe('interpolateString', () => {
  const env = { A: 'alpha', EMPTY: '', NESTED: '${A}' };

  it.each([
    ['plain', 'plain'],
    ['${A}', 'alpha'],
    ['x-${A}-${A}-y', 'x-alpha-alpha-y'],
    ['$${A}', '${A}'],
    ['$$${A}', '$${A}'],
    ['$A and $ and $$', '$A and $ and $$'],
    ['[${EMPTY}]', '[]'],
    ['${NESTED}', '${A}'],
  ])('%j -> %j', (text, value) => {
    expect(interpolateString(text, env)).toEqual({ value, problems: [] });
  });

  it('reports missing variables, unclosed and malformed references; secret text is never quoted', () => {
    expect(interpolateString('${MISSING} ${A', env).problems).toEqual([
      'environment variable MISSING is not set',
      '"${" is not closed by "}" (write "$${" for a literal "${")',
    ]);
    expect(interpolateString('${1X}', env).problems).toEqual([
      '"${1X}" does not name an environment variable (letters, digits and _, not starting with a digit; write "$${" for a literal "${")',
    ]);
    expect(interpolateString('${hunter 2}', env, true).problems).toEqual([
      'a "${...}" reference does not name an environment variable (letters, digits and _, not starting with a digit; write "$${" for a literal "${")',
    ]);
  });
});

describe('did you mean', () => {
  it('measures edits, counting a transposition as one', () => {
    expect(editDistance('Login', 'Login')).toBe(0);
    expect(editDistance('Loginn', 'Login')).toBe(1);
    expect(editDistance('Loign', 'Login')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('prefers a case-insensitive match, then the nearest within 2 edits', () => {
    expect(closestMatch('PASSWORD', ['passwordFile', 'password'])).toBe('password');
    expect(closestMatch('pasword', ['username', 'password'])).toBe('password');
    expect(closestMatch('xyz', ['username', 'password'])).toBeUndefined();
    expect(closestMatch('ab', ['API'])).toBeUndefined();
    expect(didYouMean('taskqueue', ['taskQueue'])).toBe(' (did you mean "taskQueue"?)');
    expect(didYouMean('completely-different', ['taskQueue'])).toBe('');
  });
});

describe('EventLogFile event types', () => {
  it('knows the default types and the other documented ones, without duplicates', () => {
    expect(DEFAULT_EVENT_TYPES).toEqual(['Login', 'LoginAs', 'Logout', 'URI']);
    for (const type of [
      ...DEFAULT_EVENT_TYPES,
      'ApiTotalUsage',
      'RestApi',
      'ReportExport',
      'LightningPageView',
      'WaveChange',
    ]) {
      expect(isKnownEventType(type)).toBe(true);
    }
    expect(new Set(KNOWN_EVENT_TYPES).size).toBe(KNOWN_EVENT_TYPES.length);
    expect(KNOWN_EVENT_TYPES.length).toBeGreaterThanOrEqual(70);
    expect(Object.isFrozen(KNOWN_EVENT_TYPES)).toBe(true);
  });

  it('is case-sensitive', () => {
    expect(isKnownEventType('login')).toBe(false);
    expect(isKnownEventType('uri')).toBe(false);
    expect(isKnownEventType('*')).toBe(false);
  });

  it.each([
    ['login', 'Login'],
    ['LOGINAS', 'LoginAs'],
    ['uri', 'URI'],
    ['Loginn', 'Login'],
    ['Logut', 'Logout'],
    ['RestAPI', 'RestApi'],
    ['ApiTotalUsag', 'ApiTotalUsage'],
    ['Login', 'Login'],
  ])('suggests %j -> %j', (input, suggestion) => {
    expect(suggestEventType(input)).toBe(suggestion);
  });

  it.each(['Nonsense', 'x', 'LoginHistoryEvents'])('suggests nothing for %j', (input) => {
    expect(suggestEventType(input)).toBeUndefined();
  });
});
