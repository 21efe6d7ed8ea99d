import { eventTypeProblem } from '../../src/salesforce/event-types';
import { validateBackfill } from '../../src/workflows/source-state';

describe('event type names', () => {
  it('accepts known types and well-formed new ones; takes near misses for typos', () => {
    expect(eventTypeProblem('LightningPageView')).toBeUndefined();
    expect(eventTypeProblem('QuantumTelemetry')).toBeUndefined();
    expect(eventTypeProblem('login')).toBe('"login" is not an EventLogFile event type (did you mean "Login"?)');
    expect(eventTypeProblem('RestAPi')).toMatch(/did you mean "RestApi"/);
    expect(eventTypeProblem('Login;DROP')).toMatch(/single words like "Login"/);
    expect(eventTypeProblem('')).toMatch(/single words/);
  });

  it('backfill signals follow the same rule', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    const range = { from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z' };
    expect(validateBackfill({ ...range, eventTypes: ['Login', 'QuantumTelemetry'] }, now)).toBeUndefined();
    expect(validateBackfill({ ...range, eventTypes: ['*'] }, now)).toBeUndefined();
    expect(validateBackfill({ ...range, eventTypes: ['Loginn'] }, now)).toBe(
      'backfill "eventTypes": "Loginn" is not an EventLogFile event type (did you mean "Login"?)',
    );
  });
});
