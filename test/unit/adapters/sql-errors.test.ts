import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sql from 'mssql';
import { ConnectionError as TdsConnectionError, RequestError as TdsRequestError } from 'tedious';
import { toPortError, type SqlErrorContext } from '../../../src/adapters/sql/errors';
import { CancelledError, ConnectionError, SqlError, SqlLoginError, TimeoutError } from '../../../src/core/recovery/ports';
import { Redactor } from '../../../src/core/recovery/redact';

const PASSWORD = 'Pa55-w0rd!';
const ctx: SqlErrorContext = {
  instanceId: 'atl-pcsql',
  settings: { host: '127.0.0.1', port: 41433, auth: { kind: 'sql', user: 'lync', password: PASSWORD } },
  redactor: new Redactor([PASSWORD]),
};

/** mssql's wrapping of a tedious error, which wraps a Node error: the shapes the gateway meets. */
function socketError(nodeCode: string, connecting = true): Error {
  const node = Object.assign(new Error(`connect ${nodeCode} 127.0.0.1:41433`), { code: nodeCode });
  const tds = new TdsConnectionError(connecting ? `Failed to connect to 127.0.0.1:41433 - ${node.message}` : `Connection lost - ${node.message}`, 'ESOCKET', { cause: node });
  return new sql.ConnectionError(tds);
}

function serverError(number: number, message: string, cls = 16): Error {
  const e = Object.assign(new Error(message), { info: { number, state: 1, class: cls, message, serverName: 'ATL-PCSQL-001', lineNumber: 1 } });
  return new sql.RequestError(e, 'EREQUEST');
}

const assertNoSecret = (e: Error) => assert.ok(!e.message.includes(PASSWORD), `password leaked: ${e.message}`);

describe('SQL error mapping', () => {
  it('maps a refused login (18456) to SqlLoginError naming the instance and the setting to check', () => {
    const e = toPortError(new sql.ConnectionError(new TdsConnectionError("Login failed for user 'lync'.", 'ELOGIN')), {
      ...ctx,
      loginMessage: { number: 18456, class: 14, state: 1, message: "Login failed for user 'lync'." },
    });
    assert.ok(e instanceof SqlLoginError && e instanceof SqlError);
    assert.equal(e.number, 18456);
    assert.equal(e.class, 14);
    assert.match(e.message, /atl-pcsql.*127\.0\.0\.1:41433/);
    assert.match(e.message, /Check the user and password settings/);
    assertNoSecret(e);
  });

  it('recognises a refused login even without the captured token', () => {
    const e = toPortError(new sql.ConnectionError(new TdsConnectionError("Login failed for user 'lync'.", 'ELOGIN')), ctx);
    assert.ok(e instanceof SqlLoginError);
    assert.equal(e.number, 18456);
  });

  it('maps ECONNREFUSED, unknown hosts, TLS failures and dropped connections to ConnectionError', () => {
    const cases: [string, string][] = [
      ['ECONNREFUSED', 'refused'],
      ['ENOTFOUND', 'unknown-host'],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ];
    for (const [code, failure] of cases) {
      const e = toPortError(socketError(code), ctx);
      assert.ok(e instanceof ConnectionError, code);
      assert.equal(e.failure, failure, code);
      assert.equal(e.instanceId, 'atl-pcsql');
      assert.equal(e.host, '127.0.0.1');
      assert.equal(e.port, 41433);
      assert.match(e.message, /^Cannot connect to SQL instance 'atl-pcsql' \(127\.0\.0\.1:41433\)/);
    }
    const lost = toPortError(socketError('ECONNRESET', false), ctx);
    assert.ok(lost instanceof ConnectionError);
    assert.equal(lost.failure, 'closed');
    assert.match(lost.message, /Lost the connection.*may or may not have completed/);
  });

  it('maps a connect timeout to ConnectionError and a request timeout to TimeoutError', () => {
    const connect = toPortError(new sql.ConnectionError(new TdsConnectionError('Failed to connect to 127.0.0.1:41433 in 15000ms', 'ETIMEOUT')), ctx);
    assert.ok(connect instanceof ConnectionError);
    assert.equal(connect.failure, 'timeout');
    const request = toPortError(new sql.RequestError(new TdsRequestError('Timeout: Request failed to complete in 500ms', 'ETIMEOUT')), {
      ...ctx,
      settings: { ...ctx.settings, requestTimeoutMs: 500 },
    });
    assert.ok(request instanceof TimeoutError);
    assert.equal(request.timeoutMs, 500);
  });

  it('marks a connection broken under a sent request, and a request timeout, as outcome unknown', () => {
    const sent = { ...ctx, requestSent: true };
    const lost = toPortError(socketError('ECONNRESET', false), sent);
    assert.ok(lost instanceof ConnectionError && lost.failure === 'closed' && lost.outcomeUnknown);
    assert.match(lost.message, /^Lost the connection.*may or may not have completed/);
    // tedious fails the request itself with ECLOSE once the socket is gone.
    const closed = toPortError(new sql.RequestError(new TdsRequestError('Connection closed before request completed.', 'ECLOSE')), sent);
    assert.ok(closed instanceof ConnectionError && closed.failure === 'closed' && closed.outcomeUnknown);
    // tedious gave up waiting for the server to acknowledge a cancel: the connection is dropped.
    const cancelTimeout = toPortError(new sql.RequestError(new TdsConnectionError('Failed to cancel request in 5000ms', 'ETIMEOUT')), sent);
    assert.ok(cancelTimeout instanceof ConnectionError && cancelTimeout.outcomeUnknown);
    const timeout = toPortError(new sql.RequestError(new TdsRequestError('Timeout: Request failed to complete in 500ms', 'ETIMEOUT')), sent);
    assert.ok(timeout instanceof TimeoutError && timeout.outcomeUnknown);
    assert.match(timeout.message, /may or may not have taken effect/);
    // Before the request was handed over, the same breakage says nothing about a statement.
    assert.equal((toPortError(socketError('ECONNRESET', false), ctx) as ConnectionError).outcomeUnknown, false);
  });

  it('never marks failures before sending, or answers from the server, as outcome unknown', () => {
    const sent = { ...ctx, requestSent: true };
    const definite: [string, Error][] = [
      // mssql needs a new connection for the request and cannot open it.
      ['refused while connecting', socketError('ECONNREFUSED')],
      ['reset while connecting', socketError('ECONNRESET')],
      ['connect timeout', new sql.ConnectionError(new TdsConnectionError('Failed to connect to 127.0.0.1:41433 in 15000ms', 'ETIMEOUT'))],
      ['TLS', socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
      // mssql refuses a request on a closed pool connection before writing anything.
      ['ECONNCLOSED', new sql.ConnectionError('Connection is closed.', 'ECONNCLOSED')],
      ['EINVALIDSTATE', new sql.RequestError(new TdsRequestError('Requests can only be made in the LoggedIn state, not the Final state', 'EINVALIDSTATE'))],
      ['login', new sql.ConnectionError(new TdsConnectionError("Login failed for user 'lync'.", 'ELOGIN'))],
      ['server error', serverError(208, "Invalid object name 'dbo.t'.")],
    ];
    for (const [what, error] of definite) {
      const e = toPortError(error, sent);
      assert.ok('outcomeUnknown' in e && e.outcomeUnknown === false, `${what}: ${e.name} ${e.message}`);
    }
    assert.match(toPortError(new sql.ConnectionError('Connection is closed.', 'ECONNCLOSED'), sent).message, /^No open connection to .*the statement was not sent/);
  });

  it('names a TLS protocol-version failure as such, with the SQL Server update that adds TLS 1.2 (R8)', () => {
    for (const code of ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION']) {
      const e = toPortError(socketError(code), ctx);
      assert.ok(e instanceof ConnectionError && e.failure === 'tls', code);
      assert.match(e.message, /^Cannot connect to .*: TLS handshake failed: the server offers no TLS version this client accepts/, code);
      assert.match(e.message, /KB 3135244/);
      assert.match(e.message, /`encrypt: false`/);
      assert.doesNotMatch(e.message, /certificate/);
    }
    // A certificate that is not trusted keeps its own advice.
    assert.match(toPortError(socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), ctx).message, /certificate was not accepted/);
  });

  it('maps a cancelled request to CancelledError', () => {
    assert.ok(toPortError(new sql.RequestError('Canceled.', 'ECANCEL'), ctx) instanceof CancelledError);
  });

  it('keeps the root cause of a failed RESTORE (4305 before 3013) and every message', () => {
    const last = serverError(3013, 'RESTORE LOG is terminating abnormally.');
    (last as { precedingErrors?: Error[] }).precedingErrors = [serverError(4305, 'The log in this backup set begins at LSN 34000000041600001, which is too recent to apply to the database.')];
    const e = toPortError(last, ctx);
    assert.ok(e instanceof SqlError && !(e instanceof SqlLoginError));
    assert.equal(e.number, 4305);
    assert.equal(e.serverName, 'ATL-PCSQL-001');
    assert.deepEqual(e.messages.map((m) => m.number), [4305, 3013]);
    assert.match(e.message, /Msg 4305, Level 16, State 1: .*too recent.* Msg 3013/);
  });

  it('never lets a password through, whatever the driver said', () => {
    const e = toPortError(serverError(102, `Incorrect syntax near '${PASSWORD}'.`), ctx);
    assertNoSecret(e);
    assert.ok(!(e as SqlError).messages.some((m) => m.message.includes(PASSWORD)));
    assertNoSecret(toPortError(new sql.ConnectionError(new TdsConnectionError(`Login failed for user '${PASSWORD}'.`, 'ELOGIN')), ctx));
  });
});
