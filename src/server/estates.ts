/**
 * Estate files as the server sees them: an open editor buffer wins over the disk; disk reads are
 * cached until a watched-file notification or an edit invalidates them.
 */
import path from 'node:path';
import { readTextFileSync, TextFileError } from '../adapters/files/text-file';
import { checkEstate } from '../core/estate/checks';
import { parseEstate } from '../core/estate/load';
import type { EstateLoadResult } from '../core/estate/model';
import type { Problem } from '../core/text';
import type { EstateInput } from '../core/rules';
import { MAX_ESTATE_BYTES } from '../core/text-files';

export interface LoadedEstate {
  readonly result?: EstateLoadResult;
  /** Why the file could not be read at all. */
  readonly error?: string;
}

export class EstateStore {
  private readonly cache = new Map<string, LoadedEstate>();
  private readonly buffers = new Map<string, string>();

  /** An editor buffer for `file` (absolute path), or undefined when closed. */
  setBuffer(file: string, text: string | undefined): void {
    if (text === undefined) this.buffers.delete(file);
    else this.buffers.set(file, text);
    this.cache.delete(file);
  }

  invalidate(file: string): void {
    this.cache.delete(file);
  }

  load(file: string): LoadedEstate {
    const hit = this.cache.get(file);
    if (hit) return hit;
    let loaded: LoadedEstate;
    const buffered = this.buffers.get(file);
    try {
      const text = buffered ?? readTextFileSync(file, { what: 'estate', maxBytes: MAX_ESTATE_BYTES });
      loaded = { result: parseEstate(text, file) };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      loaded = { error: code === 'ENOENT' ? `${path.basename(file)} not found` : err instanceof TextFileError ? err.message : `${path.basename(file)} cannot be read (${String(err)})` };
    }
    this.cache.set(file, loaded);
    return loaded;
  }

  /** What the rules get for a runbook whose `estate:` resolves to `file`. */
  input(file: string): EstateInput {
    const loaded = this.load(file);
    if (loaded.error) return { error: loaded.error };
    const estate = loaded.result?.estate;
    if (estate) return { estate };
    const first = loaded.result?.problems[0];
    return { error: `${path.basename(file)} is not a valid estate${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}` };
  }

  /** Load problems and estate checks of an estate file, for its own diagnostics. */
  problems(file: string): readonly Problem[] {
    const { result } = this.load(file);
    if (!result) return [];
    return result.estate ? [...result.problems, ...checkEstate(result.estate, result.source)] : result.problems;
  }
}
