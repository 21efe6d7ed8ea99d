/**
 * Built-in column schemas for the default event types (Login, LoginAs, Logout, URI), as Salesforce documents them
 * (per-field types of the EventLogFile type pages; see salesforce-elf notes §2.3–2.6).
 *
 * They type a column when the file's `LogFileFieldTypes` is absent or does not name it, and they are the "known"
 * columns against which new, unknown columns are reported. Column *order* never comes from here: the CSV header is
 * the authority on order, because Salesforce inserts columns mid-row across releases.
 */

/** A column type as `LogFileFieldTypes` spells it. Other spellings are tolerated (see `column-types.ts`). */
export type FieldType = 'String' | 'Id' | 'Number' | 'Boolean' | 'DateTime' | 'IP';

/** Column name -> documented type, for one event type. */
export interface EventSchema {
  readonly eventType: string;
  readonly columns: Readonly<Record<string, FieldType>>;
}

/** Columns all four built-in event types carry. */
const COMMON = {
  EVENT_TYPE: 'String',
  TIMESTAMP: 'String',
  REQUEST_ID: 'String',
  ORGANIZATION_ID: 'Id',
  USER_ID: 'Id',
  SESSION_KEY: 'String',
  LOGIN_KEY: 'String',
  TIMESTAMP_DERIVED: 'DateTime',
  USER_ID_DERIVED: 'Id',
  CLIENT_IP: 'String',
} as const satisfies Record<string, FieldType>;

/** Columns of request-style event types (Login, LoginAs, URI): timings and the requested URI. */
const REQUEST = {
  ...COMMON,
  RUN_TIME: 'Number',
  CPU_TIME: 'Number',
  URI: 'String',
  URI_ID_DERIVED: 'Id',
} as const satisfies Record<string, FieldType>;

/** Login: the 2023 header plus documented columns whose position is not known yet (API 51.0–61.0+). */
export const LOGIN_SCHEMA: EventSchema = {
  eventType: 'Login',
  columns: {
    ...REQUEST,
    USER_TYPE: 'String',
    REQUEST_STATUS: 'String',
    DB_TOTAL_TIME: 'Number',
    LOGIN_TYPE: 'String',
    BROWSER_TYPE: 'String',
    API_TYPE: 'String',
    API_VERSION: 'String',
    USER_NAME: 'String',
    TLS_PROTOCOL: 'String',
    CIPHER_SUITE: 'String',
    AUTHENTICATION_METHOD_REFERENCE: 'String',
    LOGIN_SUB_TYPE: 'String',
    LOGIN_STATUS: 'String',
    SOURCE_IP: 'IP',
    AUTHENTICATION_SERVICE_ID: 'Id',
    COUNTRY_CODE: 'String',
    FORWARDED_FOR_IP: 'String',
    HTTP_REFERER: 'String',
    LOGIN_URL: 'String',
    USE_API_TOKEN: 'String',
  },
};

/** LoginAs: an administrator (DELEGATED_*) logged in as USER_ID. */
export const LOGIN_AS_SCHEMA: EventSchema = {
  eventType: 'LoginAs',
  columns: {
    ...REQUEST,
    DELEGATED_USER_NAME: 'String',
    DELEGATED_USER_ID: 'Id',
    DELEGATED_USER_ID_DERIVED: 'Id',
  },
};

/** Logout: USER_INITIATED_LOGOUT is `1`/`0`; PLATFORM_TYPE etc. are numeric codes, empty on timeouts. */
export const LOGOUT_SCHEMA: EventSchema = {
  eventType: 'Logout',
  columns: {
    ...COMMON,
    USER_TYPE: 'String',
    SESSION_TYPE: 'String',
    SESSION_LEVEL: 'String',
    BROWSER_TYPE: 'String',
    PLATFORM_TYPE: 'Number',
    RESOLUTION_TYPE: 'Number',
    APP_TYPE: 'Number',
    CLIENT_VERSION: 'Number',
    API_TYPE: 'String',
    API_VERSION: 'String',
    USER_INITIATED_LOGOUT: 'Boolean',
  },
};

/** URI: page requests in Salesforce Classic / Lightning; DB_TOTAL_TIME is in nanoseconds. */
export const URI_SCHEMA: EventSchema = {
  eventType: 'URI',
  columns: {
    ...REQUEST,
    REQUEST_STATUS: 'String',
    DB_TOTAL_TIME: 'Number',
    DB_BLOCKS: 'Number',
    DB_CPU_TIME: 'Number',
    REFERRER_URI: 'String',
    USER_TYPE: 'String',
  },
};

const SCHEMAS: ReadonlyMap<string, EventSchema> = new Map(
  [LOGIN_SCHEMA, LOGIN_AS_SCHEMA, LOGOUT_SCHEMA, URI_SCHEMA].map((s) => [s.eventType, s]),
);

/** The built-in schema of `eventType`, or undefined for types that go through the generic path. */
export function schemaFor(eventType: string): EventSchema | undefined {
  return SCHEMAS.get(eventType);
}

/** The column holding the event time in ISO-8601 (preferred for `p_event_time`). */
export const EVENT_TIME_COLUMN = 'TIMESTAMP_DERIVED';
/** The compact `yyyyMMddHHmmss.SSS` GMT timestamp, the fallback for `p_event_time`. */
export const TIMESTAMP_COLUMN = 'TIMESTAMP';

/**
 * Columns whose values go to `p_any_ip_addresses` when they are real addresses (CLIENT_IP holds the literal
 * `Salesforce.com IP` for internal origins; FORWARDED_FOR_IP may hold a comma-separated X-Forwarded-For list).
 * Any column typed `IP` by `LogFileFieldTypes` counts too.
 */
export const IP_ADDRESS_COLUMNS: ReadonlySet<string> = new Set([
  'CLIENT_IP',
  'SOURCE_IP',
  'FORWARDED_FOR_IP',
  'IP_ADDRESS',
]);

/** Columns that tie events together (transaction, session, login session): `p_any_trace_ids`. */
export const TRACE_ID_COLUMNS: ReadonlySet<string> = new Set(['REQUEST_ID', 'SESSION_KEY', 'LOGIN_KEY']);

/** Columns holding Salesforce usernames: `p_any_usernames`. */
export const USERNAME_COLUMNS: ReadonlySet<string> = new Set(['USER_NAME', 'DELEGATED_USER_NAME']);
