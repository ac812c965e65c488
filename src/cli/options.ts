/**
 * Command-line options of every subcommand, read with `node:util` `parseArgs`: `--name VALUE` and
 * `--name=VALUE` both work, options and files may come in any order, and `--` ends the options (a
 * runbook named `--x.runbook.md`). What parseArgs rejects comes back as one short sentence for the
 * usage line instead of Node's error text.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CheckOverride } from '../core/recovery';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed command line, or what is wrong with it. */
export function parseCommandLine<const O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    return usageProblem(err);
  }
}

/** What parseArgs lists, in command-line order (its `tokens`). */
type Token = { readonly kind: 'option'; readonly name: string; readonly value?: string | undefined } | { readonly kind: 'positional' | 'option-terminator' };

/**
 * The `--override ID --reason TEXT` pairs of a parsed command line, in order: each --override needs
 * its --reason right after it, so a reason is never taken for another check's. A string is what is
 * wrong with them.
 */
export function overridesIn(tokens: readonly Token[]): CheckOverride[] | string {
  const overrides: CheckOverride[] = [];
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== 'option' || (token.name !== 'override' && token.name !== 'reason')) continue;
    const before = tokens[i - 1];
    if (token.name === 'reason') {
      if (before?.kind !== 'option' || before.name !== 'override') return '--reason belongs right after an --override ID';
      continue;
    }
    const check = token.value ?? '';
    const next = tokens[i + 1];
    if (next?.kind !== 'option' || next.name !== 'reason') return `--override ${check} needs --reason "why" right after it`;
    const reason = next.value?.trim();
    if (!reason) return `--override ${check} --reason needs a non-empty reason`;
    overrides.push({ check, reason });
  }
  return overrides;
}

function usageProblem(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  // Node quotes the option as '--estate <value>' or, with a short form, '-h, --help'.
  const option = /'(?:-\w, )?(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option ?? message}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // A value option at the end, or followed by another option (`--estate --format json`).
    if (/argument missing|ambiguous/.test(message) && option) return `${option} needs a value (${option} VALUE or ${option}=VALUE)`;
    if (option) return `${option} takes no value`;
  }
  return message;
}

/** What `run` and `rehearse` share: their `--override/--reason` pairs and the one runbook file. */
export function overridesAndRunbook(parsed: { readonly tokens: readonly Token[]; readonly positionals: readonly string[] }): { overrides: CheckOverride[]; file: string } | string {
  const overrides = overridesIn(parsed.tokens);
  if (typeof overrides === 'string') return overrides;
  const files = parsed.positionals;
  if (files.length !== 1) return files.length === 0 ? 'no runbook file given' : 'give one runbook file';
  return { overrides, file: files[0]! };
}
