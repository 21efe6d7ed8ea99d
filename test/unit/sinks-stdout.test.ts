import { PassThrough, Writable } from 'node:stream';
import { createSink } from '../../src/sinks';
import { FileSink } from '../../src/sinks/file';
import { HttpSink } from '../../src/sinks/http';
import { StdoutSink } from '../../src/sinks/stdout';
import type { LogFileRef } from '../../src/sinks/types';

const file: LogFileRef = {
  sourceId: 'acme-prod',
  orgId: '00D5j00000DgAYG',
  fileId: '0AT5j00002LqQTxGAN',
  eventType: 'Logout',
  logDate: '2026-11-27T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
};

function collect(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  return { out, text: () => Buffer.concat(parts).toString('utf8') };
}

describe('StdoutSink', () => {
  it('writes NDJSON lines in order and commits once the stream has taken them', async () => {
    const { out, text } = collect();
    const sink = new StdoutSink({ out });
    const w = await sink.openChunk(file, 0);
    await w.write('{"a":1}');
    await w.writeBlock?.(Buffer.from('{"b":2}\n{"c":"é"}\n'), 2);
    await w.write('{"d":4}');
    const receipt = await w.commit();
    expect(text()).toBe('{"a":1}\n{"b":2}\n{"c":"é"}\n{"d":4}\n');
    expect(receipt).toEqual({ chunk: 0, rows: 4, bytes: Buffer.byteLength(text()) });
    await sink.completeFile(file, { rows: 4, chunks: [receipt], malformedRows: 0, unknownColumns: [] });
  });

  it('writes what a block held, though its caller reuses it before the stream has taken it', async () => {
    const { out, text } = collect();
    out.pause(); // the stream queues what is written
    const sink = new StdoutSink({ out });
    const w = await sink.openChunk(file, 0);
    const block = Buffer.from('{"b":2}\n{"c":3}\n');
    await w.writeBlock?.(block, 2);
    block.fill(0x58);
    out.resume();
    await w.commit();
    expect(text()).toBe('{"b":2}\n{"c":3}\n');
  });

  it('respects backpressure from a slow consumer', async () => {
    const received: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        received.push(chunk);
        setImmediate(cb);
      },
    });
    const sink = new StdoutSink({ out: slow });
    const w = await sink.openChunk(file, 0);
    let waits = 0;
    for (let i = 0; i < 5000; i++) {
      const p = w.write(JSON.stringify({ i, pad: 'x'.repeat(50) }));
      if (p !== undefined) {
        waits++;
        await p;
      }
    }
    await w.commit();
    expect(waits).toBeGreaterThan(0);
    expect(Buffer.concat(received).toString().split('\n')).toHaveLength(5001);
  });

  it('drops buffered lines on abort (already written lines cannot be taken back)', async () => {
    const { out, text } = collect();
    const w = await new StdoutSink({ out }).openChunk(file, 0);
    await w.write('{"a":1}');
    await w.abort();
    expect(text()).toBe('');
    expect(() => w.write('{"b":2}')).toThrow(/already committed or aborted/);
  });

  it('describes itself', () => {
    expect(new StdoutSink().describe()).toBe('stdout (NDJSON)');
  });
});

describe('createSink', () => {
  it('builds the sink the output configuration names', () => {
    expect(createSink({ type: 'file', dir: '/tmp/x', gzip: true })).toBeInstanceOf(FileSink);
    expect(createSink({ type: 'stdout' })).toBeInstanceOf(StdoutSink);
    const http = createSink({
      type: 'http',
      url: 'https://user:pw@collector.example/services/collector/event?token=abc',
      format: 'splunk-hec',
      authorization: 'Splunk secret-token-123',
      gzip: true,
      batchSize: 500,
      headers: {},
    });
    expect(http).toBeInstanceOf(HttpSink);
    // Neither credentials in the URL nor the token show up in descriptions.
    expect(http.describe()).toBe('http POST https://collector.example/services/collector/event (splunk-hec, gzip)');
  });
});
