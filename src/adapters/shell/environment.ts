/**
 * Where the CLI's SQL passwords come from, and the environment a shell starts with: the product's
 * own minus every variable that holds one. Nothing the shell runs needs a SQL password (SQL goes
 * through the mssql gateway; the Lync cmdlets run as the signed-in Windows account), and anything
 * it runs — the Lync module, every runbook line, every child they start — could read it there
 * (`Get-ChildItem env:`, `/proc/<pid>/environ`).
 */

/** The password for every instance without its own variable. */
export const SQL_PASSWORD_VARIABLE = 'LYNC_RECOVERY_SQL_PASSWORD';

/** `LYNC_RECOVERY_SQL_PASSWORD_<INSTANCE ID>`: upper case, other characters as `_`. */
export const passwordVariable = (instanceId: string): string => `${SQL_PASSWORD_VARIABLE}_${instanceId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Windows compares variable names without regard to case; so does this. */
const isPasswordVariable = (name: string): boolean => name.toUpperCase().startsWith(SQL_PASSWORD_VARIABLE);

/** Every SQL password the environment holds (what outputs must never show). */
export function passwordsIn(env: NodeJS.ProcessEnv): string[] {
  return [...new Set(Object.entries(env).flatMap(([name, value]) => (isPasswordVariable(name) && value ? [value] : [])))];
}

/** `parent` with `added` over it, without any password variable of either. */
export function shellEnvironment(parent: NodeJS.ProcessEnv, added: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...parent, ...added })) {
    if (value !== undefined && !isPasswordVariable(name)) env[name] = value;
  }
  return env;
}
