import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Counts the server's TCP connections and knows the ones no request has arrived on yet. Node's
 * `server.close()` ends idle keep-alive connections but waits for these until their client drops
 * them (undici opens one right after an aborted request and keeps it for its 4 s keep-alive), so
 * the sandbox ends them itself when it closes.
 */
export class ConnectionTracker {
  #accepted = 0;
  readonly #unused = new Set<Socket>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#accepted += 1;
      this.#unused.add(socket);
      socket.once('close', () => this.#unused.delete(socket));
    });
    server.on('request', (request: IncomingMessage) => this.#unused.delete(request.socket));
  }

  /** TCP connections accepted so far. */
  get accepted(): number {
    return this.#accepted;
  }

  destroyUnused(): void {
    for (const socket of this.#unused) socket.destroy();
    this.#unused.clear();
  }
}
