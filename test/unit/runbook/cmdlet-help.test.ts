/** Hover help says whether a parameter is mandatory per parameter set, from the catalogue's `sets`/`mandatoryIn`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cmdletHelp, findCmdlet, mandatoryText, parameterHelp, resolveParameter, type CmdletSpec, type ParameterSpec } from '../../../src/core/runbook';

const lookup = (cmdlet: string, parameter: string): [CmdletSpec, ParameterSpec] => {
  const spec = findCmdlet(cmdlet)!;
  const r = resolveParameter(spec, parameter);
  assert.equal(r.kind, 'found');
  return [spec, (r as { spec: ParameterSpec }).spec];
};

test('a parameter mandatory in only some parameter sets names them', () => {
  assert.equal(mandatoryText(...lookup('Set-CsPersistentChatState', 'Instance')), 'mandatory in parameter set Instance');
  assert.equal(mandatoryText(...lookup('Set-CsPersistentChatActiveServer', 'ActiveServers')), 'mandatory in parameter set Explicit');
  assert.equal(mandatoryText(...lookup('Install-CsMirrorDatabase', 'DatabaseType')), 'mandatory in parameter set ByDatabase');
  const twoOfThree: CmdletSpec = { name: 'Get-X', synopsis: '', sets: ['A', 'B', 'C'], parameters: [{ name: 'P', type: 'string', help: '', mandatoryIn: ['A', 'B'] }] };
  assert.equal(mandatoryText(twoOfThree, twoOfThree.parameters[0]!), 'mandatory in parameter sets A, B');
});

test('a parameter mandatory in every parameter set is simply mandatory; an optional one says nothing', () => {
  assert.equal(mandatoryText(...lookup('Install-CsMirrorDatabase', 'FileShare')), 'mandatory');
  assert.equal(mandatoryText(...lookup('Invoke-CsPoolFailover', 'PoolFqdn')), 'mandatory');
  assert.equal(mandatoryText(...lookup('Set-CsPersistentChatState', 'PoolState')), undefined);
  assert.equal(mandatoryText(...lookup('Set-CsPersistentChatState', 'Identity')), undefined);
});

test('parameter and cmdlet help use it', () => {
  const [spec, instance] = lookup('Set-CsPersistentChatState', 'Instance');
  assert.match(parameterHelp(spec, instance), /^\*\*Set-CsPersistentChatState -Instance\*\* \(object, mandatory in parameter set Instance\)/);
  assert.match(cmdletHelp(spec), /- `-Instance` \(mandatory in parameter set Instance\): /);
  assert.doesNotMatch(cmdletHelp(spec), /\(mandatory\)/);
  const [install, fileShare] = lookup('Install-CsMirrorDatabase', 'FileShare');
  assert.match(parameterHelp(install, fileShare), /\(string, mandatory\)/);
});
