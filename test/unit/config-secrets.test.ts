import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config';
import type { ParseConfigOptions } from '../../src/config';
import { configError, minimalYaml, parse, rsaPrivateKeyPem } from '../fixtures/config/helpers';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-config-'));
  fs.mkdirSync(path.join(dir, 'secrets'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): void {
  fs.writeFileSync(path.join(dir, name), content);
}

/** Parses `text` as the file `<dir>/conf/elfstream.yaml`... relative secret paths start at <dir>. */
function parseIn(text: string, options: Partial<ParseConfigOptions> = {}) {
  return parse(text, { path: 'elfstream.yaml', cwd: dir, ...options });
}

const auth = (lines: string[]) =>
  `sources:\n  - id: a\n    salesforce:\n      auth:\n${lines.map((l) => `        ${l}`).join('\n')}\n`;

describe('*File secrets', () => {
  it('reads each secret from its file relative to the config folder, without the trailing line break', () => {
    write('secrets/password', 'pass word\n');
    write('secrets/token', 'Tok3n\r\n');
    write('secrets/client-secret', '\uFEFFcs-123\n\n');
    write('secrets/api-key', 'tmprl-key\n');
    write('secrets/authorization', 'Bearer abc.def\n');
    const text = [
      'temporal:',
      '  apiKeyFile: secrets/api-key',
      'output:',
      '  type: http',
      '  url: https://collector.example.com/ingest',
      '  authorizationFile: secrets/authorization',
      'sources:',
      '  - id: a',
      '    salesforce:',
      '      loginUrl: https://acme.my.salesforce.com',
      '      auth:',
      '        type: oauth-password',
      '        username: u@acme.com',
      '        passwordFile: secrets/password',
      '        securityTokenFile: secrets/token',
      '        clientId: c',
      `        clientSecretFile: ${path.join(dir, 'secrets/client-secret')}`,
    ].join('\n');
    const config = parseIn(text);
    expect(config.temporal.apiKey).toBe('tmprl-key');
    expect(config.output).toMatchObject({ authorization: 'Bearer abc.def' });
    expect(config.sources[0]?.salesforce.auth).toEqual({
      type: 'oauth-password',
      username: 'u@acme.com',
      password: 'pass word',
      securityToken: 'Tok3n',
      clientId: 'c',
      clientSecret: 'cs-123',
    });
  });

  it('resolves secret files against the folder of the config file, not the working folder', () => {
    fs.mkdirSync(path.join(dir, 'conf', 'secrets'), { recursive: true });
    write('conf/secrets/pw', 'in-conf\n');
    const config = parseIn(auth(['type: password', 'username: u', 'passwordFile: secrets/pw']), {
      path: 'conf/elfstream.yaml',
    });
    expect(config.sources[0]?.salesforce.auth).toMatchObject({ password: 'in-conf' });
  });

  it('reads a PEM private key from privateKeyFile and accepts an empty security token file', () => {
    write('secrets/jwt.key', rsaPrivateKeyPem());
    write('secrets/empty-token', '\n');
    const jwt = parseIn(auth(['type: jwt', 'username: u', 'clientId: c', 'privateKeyFile: secrets/jwt.key']));
    expect(jwt.sources[0]?.salesforce.auth).toMatchObject({ privateKey: rsaPrivateKeyPem().replace(/\n$/, '') });
    const password = parseIn(
      auth(['type: password', 'username: u', 'password: p', 'securityTokenFile: secrets/empty-token']),
    );
    expect(password.sources[0]?.salesforce.auth).toMatchObject({ securityToken: '' });
  });

  it('accepts a private key written on one line with literal \\n (as CI secrets often are)', () => {
    const oneLine = rsaPrivateKeyPem().replace(/\n/g, '\\n');
    const config = parseIn(auth(['type: jwt', 'username: u', 'clientId: c', 'privateKey: ${KEY}']), {
      env: { KEY: oneLine },
    });
    expect(config.sources[0]?.salesforce.auth).toMatchObject({ privateKey: rsaPrivateKeyPem() });
  });

  it('names the key path and the file when a file is missing or unreadable', () => {
    const missing = path.join(dir, 'secrets/missing');
    expect(
      configError(() => parseIn(auth(['type: password', 'username: u', 'passwordFile: secrets/missing']))).message,
    ).toBe(
      `elfstream.yaml: sources[0].salesforce.auth.passwordFile: cannot read "secrets/missing" (${missing}): no such file`,
    );
    expect(configError(() => parseIn(auth(['type: password', 'username: u', 'passwordFile: secrets']))).message).toBe(
      `elfstream.yaml: sources[0].salesforce.auth.passwordFile: cannot read "secrets" (${path.join(dir, 'secrets')}): it is a directory`,
    );
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const readFile = () => {
      throw denied;
    };
    expect(
      configError(() => parseIn(`temporal:\n  apiKeyFile: /run/secrets/key\n${minimalYaml()}`, { readFile })).message,
    ).toBe('elfstream.yaml: temporal.apiKeyFile: cannot read "/run/secrets/key": permission denied');
  });

  it('checks what a file holds and says which file, without quoting it', () => {
    write('secrets/empty', '\n');
    write('secrets/cert.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(
      configError(() => parseIn(auth(['type: password', 'username: u', 'passwordFile: secrets/empty']))).message,
    ).toBe('elfstream.yaml: sources[0].salesforce.auth.passwordFile: the secret in "secrets/empty" must not be empty');
    expect(
      configError(() => parseIn(auth(['type: jwt', 'username: u', 'clientId: c', 'privateKeyFile: secrets/cert.pem'])))
        .message,
    ).toBe(
      'elfstream.yaml: sources[0].salesforce.auth.privateKeyFile: the secret in "secrets/cert.pem" must be a private key, not a certificate (Salesforce holds the certificate, elfstream the key)',
    );
  });
});

describe('secrets never appear in messages', () => {
  const SECRETS = {
    password: 'Pa55-word-Sekrit',
    token: 'TokenSekrit42',
    clientSecret: 'Client Sekrit 99',
    privateKeyBody: 'PrivKeySekritBody',
    authorization: 'Splunk HecSekrit77',
    apiKey: 'ApiKey Sekrit 11',
    header: 'HeaderSekrit55',
    number: '987654321',
  };

  beforeAll(() => {
    write('secrets/bad-client-secret', `${SECRETS.clientSecret}\n`);
    write('secrets/bad-key', `-----BEGIN PRIVATE KEY-----\n${SECRETS.privateKeyBody}\n-----END PRIVATE KEY-----\n`);
    write('secrets/bad-authorization', `Splunk x\nX-Evil: ${SECRETS.authorization}\n`);
    write('secrets/bad-api-key', `${SECRETS.apiKey}\n`);
  });

  const env = {
    SF_PASSWORD: SECRETS.password,
    SF_TOKEN: `${SECRETS.token} with spaces`,
    CLIENT_SECRET: SECRETS.clientSecret,
    PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\n${SECRETS.privateKeyBody}\n-----END RSA PRIVATE KEY-----`,
    AUTHORIZATION: `${SECRETS.authorization}\r\nX-Injected: 1`,
    TEMPORAL_API_KEY: SECRETS.apiKey,
  };

  const source = (authLines: string[], more: string[] = [], id = 'a', loginUrl = 'https://acme.my.salesforce.com') =>
    [
      `  - id: ${id}`,
      '    salesforce:',
      `      loginUrl: ${loginUrl}`,
      '      auth:',
      ...authLines.map((l) => `        ${l}`),
      ...more,
    ].join('\n');

  const cases: [string, string][] = [
    [
      'invalid secret values in every secret field (inline, from variables and from files)',
      [
        'temporal:',
        '  apiKey: ${TEMPORAL_API_KEY}',
        'output:',
        '  type: http',
        '  url: https://h.example.com/x',
        '  authorization: ${AUTHORIZATION}',
        '  headers:',
        `    X-Token: "${SECRETS.header}\\nX-Evil: 1"`,
        `    X-List: [${SECRETS.header}]`,
        'sources:',
        source(['type: password', 'username: u', `password: ${SECRETS.number}`, 'securityToken: ${SF_TOKEN}'], [], 'a'),
        source(['type: client-credentials', 'clientId: c', 'clientSecret: ${CLIENT_SECRET}'], [], 'b'),
        source(['type: jwt', 'username: u', 'clientId: c', 'privateKey: ${PRIVATE_KEY}'], [], 'c'),
        source(['type: client-credentials', 'clientId: c', 'clientSecretFile: secrets/bad-client-secret'], [], 'd'),
        source(['type: jwt', 'username: u', 'clientId: c', 'privateKeyFile: secrets/bad-key'], [], 'e'),
      ].join('\n'),
    ],
    [
      'secrets from files in output and temporal',
      [
        'temporal:',
        '  apiKeyFile: secrets/bad-api-key',
        'output:',
        '  type: http',
        '  url: https://h.example.com/x',
        '  authorizationFile: secrets/bad-authorization',
        'sources:',
        source(['type: password', 'username: u', 'password: p']),
      ].join('\n'),
    ],
    [
      'secrets of the wrong type, in the wrong place, or next to their *File key',
      [
        'temporal:',
        `  apiKey: { key: ${SECRETS.apiKey} }`,
        'sources:',
        source(
          [
            'type: password',
            'username: u',
            `password: [${SECRETS.password}]`,
            `passwrd: ${SECRETS.password}`,
            `clientSecret: ${SECRETS.clientSecret}`,
            `securityToken: ${SECRETS.number}`,
            `securityTokenFile: x`,
          ],
          [`    password: ${SECRETS.password}`],
          'a',
        ),
        source(
          [
            'type: oauth-password',
            'username: u',
            `password: ${SECRETS.password}`,
            'passwordFile: p',
            'clientId: c',
            `clientSecret: { v: "${SECRETS.clientSecret}" }`,
          ],
          [],
          'b',
        ),
        source(['type: jwt', 'username: u', 'clientId: c', `privateKey: ${SECRETS.number}`], [], 'c'),
      ].join('\n'),
    ],
    [
      'broken ${...} references inside secrets',
      [
        'sources:',
        source(['type: password', 'username: u', `password: "${SECRETS.password}\${oops"`], [], 'a'),
        source(['type: password', 'username: u', `password: "\${${SECRETS.password}}"`], [], 'b'),
        source(['type: client-credentials', 'clientId: c', `clientSecret: "${SECRETS.token}\${NOT_SET}"`], [], 'c'),
      ].join('\n'),
    ],
    [
      'a secret variable mistakenly used in a non-secret field as well',
      [
        'sources:',
        source(['type: password', 'username: u', 'password: ${SF_PASSWORD}'], [], 'a', '${SF_PASSWORD}'),
      ].join('\n'),
    ],
    [
      'a YAML escape error inside a secret',
      `sources:\n${source(['type: password', 'username: u', `password: "${SECRETS.password}\\q"`])}`,
    ],
    [
      'a YAML flow error next to a secret',
      `sources: [{ id: a, salesforce: { auth: { password: ${SECRETS.password}{x}, username: u } } }]`,
    ],
    [
      'a YAML quoting error in a secret',
      `sources:\n${source(['type: password', 'username: u', `password: "${SECRETS.password}`])}`,
    ],
  ];

  it.each(cases)('%s', (_name, text) => {
    const error = configError(() => parseIn(text, { env }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.length).toBeGreaterThan(0);
    const everything = [error.message, ...error.issues.map((i) => `${i.path} ${i.message}`)].join('\n');
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    for (const part of ['Sekrit', SECRETS.number]) expect(everything).not.toContain(part);
  });

  it('still says what is wrong with each secret field', () => {
    const error = configError(() => parseIn(cases[0]![1], { env }));
    expect(error.issues).toEqual([
      { path: 'temporal.apiKey', message: 'must not contain whitespace' },
      { path: 'output.authorization', message: 'must not contain line breaks (it is sent as a header)' },
      { path: 'output.headers["X-Token"]', message: 'must not contain line breaks' },
      { path: 'output.headers["X-List"]', message: 'expected a header value (a string), got a list' },
      {
        path: 'sources[0].salesforce.auth.password',
        message: 'expected the password of the Salesforce user, got a number',
      },
      { path: 'sources[1].salesforce.auth.clientSecret', message: 'must not contain whitespace' },
      {
        path: 'sources[2].salesforce.auth.privateKey',
        message: 'must be a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
      },
      {
        path: 'sources[3].salesforce.auth.clientSecretFile',
        message: 'the secret in "secrets/bad-client-secret" must not contain whitespace',
      },
      {
        path: 'sources[4].salesforce.auth.privateKeyFile',
        message:
          'the secret in "secrets/bad-key" must be a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
      },
    ]);
  });
});
