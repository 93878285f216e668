import type { Socket } from 'node:net';

/**
 * Connections whose request is deliberately never answered. Each is let go when its client gives
 * up (the socket closes); `close` destroys the rest, since the HTTP server's own close waits for
 * every busy connection to end and would otherwise wait for clients that may never time out.
 */
export class HeldConnections {
  readonly #sockets = new Set<Socket>();
  #closed = false;

  hold(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    if (socket.destroyed) return;
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  get size(): number {
    return this.#sockets.size;
  }

  /** Destroys every held connection; any held later is destroyed at once. */
  close(): void {
    this.#closed = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }
}
