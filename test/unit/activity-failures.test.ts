import { ApplicationFailure } from '@temporalio/activity';
import { toActivityFailure } from '../../src/activities/failures';
import { FailureTypes, NON_RETRYABLE_FAILURES } from '../../src/activities/types';
import { HttpSinkError } from '../../src/sinks/http';
import { S3SinkError } from '../../src/sinks/s3';

describe('toActivityFailure: sink errors', () => {
  it.each([
    ['an S3 object that holds other bytes', new S3SinkError('s3 sink: s3://b/k already exists with sha256 a…', false)],
    [
      'a collector that refuses the token',
      new HttpSinkError('http sink: 401 Unauthorized from the collector', false, 401),
    ],
  ])('%s fails for good, as an output problem of the source, with its message', (_what, err) => {
    const failure = toActivityFailure(err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FailureTypes.output, nonRetryable: true, message: err.message });
    expect(NON_RETRYABLE_FAILURES).toContain(FailureTypes.output);
  });

  it.each([
    ['an S3 server answering 503', new S3SinkError('s3 sink: PUT s3://b/k: 503 SlowDown', true)],
    ['a collector answering 503', new HttpSinkError('http sink: 503 from the collector', true, 503)],
  ])('%s stays retryable: the error goes on to Temporal as it is', (_what, err) => {
    expect(toActivityFailure(err)).toBe(err);
  });
});
