import { parentPort } from 'node:worker_threads';
import {
  PackedBatchNormalizer,
  type BatchMessage,
  type EndMessage,
  type ErrorMessage,
  type InitMessage,
  type ResultMessage,
} from './offload-protocol';

/**
 * Entry point of the normalize worker thread (see `normalize-worker-client.ts`): turns packed batches of CSV
 * records into event lines, strictly in the order they arrive, so row ids are the same as in one thread.
 */
const port = parentPort;
if (port === null) throw new Error('normalize-worker must run in a worker thread');

let normalizer: PackedBatchNormalizer | undefined;

port.on('message', (msg: InitMessage | BatchMessage | EndMessage) => {
  try {
    if (msg.type === 'init') {
      normalizer = new PackedBatchNormalizer(msg);
      return;
    }
    if (normalizer === undefined) throw new Error('normalize-worker: batch before init');
    const result: ResultMessage = msg.type === 'end' ? normalizer.end() : normalizer.run(msg);
    port.postMessage(result, [result.block.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const reply: ErrorMessage = { type: 'error', message: e.message, stack: e.stack };
    port.postMessage(reply);
  }
});
