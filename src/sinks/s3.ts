import crypto from 'node:crypto';
import zlib from 'node:zlib';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { DEFAULT_GZIP_LEVEL } from './file';
import { LineBuffer } from './line-buffer';
import { BOOKKEEPING_DIR, chunkKey, manifestKey } from './s3-layout';
import {
  logFileRef,
  type ChunkReceipt,
  type ChunkWriter,
  type FileSummary,
  type LogFileRef,
  type LogSink,
} from './types';

/**
 * The s3 sink: one gzip NDJSON object per committed chunk in an S3 bucket or an S3-compatible store (layout in
 * `s3-layout.ts`), and a manifest per completed file under `<prefix>_elfstream/manifests/`.
 *
 * Exactly once in the bucket: every object is written with `If-None-Match: *` (S3 conditional writes,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), so a retried chunk never
 * overwrites its object — readers such as Panther, Splunk's S3 input, Cribl or Filebeat would ingest a rewritten
 * object, and its "object created" notification, a second time. A retry produces the same bytes (same rows, same
 * gzip level; Node's gzip header has no time or name); when the key exists (412 Precondition Failed) the stored
 * object's sha256, kept in its user metadata, is compared with the chunk's: equal means the chunk was committed by
 * an earlier attempt, different is an error naming both digests (someone else wrote that key, or the rows changed).
 *
 * A chunk is held in memory, compressed, until it is committed (PutObject needs its length): memory grows with the
 * chunk size (`chunkRows`), never with the file size.
 */
export interface S3SinkOptions {
  bucket: string;
  /** Key prefix, e.g. "salesforce/"; empty for the bucket's root. */
  prefix?: string;
  region: string;
  /** S3-compatible endpoint; path-style addressing is used with it. */
  endpoint?: string;
  /** Static credentials; the AWS default chain (environment, profile, instance role…) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default true: `.json.gz`; false: `.json`. */
  gzip?: boolean;
  gzipLevel?: number;
  /** Attempts of each request by the SDK (its standard retry mode) before the chunk fails. Default 5. */
  maxAttempts?: number;
}

/** An object could not be written or is not what this chunk would write; `retryable` says whether to try again. */
export class S3SinkError extends Error {
  override readonly name = 'S3SinkError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Manifest of one completed EventLogFile (`<prefix>_elfstream/manifests/<sourceId>/<fileId>.json`). */
export interface S3Manifest extends LogFileRef {
  version: 1;
  bucket: string;
  rows: number;
  malformedRows: number;
  unknownColumns: string[];
  completedAt?: string;
  chunks: { chunk: number; key: string; rows: number; bytes: number; storedBytes: number; sha256: string }[];
}

/** User metadata on each chunk object: what a later attempt or the manifest needs without reading the object. */
const META = { sha256: 'elfstream-sha256', rows: 'elfstream-rows', bytes: 'elfstream-bytes' } as const;

export class S3Sink implements LogSink {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly gzip: boolean;
  private readonly gzipLevel: number;
  private readonly endpoint: string | undefined;

  constructor(options: S3SinkOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.gzip = options.gzip ?? true;
    this.gzipLevel = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
    const config: S3ClientConfig = {
      region: options.region,
      maxAttempts: options.maxAttempts ?? 5,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    };
    this.client = new S3Client(config);
    this.endpoint = options.endpoint;
  }

  async openChunk(file: LogFileRef, chunk: number): Promise<ChunkWriter> {
    return new S3ChunkWriter(this, chunkKey(this.prefix, file, chunk, this.gzip), chunk);
  }

  async completeFile(file: LogFileRef, summary: FileSummary): Promise<void> {
    const count = summary.chunkCount ?? summary.chunks.length;
    const given = new Map(summary.chunks.map((c) => [c.chunk, c]));
    const chunks: S3Manifest['chunks'] = [];
    for (let i = 0; i < count; i++) {
      const key = chunkKey(this.prefix, file, i, this.gzip);
      const r = given.get(i) ?? (await this.readBack(key, i));
      const { rows, bytes, storedBytes = 0, storedSha256 = '' } = r;
      chunks.push({ chunk: i, key, rows, bytes, storedBytes, sha256: storedSha256 });
    }
    const rows = chunks.reduce((n, c) => n + c.rows, 0);
    if (rows !== summary.rows) {
      throw new S3SinkError(`s3 sink: chunks of ${file.fileId} hold ${rows} rows, expected ${summary.rows}`, false);
    }
    const manifest: S3Manifest = {
      version: 1,
      ...logFileRef(file),
      bucket: this.bucket,
      rows: summary.rows,
      malformedRows: summary.malformedRows,
      unknownColumns: [...summary.unknownColumns],
      ...(summary.completedAt !== undefined ? { completedAt: summary.completedAt } : {}),
      chunks,
    };
    const body = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    await this.putOnce(
      manifestKey(this.prefix, file),
      body,
      { rows: summary.rows, bytes: body.length },
      'application/json',
    );
  }

  describe(): string {
    return `s3 ${this.url(this.prefix)} (NDJSON${this.gzip ? ', gzip' : ''})`;
  }

  /**
   * Reads a key that is never written (under the bookkeeping prefix): the answer tells whether the endpoint answers,
   * the bucket exists and the credentials are valid, without writing. Whether they may write is only known from a
   * write: the first chunk. Without s3:ListBucket (the documented policy) S3 answers a missing key with 403
   * AccessDenied rather than 404 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html), so that
   * answer still means the credentials were accepted.
   */
  async probe(): Promise<string> {
    const key = `${this.prefix}${BOOKKEEPING_DIR}verify-probe`;
    const where = this.url(this.prefix);
    try {
      await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: 'bytes=0-0' }));
      return `${where} answers and takes the credentials`;
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      const message = err instanceof Error ? err.message : String(err);
      if (name === 'NoSuchKey' || name === 'AccessDenied' || name === 'InvalidRange')
        return `${where} answers and takes the credentials (permission to write is checked by the first chunk)`;
      if (name === 'NoSuchBucket') throw new Error(`bucket ${this.bucket} does not exist${this.at()}: create it`);
      if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch')
        throw new Error(`${where} refused the credentials (${name}): check accessKeyId and secretAccessKey`);
      if (name === 'CredentialsProviderError')
        throw new Error(
          `no AWS credentials for ${where}: set accessKeyId and secretAccessKey, or the AWS default chain`,
        );
      const status = statusOf(err);
      throw new Error(
        `${where}${status !== undefined ? ` answers HTTP ${status}` : ' does not answer'}: ${name} ${message}`,
      );
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** @internal Compression settings for the chunk writers; undefined without gzip. */
  get compression(): number | undefined {
    return this.gzip ? this.gzipLevel : undefined;
  }

  /**
   * @internal Writes `body` to `key` unless the key exists; an existing object with the same sha256 counts as
   * written. Returns the stored sha256 (hex).
   */
  async putOnce(
    key: string,
    body: Buffer,
    facts: { rows: number; bytes: number },
    contentType: string,
  ): Promise<string> {
    const sha256 = crypto.createHash('sha256').update(body).digest();
    const hex = sha256.toString('hex');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType,
          IfNoneMatch: '*',
          Metadata: { [META.sha256]: hex, [META.rows]: String(facts.rows), [META.bytes]: String(facts.bytes) },
        }),
      );
      return hex;
    } catch (err) {
      if (statusOf(err) !== 412) throw this.failure('PUT', key, err);
    }
    const stored = await this.storedSha256(key);
    if (stored !== hex) {
      throw new S3SinkError(
        `s3 sink: ${this.url(key)} already exists with sha256 ${stored}, but this chunk's is ${hex}; ` +
          'another writer uses this prefix, or the file was re-ingested with different settings (chunkRows, gzip). ' +
          'Remove the object or change the prefix',
        false,
      );
    }
    return hex;
  }

  /** The sha256 of an existing object: from its metadata, or computed from its content when written by others. */
  private async storedSha256(key: string): Promise<string> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const recorded = head.Metadata?.[META.sha256];
      if (recorded !== undefined) return recorded;
      const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = await got.Body?.transformToByteArray();
      return crypto
        .createHash('sha256')
        .update(bytes ?? new Uint8Array())
        .digest('hex');
    } catch (err) {
      throw this.failure('HEAD', key, err);
    }
  }

  /** Receipt of a chunk committed by an earlier attempt, from its object's metadata. */
  private async readBack(key: string, chunk: number): Promise<ChunkReceipt> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const m = head.Metadata ?? {};
      return {
        chunk,
        rows: Number(m[META.rows] ?? NaN),
        bytes: Number(m[META.bytes] ?? NaN),
        location: key,
        storedBytes: head.ContentLength ?? 0,
        storedSha256: m[META.sha256] ?? '',
      };
    } catch (err) {
      throw this.failure('HEAD', key, err);
    }
  }

  /** `s3://bucket/key`, and the endpoint when not AWS's, for messages. */
  private url(key: string): string {
    return `s3://${this.bucket}/${key}${this.at()}`;
  }

  private at(): string {
    return this.endpoint !== undefined ? ` (at ${this.endpoint})` : '';
  }

  private failure(verb: string, key: string, err: unknown): S3SinkError {
    const status = statusOf(err);
    const name = (err as { name?: string }).name ?? 'Error';
    const message = (err as Error).message ?? String(err);
    // 4xx other than throttling and conflicts will not pass on a retry (bad bucket, access denied, bad request).
    const retryable = status === undefined || status >= 500 || status === 408 || status === 409 || status === 429;
    return new S3SinkError(
      `s3 sink: ${verb} ${this.url(key)} failed: ${status ?? ''} ${name}: ${message}`.replace(/ {2,}/g, ' '),
      retryable,
    );
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Rows of one chunk, compressed as they come, written as one object on commit. */
class S3ChunkWriter implements ChunkWriter {
  private readonly lines = new LineBuffer();
  private readonly parts: Buffer[] = [];
  private readonly gzip: zlib.Gzip | undefined;
  private rows = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly sink: S3Sink,
    private readonly key: string,
    private readonly chunk: number,
  ) {
    const level = sink.compression;
    if (level !== undefined) {
      this.gzip = zlib.createGzip({ level });
      this.gzip.on('data', (b: Buffer) => this.parts.push(b));
    }
  }

  write(line: string): void {
    if (this.closed) throw new Error('s3 sink: chunk already committed or aborted');
    this.rows++;
    if (this.lines.add(line)) this.put(this.lines.take() as Buffer);
  }

  writeBlock(block: Buffer, lines: number): void {
    if (this.closed) throw new Error('s3 sink: chunk already committed or aborted');
    this.rows += lines;
    const buffered = this.lines.take();
    if (buffered !== undefined) this.put(buffered);
    this.put(Buffer.from(block)); // kept until the upload: the caller reuses `block`
  }

  async commit(): Promise<ChunkReceipt> {
    if (this.closed) throw new Error('s3 sink: chunk already committed or aborted');
    this.closed = true;
    const rest = this.lines.take();
    if (rest !== undefined) this.put(rest);
    if (this.gzip !== undefined) {
      const gz = this.gzip;
      await new Promise<void>((resolve, reject) => {
        gz.once('error', reject);
        gz.once('end', resolve);
        gz.end();
      });
    }
    const body = Buffer.concat(this.parts);
    this.parts.length = 0;
    const compressed = this.gzip !== undefined;
    const sha256 = await this.sink.putOnce(
      this.key,
      body,
      { rows: this.rows, bytes: this.bytes },
      // A gzip file, not a gzip-encoded transfer: readers fetch the .gz as stored and decompress it themselves.
      compressed ? 'application/gzip' : 'application/x-ndjson',
    );
    return {
      chunk: this.chunk,
      rows: this.rows,
      bytes: this.bytes,
      location: this.key,
      storedBytes: body.length,
      storedSha256: sha256,
      ...(compressed ? {} : { sha256 }),
    };
  }

  async abort(): Promise<void> {
    this.closed = true;
    this.lines.clear();
    this.parts.length = 0;
    this.gzip?.destroy();
  }

  private put(block: Buffer): void {
    this.bytes += block.length;
    if (this.gzip !== undefined) this.gzip.write(block);
    else this.parts.push(block);
  }
}
