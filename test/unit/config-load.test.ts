import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_CONFIG_PATH, demoConfig, demoConfigYaml, loadConfig, parseConfig } from '../../src/config';
import { configError, minimalYaml, rsaPrivateKeyPem } from '../fixtures/config/helpers';

const REPO = path.resolve(__dirname, '../..');

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-load-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('reads the file named by the argument, relative to cwd, and keeps the name as given', () => {
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(path.join(dir, 'conf/prod.yaml'), minimalYaml());
    const config = loadConfig({ path: 'conf/prod.yaml', cwd: dir, env: { ELFSTREAM_CONFIG: 'ignored.yaml' } });
    expect(config.configPath).toBe('conf/prod.yaml');
    expect(config.output).toEqual({ type: 'file', dir: path.join(dir, 'conf/data/events'), gzip: true });
  });

  it('falls back to ELFSTREAM_CONFIG, then ./elfstream.yaml', () => {
    fs.writeFileSync(path.join(dir, 'from-env.yaml'), minimalYaml('    label: from env'));
    fs.writeFileSync(path.join(dir, 'elfstream.yaml'), minimalYaml('    label: default file'));
    expect(loadConfig({ cwd: dir, env: { ELFSTREAM_CONFIG: 'from-env.yaml' } }).sources[0]?.label).toBe('from env');
    const fallback = loadConfig({ cwd: dir, env: {} });
    expect(fallback.sources[0]?.label).toBe('default file');
    expect(fallback.configPath).toBe('elfstream.yaml');
  });

  it('uses the given environment for ${VAR} and the TEMPORAL_* overrides', () => {
    const text = minimalYaml().replace('password: fixture-password', 'password: ${PW}');
    fs.writeFileSync(path.join(dir, 'elfstream.yaml'), text);
    const config = loadConfig({ cwd: dir, env: { PW: 'from-env', TEMPORAL_NAMESPACE: 'ns' } });
    expect(config.sources[0]?.salesforce.auth).toMatchObject({ password: 'from-env' });
    expect(config.temporal.namespace).toBe('ns');
  });

  it('says which file is missing and how to name another', () => {
    const error = configError(() => loadConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      `elfstream.yaml: (file): no such file (${path.join(dir, 'elfstream.yaml')}); name the configuration file with --config or ELFSTREAM_CONFIG`,
    );
    expect(configError(() => loadConfig({ path: '.', cwd: dir, env: {} })).message).toBe(
      `.: (file): ${dir} is a directory`,
    );
  });

  it('reports problems in the file with the file name as given', () => {
    fs.writeFileSync(path.join(dir, 'bad.yaml'), minimalYaml('    interval: daily'));
    expect(configError(() => loadConfig({ path: 'bad.yaml', cwd: dir, env: {} })).message).toBe(
      'bad.yaml: sources[0].interval: "daily" is not one of auto, Hourly, Daily (did you mean "Daily"?)',
    );
  });
});

describe('elfstream.example.yaml', () => {
  it('parses, with its variables set and its secret files present', () => {
    const files: Record<string, string> = {
      'secrets/acme-prod-client-secret': 'cs\n',
      'secrets/acme-uat-jwt.key': rsaPrivateKeyPem(),
      'secrets/partner-password': 'pw\n',
      'secrets/partner-security-token': 'tok\n',
    };
    const read: string[] = [];
    const readFile = (file: string) => {
      read.push(path.relative(REPO, file));
      const content = files[path.relative(REPO, file)];
      if (content === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return content;
    };
    const env = { LEGACY_SF_PASSWORD: 'p', LEGACY_SF_SECURITY_TOKEN: 't', PARTNER_CLIENT_SECRET: 's' };
    const text = fs.readFileSync(path.join(REPO, 'elfstream.example.yaml'), 'utf8');
    const config = parseConfig(text, { path: 'elfstream.example.yaml', env, cwd: REPO, readFile });
    expect(read.sort()).toEqual(Object.keys(files).sort());
    expect(config.sources.map((s) => [s.id, s.salesforce.auth.type])).toEqual([
      ['acme-prod', 'client-credentials'],
      ['acme-uat', 'jwt'],
      ['legacy-org', 'password'],
      ['partner-org', 'oauth-password'],
    ]);
    expect(config.output).toEqual({
      type: 'file',
      dir: path.join(REPO, 'data/events'),
      gzip: true,
      fileMode: 0o600,
      dirMode: 0o700,
    });
    expect(config.metrics).toEqual({ port: 9464 });
  });

  it('mentions every key the schema accepts', () => {
    const text = fs.readFileSync(path.join(REPO, 'elfstream.example.yaml'), 'utf8');
    const keys = [
      ...['temporal', 'address', 'namespace', 'taskQueue', 'apiKey', 'apiKeyFile', 'tls', 'certPath', 'keyPath'],
      ...['caPath', 'serverName', 'output', 'type', 'dir', 'gzip', 'url', 'format', 'authorization'],
      ...[
        'authorizationFile',
        'batchSize',
        'headers',
        'allowInsecure',
        'fileMode',
        'dirMode',
        'metrics',
        'port',
        'sources',
        'id',
        'label',
        'salesforce',
      ],
      ...['loginUrl', 'apiVersion', 'auth', 'username', 'password', 'passwordFile', 'securityToken'],
      ...['securityTokenFile', 'clientId', 'clientSecret', 'clientSecretFile', 'privateKey', 'privateKeyFile'],
      ...['audience', 'eventTypes', 'interval', 'schedule', 'startFrom', 'settleWindow', 'rescanHorizon'],
      ...['concurrency', 'chunkRows', 'apiReserve'],
    ];
    for (const key of keys) expect(text).toMatch(new RegExp(`\\b${key}:`));
  });
});

describe('demoConfig', () => {
  it('makes one client-credentials source on API auto against the simulator, writing files under ./data/events', () => {
    const params = {
      simulatorUrl: 'http://localhost:8787',
      credentials: { clientId: 'demo-client', clientSecret: 'demo-se$${cr}et' },
      cwd: '/home/me/elfstream',
    };
    expect(demoConfig(params)).toEqual({
      configPath: DEMO_CONFIG_PATH,
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'salesforce-event-logs' },
      output: { type: 'file', dir: '/home/me/elfstream/data/events', gzip: true },
      metrics: { port: null },
      sources: [
        {
          id: 'demo-org',
          label: 'Demo org (simulator)',
          salesforce: {
            loginUrl: 'http://localhost:8787',
            apiVersion: 'auto',
            auth: { type: 'client-credentials', clientId: 'demo-client', clientSecret: 'demo-se$${cr}et' },
          },
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
        },
      ],
    });
  });

  it('takes a data folder, Temporal settings and source settings', () => {
    const config = demoConfig({
      simulatorUrl: 'http://localhost:9000/',
      credentials: { clientId: 'c', clientSecret: 's' },
      dataDir: '/tmp/elf-demo',
      temporal: { address: '127.0.0.1:7999', taskQueue: 'demo' },
      source: { schedule: '* * * * *', eventTypes: ['*'], settleWindow: '30s' },
    });
    expect(config.output).toEqual({ type: 'file', dir: '/tmp/elf-demo', gzip: true });
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7999', taskQueue: 'demo' });
    expect(config.sources[0]).toMatchObject({ schedule: '* * * * *', eventTypes: ['*'], settleWindowMs: 30_000 });
    expect(config.sources[0]?.salesforce.auth).toEqual({
      type: 'client-credentials',
      clientId: 'c',
      clientSecret: 's',
    });
    expect(
      demoConfigYaml({ simulatorUrl: 'http://127.0.0.1:1', credentials: { clientId: 'c', clientSecret: '${X}' } }),
    ).toContain('clientSecret: $${X}');
  });

  it('rejects a malformed simulator URL', () => {
    expect(
      configError(() =>
        demoConfig({ simulatorUrl: 'localhost:8787', credentials: { clientId: 'c', clientSecret: 's' } }),
      ).message,
    ).toBe(
      '(demo config): sources[0].salesforce.loginUrl: "localhost:8787" is not an http(s) URL (e.g. https://login.salesforce.com or https://acme.my.salesforce.com)',
    );
  });
});
