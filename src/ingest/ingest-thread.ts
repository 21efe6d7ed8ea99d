import { parentPort } from 'node:worker_threads';
import { BlockPool } from './block-builder';
import { transferList, type FromThreadMessage, type ToThreadMessage } from './offload-protocol';
import { ThreadFile } from './thread-file';

/**
 * Entry point of an ingest worker thread (see `ingest-threads.ts`): ingests the files the pipeline hands it, each
 * a stream of its own (see `thread-file.ts`). A failing stream is answered with an error and forgotten; the others
 * carry on.
 */
const port = parentPort;
if (port === null) throw new Error('ingest-thread must run in a worker thread');

const blocks = new BlockPool();
const files = new Map<number, ThreadFile>();
const post = (message: FromThreadMessage): void => port.postMessage(message, transferList(message));

port.on('message', (msg: ToThreadMessage) => {
  switch (msg.type) {
    case 'recycle':
      return blocks.give(msg.buffer);
    case 'init':
      files.set(msg.stream, new ThreadFile(msg, blocks, post));
      return;
    case 'close':
      files.get(msg.stream)?.close();
      files.delete(msg.stream);
      return;
  }
  const file = files.get(msg.stream);
  if (file === undefined) {
    post({
      type: 'error',
      stream: msg.stream,
      kind: 'internal',
      message: `${msg.type} of stream ${msg.stream} before init`,
    });
    return;
  }
  if (msg.type === 'bytes') file.write(msg.bytes);
  else file.end();
});
