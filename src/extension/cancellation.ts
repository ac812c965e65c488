/**
 * Cancelling work that cannot be interrupted half-way (a lab that is starting, a connection being
 * set up): the caller stops waiting at once, and what the work produces after that is released
 * (the lab stopped, the session closed), so a cancelled command leaves nothing running. No `vscode`.
 */

/** The work's value, or `undefined` when `signal` aborts first; a value arriving after that goes to `release`. */
export function untilCancelled<T>(work: Promise<T>, signal: AbortSignal, release: (late: T) => unknown): Promise<T | undefined> {
  if (signal.aborted) {
    void work.then(release, () => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => {
      resolve(undefined);
      void work.then(release, () => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) reject(error);
      },
    );
  });
}
