/**
 * Wires connections (target, credentials, trust, commands) and the live status into the
 * extension; returns what `activate()` adds to its API. Extension-lifetime objects are disposed
 * with the returned disposable; client-lifetime ones belong to the TargetService.
 */
import * as vscode from 'vscode';
import type { KnownSecrets } from '../../core/recovery/redact';
import type { LyncConnectionsApi, LyncLiveApi, LyncTargetApi } from '../api';
import { ConnectionCommands } from '../connections/commands';
import { Credentials, type PasswordRequest } from '../connections/credentials';
import { TargetService } from '../connections/targetService';
import { WorkspaceTrustGuard } from '../connections/trust';
import type { EstateService } from '../estate/service';
import type { EstateTreeView } from '../estateTree/view';
import type { Logger } from '../log';
import { LiveFeature } from './feature';

export interface LiveSetup {
  readonly disposable: vscode.Disposable;
  readonly api: { readonly target: LyncTargetApi; readonly live: LyncLiveApi; readonly connections: LyncConnectionsApi };
  /** For the features that run against the current target (runbook stepping, rehearsal). */
  readonly targets: TargetService;
  readonly trust: WorkspaceTrustGuard;
  /** `SERVERPROPERTY('ProductVersion')` of an instance, as last read on the current target (dry runs show the exact header query with it). */
  productVersion(instanceId: string): string | undefined;
  /** A step changed the estate (the journal moved): read the live status again, without asking for passwords. */
  refreshAfterChange(): void;
}

/** The InputBox that asks for a SQL password. */
async function askPassword(request: PasswordRequest): Promise<string | undefined> {
  const saved = vscode.l10n.t('Password of {0} on {1}. It is saved in VS Code\'s secret storage after a successful login.', request.account, request.where);
  // An earlier version kept this password by instance id only: the person confirms the server.
  const earlier = vscode.l10n.t('An earlier version saved a password for {0} without its server. Leave this empty to send that one to {1} — only if that is the server it was for.', request.instanceId, request.where);
  return vscode.window.showInputBox({
    title: vscode.l10n.t('SQL password for {0}', request.instanceId),
    prompt: request.earlier ? `${saved} ${earlier}` : saved,
    password: true,
    ignoreFocusOut: true,
  });
}

export function setupLiveEstate(context: vscode.ExtensionContext, estate: EstateService, tree: EstateTreeView, log: Logger, secrets: KnownSecrets): LiveSetup {
  const trust = new WorkspaceTrustGuard();
  const credentials = new Credentials(context.secrets, askPassword, log, secrets);
  const targets = new TargetService(estate, credentials, log, secrets);
  const commands = new ConnectionCommands(targets, estate, credentials, trust, log);
  const live = new LiveFeature(estate, targets, tree, trust, log);
  tree.showTarget({ get badge() { return targets.badge; }, onDidChange: targets.onDidChange });
  const disposable = vscode.Disposable.from(live, commands, targets);
  return {
    disposable,
    targets,
    trust,
    refreshAfterChange: () => live.refreshAfterChange(),
    productVersion: (instanceId) => {
      const last = live.service.sqlEntry(instanceId)?.last;
      return last?.status === 'up' ? last.productVersion : undefined;
    },
    api: {
      target: {
        get kind() {
          return targets.current.kind;
        },
        ready: () => targets.ready(),
        useRehearsal: (info, source) => targets.useRehearsal(info, source),
        useLive: () => targets.useLive(),
        onDidChange: targets.onDidChange,
      },
      live: { refresh: (options) => live.refresh(options) },
      connections: {
        savedPasswords: () => credentials.saved(),
        testConnections: () => commands.testConnections(),
        answerPasswordPrompts: (prompt) => new vscode.Disposable(credentials.usePrompt(prompt)),
        logUri: context.logUri,
      },
    },
  };
}
