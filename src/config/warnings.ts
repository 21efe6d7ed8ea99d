/**
 * What a valid configuration may still get wrong: settings that are accepted but probably mistyped. Reported as
 * warnings, never errors, because Salesforce adds event types in every release and elfstream's list can lag.
 */
import { eventTypeWarning } from '../salesforce/event-types';
import type { ConfigIssue } from './errors';
import type { ElfstreamConfig } from './types';

/** One warning per configured event type that is a near miss of a known one, naming where it is. */
export function configWarnings(config: Pick<ElfstreamConfig, 'sources'>): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  config.sources.forEach((source, i) => {
    source.eventTypes.forEach((type, j) => {
      const message = type === '*' ? undefined : eventTypeWarning(type);
      if (message !== undefined) warnings.push({ path: `sources[${i}].eventTypes[${j}]`, message });
    });
  });
  return warnings;
}
