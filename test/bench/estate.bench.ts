/** Loading and checking a large estate: 500 pools, 5,000 servers, 1,000 SQL instances. */
import { checkEstate } from '../../src/core/estate/checks';
import { parseEstate } from '../../src/core/estate/load';
import { readYamlDocument } from '../../src/core/estate/yaml-document-reader';
import { childrenOf, estateNodes } from '../../src/extension/estateTree/model';
import { generateEstateYaml, LARGE_ESTATE } from './estate-fixture';
import { medianMs, type BenchFigure } from './figures';

export async function run(): Promise<BenchFigure[]> {
  const text = generateEstateYaml();
  const loadAndCheck = () => {
    const { estate, source, problems } = parseEstate(text, 'lync-estate.yaml');
    if (!estate || problems.length > 0 || checkEstate(estate, source).length > 0) throw new Error('the bench estate should load and check clean');
  };
  const loaded = parseEstate(text, 'lync-estate.yaml');
  // What the Estate view computes when it first shows: the sites, then every site's pools.
  const firstTwoLevels = () => estateNodes(loaded.estate!).flatMap(childrenOf);
  const what = `${LARGE_ESTATE.pools} pools, ${LARGE_ESTATE.servers.toLocaleString('en-US')} servers`;
  return [
    { name: `estate size (${what})`, value: Math.round(text.length / 1024), unit: 'KiB' },
    { name: 'parseEstate + checkEstate, median', value: medianMs(loadAndCheck), unit: 'ms', limit: 150 },
    { name: 'Estate view: first two tree levels, median', value: medianMs(firstTwoLevels), unit: 'ms', limit: 20 },
    // What a file outside the fast reader's subset (anchors, block scalars…) costs to read.
    { name: 'same text through the yaml Document API, median', value: medianMs(() => readYamlDocument(text), { runs: 5, warmup: 2 }), unit: 'ms' },
  ];
}
