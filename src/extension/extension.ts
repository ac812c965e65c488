/**
 * Extension entry point: wires the features and returns the API. Nothing here waits for the
 * file system: estate discovery starts in the background and `estateReady()` tells when it ends.
 */
import * as vscode from 'vscode';
import type { LyncRecoveryApi } from './api';
import { EstateCommands } from './commands/estateCommands';
import { ImportTopologyCommand } from './commands/importTopology';
import { SampleEstateCommand } from './commands/sampleEstate';
import { EstateService } from './estate/service';
import { EstateTreeView } from './estateTree/view';
import { RunbookLanguageClient } from './language/client';
import { setupLiveEstate } from './live/setup';
import { ChannelLogger } from './log';

export function activate(context: vscode.ExtensionContext): LyncRecoveryApi {
  const channel = vscode.window.createOutputChannel('Lync Recovery', { log: true });
  const log = new ChannelLogger(channel);
  const estate = new EstateService(log);
  const tree = new EstateTreeView(estate, log);
  const liveEstate = setupLiveEstate(context, estate, tree, log);
  context.subscriptions.push(
    channel,
    estate,
    tree,
    liveEstate.disposable,
    new EstateCommands(estate, context.extensionUri, log),
    new ImportTopologyCommand(estate, log),
    new SampleEstateCommand(estate, context.extensionUri, log),
    new RunbookLanguageClient(context, log),
  );
  void estate.reload();
  return {
    estateTree: tree.provider,
    estateReady: () => estate.ready(),
    ...liveEstate.api,
  };
}

export function deactivate(): void {}
