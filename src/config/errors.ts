/** The one error type of the configuration module, and how its issues are printed. */

/** One problem found in a configuration file. */
export interface ConfigIssue {
  /**
   * Where the problem is: a key path such as `sources[0].salesforce.auth.password`, `line 3, column 7` for a YAML
   * syntax error, `(root)` for the document as a whole, or `(file)` when the file itself cannot be read.
   */
  path: string;
  /** What is wrong and what is expected. Never contains a secret value. */
  message: string;
}

/** Segments of a key path: object keys and array indexes. */
export type KeyPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Formats a key path the way messages show it: `sources[0].salesforce.auth.password`, with keys that are not
 * identifiers quoted (`output.headers["X-Api-Key"]`). The empty path is `(root)`.
 */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Formats one issue as `<file>: <path>: <message>`. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  return `${file}: ${issue.path}: ${issue.message}`;
}

/**
 * Thrown by {@link parseConfig} and {@link loadConfig} when a configuration cannot be used. Its message lists every
 * issue found, one per line, each as `<file>: <path>: <message>`; `issues` holds them for programs. No message ever
 * contains a secret value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The configuration file as it was named (relative if given relative). */
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.file = file;
    this.issues = issues;
  }
}
