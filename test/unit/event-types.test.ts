import { eventTypeProblem, eventTypeWarning } from '../../src/salesforce/event-types';
import { validateBackfill } from '../../src/workflows/source-state';

describe('event type names', () => {
  it('accepts known types and any well-formed name; a near miss of a known one is a warning', () => {
    expect(eventTypeProblem('LightningPageView')).toBeUndefined();
    expect(eventTypeProblem('QuantumTelemetry')).toBeUndefined();
    expect(eventTypeProblem('CspViolation')).toBeUndefined();
    expect(eventTypeProblem('CSPViolation')).toBeUndefined();
    expect(eventTypeWarning('CSPViolation')).toMatch(/did you mean "CspViolation"/);
    expect(eventTypeWarning('RestAPi')).toMatch(/did you mean "RestApi"/);
    expect(eventTypeWarning('QuantumTelemetry')).toBeUndefined();
    expect(eventTypeWarning('CspViolation')).toBeUndefined();
    expect(eventTypeProblem('login')).toBe(
      '"login" is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView" (did you mean "Login"?)',
    );
    expect(eventTypeProblem('Login;DROP')).toMatch(/single words like "Login"/);
    expect(eventTypeProblem('')).toMatch(/single words/);
  });

  it('backfill signals follow the same rule; histories from before keep refusing near misses', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    const range = { from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z' };
    expect(validateBackfill({ ...range, eventTypes: ['Login', 'QuantumTelemetry'] }, now)).toBeUndefined();
    expect(validateBackfill({ ...range, eventTypes: ['*'] }, now)).toBeUndefined();
    expect(validateBackfill({ ...range, eventTypes: ['Loginn'] }, now)).toBeUndefined();
    const legacy = { legacyEventTypes: true };
    expect(validateBackfill({ ...range, eventTypes: ['Loginn'] }, now, legacy)).toBe(
      'backfill "eventTypes": "Loginn" is not an EventLogFile event type (did you mean "Login"?)',
    );
    expect(validateBackfill({ ...range, eventTypes: ['CSPViolation'] }, now, legacy)).toBeUndefined();
  });

  it('backfill signals judge a name by its shape only, with no suggestion (the workflow knows no list)', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    const range = { from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z' };
    expect(validateBackfill({ ...range, eventTypes: ['login'] }, now)).toBe(
      'backfill "eventTypes": "login" is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView"',
    );
    expect(validateBackfill({ ...range, eventTypes: ['CspViolation', 'CSPViolation', 'Logins'] }, now)).toBeUndefined();
  });

  it('histories of 0.1.0 keep its frozen list: Salesforce spelling CspViolation was a near miss of its CSPViolation', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    const range = { from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z' };
    const legacy = { legacyEventTypes: true };
    expect(validateBackfill({ ...range, eventTypes: ['CspViolation'] }, now, legacy)).toBe(
      'backfill "eventTypes": "CspViolation" is not an EventLogFile event type (did you mean "CSPViolation"?)',
    );
    expect(validateBackfill({ ...range, eventTypes: ['QuantumTelemetry'] }, now, legacy)).toBeUndefined();
    expect(validateBackfill({ ...range, eventTypes: ['Log-In'] }, now, legacy)).toBe(
      'backfill "eventTypes": "Log-In" is not an EventLogFile event type (did you mean "Login"?)',
    );
    expect(validateBackfill({ ...range, eventTypes: ['Login;DROP TABLE'] }, now, legacy)).toMatch(/single words like/);
  });

  it('backfills reach as far back as the retention allows', () => {
    const now = Date.parse('2026-12-05T00:00:00Z');
    const day = 86_400_000;
    const range = { from: new Date(now - 201 * day).toISOString(), to: new Date(now - 199 * day).toISOString() };
    expect(validateBackfill(range, now)).toMatch(/beyond the org's 30-day EventLogFile retention/);
    expect(validateBackfill(range, now, { retentionMs: 365 * day })).toBeUndefined();
    expect(validateBackfill(range, now, { retentionMs: 90 * day })).toMatch(/beyond the org's 90-day/);
  });
});
