/** An Error for an abort reason (AbortSignal reasons may be anything; Temporal's is a CancelledFailure). */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  const err = new Error(reason === undefined ? 'ingest aborted' : `ingest aborted: ${String(reason)}`);
  err.name = 'AbortError';
  return err;
}

/** Waits for `p` unless `signal` aborts first (a stalled sink must not delay an abort). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
