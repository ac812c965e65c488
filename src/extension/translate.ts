/**
 * How pure modules get user-visible text: the extension passes `vscode.l10n.t`; tests and the
 * bench use `formatMessage`, which fills `{0}`, `{1}`… the same way.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export const formatMessage: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
