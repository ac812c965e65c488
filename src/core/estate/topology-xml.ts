/**
 * Reads XML text into a small element tree and names its root, for the topology importer.
 * Well-formedness errors carry the 1-based line and column fast-xml-parser reports.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element: attributes under `@_name`, child elements (always arrays) under their qualified name. */
export type XmlElement = { readonly [key: string]: unknown };

export interface XmlRoot {
  /** Local name of the root element (`Topology`, `TopologyBuilder`, …). */
  readonly name: string;
  /** Namespace URI of the root element, '' when it has none. */
  readonly namespace: string;
  readonly element: XmlElement;
}

export interface XmlProblem {
  readonly message: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

export type XmlReadResult = { readonly ok: true; readonly root: XmlRoot } | { readonly ok: false; readonly problem: XmlProblem };

const ATTR = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
});

// Topologies never carry a DTD; refusing one keeps entity expansion out of the picture.
const DOCTYPE_IN_PROLOG = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<!DOCTYPE/i;

export function readXml(text: string): XmlReadResult {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    return { ok: false, problem: { message: `The file is not well-formed XML: ${msg}`, line, column: col } };
  }
  if (DOCTYPE_IN_PROLOG.test(text)) {
    return { ok: false, problem: { message: 'The XML has a DOCTYPE declaration; a published topology has none.' } };
  }
  const document = parser.parse(text) as Record<string, unknown>;
  const roots = Object.entries(document).filter(([key]) => !key.startsWith('#'));
  const elements = roots.flatMap(([qualified, value]) => (Array.isArray(value) ? value : [value]).map((element) => ({ qualified, element })));
  if (elements.length !== 1) {
    return { ok: false, problem: { message: `The XML has ${elements.length} root elements; a topology has exactly one.` } };
  }
  const { qualified, element } = elements[0];
  const colon = qualified.indexOf(':');
  const prefix = colon < 0 ? '' : qualified.slice(0, colon);
  const root = asElement(element);
  const namespace = attribute(root, prefix ? `xmlns:${prefix}` : 'xmlns') ?? '';
  return { ok: true, root: { name: qualified.slice(colon + 1), namespace, element: root } };
}

/** Child elements by local name (any namespace prefix). */
export function children(element: XmlElement | undefined, localName: string): XmlElement[] {
  if (!element) return [];
  const found: XmlElement[] = [];
  for (const [key, value] of Object.entries(element)) {
    if (key.startsWith(ATTR) || key.startsWith('#')) continue;
    if (key === localName || key.endsWith(`:${localName}`)) {
      for (const item of Array.isArray(value) ? value : [value]) found.push(asElement(item));
    }
  }
  return found;
}

export function child(element: XmlElement | undefined, localName: string): XmlElement | undefined {
  return children(element, localName)[0];
}

export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.[ATTR + name];
  return typeof value === 'string' ? value : undefined;
}

export function textOf(element: XmlElement | undefined): string {
  const value = element?.['#text'];
  return typeof value === 'string' ? value : '';
}

function asElement(value: unknown): XmlElement {
  return typeof value === 'object' && value !== null ? (value as XmlElement) : {};
}
