/**
 * The Salesforce client of one source: login with permission checks, EventLogFile listing with the checkpoint
 * rules, per-file CSV layout, streaming LogFile download, and API-usage tracking. Sessions come from the
 * {@link SessionPool}; queries from `query-records.ts`; downloads from `log-file-download.ts`.
 */
import type { SourceConfig } from '../config/types';
import { versionNumber } from './api-version';
import { retentionText } from './error-messages';
import { SalesforceError } from './errors';
import { eventTypeSince } from './event-types';
import type { ApiUsage } from './api-usage';
import {
  schemaFromDescribe,
  toEventLogFileMeta,
  type EventLogFileRecord,
  type EventLogFileSchema,
} from './event-log-file';
import { openLogFileStream, type LogFileDownload } from './log-file-download';
import { lookupUsername, readDailyApiUsage } from './org-details';
import { queryRecords } from './query-records';
import { queryRealtimeObject, type RealtimeQueryResult } from './realtime-query';
import { SessionPool } from './session-pool';
import type { CallContext, SalesforceLogger, SalesforceSession } from './session';
import {
  buildEventLogFileListQuery,
  buildFieldLayoutQuery,
  buildHourlyProbeQuery,
  buildLogDateBoundQuery,
  PERMISSION_PROBE_QUERY,
  type EventLogFileListQuery,
  type FileCursor,
} from './soql';
import type { EventLogFileMeta, LogInterval, OrgInfo } from './types';

/** Options of {@link SalesforceClient.forSource}. */
export interface SalesforceClientOptions {
  /** Receives login, refresh and warning lines (never secrets). Temporal's activity logger fits. */
  logger?: SalesforceLogger;
  /** Identifies elfstream to Salesforce (`Sforce-Call-Options: client=…`, User-Agent of downloads). */
  userAgent?: string;
  /** The session cache; default {@link SessionPool.shared} (one session per org and credentials per process). */
  pool?: SessionPool;
}

/** Input of {@link SalesforceClient.listNewFiles}. */
export interface ListNewFilesQuery {
  eventTypes: readonly string[] | '*';
  interval: LogInterval;
  /** Keyset position: only files strictly after this (CreatedDate, Id). */
  after?: FileCursor;
  /** Inclusive lower bound of CreatedDate (ISO-8601). */
  createdFrom: string;
  /** Inclusive upper bound of CreatedDate: the caller subtracts the settle window. */
  createdBefore: string;
  /** Most files returned (1..10 000). */
  pageSize: number;
  /** Records per REST page (`Sforce-Query-Options: batchSize`, 200..2000). Default: pageSize + 1, at most 2000. */
  batchSize?: number;
}

/** Input of {@link SalesforceClient.listFilesByLogDate}. */
export interface ListFilesByLogDateQuery {
  eventTypes: readonly string[] | '*';
  interval: LogInterval;
  /** Inclusive lower bound of LogDate (ISO-8601). */
  logDateFrom: string;
  /** Exclusive upper bound of LogDate. */
  logDateTo: string;
  /** Keyset position, as for {@link ListNewFilesQuery.after}: (CreatedDate, Id) of the last file seen. */
  after?: FileCursor;
  /** Optional inclusive upper bound of CreatedDate (the settle window). */
  createdBefore?: string;
  pageSize: number;
  batchSize?: number;
}

/** One page of a listing, ordered by (CreatedDate, Id). */
export interface FilesPage {
  files: EventLogFileMeta[];
  /** More files match after the last one returned (continue with `after` = the last file). */
  more: boolean;
}

/** The CSV layout Salesforce declares for one file. */
export interface FieldLayout {
  /** `LogFileFieldNames`: comma-separated, ordered column names. */
  fieldNames?: string;
  /** `LogFileFieldTypes`: comma-separated types parallel to the names. */
  fieldTypes?: string;
}

/** How long a describe of EventLogFile is reused (it changes only with releases and org settings). */
const SCHEMA_TTL_MS = 60 * 60 * 1000;
const MAX_PAGE_SIZE = 10_000;

const silentLogger: SalesforceLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The client of one source. Cheap to create: it shares its session (login, token, API usage) with every other
 * client of the same org and credentials through the {@link SessionPool}.
 *
 * Every method throws (or, for streams, emits) {@link SalesforceError}s only, plus an `AbortError` for an aborted
 * download.
 */
export class SalesforceClient {
  readonly sourceId: string;
  private readonly logger: SalesforceLogger;

  private constructor(
    private readonly source: SourceConfig,
    private readonly sessionOrError: SalesforceSession | SalesforceError,
    private readonly options: SalesforceClientOptions,
  ) {
    this.sourceId = source.id;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * The client for a configured source. No I/O (the session logs in on first use) and never throws: an unusable
   * login URL or API version surfaces as a `config` SalesforceError from the first method called, inside the
   * caller's error handling.
   */
  static forSource(source: SourceConfig, opts: SalesforceClientOptions = {}): SalesforceClient {
    const pool = opts.pool ?? SessionPool.shared;
    let session: SalesforceSession | SalesforceError;
    try {
      session = pool.get(source.salesforce, { userAgent: opts.userAgent });
    } catch (err) {
      if (!(err instanceof SalesforceError)) throw err;
      session = err.withContext({ sourceId: source.id });
    }
    return new SalesforceClient(source, session, opts);
  }

  /** The shared session, or the configuration error that prevents one. */
  private get session(): SalesforceSession {
    if (this.sessionOrError instanceof SalesforceError) throw this.sessionOrError;
    return this.sessionOrError;
  }

  /**
   * Logs in (or reuses the session) and verifies that the user can read EventLogFile: runs
   * `SELECT Id FROM EventLogFile LIMIT 1` and describes EventLogFile, so a missing 'View Event Log Files' /
   * 'API Enabled' permission or an org without Event Monitoring fails here with an actionable message.
   *
   * `hourlyAvailable` rule: the describe has the `Interval` field (documented as present only for orgs with hourly
   * files) **and** at least one `Interval = 'Hourly'` file exists (one `LIMIT 1` query). The Interval picklist is
   * not used as evidence: a restricted picklist's describe lists all its values whether or not the org publishes
   * hourly files. An org that has just enabled hourly files therefore reports `false` until its first hourly file
   * appears; a positive answer is remembered for the session's lifetime.
   *
   * `apiUsage` comes from the `Sforce-Limit-Info` header of these calls, or from `/limits` when no header came.
   *
   * @throws SalesforceError
   */
  async login(): Promise<OrgInfo> {
    await this.session.ensureLoggedIn(this.call());
    await queryRecords<{ Id: string }>(this.session, PERMISSION_PROBE_QUERY, { ...this.call(), max: 1 });
    // Described afresh at every login: whether the org has hourly files (the Interval field) can change, and a
    // listing must never name a field the org no longer has.
    const schema = await this.eventLogFileSchema({ fresh: true });
    const hourlyAvailable = schema.support.interval && (await this.hasHourlyFiles(schema));
    const unavailableEventTypes = this.unavailableEventTypes(schema);
    if (unavailableEventTypes.length > 0) {
      this.logger.warn(
        `Configured event types the org does not offer at API version ${this.session.apiVersion}: ` +
          unavailableEventTypes.map((u) => `${u.eventType} (${u.reason})`).join('; '),
        { sourceId: this.sourceId, unavailable: unavailableEventTypes.map((u) => u.eventType) },
      );
    }
    if (this.source.interval === 'Hourly' && !hourlyAvailable) {
      this.logger.warn('The source asks for hourly EventLogFiles but the org does not seem to publish them', {
        sourceId: this.sourceId,
      });
    }
    // Read the identity after the calls above: a refresh during them may have replaced the session.
    const identity = await this.session.ensureLoggedIn(this.call());
    const username = identity.username ?? (await lookupUsername(this.session, identity, this.call()));
    const apiUsage = this.session.usage.current() ?? (await readDailyApiUsage(this.session, this.call()));
    return {
      orgId: identity.orgId,
      userId: identity.userId,
      username,
      instanceUrl: identity.instanceUrl,
      apiVersion: this.session.apiVersion,
      ...(apiUsage ? { apiUsage } : {}),
      hourlyAvailable,
      ...(unavailableEventTypes.length > 0 ? { unavailableEventTypes } : {}),
    };
  }

  /**
   * New files by CreatedDate: `CreatedDate >= createdFrom AND CreatedDate <= createdBefore`, after the keyset
   * position `(CreatedDate > c OR (CreatedDate = c AND Id > id))`, one interval (`Interval = …`, or `Sequence`
   * without that field), the event types (all for `'*'`), ordered `CreatedDate ASC, Id ASC`.
   *
   * Returns at most `pageSize` files (`LIMIT pageSize + 1` tells whether there are more), following
   * `nextRecordsUrl` when Salesforce splits the result into batches.
   *
   * @throws SalesforceError
   */
  async listNewFiles(q: ListNewFilesQuery): Promise<FilesPage> {
    return this.list(q, { createdFrom: q.createdFrom, createdBefore: q.createdBefore });
  }

  /**
   * Files whose LogDate is in `[logDateFrom, logDateTo)`, for backfills. Same ordering and keyset paging as
   * {@link listNewFiles} — by (CreatedDate, Id), not LogDate, so a backfill resumes with the same kind of cursor
   * and sees late files (new CreatedDate, old LogDate) at its end.
   *
   * @throws SalesforceError
   */
  async listFilesByLogDate(q: ListFilesByLogDateQuery): Promise<FilesPage> {
    return this.list(q, { logDateFrom: q.logDateFrom, logDateTo: q.logDateTo, createdBefore: q.createdBefore });
  }

  /**
   * The LogDates of the oldest and newest files of these event types (and interval), or undefined when the org has
   * none: Salesforce keeps files for 30 days, so this is the range a backfill can cover.
   *
   * @throws SalesforceError
   */
  async logDateRange(q: {
    eventTypes: readonly string[] | '*';
    interval?: LogInterval;
  }): Promise<{ first: string; last: string } | undefined> {
    const schema = await this.eventLogFileSchema();
    const bound = async (order: 'ASC' | 'DESC'): Promise<string | undefined> => {
      const soql = buildLogDateBoundQuery(schema.support, q.eventTypes, q.interval, order);
      const [record] = await queryRecords<{ LogDate: string }>(this.session, soql, { ...this.call(), max: 1 });
      return record ? new Date(record.LogDate).toISOString() : undefined;
    };
    const first = await bound('ASC');
    const last = first === undefined ? undefined : await bound('DESC');
    return first !== undefined && last !== undefined ? { first, last } : undefined;
  }

  /**
   * `LogFileFieldNames` / `LogFileFieldTypes` of one file (fetched per file: each can be 1,333 characters, too
   * much to carry in every listing).
   *
   * @throws SalesforceError (not-found when the file no longer exists)
   */
  async getFieldLayout(fileId: string): Promise<FieldLayout> {
    const records = await queryRecords<{ LogFileFieldNames?: string | null; LogFileFieldTypes?: string | null }>(
      this.session,
      buildFieldLayoutQuery(fileId),
      { ...this.call(), max: 1 },
    );
    const record = records[0];
    if (!record) {
      throw new SalesforceError({
        kind: 'not-found',
        sourceId: this.sourceId,
        message:
          `EventLogFile ${fileId} no longer exists: it was probably deleted when its retention ended ` +
          `(${retentionText(this.retentionDays)}).`,
      });
    }
    return {
      ...(record.LogFileFieldNames ? { fieldNames: record.LogFileFieldNames } : {}),
      ...(record.LogFileFieldTypes ? { fieldTypes: record.LogFileFieldTypes } : {}),
    };
  }

  /**
   * Opens the CSV of one file as a stream (see `log-file-download.ts` for retries, refresh, gzip, abort and
   * backpressure). Errors before the body starts reject; errors during the body fail the stream.
   * `acceptGzip: false` asks for an uncompressed body (for diagnostics; gzip is the default); `decode: false` hands the
   * body on as sent, for the caller to decode (with the download's `decodeError`).
   *
   * @throws SalesforceError (not-found for a file deleted since listing)
   */
  async openLogFile(
    file: { id: string },
    opts: { signal?: AbortSignal; acceptGzip?: boolean; decode?: boolean } = {},
  ): Promise<LogFileDownload> {
    return openLogFileStream(this.session, file.id, {
      ...this.call(),
      signal: opts.signal,
      acceptGzip: opts.acceptGzip,
      decode: opts.decode,
      userAgent: this.options.userAgent,
    });
  }

  /** The org's API usage as last reported by Salesforce (any client of the same session), if known. */
  apiUsage(): ApiUsage | undefined {
    return this.sessionOrError instanceof SalesforceError ? undefined : this.sessionOrError.usage.current();
  }

  /**
   * Throws when the org has used more than `(1 - reserve)` of its daily API allowance.
   *
   * @param reserve - share to leave untouched; default the source's `apiReserve`.
   * @throws SalesforceError (rate-limited, with `retryAfterMs`; config when the source's settings are unusable)
   */
  assertApiBudget(reserve: number = this.source.apiReserve): void {
    this.session.usage.assertBudget(reserve, { sourceId: this.sourceId });
  }

  /**
   * Which EventLogFile fields and picklist values the org exposes (describe, cached for an hour per session;
   * `fresh` describes again).
   */
  async eventLogFileSchema(opts: { fresh?: boolean } = {}): Promise<EventLogFileSchema> {
    if (opts.fresh) this.session.forget('describe:EventLogFile');
    return this.session.memo('describe:EventLogFile', SCHEMA_TTL_MS, async () =>
      schemaFromDescribe(
        await this.session.get(`/services/data/v${this.session.apiVersion}/sobjects/EventLogFile/describe`, {
          ...this.call(),
          operation: 'describe',
        }),
      ),
    );
  }

  /**
   * Runs a query of a real-time object (a storage event or SetupAuditTrail): all its records when it matches at
   * most `max`, else only its total (see `realtime-query.ts`).
   *
   * @throws SalesforceError naming the object, its licence and permission, or the query rule broken
   */
  async queryRealtime(objectName: string, soql: string, max: number): Promise<RealtimeQueryResult> {
    return queryRealtimeObject(this.session, objectName, soql, max, this.call());
  }

  private async list(
    q: Omit<ListNewFilesQuery, 'createdFrom' | 'createdBefore'>,
    range: Pick<EventLogFileListQuery, 'createdFrom' | 'createdBefore' | 'logDateFrom' | 'logDateTo'>,
  ): Promise<FilesPage> {
    if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > MAX_PAGE_SIZE) {
      throw this.invalid(`pageSize must be an integer within 1..${MAX_PAGE_SIZE}, got ${q.pageSize}`);
    }
    if (q.batchSize !== undefined && (!Number.isInteger(q.batchSize) || q.batchSize < 200 || q.batchSize > 2000)) {
      throw this.invalid(`batchSize must be an integer within 200..2000, got ${q.batchSize}`);
    }
    try {
      return await this.listWith(await this.eventLogFileSchema(), q, range);
    } catch (err) {
      // A describe cached before the org dropped hourly files still names Interval: describe again, once.
      if (!(err instanceof SalesforceError) || err.errorCode !== 'INVALID_FIELD') throw err;
      return this.listWith(await this.eventLogFileSchema({ fresh: true }), q, range);
    }
  }

  private async listWith(
    schema: EventLogFileSchema,
    q: Omit<ListNewFilesQuery, 'createdFrom' | 'createdBefore'>,
    range: Pick<EventLogFileListQuery, 'createdFrom' | 'createdBefore' | 'logDateFrom' | 'logDateTo'>,
  ): Promise<FilesPage> {
    let soql: string;
    try {
      soql = buildEventLogFileListQuery({
        support: schema.support,
        interval: q.interval,
        eventTypes: q.eventTypes,
        after: q.after,
        limit: q.pageSize + 1,
        ...range,
      });
    } catch (err) {
      if (err instanceof SalesforceError) throw err.withContext({ sourceId: this.sourceId });
      throw this.invalid((err as Error).message);
    }
    const batchSize = q.batchSize ?? Math.max(200, Math.min(q.pageSize + 1, 2000));
    const records = await queryRecords<EventLogFileRecord>(this.session, soql, {
      ...this.call(),
      max: q.pageSize + 1,
      batchSize,
    });
    return { files: records.slice(0, q.pageSize).map(toEventLogFileMeta), more: records.length > q.pageSize };
  }

  /**
   * Configured event types missing from the org's EventType picklist at the API version in use (the org's list, not
   * elfstream's, decides), each with the likely reason: a version too old for the type, or an org that does not
   * offer it (a typo, or a type its licence or release lacks).
   */
  private unavailableEventTypes(schema: EventLogFileSchema): { eventType: string; reason: string }[] {
    if (schema.eventTypes.length === 0) return [];
    const offered = new Set(schema.eventTypes);
    const version = versionNumber(this.session.apiVersion);
    return this.source.eventTypes
      .filter((t) => t !== '*' && !offered.has(t))
      .map((eventType) => {
        const since = eventTypeSince(eventType);
        const exact = schema.eventTypes.find((t) => t.toLowerCase() === eventType.toLowerCase());
        const reason =
          exact !== undefined
            ? `the org spells it ${JSON.stringify(exact)}`
            : since !== undefined && since > version
              ? `EventLogFile offers it from API version ${since}.0, and the source uses ${this.session.apiVersion}: ` +
                'set salesforce.apiVersion to "auto" or a newer version'
              : `not in the org's EventType list at API version ${this.session.apiVersion}: check the spelling, ` +
                "and that the org's Event Monitoring licence includes it";
        return { eventType, reason };
      });
  }

  /** Whether at least one hourly file exists; a `true` is kept for the session (hourly files do not go away). */
  private async hasHourlyFiles(schema: EventLogFileSchema): Promise<boolean> {
    if (this.session.hourlySeen) return true;
    const found =
      (await queryRecords(this.session, buildHourlyProbeQuery(schema.support), { ...this.call(), max: 1 })).length > 0;
    if (found) this.session.hourlySeen = true;
    return found;
  }

  private call(): CallContext {
    const retentionDays = this.retentionDays;
    return { sourceId: this.sourceId, logger: this.logger, ...(retentionDays ? { retentionDays } : {}) };
  }

  /** The source's `retention` in whole days (undefined for a source built without one). */
  private get retentionDays(): number | undefined {
    const ms = this.source.retentionMs as number | undefined;
    return ms === undefined ? undefined : Math.round(ms / 86_400_000);
  }

  private invalid(message: string): SalesforceError {
    return new SalesforceError({ kind: 'invalid-request', sourceId: this.sourceId, message });
  }
}
