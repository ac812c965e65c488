/** The failure of one action or check: what happened and where (message), what to do (hint). */
export class ActionError extends Error {
  override readonly name = 'ActionError';

  constructor(
    message: string,
    readonly hint?: string,
    /** `cause`: the port error it explains, so its classification (outcome unknown…) is kept. */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The admin answered no to a confirmation: the run stops, nothing failed. */
export class DeclinedError extends Error {
  override readonly name = 'DeclinedError';
}

/** How the admin records a step as done by hand, in the editor or a terminal: for hints. */
export const howToMarkDone = (stepId: string): string => `Mark done above the step in the editor, or lync-runbook mark done ${stepId} --reason "…" RUNBOOK`;
