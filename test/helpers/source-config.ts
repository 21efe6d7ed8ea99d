import { CONFIG_DEFAULTS } from '../../src/config/defaults';
import type { SourceConfig } from '../../src/config/types';

/** A source as the config loader would build it: the given settings over the documented defaults, all event types. */
export function sourceConfig(
  p: Pick<SourceConfig, 'id' | 'label' | 'salesforce'> & Partial<SourceConfig>,
): SourceConfig {
  return { eventTypes: ['*'], ...CONFIG_DEFAULTS.source, ...p };
}
