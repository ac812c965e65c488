/**
 * Extension entry point: wires the features and returns the API. Nothing here waits for the
 * file system: estate discovery starts in the background and `estateReady()` tells when it ends.
 */
import * as vscode from 'vscode';
import { KnownSecrets } from '../core/recovery/redact';
import type { LyncRecoveryApi } from './api';
import { EstateCommands } from './commands/estateCommands';
import { ImportTopologyCommand } from './commands/importTopology';
import { SampleEstateCommand } from './commands/sampleEstate';
import { EstateService } from './estate/service';
import { EstateTreeView } from './estateTree/view';
import { RunbookLanguageClient } from './language/client';
import { setupLiveEstate } from './live/setup';
import { ChannelLogger } from './log';
import { GuidedFeature } from './guided/feature';
import { STEP_COMMAND_PREFIX } from './guided/model';
import { RehearsalFeature } from './rehearsal/feature';
import { ReportFeature } from './report/feature';
import { SteppingFeature } from './stepping/feature';
import { RunbookTaskProvider } from './tasks/provider';

/** Set by the bundle's banner and footer (esbuild.mjs) when its module code starts and ends; absent when run from sources. */
declare const __lyncBundleStart: number | undefined;
declare const __lyncBundleEnd: number | undefined;

export function activate(context: vscode.ExtensionContext): LyncRecoveryApi {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const bundleEvaluationMs = typeof __lyncBundleStart === 'number' && typeof __lyncBundleEnd === 'number' ? __lyncBundleEnd - __lyncBundleStart : undefined;
  const channel = vscode.window.createOutputChannel('Lync Recovery', { log: true });
  // Filled as passwords are typed, read from secret storage or come with a lab; memory only.
  const secrets = new KnownSecrets();
  const log = new ChannelLogger(channel, secrets);
  const estate = new EstateService(log);
  const tree = new EstateTreeView(estate, log);
  const liveEstate = setupLiveEstate(context, estate, tree, log, secrets);
  context.subscriptions.push(
    channel,
    estate,
    tree,
    liveEstate.disposable,
    new EstateCommands(estate, context.extensionUri, log),
    new ImportTopologyCommand(estate, log),
    new SampleEstateCommand(estate, context.extensionUri, log),
    new RunbookLanguageClient(context, log),
    new RunbookTaskProvider(context.extensionUri, log),
  );
  // Runbook stepping, guided procedures, rehearsal and the report (src/extension/stepping, guided, rehearsal, report).
  const stepCommandIds = ((context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [])
    .map((c) => c.command)
    .filter((id) => id.startsWith(STEP_COMMAND_PREFIX));
  const steppingRef: { current?: SteppingFeature } = {};
  const rehearsal = new RehearsalFeature(context.extensionPath, liveEstate.targets, () => steppingRef.current!, liveEstate.trust, log);
  const stepping = (steppingRef.current = new SteppingFeature(context, liveEstate.targets, estate, liveEstate.trust, log, () => rehearsal.labFiles(), (id) => liveEstate.productVersion(id)));
  context.subscriptions.push(stepping, rehearsal, new GuidedFeature(stepCommandIds, estate, stepping, log), new ReportFeature(stepping, log));
  // The Estate view follows the runs: after every step (and mark or reset) it reads the live status again.
  context.subscriptions.push(stepping.api.onDidChange(() => liveEstate.refreshAfterChange()));
  void estate.reload();
  const activationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const activationCpuMs = (cpu.user + cpu.system) / 1000;
  log.info(`Activated in ${activationMs.toFixed(1)} ms (CPU ${activationCpuMs.toFixed(1)} ms)${bundleEvaluationMs === undefined ? '' : ` (the bundle's module code before it: ${bundleEvaluationMs.toFixed(1)} ms)`}`);
  return {
    activationMs,
    activationCpuMs,
    bundleEvaluationMs,
    estateTree: tree.provider,
    estateReady: () => estate.ready(),
    ...liveEstate.api,
    stepping: stepping.api,
    rehearsal: rehearsal.api,
  };
}

export function deactivate(): void {}
