/**
 * The language server in the client's language. The client passes the path of VS Code's bundle
 * for its display language (`vscode.l10n.uri`) in `initializationOptions.l10nBundle`; without one
 * (English, or a language without a bundle) every text stays as written.
 *
 * Rule messages are composed in core with the facts of the runbook (FQDNs, instances, cmdlets), in
 * English. What is translated is what a rule always means — its catalogue line, put before the
 * detailed message — and the quick fixes' titles, which all start with one of a few verbs.
 */
import { ruleMeta } from '../core/rules';
import type { Fix } from '../core/runbook/model';
import type { Problem } from '../core/text';
import type { RunbookServerOptions } from '../core/runbook/protocol';

/** `l10n.t` of `@vscode/l10n`, or a stand-in in tests (the extension's `Translate`, by shape). */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** The bundle named by the client's `initializationOptions`, if any. */
export function bundleOf(initializationOptions: unknown): string | undefined {
  const bundle = (initializationOptions as RunbookServerOptions | undefined)?.l10nBundle;
  return typeof bundle === 'string' && bundle !== '' ? bundle : undefined;
}

/**
 * "<the rule's catalogue line, translated> — <the detailed message>"; the message alone when the
 * rule's line has no translation (English), so English users read exactly what core wrote.
 */
export function localizeMessage(rule: string | undefined, message: string, t: Translate): string {
  const meta = rule === undefined ? undefined : ruleMeta(rule);
  if (!meta) return message;
  const summary = t(meta.description);
  return summary === meta.description ? message : `${summary} — ${message}`;
}

/** The quick-fix title shapes of the rules (`src/core/rules`): a verb, then what it names. */
const FIX_TITLES: readonly (readonly [prefix: string, translate: (rest: string, t: Translate) => string])[] = [
  ['Replace with ', (rest, t) => t('Replace with {0}', rest)],
  ['Use ', (rest, t) => t('Use {0}', rest)],
  ['Remove ', (rest, t) => t('Remove {0}', rest)],
  ['Add ', (rest, t) => t('Add {0}', rest)],
  ['Insert ', (rest, t) => t('Insert {0}', rest)],
  ['Call ', (rest, t) => t('Call {0}', rest)],
  ['Run it ', (rest, t) => t('Run it {0}', rest)],
];

/**
 * A quick fix's title in the client's language: a fixed title (extracted from the rules as it is)
 * translated whole; otherwise the verb translated and what it names kept as written.
 */
export function localizeFixTitle(title: string, t: Translate): string {
  const whole = t(title);
  if (whole !== title) return whole;
  const shape = FIX_TITLES.find(([prefix]) => title.startsWith(prefix));
  return shape ? shape[1](title.slice(shape[0].length), t) : title;
}

/** Every quick-fix verb shape, for the test that each fix title has one. */
export const FIX_TITLE_PREFIXES: readonly string[] = FIX_TITLES.map(([prefix]) => prefix);

/** A problem as the client's language shows it: the message and its quick fixes' titles. */
export function localizeProblem<P extends Problem & { readonly fixes?: readonly Fix[] }>(problem: P, t: Translate): P {
  return {
    ...problem,
    message: localizeMessage(problem.rule, problem.message, t),
    ...(problem.fixes ? { fixes: problem.fixes.map((f) => ({ ...f, title: localizeFixTitle(f.title, t) })) } : {}),
  };
}
