/**
 * Import a published Lync topology (`Get-CsTopology -AsXml`) as a draft estate: what the topology
 * tells is filled in, what it cannot tell is listed as TODOs and marked in the YAML
 * (docs/topology-import.md).
 */
import type { Estate, SourcePath } from './model';
import { draftEstate } from './topology-draft';
import { readPublishedTopology, TopologyFormatError } from './topology-published';
import { readXml } from './topology-xml';
import { estateToYaml } from './write';

export const PUBLISHED_TOPOLOGY_NAMESPACE = 'urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008';
export const TOPOLOGY_BUILDER_NAMESPACE = 'urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008';
export const TOPOLOGY_EXPORT_COMMAND = 'Get-CsTopology -AsXml | Out-File topology.xml';

/**
 * Largest topology accepted, in characters. A published topology of a large deployment is a few
 * MB; 10 MiB leaves room and keeps parsing to a few seconds at worst.
 */
export const MAX_TOPOLOGY_CHARS = 10 * 1024 * 1024;

/** Something the topology cannot tell: `path` is where it goes in the estate (and its YAML). */
export interface TopologyTodo {
  readonly path: SourcePath;
  readonly message: string;
}

export interface TopologyImportError {
  readonly message: string;
  /** 1-based line of a well-formedness error. */
  readonly line?: number;
  /** 1-based column of a well-formedness error. */
  readonly column?: number;
}

export type TopologyImportResult =
  | { readonly ok: true; readonly estate: Estate; readonly todos: TopologyTodo[]; readonly yaml: string }
  | { readonly ok: false; readonly error: TopologyImportError };

const EXPORT_ADVICE = `Export the published topology in the Lync Server Management Shell with: ${TOPOLOGY_EXPORT_COMMAND}`;

export function importTopology(xml: string): TopologyImportResult {
  if (xml.length > MAX_TOPOLOGY_CHARS) {
    const size = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
    return fail(`The file is ${size(xml.length)}; a topology larger than ${size(MAX_TOPOLOGY_CHARS)} is not read. Is this the published topology?`);
  }
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail(`The file is empty. ${EXPORT_ADVICE}`);
  if (text.includes('\0')) {
    return fail('The text contains NUL characters: the file is probably UTF-16 (what Out-File writes by default) read as UTF-8.');
  }

  const read = readXml(text);
  if (!read.ok) return { ok: false, error: read.problem };
  const { name, namespace } = read.root;
  if (name === 'TopologyBuilder' || namespace === TOPOLOGY_BUILDER_NAMESPACE) {
    return fail(`This is a Topology Builder document (.tbxml), not the published topology. ${EXPORT_ADVICE} and import topology.xml.`);
  }
  if (name !== 'Topology') {
    return fail(`The root element is <${name}>, not <Topology>: this is not a published topology. ${EXPORT_ADVICE}`);
  }
  if (namespace !== PUBLISHED_TOPOLOGY_NAMESPACE) {
    const found = namespace ? `namespace ${namespace}` : 'no namespace';
    return fail(`The <Topology> root has ${found}, not ${PUBLISHED_TOPOLOGY_NAMESPACE}: this is not a published Lync topology. ${EXPORT_ADVICE}`);
  }

  try {
    const { estate, todos } = draftEstate(readPublishedTopology(read.root.element));
    return { ok: true, estate, todos, yaml: estateToYaml(estate, todos) };
  } catch (error) {
    if (error instanceof TopologyFormatError) return fail(`The published topology is incomplete: ${error.message}`);
    throw error;
  }
}

function fail(message: string): TopologyImportResult {
  return { ok: false, error: { message } };
}
