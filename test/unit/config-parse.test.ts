import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, configWarnings, parseConfig } from '../../src/config';
import type { ElfstreamConfig } from '../../src/config';
import {
  FIXTURES,
  FULL_YAML,
  configError,
  messageOf,
  minimalYaml,
  parse,
  rsaPrivateKeyPem,
  sourceYaml,
} from '../fixtures/config/helpers';

const SOURCE_DEFAULTS = {
  eventTypes: ['Login', 'LoginAs', 'Logout', 'URI'],
  interval: 'auto',
  schedule: '*/15 * * * *',
  startFrom: '-24h',
  settleWindowMs: 300_000,
  rescanHorizonMs: 259_200_000,
  concurrency: 4,
  chunkRows: 50_000,
  apiReserve: 0.1,
  retentionMs: 30 * 86_400_000,
} as const;

describe('parseConfig: a valid file', () => {
  it('resolves every key of full.yaml to the exact configuration', () => {
    const privateKey = rsaPrivateKeyPem().replace(/\n$/, '');
    const env = {
      JWT_PRIVATE_KEY: privateKey,
      PARTNER_PASSWORD: 'partner-pw',
      PARTNER_CLIENT_SECRET: 'partner-cs',
      PARTNER_CONCURRENCY: '2',
    };
    const config = parseConfig(fs.readFileSync(FULL_YAML, 'utf8'), { path: FULL_YAML, env });
    const expected: ElfstreamConfig = {
      configPath: FULL_YAML,
      temporal: {
        address: 'temporal.internal:7233',
        namespace: 'elf',
        taskQueue: 'elf-queue',
        apiKey: 'fixture-temporal-api-key',
        tls: {
          certPath: path.join(FIXTURES, 'certs/client.pem'),
          keyPath: path.join(FIXTURES, 'certs/client.key'),
          caPath: '/etc/ssl/temporal-ca.pem',
          serverName: 'temporal.internal',
        },
      },
      output: {
        type: 'http',
        url: 'https://splunk.example.com:8088/services/collector/event',
        format: 'splunk-hec',
        authorization: 'Splunk fixture-hec-token',
        gzip: false,
        batchSize: 250,
        headers: { 'X-Source': 'elfstream' },
      },
      metrics: { port: 9464 },
      sources: [
        {
          id: 'acme-prod',
          label: 'Acme ${prod}',
          salesforce: {
            loginUrl: 'https://acme.my.salesforce.com',
            apiVersion: '61.0',
            auth: { type: 'client-credentials', clientId: '3MVG9prod', clientSecret: 'fixture-client-secret' },
          },
          eventTypes: ['Login', 'ApiTotalUsage'],
          interval: 'Hourly',
          schedule: '0 */2 * * 1-5',
          startFrom: '2026-11-01T00:00:00Z',
          settleWindowMs: 600_000,
          rescanHorizonMs: 86_400_000,
          concurrency: 8,
          chunkRows: 10_000,
          apiReserve: 0.25,
          retentionMs: 365 * 86_400_000,
        },
        {
          ...SOURCE_DEFAULTS,
          id: 'acme-uat',
          label: 'Acme UAT',
          salesforce: {
            loginUrl: 'https://test.salesforce.com',
            apiVersion: '62.0',
            auth: {
              type: 'jwt',
              username: 'elf@acme.com.uat',
              clientId: '3MVG9uat',
              privateKey,
              audience: 'https://test.salesforce.com',
            },
          },
          eventTypes: ['*'],
          interval: 'Daily',
          startFrom: '-7d',
        },
        {
          ...SOURCE_DEFAULTS,
          id: 'legacy',
          label: 'legacy',
          salesforce: {
            loginUrl: 'https://login.salesforce.com',
            apiVersion: '64.0',
            auth: {
              type: 'password',
              username: 'elf@legacy.example.com',
              password: 'fixture password with spaces',
              securityToken: 'FixtureToken123',
            },
          },
          eventTypes: ['Login', 'LoginAs', 'Logout', 'URI'],
        },
        {
          ...SOURCE_DEFAULTS,
          id: 'partner',
          label: 'partner',
          salesforce: {
            loginUrl: 'https://partner.my.salesforce.com',
            apiVersion: 'auto',
            auth: {
              type: 'oauth-password',
              username: 'elf@partner.example.com',
              password: 'partner-pw',
              securityToken: '',
              clientId: '3MVG9partner',
              clientSecret: 'partner-cs',
            },
          },
          eventTypes: ['Login', 'LoginAs', 'Logout', 'URI'],
          concurrency: 2,
        },
      ],
    };
    expect(config).toEqual(expected);
  });

  it('applies every default to a minimal file, resolving paths against its folder', () => {
    const config = parse(minimalYaml(), { path: 'conf/elfstream.yaml' });
    expect(config).toEqual({
      configPath: 'conf/elfstream.yaml',
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'salesforce-event-logs' },
      output: { type: 'file', dir: '/srv/elf/conf/data/events', gzip: true },
      metrics: { port: null },
      sources: [
        {
          ...SOURCE_DEFAULTS,
          id: 'acme-prod',
          label: 'acme-prod',
          salesforce: {
            loginUrl: 'https://login.salesforce.com',
            apiVersion: 'auto',
            auth: {
              type: 'password',
              username: 'elf-reader@acme.com',
              password: 'fixture-password',
              securityToken: '',
            },
          },
        },
      ],
    });
  });

  it('treats empty sections as absent and accepts tls: true, stdout output and a file dir', () => {
    const text = `temporal:\n  tls: true\noutput:\n  type: stdout\nmetrics:\n${minimalYaml()}`;
    const config = parse(text);
    expect(config.temporal.tls).toBe(true);
    expect(config.output).toEqual({ type: 'stdout' });
    expect(config.metrics).toEqual({ port: null });
    const file = parse(`output:\n  dir: /var/elf\n  gzip: false\n${minimalYaml()}`);
    expect(file.output).toEqual({ type: 'file', dir: '/var/elf', gzip: false });
  });

  it('reads file modes in octal and lets an http collector take a token in clear text only when told', () => {
    const file = parse(`output:\n  dir: /var/elf\n  fileMode: "0640"\n  dirMode: "750"\n${minimalYaml()}`);
    expect(file.output).toEqual({ type: 'file', dir: '/var/elf', gzip: true, fileMode: 0o640, dirMode: 0o750 });
    const insecure =
      'output:\n  type: http\n  url: http://siem.lan/x\n  authorization: Bearer t\n  allowInsecure: true';
    expect(parse(`${insecure}\n${minimalYaml()}`).output).toMatchObject({
      url: 'http://siem.lan/x',
      allowInsecure: true,
    });
    const noToken = parse(`output:\n  type: http\n  url: http://siem.lan/x\n${minimalYaml()}`);
    expect(noToken.output).toMatchObject({ url: 'http://siem.lan/x' });
    // An HMAC signature does not carry its secret: accepted over http.
    const hmac =
      'output:\n  type: http\n  url: http://siem.lan/x\n  auth:\n    type: hmac\n    header: x-sig\n    secret: k';
    expect(parse(`${hmac}\n${minimalYaml()}`).output).toMatchObject({ auth: { type: 'hmac', secret: 'k' } });
  });

  it.each(['https://login.salesforce.com', 'https://acme.my.salesforce.com', 'http://127.0.0.1:8787'])(
    "leaves the JWT audience of login URL %s to the client, which derives it by Salesforce's rule",
    (loginUrl) => {
      const text = [
        'sources:',
        '  - id: a',
        '    salesforce:',
        `      loginUrl: ${loginUrl}`,
        '      auth: { type: jwt, username: u@x.com, clientId: c, privateKey: "${KEY}" }',
      ].join('\n');
      const auth = parse(text, { env: { KEY: rsaPrivateKeyPem() } }).sources[0]?.salesforce.auth;
      expect(auth).toMatchObject({ type: 'jwt' });
      expect(auth).not.toHaveProperty('audience');
    },
  );

  it('defaults apiVersion to auto, accepts auto with password auth, and reads retention as whole days 1d..365d', () => {
    const text = (extra: string, version = '') =>
      [
        'sources:',
        '  - id: a',
        `    ${extra}`,
        '    salesforce:',
        ...(version ? [`      apiVersion: ${version}`] : []),
        '      auth: { type: password, username: u@x.com, password: p }',
      ].join('\n');
    expect(parse(text('label: x')).sources[0]?.salesforce.apiVersion).toBe('auto');
    expect(parse(text('label: x', 'auto')).sources[0]?.salesforce.apiVersion).toBe('auto');
    expect(parse(text('label: x')).sources[0]?.retentionMs).toBe(30 * 86_400_000);
    expect(parse(text('retention: 365d')).sources[0]?.retentionMs).toBe(365 * 86_400_000);
    expect(parse(text('retention: 1d')).sources[0]?.retentionMs).toBe(86_400_000);
    for (const bad of ['0d', '366d', '36h', 'forever']) {
      expect(() => parse(text(`retention: ${bad}`))).toThrow(/retention: .*whole days from 1d to 365d/);
    }
  });

  it('accepts a well-formed event type it does not know, and a near miss of a known one with a warning', () => {
    const text = [
      'sources:',
      '  - id: a',
      '    eventTypes: [CspViolation, AgentActionTrace, CSPViolation]',
      '    salesforce:',
      '      auth: { type: password, username: u@x.com, password: p }',
    ].join('\n');
    const config = parse(text);
    expect(config.sources[0]?.eventTypes).toEqual(['CspViolation', 'AgentActionTrace', 'CSPViolation']);
    expect(configWarnings(config)).toEqual([
      {
        path: 'sources[0].eventTypes[2]',
        message:
          '"CSPViolation" is not an EventLogFile event type elfstream knows (did you mean "CspViolation"?); it is kept, and the org\'s own list decides at login',
      },
    ]);
    expect(() => parse(text.replace('CSPViolation]', 'csp-violation]'))).toThrow(
      /"csp-violation" is not an EventLogFile event type: event types are single words/,
    );
  });

  it('normalizes API versions given as numbers', () => {
    for (const [written, version] of [
      ['62', '62.0'],
      ['62.0', '62.0'],
      ['"63"', '63.0'],
      ['"60.0"', '60.0'],
    ] as const) {
      const text = minimalYaml().replace('    salesforce:\n', `    salesforce:\n      apiVersion: ${written}\n`);
      expect(parse(text).sources[0]?.salesforce.apiVersion).toBe(version);
    }
  });
});

describe('parseConfig: messages for invalid input', () => {
  it('names the closest known event type of a malformed one', () => {
    expect(messageOf(minimalYaml('    eventTypes: [Login, LoginAs, login]'))).toBe(
      'elfstream.yaml: sources[0].eventTypes[2]: "login" is not an EventLogFile event type: event types are single ' +
        'words like "Login" or "LightningPageView" (did you mean "Login"?)',
    );
  });

  it('accepts a well-formed event type it does not know (Salesforce adds types), but not a malformed name', () => {
    expect(parse(minimalYaml('    eventTypes: [Login, QuantumTelemetry]')).sources[0]?.eventTypes).toEqual([
      'Login',
      'QuantumTelemetry',
    ]);
    expect(messageOf(minimalYaml('    eventTypes: [Login, "my-type"]'))).toBe(
      'elfstream.yaml: sources[0].eventTypes[1]: "my-type" is not an EventLogFile event type: event types are ' +
        'single words like "Login" or "LightningPageView"',
    );
  });

  it('names a missing environment variable and where it is referenced', () => {
    const text = minimalYaml().replace('password: fixture-password', 'password: ${SF_PASSWORD}');
    expect(messageOf(text)).toBe(
      'elfstream.yaml: sources[0].salesforce.auth.password: environment variable SF_PASSWORD is not set',
    );
  });

  it('reports a source id used twice', () => {
    const text = `sources:\n${sourceYaml('acme-prod')}\n${sourceYaml('acme-prod')}\n`;
    expect(messageOf(text)).toBe(
      'elfstream.yaml: sources[1].id: "acme-prod" is used by sources[0] too; source ids must be unique',
    );
  });

  it('lists the allowed intervals, case-sensitively, with a suggestion', () => {
    expect(messageOf(minimalYaml('    interval: hourly'))).toBe(
      'elfstream.yaml: sources[0].interval: "hourly" is not one of auto, Hourly, Daily (did you mean "Hourly"?)',
    );
  });

  it('reports an unknown key with the known key it is close to', () => {
    const text = minimalYaml().replace('password: fixture-password', 'password: fixture-password\n        passwrd: x');
    expect(messageOf(text)).toBe(
      'elfstream.yaml: sources[0].salesforce.auth.passwrd: unknown key (did you mean "password"?)',
    );
  });

  it('reports a cron expression without 5 fields', () => {
    expect(messageOf(minimalYaml('    schedule: "*/15 * * *"'))).toBe(
      'elfstream.yaml: sources[0].schedule: "*/15 * * *" is not a 5-field cron expression (minute hour day-of-month month day-of-week)',
    );
  });

  it.each([
    [
      '    schedule: "0 24 * * *"',
      'sources[0].schedule: "0 24 * * *" is not a valid cron expression: hour 24 is out of range 0-23',
    ],
    [
      '    eventTypes: [Login, Logout, Login]',
      'sources[0].eventTypes[2]: "Login" is listed at sources[0].eventTypes[0] too; event types must not repeat',
    ],
    [
      '    eventTypes: ["*", URI]',
      'sources[0].eventTypes[0]: "*" selects every event type and cannot be combined with others',
    ],
    ['    eventTypes: []', 'sources[0].eventTypes: must list at least one event type, or "*" for all'],
    [
      '    eventTypes: Login',
      'sources[0].eventTypes: expected a list of EventLogFile event types, or ["*"] for all, got "Login"',
    ],
    ['    concurrency: 0', 'sources[0].concurrency: expected an integer from 1 to 32, got 0'],
    ['    chunkRows: 2.5', 'sources[0].chunkRows: expected an integer from 1000 to 1000000, got 2.5'],
    ['    apiReserve: 0.95', 'sources[0].apiReserve: expected a number from 0 to 0.9, got 0.95'],
    [
      '    settleWindow: 5',
      'sources[0].settleWindow: expected a duration such as 30s, 5m, 72h, 1d, 1h30m or ISO-8601 PT5M, got 5',
    ],
    [
      '    rescanHorizon: 72 hours',
      'sources[0].rescanHorizon: "72 hours" is not a duration such as 30s, 5m, 72h, 1d, 1h30m or ISO-8601 PT5M',
    ],
    ['    settleWindow: -5m', 'sources[0].settleWindow: "-5m" must not be negative'],
    ['    startFrom: 24h', 'sources[0].startFrom: "24h" must be negative (time before the first run), e.g. -24h'],
    [
      '    startFrom: 2026-11-01',
      'sources[0].startFrom: "2026-11-01" needs a time and time zone, e.g. 2026-11-01T00:00:00Z',
    ],
    [
      '    startFrom: yesterday',
      'sources[0].startFrom: "yesterday" is not an ISO-8601 instant with a time zone (e.g. 2026-11-01T00:00:00Z) or a negative duration (e.g. -24h)',
    ],
    [
      '    schedule: "0 0 31 2 *"',
      'sources[0].schedule: "0 0 31 2 *" never fires (no date matches its day-of-month, month and day-of-week fields)',
    ],
    [
      '    retention: 400d',
      'sources[0].retention: "400d" is not a retention: give whole days from 1d to 365d (what the org keeps, e.g. 30d or 365d)',
    ],
    [
      '    retention: 36h',
      'sources[0].retention: "36h" is not a retention: give whole days from 1d to 365d (what the org keeps, e.g. 30d or 365d)',
    ],
    ['    id2: x', 'sources[0].id2: unknown key (did you mean "id"?)'],
    ['    apiVersion: "62.0"', 'sources[0].apiVersion: unknown key (apiVersion belongs in the salesforce mapping)'],
    ['    label: ""', 'sources[0].label: expected a label for people, got an empty string'],
  ])('%s', (line, expected) => {
    expect(messageOf(minimalYaml(line))).toBe(`elfstream.yaml: ${expected}`);
  });

  it.each([
    [
      '      loginUrl: login.salesforce.com',
      'sources[0].salesforce.loginUrl: "login.salesforce.com" is not an http(s) URL (e.g. https://login.salesforce.com or https://acme.my.salesforce.com)',
    ],
    [
      '      loginUrl: http://acme.my.salesforce.com',
      'sources[0].salesforce.loginUrl: "http://acme.my.salesforce.com" must use https (plain http is only for a simulator on this machine)',
    ],
    [
      '      loginUrl: https://login.salesforce.com/services/Soap',
      'sources[0].salesforce.loginUrl: "https://login.salesforce.com/services/Soap" must be a scheme and host only, without a path (e.g. https://login.salesforce.com or https://acme.my.salesforce.com)',
    ],
    [
      '      apiVersion: v62.0',
      'sources[0].salesforce.apiVersion: "v62.0" is not a Salesforce API version like "68.0" (or "auto") (write it without the "v")',
    ],
    [
      '      apiVersion: 62.5',
      'sources[0].salesforce.apiVersion: "62.5" is not a Salesforce API version like "68.0" (or "auto")',
    ],
    [
      '      apiVersion: 31',
      'sources[0].salesforce.apiVersion: "31.0" is too old: elfstream needs API version 37.0 or later (EventLogFile\'s Interval and Sequence)',
    ],
    [
      '      apiVersion: 65',
      'sources[0].salesforce.apiVersion: "65.0" cannot be used with auth type "password": SOAP login() is not available from API version 65.0; use "auto" (which picks at most 64.0 for password auth) or 64.0, or client-credentials or jwt auth',
    ],
    ['      username: x', 'sources[0].salesforce.username: unknown key (username belongs in the auth mapping)'],
  ])('%s', (line, expected) => {
    const text = minimalYaml().replace('    salesforce:\n', `    salesforce:\n${line}\n`);
    expect(messageOf(text)).toBe(`elfstream.yaml: ${expected}`);
  });

  it.each([
    [
      '{ type: pasword, username: u, password: p }',
      'sources[0].salesforce.auth.type: "pasword" is not one of password, oauth-password, client-credentials, jwt (did you mean "password"?)',
    ],
    [
      '{ username: u, password: p }',
      'sources[0].salesforce.auth.type: is required; expected one of password, oauth-password, client-credentials, jwt',
    ],
    [
      '{ type: password, username: u }',
      'sources[0].salesforce.auth.password: is required; expected the password of the Salesforce user (or passwordFile: a file holding it)',
    ],
    [
      '{ type: password, password: p }',
      'sources[0].salesforce.auth.username: is required; expected the Salesforce username (e.g. elf-reader@acme.com)',
    ],
    [
      '{ type: password, username: u, password: p, passwordFile: pw.txt }',
      'sources[0].salesforce.auth.passwordFile: cannot be used together with password; set one of them',
    ],
    [
      '{ type: password, username: u, password: p, clientId: c }',
      'sources[0].salesforce.auth.clientId: is not used by auth type "password" (only by oauth-password, client-credentials, jwt)',
    ],
    ['{ type: password, username: u, password: "" }', 'sources[0].salesforce.auth.password: must not be empty'],
    [
      '{ type: oauth-password, username: u, password: p, clientId: c }',
      'sources[0].salesforce.auth.clientSecret: is required; expected the consumer secret (client secret) (or clientSecretFile: a file holding it)',
    ],
    [
      '{ type: jwt, username: u, clientId: c, privateKey: "not a key" }',
      'sources[0].salesforce.auth.privateKey: must be a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
    ],
    [
      'password',
      'sources[0].salesforce.auth: expected a mapping with a type (password, oauth-password, client-credentials, jwt), got "password"',
    ],
  ])('auth %s', (auth, expected) => {
    const text = `sources:\n  - id: a\n    salesforce:\n      auth: ${auth}\n`;
    expect(messageOf(text)).toBe(`elfstream.yaml: ${expected}`);
  });

  it('rejects client credentials on login.salesforce.com and test.salesforce.com, pointing at My Domain', () => {
    const auth = '      auth: { type: client-credentials, clientId: c, clientSecret: s }';
    expect(messageOf(`sources:\n  - id: a\n    salesforce:\n${auth}\n`)).toBe(
      'elfstream.yaml: sources[0].salesforce.loginUrl: "https://login.salesforce.com" (the default) cannot be used with client-credentials auth: Salesforce rejects the flow on login.salesforce.com; use your My Domain URL, e.g. https://acme.my.salesforce.com',
    );
    expect(
      messageOf(`sources:\n  - id: a\n    salesforce:\n      loginUrl: https://test.salesforce.com\n${auth}\n`),
    ).toBe(
      'elfstream.yaml: sources[0].salesforce.loginUrl: "https://test.salesforce.com" cannot be used with client-credentials auth: Salesforce rejects the flow on test.salesforce.com; use your My Domain URL, e.g. https://acme.my.salesforce.com',
    );
    const ok = parse(`sources:\n  - id: a\n    salesforce:\n      loginUrl: http://127.0.0.1:8787\n${auth}\n`);
    expect(ok.sources[0]?.salesforce.auth).toEqual({ type: 'client-credentials', clientId: 'c', clientSecret: 's' });
  });

  it.each([
    [
      'temporal:\n  address: "http://localhost:7233"',
      'temporal.address: "http://localhost:7233" must be host:port without a scheme (e.g. 127.0.0.1:7233 or acme.a1b2c.tmprl.cloud:7233)',
    ],
    [
      'temporal:\n  address: localhost',
      'temporal.address: "localhost" is not host:port (e.g. 127.0.0.1:7233 or acme.a1b2c.tmprl.cloud:7233)',
    ],
    [
      'temporal:\n  tls: yes',
      'temporal.tls: expected true, false or a tls mapping (certPath, keyPath, caPath, serverName), got "yes"',
    ],
    [
      'temporal:\n  tls:\n    certPath: c.pem',
      'temporal.tls.keyPath: is required; mTLS needs both certPath and keyPath',
    ],
    ['temporal:\n  tls:\n    certPth: c.pem', 'temporal.tls.certPth: unknown key (did you mean "certPath"?)'],
    ['temporal:\n  taskqueue: q', 'temporal.taskqueue: unknown key (did you mean "taskQueue"?)'],
    ['output:\n  type: fil', 'output.type: "fil" is not one of file, stdout, http, s3, kafka (did you mean "file"?)'],
    [
      'output:\n  type: stdout\n  gzip: true',
      'output.gzip: is not used by output type "stdout" (only by file, http, s3)',
    ],
    ['output:\n  type: http', 'output.url: is required; expected an http(s) URL'],
    [
      'output:\n  type: http\n  url: https://h/x\n  format: json',
      'output.format: "json" is not one of ndjson, splunk-hec (did you mean "ndjson"?)',
    ],
    [
      'output:\n  type: http\n  url: https://h/x\n  batchSize: 0',
      'output.batchSize: expected an integer from 1 to 100000, got 0',
    ],
    [
      'output:\n  type: http\n  url: https://h/x\n  headers:\n    "Bad Name": v',
      'output.headers["Bad Name"]: is not a valid HTTP header name',
    ],
    [
      'output:\n  type: http\n  url: https://h/x\n  authorization: a\n  headers:\n    Authorization: b',
      'output.headers.Authorization: cannot be used together with authorization or authorizationFile; set one of them',
    ],
    [
      'output:\n  type: http\n  url: http://siem.example.com/x\n  authorization: Bearer t',
      'output.url: is plain http but an Authorization header (or an auth secret) is configured: the token would ' +
        'cross the network in clear text; use https, or set allowInsecure: true if the collector is reached over a trusted link',
    ],
    [
      'output:\n  type: http\n  url: HTTP://siem.example.com/x\n  headers:\n    authorization: Bearer t',
      'output.url: is plain http but an Authorization header (or an auth secret) is configured: the token would ' +
        'cross the network in clear text; use https, or set allowInsecure: true if the collector is reached over a trusted link',
    ],
    [
      'output:\n  type: http\n  url: http://siem.example.com/x\n  auth:\n    type: bearer\n    secret: t',
      'output.url: is plain http but an Authorization header (or an auth secret) is configured: the token would ' +
        'cross the network in clear text; use https, or set allowInsecure: true if the collector is reached over a trusted link',
    ],
    [
      'output:\n  fileMode: 0600',
      'output.fileMode: expected a quoted octal permission mode such as "0600" (unquoted, YAML reads 0600 as a decimal number), got 600',
    ],
    ['output:\n  dirMode: "0500"', 'output.dirMode: "0500" must let the owner read and write (0600 at least)'],
    [
      'output:\n  dir: 5\n  gzip: maybe',
      'output.dir: expected a folder path, got 5\nelfstream.yaml: output.gzip: expected true or false, got "maybe"',
    ],
    ['metrics:\n  port: 70000', 'metrics.port: expected an integer from 1 to 65535, got 70000'],
    ['metrics: 9464', 'metrics: expected a metrics mapping (port), got 9464'],
    ['port: 9464', 'port: unknown key (port belongs in the metrics mapping)'],
    ['sourcess: []', 'sourcess: unknown key (did you mean "sources"?)'],
  ])('%s', (head, expected) => {
    expect(messageOf(`${head}\n${minimalYaml()}`)).toBe(`elfstream.yaml: ${expected}`);
  });

  it('requires at least one source', () => {
    expect(messageOf('')).toBe('elfstream.yaml: sources: is required; expected a list of sources (at least one)');
    expect(messageOf('sources: []')).toBe(
      'elfstream.yaml: sources: expected a list of sources (at least one), got an empty list',
    );
    expect(messageOf('- a')).toBe(
      'elfstream.yaml: (root): expected a mapping with sources (and optionally temporal, output, metrics), got a list',
    );
  });

  it('lists every issue, one per line, in document order', () => {
    const text = [
      'output: { type: fil }',
      'sources:',
      '  - id: Acme_Prod',
      '    salesforce:',
      '      auth:',
      '        type: password',
      '        username: u',
      '        password: ${SF_PASSWORD}',
      '        passwrd: x',
      '    interval: hourly',
      '  - id: b',
      '    salesforce: { auth: { type: jwt } }',
    ].join('\n');
    const error = configError(() => parse(text));
    expect(error.file).toBe('elfstream.yaml');
    expect(error.issues).toEqual([
      { path: 'output.type', message: '"fil" is not one of file, stdout, http, s3, kafka (did you mean "file"?)' },
      {
        path: 'sources[0].id',
        message: '"Acme_Prod" must be 1-40 characters of a-z, 0-9 and "-" (it becomes part of workflow ids)',
      },
      { path: 'sources[0].salesforce.auth.password', message: 'environment variable SF_PASSWORD is not set' },
      { path: 'sources[0].salesforce.auth.passwrd', message: 'unknown key (did you mean "password"?)' },
      { path: 'sources[0].interval', message: '"hourly" is not one of auto, Hourly, Daily (did you mean "Hourly"?)' },
      {
        path: 'sources[1].salesforce.auth.username',
        message: 'is required; expected the Salesforce username (e.g. elf-reader@acme.com)',
      },
      {
        path: 'sources[1].salesforce.auth.clientId',
        message: 'is required; expected the consumer key (client id) of the connected app or external client app',
      },
      {
        path: 'sources[1].salesforce.auth.privateKey',
        message:
          'is required; expected the PEM private key whose certificate is uploaded to the app (or privateKeyFile: a file holding it)',
      },
    ]);
    expect(error.message).toBe(error.issues.map((i) => `elfstream.yaml: ${i.path}: ${i.message}`).join('\n'));
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
  });

  it('names the file as given, relative or absolute', () => {
    const text = minimalYaml('    interval: x');
    expect(configError(() => parse(text, { path: 'conf/prod.yaml' })).message).toMatch(
      /^conf\/prod\.yaml: sources\[0\]/,
    );
    expect(configError(() => parse(text, { path: '/etc/elf.yaml' })).message).toMatch(
      /^\/etc\/elf\.yaml: sources\[0\]/,
    );
  });
});

describe('parseConfig: environment variables', () => {
  it('interpolates ${VAR} in any value, keeps $${ literal, and accepts numbers and booleans from variables', () => {
    const text = [
      'metrics:',
      '  port: ${PORT}',
      'output:',
      '  dir: ${DATA}/events',
      '  gzip: ${GZIP}',
      'sources:',
      sourceYaml('${ID}', '    label: "cost $$5 $${literal} ${ID}"'),
    ].join('\n');
    const config = parse(text, { env: { PORT: '9100', DATA: '/data', GZIP: 'false', ID: 'org-1' } });
    expect(config.metrics.port).toBe(9100);
    expect(config.output).toEqual({ type: 'file', dir: '/data/events', gzip: false });
    expect(config.sources[0]?.id).toBe('org-1');
    expect(config.sources[0]?.label).toBe('cost $$5 ${literal} org-1');
  });

  it('counts an empty variable as set (e.g. no security token on trusted IP ranges)', () => {
    const text = minimalYaml().replace('password: fixture-password', 'password: p\n        securityToken: ${TOKEN}');
    expect(parse(text, { env: { TOKEN: '' } }).sources[0]?.salesforce.auth).toMatchObject({ securityToken: '' });
  });

  it('reports every missing variable and malformed reference, without noise about the emptied values', () => {
    const text = [
      'temporal:',
      '  address: ${TEMPORAL_HOST}:7233',
      'sources:',
      sourceYaml('${SOURCE_ID}', '    schedule: "${SCHEDULE"\n    label: "${not valid}"'),
    ].join('\n');
    expect(messageOf(text)).toBe(
      [
        'elfstream.yaml: temporal.address: environment variable TEMPORAL_HOST is not set',
        'elfstream.yaml: sources[0].id: environment variable SOURCE_ID is not set',
        'elfstream.yaml: sources[0].schedule: "${" is not closed by "}" (write "$${" for a literal "${")',
        'elfstream.yaml: sources[0].label: "${not valid}" does not name an environment variable (letters, digits and _, not starting with a digit; write "$${" for a literal "${")',
      ].join('\n'),
    );
  });

  it('lets TEMPORAL_* variables override the file', () => {
    const text = [
      'temporal:',
      '  address: file-host:7233',
      '  namespace: file-ns',
      '  taskQueue: file-queue',
      '  apiKey: file-key',
      '  tls:',
      '    caPath: ca.pem',
      '    serverName: file-host',
      minimalYaml(),
    ].join('\n');
    const env = {
      TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'acme.a1b2c',
      TEMPORAL_API_KEY: 'env-key',
      TEMPORAL_TLS_CERT: 'certs/client.pem',
      TEMPORAL_TLS_KEY: '/keys/client.key',
    };
    const config = parse(text, { path: 'conf/elfstream.yaml', env, cwd: '/work' });
    expect(config.temporal).toEqual({
      address: 'acme.a1b2c.tmprl.cloud:7233',
      namespace: 'acme.a1b2c',
      taskQueue: 'file-queue',
      apiKey: 'env-key',
      tls: {
        certPath: '/work/certs/client.pem',
        keyPath: '/keys/client.key',
        caPath: '/work/conf/ca.pem',
        serverName: 'file-host',
      },
    });
    expect(parse(minimalYaml(), { env: { TEMPORAL_TLS_CA: '/ca.pem' } }).temporal.tls).toEqual({ caPath: '/ca.pem' });
  });

  it('ignores empty TEMPORAL_* variables and reports invalid ones', () => {
    expect(parse(minimalYaml(), { env: { TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '' } }).temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'salesforce-event-logs',
    });
    expect(messageOf(minimalYaml(), { env: { TEMPORAL_ADDRESS: 'http://x:7233', TEMPORAL_TLS_CERT: 'c.pem' } })).toBe(
      [
        'elfstream.yaml: temporal.address: from TEMPORAL_ADDRESS: "http://x:7233" must be host:port without a scheme (e.g. 127.0.0.1:7233 or acme.a1b2c.tmprl.cloud:7233)',
        'elfstream.yaml: temporal.tls.keyPath: is required because TEMPORAL_TLS_CERT is set; mTLS needs both a certificate and a key',
      ].join('\n'),
    );
  });
});

describe('parseConfig: YAML syntax', () => {
  it('names the line and column of a syntax error', () => {
    const text = 'sources:\n  - id: a\n    salesforce: {\n      auth: x\n';
    const error = configError(() => parse(text));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(/^elfstream\.yaml: line \d+, column \d+: YAML syntax error: /);
  });

  it.each([
    [
      'sources:\n  - id: a\n  id: b\n',
      'elfstream.yaml: line 3, column 1: YAML syntax error: All mapping items must start at the same column',
    ],
    ['sources: []\nsources: []\n', 'elfstream.yaml: line 2, column 1: YAML syntax error: Map keys must be unique'],
    [
      'sources:\n\t- id: a\n',
      'elfstream.yaml: line 2, column 1: YAML syntax error: Tabs are not allowed as indentation',
    ],
    [
      'sources: [{ id: a, label: ${LABEL} }]\n',
      'elfstream.yaml: line 1, column 28: YAML syntax error: Unexpected flow-map-start at node end; quote values holding ${VAR} inside { } or [ ]',
    ],
  ])('%j', (text, expected) => {
    expect(messageOf(text)).toBe(expected);
  });

  it('supports anchors and merge keys for shared settings', () => {
    const text = [
      'sources:',
      '  - id: a',
      '    salesforce:',
      '      auth: &auth',
      '        type: password',
      '        username: u',
      '        password: p',
      '  - id: b',
      '    salesforce:',
      '      auth:',
      '        <<: *auth',
      '        username: v',
    ].join('\n');
    expect(parse(text).sources.map((s) => s.salesforce.auth)).toEqual([
      { type: 'password', username: 'u', password: 'p', securityToken: '' },
      { type: 'password', username: 'v', password: 'p', securityToken: '' },
    ]);
  });
});

describe('ConfigError', () => {
  it('formats each issue as <file>: <path>: <message>', () => {
    const error = new ConfigError('a.yaml', [
      { path: 'x', message: 'one' },
      { path: 'y[0]', message: 'two' },
    ]);
    expect(error.message).toBe('a.yaml: x: one\na.yaml: y[0]: two');
  });
});
