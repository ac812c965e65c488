import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { FOLDER_PATH_PATTERN, FQDN_PATTERN, UNC_PATH_PATTERN } from '../../../src/core/estate/checks';
import { VALID_ESTATE, edit } from './helpers';

const schema = JSON.parse(readFileSync('schemas/lync-estate.schema.json', 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const valid = (text: string) => validate(parse(text));

describe('schemas/lync-estate.schema.json', () => {
  it('accepts the Litware sample and the test estate', () => {
    assert.ok(valid(readFileSync('samples/litware/lync-estate.yaml', 'utf8')), JSON.stringify(validate.errors));
    assert.ok(valid(VALID_ESTATE), JSON.stringify(validate.errors));
  });

  it('accepts every sqlVersion the loader reads, as YAML writes them', () => {
    for (const v of ['2008R2', '2012', "'2012'", '2014']) assert.ok(valid(edit(VALID_ESTATE, 'port: 1433', `port: 1433, sqlVersion: ${v}`)), v);
  });

  const wrong: readonly [string, string][] = [
    ['version 2', edit(VALID_ESTATE, 'estate: 1', 'estate: 2')],
    ['no pools', VALID_ESTATE.slice(0, VALID_ESTATE.indexOf('pools:'))],
    ['an unknown key', edit(VALID_ESTATE, 'name: Test', 'name: Test\nowner: me')],
    ['an unknown pool kind', edit(VALID_ESTATE, 'kind: persistent-chat', 'kind: chat')],
    ['a port out of range', edit(VALID_ESTATE, 'port: 1433', 'port: 0')],
    ['an unknown SQL Server version', edit(VALID_ESTATE, 'port: 1433', 'port: 1433, sqlVersion: 2016')],
    ['a server that is not an FQDN', edit(VALID_ESTATE, '[atl-fe1.contoso.com]', '[atl-fe1]')],
    ['a share that is not UNC', edit(VALID_ESTATE, "'\\\\fs.contoso.com\\logs'", "'D:\\logs'")],
    ['stores on a Front End pool', edit(VALID_ESTATE, '[atl-fe1.contoso.com]\n', '[atl-fe1.contoso.com]\n    stores: { mgc: { primary: atl-pcsql } }\n')],
    ['five active servers', edit(VALID_ESTATE, '[atl-pc1.contoso.com]', '[a.x.com, b.x.com, c.x.com, d.x.com, e.x.com]')],
    ['a data center without a name', edit(VALID_ESTATE, '{ id: dal, name: Dallas }', '{ id: dal }')],
  ];
  for (const [name, text] of wrong) {
    it(`rejects ${name}`, () => assert.equal(valid(text), false));
  }

  it('uses the patterns of the estate checks', () => {
    assert.equal(schema.definitions.fqdn.pattern, FQDN_PATTERN.source);
    assert.equal(schema.definitions.pool.properties.logShipping.properties.share.pattern, UNC_PATH_PATTERN.source);
    assert.equal(schema.definitions.pool.properties.logShipping.properties.copyFolder.pattern, FOLDER_PATH_PATTERN.source);
  });
});
