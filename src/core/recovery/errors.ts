/** The failure of one action or check: what happened and where (message), what to do (hint). */
export class ActionError extends Error {
  override readonly name = 'ActionError';

  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The admin answered no to a confirmation: the run stops, nothing failed. */
export class DeclinedError extends Error {
  override readonly name = 'DeclinedError';
}
