import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes elfstream sets, so the Web UI and `temporal workflow list --query` can filter by them. */
export const SOURCE_ID = defineSearchAttributeKey('ElfSourceId', SearchAttributeType.KEYWORD);
export const EVENT_TYPE = defineSearchAttributeKey('ElfEventType', SearchAttributeType.KEYWORD);
export const LOG_DATE = defineSearchAttributeKey('ElfLogDate', SearchAttributeType.DATETIME);

/** Name -> type as the `temporal` CLI and the operator service spell them (registered by the dev setup). */
export const SEARCH_ATTRIBUTE_TYPES = {
  [SOURCE_ID.name]: 'Keyword',
  [EVENT_TYPE.name]: 'Keyword',
  [LOG_DATE.name]: 'Datetime',
} as const;
