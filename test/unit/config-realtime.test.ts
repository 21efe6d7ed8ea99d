/** `sources[].realtime`: defaults, validation, and the guard against collecting one activity on both channels. */
import { messageOf, minimalYaml, parse } from '../fixtures/config/helpers';

const realtime = (lines: string[], eventTypes = '    eventTypes: [URI]'): string =>
  minimalYaml([eventTypes, '    realtime:', ...lines.map((l) => `      ${l}`)].join('\n'));

describe('realtime configuration', () => {
  it('is absent unless configured, and takes the documented defaults', () => {
    expect(parse(minimalYaml()).sources[0]!.realtime).toBeUndefined();
    expect(parse(minimalYaml(['    eventTypes: [API]', '    realtime: {}'].join('\n'))).sources[0]!.realtime).toEqual({
      objects: ['LoginEvent', 'LogoutEvent', 'LoginAsEvent', 'UriEvent', 'SetupAuditTrail'],
      schedule: '* * * * *',
      overlap: 'refuse',
    });
  });

  it('reads objects, schedule and overlap as written', () => {
    const rt = parse(
      realtime(
        ['objects: [LoginEvent, SetupAuditTrail]', 'schedule: "*/2 * * * *"', 'overlap: both'],
        '    eventTypes: [Login]',
      ),
    ).sources[0]!.realtime;
    expect(rt).toEqual({ objects: ['LoginEvent', 'SetupAuditTrail'], schedule: '*/2 * * * *', overlap: 'both' });
  });

  it('refuses the same activity on both channels, naming both and the ways out', () => {
    const message = messageOf(realtime(['objects: [LogoutEvent, LoginEvent]'], '    eventTypes: [Login, URI]'));
    expect(message).toContain('sources[0].realtime.objects[1]');
    expect(message).toContain(
      'LoginEvent records the same activity as eventTypes Login (the hourly/daily log file): collecting both counts ' +
        'each event twice. Remove LoginEvent from realtime.objects or Login from eventTypes, or set ' +
        'realtime.overlap: both to keep both channels (told apart by p_log_type)',
    );
    expect(message).not.toContain('LogoutEvent records');
  });

  it('counts "*" as every EventLogFile type, and LightningUriEvent as overlapping URI', () => {
    expect(messageOf(realtime(['objects: [UriEvent]'], '    eventTypes: "*"'))).toMatch(
      /UriEvent records the same activity as eventTypes "\*" \(which includes URI\)/,
    );
    expect(messageOf(realtime(['objects: [LightningUriEvent]'], '    eventTypes: [URI]'))).toMatch(
      /LightningUriEvent records the same activity as eventTypes URI/,
    );
  });

  it('reports unknown objects, repeats, bad schedules and unknown keys', () => {
    expect(messageOf(realtime(['objects: [LoginEvnt]']))).toMatch(
      /"LoginEvnt" is not an object elfstream reads in real time \(did you mean "LoginEvent"\?\)/,
    );
    expect(messageOf(realtime(['objects: [SetupAuditTrail, SetupAuditTrail]']))).toMatch(
      /SetupAuditTrail is listed at \[0\] too/,
    );
    expect(messageOf(realtime(['objects: [SetupAuditTrail]', 'schedule: "every minute"']))).toMatch(
      /realtime\.schedule/,
    );
    expect(messageOf(realtime(['objects: [SetupAuditTrail]', 'overlp: both']))).toMatch(/overlp/);
  });
});
