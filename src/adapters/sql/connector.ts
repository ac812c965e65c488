/**
 * How the driver opens its TCP connection: tedious's own connector (DNS lookup, each address in
 * turn, abort), with Nagle's algorithm turned off on the socket it returns.
 *
 * Why: tedious writes every TDS packet — under TLS, every TLS record — as a socket write of its
 * own. A request longer than one packet (RESTORE HEADERONLY's batch is ~6 KB of UTF-16, the packet
 * 4 KB) has its second write held back by Nagle until the server acknowledges the first, and a
 * server waiting for the rest of the message delays that acknowledgement (delayed ACK: up to
 * 40 ms on Linux, 200 ms on Windows). That wait came once per log backup header read: measured
 * against the lab, 48 ms per header instead of a few.
 */
import type net from 'node:net';
import { connectInSequence } from 'tedious/lib/connector';

type ConnectInSequence = typeof connectInSequence;

/**
 * The `options.connector` tedious calls as `connector(options, dns.lookup, signal)` (tedious 19,
 * `Connection.connectOnPort`), in place of its default `connectInSequence`.
 */
export async function connectWithoutNagle(...args: Parameters<ConnectInSequence>): Promise<net.Socket> {
  const socket = await connectInSequence(...args);
  socket.setNoDelay(true);
  return socket;
}

/**
 * `connectWithoutNagle` as the type mssql declares for `options.connector` (no parameters,
 * although tedious passes the three above).
 */
export const tediousConnector = connectWithoutNagle as unknown as () => Promise<net.Socket>;
