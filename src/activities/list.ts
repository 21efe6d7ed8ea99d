import { heartbeat } from '@temporalio/activity';
import type { EventLogFileMeta } from '../salesforce/types';
import type { ActivityDeps } from './deps';
import { findSource } from './deps';
import { toActivityFailure } from './failures';
import type { ListBackfillFilesInput, ListFilesInput, ListFilesResult } from './types';

/**
 * Lists EventLogFiles created in the cycle's window, in (CreatedDate, Id) order, leaving out the ones the ledger
 * holds. Reads as many Salesforce pages as it takes to fill one page of new files, so re-listing the rescan horizon
 * costs API calls but not workflow history.
 */
export function makeListEventLogFiles(deps: ActivityDeps) {
  return async function listEventLogFiles(input: ListFilesInput): Promise<ListFilesResult> {
    const source = findSource(deps.config, input.sourceId);
    const client = deps.salesforce(source);
    const exclude = new Set(input.excludeIds);
    const files: EventLogFileMeta[] = [];
    let excluded = 0;
    let after = input.after;
    let more = true;
    try {
      while (more && files.length < input.pageSize) {
        client.assertApiBudget(source.apiReserve);
        const page = await client.listNewFiles({
          eventTypes: input.eventTypes,
          interval: input.interval,
          after,
          createdFrom: input.createdFrom,
          createdBefore: input.createdBefore,
          pageSize: input.pageSize,
        });
        for (const f of page.files) {
          after = { createdDate: f.createdDate, id: f.id };
          if (exclude.has(f.id)) excluded += 1;
          else files.push(f);
          if (files.length >= input.pageSize) break;
        }
        more = page.more || files.length >= input.pageSize;
        if (page.files.length === 0) more = false;
        heartbeat({ files: files.length, excluded });
      }
    } catch (err) {
      throw toActivityFailure(err);
    }
    return { files, excluded, lastSeen: after, next: more ? after : undefined };
  };
}

/** Lists a source's EventLogFiles by LogDate range for a backfill, one page at a time. */
export function makeListBackfillFiles(deps: ActivityDeps) {
  return async function listBackfillFiles(input: ListBackfillFilesInput): Promise<ListFilesResult> {
    const source = findSource(deps.config, input.sourceId);
    const client = deps.salesforce(source);
    try {
      client.assertApiBudget(source.apiReserve);
      const page = await client.listFilesByLogDate({
        eventTypes: input.eventTypes,
        interval: input.interval,
        logDateFrom: input.logDateFrom,
        logDateTo: input.logDateTo,
        after: input.after,
        pageSize: input.pageSize,
      });
      const last = page.files[page.files.length - 1];
      const lastSeen = last ? { createdDate: last.createdDate, id: last.id } : input.after;
      return { files: page.files, excluded: 0, lastSeen, next: page.more ? lastSeen : undefined };
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}
