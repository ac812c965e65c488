import assert from 'node:assert/strict';
import dns from 'node:dns';
import net from 'node:net';
import { describe, it } from 'node:test';
import { describeEndpoint, toMssqlConfig, type SqlConnectionSettings } from '../../../src/adapters/sql/settings';

const base: SqlConnectionSettings = { host: 'atl-pcsql-001.litwareinc.com', auth: { kind: 'sql', user: 'lync', password: 's3cret' } };

describe('SQL connection settings → mssql config', () => {
  it('verifies TLS by default and connects to master', () => {
    const c = toMssqlConfig(base);
    assert.equal(c.server, 'atl-pcsql-001.litwareinc.com');
    assert.equal(c.database, 'master');
    assert.equal(c.options?.encrypt, true);
    assert.equal(c.options?.trustServerCertificate, false);
    assert.equal(c.options?.cryptoCredentialsDetails, undefined);
    assert.equal(c.port, undefined);
    assert.equal(c.connectionTimeout, 15_000);
  });

  it('maps SQL and NTLM authentication', () => {
    assert.deepEqual(toMssqlConfig(base).authentication, { type: 'default', options: { userName: 'lync', password: 's3cret' } });
    const ntlm = toMssqlConfig({ ...base, auth: { kind: 'ntlm', domain: 'LITWARE', user: 'admin', password: 'p' } });
    assert.deepEqual(ntlm.authentication, { type: 'ntlm', options: { domain: 'LITWARE', userName: 'admin', password: 'p' } });
  });

  it('uses the port when given, else the instance name (SQL Browser)', () => {
    const byPort = toMssqlConfig({ ...base, port: 14330, instanceName: 'PCHAT' });
    assert.equal(byPort.port, 14330);
    assert.equal(byPort.options?.instanceName, undefined);
    const byName = toMssqlConfig({ ...base, instanceName: 'PCHAT' });
    assert.equal(byName.port, undefined);
    assert.equal(byName.options?.instanceName, 'PCHAT');
  });

  it('passes the CA, the TLS server name and the time limits', () => {
    const c = toMssqlConfig({ ...base, caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', tlsServerName: 'localhost', connectTimeoutMs: 2000, requestTimeoutMs: 0, encrypt: true, trustServerCertificate: false });
    assert.deepEqual(c.options?.cryptoCredentialsDetails, { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
    assert.equal(c.options?.serverName, 'localhost');
    assert.equal(c.connectionTimeout, 2000);
    assert.equal(c.requestTimeout, 0);
  });

  it('names the endpoint as host:port or host\\instance', () => {
    assert.equal(describeEndpoint({ ...base, port: 1500 }), 'atl-pcsql-001.litwareinc.com:1500');
    assert.equal(describeEndpoint({ ...base, instanceName: 'PCHAT' }), 'atl-pcsql-001.litwareinc.com\\PCHAT');
    assert.equal(describeEndpoint(base), 'atl-pcsql-001.litwareinc.com:1433');
  });

  it('turns Nagle off on the socket the driver connects (a request over one packet must not wait for a delayed ACK)', async (t) => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const noDelay: (boolean | undefined)[] = [];
    const setNoDelay = net.Socket.prototype.setNoDelay;
    t.mock.method(net.Socket.prototype, 'setNoDelay', function (this: net.Socket, on?: boolean) {
      noDelay.push(on);
      return setNoDelay.call(this, on);
    });
    // tedious calls its connector with the address, dns.lookup and an abort signal.
    const connector = toMssqlConfig(base).options?.connector as unknown as ((...a: unknown[]) => Promise<net.Socket>) | undefined;
    assert.ok(connector, 'the mssql config names a connector');
    const socket = await connector({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, dns.lookup, new AbortController().signal);
    socket.destroy();
    assert.deepEqual(noDelay, [true]);
  });
});
