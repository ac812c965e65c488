/**
 * Links from a problem's id to its documentation page: the diagnostic's `codeDescription` (the id in
 * the Problems panel becomes a link) and the hover.
 *
 * package.json names no repository or homepage, so there is no web address that is sure to exist;
 * the pages ship in the VSIX (.vscodeignore keeps `docs/**`), so a link points at the page installed
 * with the extension. It is the page of the version that reported the problem, and it works offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocPath } from '../core/rules';

/** The page of a problem id, relative to the extension root: estate ids share one page. */
export const problemDocPath = (rule: string): string => (rule.startsWith('estate/') ? 'docs/estate-checks.md' : ruleDocPath(rule));

/**
 * The extension root: the server bundle is `dist/server.js`, one folder below it; from sources
 * (tsx) this file is two folders below. Undefined when the docs are not there.
 */
export const extensionRoot = (dir: string = __dirname): string | undefined =>
  [path.resolve(dir, '..'), path.resolve(dir, '..', '..')].find((d) => fs.existsSync(path.join(d, 'docs', 'rules')));

export class RuleDocs {
  /** Problem id → `file:` URL of its page, or undefined when there is no page. */
  private readonly hrefs = new Map<string, string | undefined>();

  constructor(private readonly root: string | undefined = extensionRoot()) {}

  href(rule: string): string | undefined {
    if (!this.root) return undefined;
    if (!this.hrefs.has(rule)) {
      const file = path.join(this.root, problemDocPath(rule));
      this.hrefs.set(rule, fs.existsSync(file) ? pathToFileURL(file).toString() : undefined);
    }
    return this.hrefs.get(rule);
  }
}
