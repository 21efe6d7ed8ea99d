import type { OutputConfig } from '../config/types';
import { FileSink } from './file';
import { HttpSink } from './http';
import { StdoutSink } from './stdout';
import type { LogSink } from './types';

export { FileSink, type FileManifest, type FileSinkOptions } from './file';
export { HttpSink, HttpSinkError, type HttpSinkOptions } from './http';
export { StdoutSink, type StdoutSinkOptions } from './stdout';
export type { ChunkReceipt, ChunkWriter, FileSummary, LogFileRef, LogSink } from './types';

/** The sink a worker writes to, from the `output` section of the configuration. */
export function createSink(output: OutputConfig): LogSink {
  switch (output.type) {
    case 'file':
      return new FileSink({ dir: output.dir, gzip: output.gzip, fileMode: output.fileMode, dirMode: output.dirMode });
    case 'stdout':
      return new StdoutSink();
    case 'http':
      return new HttpSink({
        url: output.url,
        format: output.format,
        authorization: output.authorization,
        gzip: output.gzip,
        batchSize: output.batchSize,
        headers: output.headers,
      });
  }
}
