/**
 * The lab's TLS identity, made at start: a lab CA and a server certificate it signs, valid for
 * `localhost`, 127.0.0.1 and every estate SQL host name. Clients verify the server against the CA
 * file (never `trustServerCertificate`). RSA keys come from Node's native generator, both at once
 * on the thread pool (the lab builds its model meanwhile); forge builds and signs the certificates.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface LabCertificate {
  /** PEM of the lab CA: what clients trust. */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeys(): Promise<{ privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privatePem: string }> {
  const { privateKey, publicKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privateKey: forge.pki.privateKeyFromPem(privateKey), publicKey: forge.pki.publicKeyFromPem(publicKey), privatePem: privateKey };
}

function certificate(subjectCn: string, publicKey: forge.pki.rsa.PublicKey, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial: a leading 0x01 byte keeps the DER integer from reading as negative.
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 7 * 24 * 60 * 60_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }, { name: 'organizationName', value: 'Lync Recovery rehearsal lab' }]);
  return cert;
}

export async function createLabCertificate(hostNames: readonly string[], now = new Date()): Promise<LabCertificate> {
  const [ca, server] = await Promise.all([rsaKeys(), rsaKeys()]);
  const caCert = certificate('Lync Recovery Lab CA', ca.publicKey, now);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const cert = certificate('localhost', server.publicKey, now);
  cert.setIssuer(caCert.subject.attributes);
  const names = [...new Set(['localhost', ...hostNames.map((h) => h.toLowerCase())])];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.privatePem };
}
