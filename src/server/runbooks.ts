/** Parsed and checked runbooks, one entry per open document version. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRunbook, type PowerShellParser, type Runbook, type RuleProblem } from '../core/runbook';
import { checkRunbook, type EstateInput } from '../core/rules';
import type { EstateStore } from './estates';

export interface Analysis {
  readonly version: number;
  readonly runbook: Runbook;
  /** Absolute path of the estate file named by `estate:`, when there is one. */
  readonly estateFile?: string;
  readonly estate: EstateInput;
  readonly problems: readonly RuleProblem[];
}

export const isRunbookUri = (uri: string) => uri.endsWith('.runbook.md');
/** The names ESTATE_FILES_GLOB matches (`lync-estate.yml`, `site-b-lync-estate.yaml`…), and `*.estate.yaml`. */
export const isEstateUri = (uri: string) => /(^|[/\\])[^/\\]*lync-estate\.ya?ml$|\.estate\.ya?ml$/.test(uri);

export const uriToPath = (uri: string): string | undefined => {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
};

export class Runbooks {
  private readonly analyses = new Map<string, Analysis>();
  /** Analyses whose estate changed: their runbook is still the text's, their problems are not. */
  private readonly estateChanged = new Set<string>();

  constructor(
    private readonly powershell: PowerShellParser,
    private readonly estates: EstateStore,
  ) {}

  /** Parses and checks (or returns the cached analysis of this version). */
  analyse(uri: string, version: number, text: string, isCancelled?: () => boolean): Analysis | undefined {
    const cached = this.analyses.get(uri);
    const sameText = cached?.version === version;
    if (sameText && !this.estateChanged.has(uri)) return cached;
    // The previous version's runbook makes a keystroke inside a block re-parse that block only;
    // an estate edit re-checks the same runbook without parsing it again.
    const runbook = sameText ? cached.runbook : parseRunbook(text, { powershell: this.powershell, ...(cached ? { previous: cached.runbook } : {}) });
    const estateValue = runbook.frontMatter?.entries.find((e) => e.key === 'estate')?.value;
    const runbookPath = uriToPath(uri);
    const estateFile = estateValue && runbookPath ? path.resolve(path.dirname(runbookPath), estateValue) : undefined;
    const estate: EstateInput = estateFile ? this.estates.input(estateFile) : { error: 'the runbook is not a file on disk' };
    const problems = checkRunbook(runbook, estate, isCancelled ? { isCancelled } : {});
    if (isCancelled?.()) return undefined;
    const analysis: Analysis = { version, runbook, ...(estateFile ? { estateFile } : {}), estate, problems };
    this.analyses.set(uri, analysis);
    this.estateChanged.delete(uri);
    return analysis;
  }

  get(uri: string): Analysis | undefined {
    return this.analyses.get(uri);
  }

  forget(uri: string): void {
    this.analyses.delete(uri);
    this.estateChanged.delete(uri);
  }

  /** Marks the analyses that depend on an estate file so the next validation re-checks them; returns their URIs. */
  invalidateDependents(estateFile: string): string[] {
    const uris: string[] = [];
    for (const [uri, a] of this.analyses) {
      if (a.estateFile === estateFile) {
        this.estateChanged.add(uri);
        uris.push(uri);
      }
    }
    return uris;
  }
}
