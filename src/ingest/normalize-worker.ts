import { parentPort } from 'node:worker_threads';
import {
  PackedBatchNormalizer,
  resultTransferList,
  type ErrorMessage,
  type ResultMessage,
  type ToWorkerMessage,
} from './offload-protocol';

/**
 * Entry point of a normalize worker thread (see `normalize-workers.ts`): turns packed batches of CSV records into
 * event lines, for each of its streams (files) strictly in the order they arrive, so row ids are the same as in one
 * thread. A failing stream is answered with an error and forgotten; the others carry on.
 */
const port = parentPort;
if (port === null) throw new Error('normalize-worker must run in a worker thread');

const streams = new Map<number, PackedBatchNormalizer>();

port.on('message', (msg: ToWorkerMessage) => {
  try {
    if (msg.type === 'init') {
      streams.set(msg.stream, new PackedBatchNormalizer(msg));
      return;
    }
    if (msg.type === 'close') {
      streams.delete(msg.stream);
      return;
    }
    const normalizer = streams.get(msg.stream);
    if (normalizer === undefined) throw new Error(`normalize-worker: ${msg.type} of stream ${msg.stream} before init`);
    const result: ResultMessage = msg.type === 'end' ? normalizer.end() : normalizer.run(msg);
    port.postMessage(result, resultTransferList(result));
  } catch (err) {
    streams.delete(msg.stream);
    const e = err instanceof Error ? err : new Error(String(err));
    const reply: ErrorMessage = { type: 'error', stream: msg.stream, message: e.message, stack: e.stack };
    port.postMessage(reply);
  }
});
