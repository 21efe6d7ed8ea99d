/** Schema of `sources[].realtime`: the real-time channel (storage events and the Setup Audit Trail) of a source. */
import { z } from 'zod';
import { DEFAULT_REALTIME_OBJECTS, overlappingPairs, REALTIME_OBJECTS } from '../realtime/objects';
import { cronProblem } from '../workflows/cron';
import { didYouMean } from './did-you-mean';
import type { Parsed } from './formats';
import { closedObject, expecting, formatted, oneOf } from './schema-fields';
import type { RealtimeConfig } from './types';

export const REALTIME_DEFAULTS = { schedule: '* * * * *', overlap: 'refuse' } as const;

const OBJECT_NAMES = [...REALTIME_OBJECTS.keys()];

function parseObject(value: string): Parsed<string> {
  if (REALTIME_OBJECTS.has(value)) return { ok: true, value };
  return {
    ok: false,
    message: `${JSON.stringify(value)} is not an object elfstream reads in real time${didYouMean(value, OBJECT_NAMES)}; known: ${OBJECT_NAMES.join(', ')}`,
  };
}

function parseSchedule(value: string): Parsed<string> {
  const problem = cronProblem(value);
  return problem === undefined ? { ok: true, value: value.trim() } : { ok: false, message: problem };
}

const objects = z
  .array(formatted('a storage event object or SetupAuditTrail', parseObject), {
    error: expecting(`a list of objects (${OBJECT_NAMES.join(', ')})`),
  })
  .min(1)
  .superRefine((list, ctx) => {
    list.forEach((name, i) => {
      const first = list.indexOf(name);
      if (first !== i)
        ctx.addIssue({ code: 'custom', path: [i], message: `${name} is listed at [${first}] too`, input: undefined });
    });
  })
  .default([...DEFAULT_REALTIME_OBJECTS]);

/** Schema of one `realtime` mapping. */
export function realtimeSchema() {
  return closedObject(
    {
      objects,
      schedule: formatted('a 5-field cron expression', parseSchedule).default(REALTIME_DEFAULTS.schedule),
      overlap: oneOf(['refuse', 'both']).default(REALTIME_DEFAULTS.overlap),
    },
    'a realtime mapping (objects, schedule, overlap)',
  ).transform((v): RealtimeConfig => ({ objects: v.objects, schedule: v.schedule, overlap: v.overlap }));
}

/**
 * The overlap guard: with `overlap: refuse`, a source must not collect the same activity on both channels (an
 * EventLogFile type and its storage event), or every login would be counted twice. Reports each pair at the object.
 */
export function checkRealtimeOverlap(
  source: { eventTypes: readonly string[]; realtime?: RealtimeConfig },
  ctx: z.RefinementCtx,
): void {
  const rt = source.realtime;
  if (!rt || rt.overlap !== 'refuse') return;
  for (const { eventType, object } of overlappingPairs(source.eventTypes, rt.objects)) {
    const typeText = eventType === '*' ? 'eventTypes "*" (which includes' : `eventTypes ${eventType} (`;
    const same = REALTIME_OBJECTS.get(object)?.sameActivityAs.join('/') ?? '';
    ctx.addIssue({
      code: 'custom',
      path: ['realtime', 'objects', rt.objects.indexOf(object)],
      message:
        `${object} records the same activity as ${typeText}${eventType === '*' ? ` ${same})` : 'the hourly/daily log file)'}: ` +
        `collecting both counts each event twice. Remove ${object} from realtime.objects or ` +
        `${eventType === '*' ? `replace "*" with a list without ${same}` : `${eventType} from eventTypes`}, ` +
        'or set realtime.overlap: both to keep both channels (told apart by p_log_type)',
      input: undefined,
    });
  }
}
