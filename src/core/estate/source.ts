/** `EstateSource` over the YAML tree: a `SourcePath` walks mappings by key and sequences by index. */
import { ZERO_RANGE, type Range } from '../text';
import type { EstateSource, SourcePath } from './model';
import type { TextPositions } from './positions';
import { pairOf, type YamlNode } from './yaml-tree';

export class YamlEstateSource implements EstateSource {
  constructor(
    readonly file: string,
    private readonly root: YamlNode | null | undefined,
    private readonly positions: TextPositions,
  ) {}

  locate(path: SourcePath): Range {
    if (!this.root) return ZERO_RANGE;
    let node = this.root;
    // An empty value has no text: its key stands for it.
    let anchor: { start: number; end: number } = node;
    for (const step of path) {
      let next: YamlNode | undefined;
      if (node.kind === 'map' && typeof step === 'string') {
        const pair = pairOf(node, step);
        if (pair) {
          next = pair.value;
          anchor = pair.value.end > pair.value.start ? pair.value : pair.key;
        }
      } else if (node.kind === 'seq' && typeof step === 'number') {
        next = node.items[step];
        if (next) anchor = next;
      }
      if (!next) break;
      node = next;
    }
    return this.positions.range(anchor.start, anchor.end);
  }
}
