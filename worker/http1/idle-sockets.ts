import type { Socket } from "node:net";

// Kept-alive connections to Ollama waiting for their next request, newest first. A connection
// that Ollama closes, or that sends anything while idle, is dropped at once rather than handed
// to a request that would then fail on it.

const MAX_IDLE = 256;

export function createIdleSockets(max = MAX_IDLE) {
  const stack: Socket[] = [];
  const drops = new Map<Socket, () => void>();

  function give(socket: Socket): void {
    if (socket.destroyed || stack.length >= max) {
      socket.destroy();
      return;
    }
    const drop = () => {
      forget(socket);
      socket.destroy();
    };
    stack.push(socket);
    drops.set(socket, drop);
    socket.on("data", drop);
    socket.on("end", drop);
    socket.on("error", drop);
    socket.on("close", drop);
    socket.resume(); // reading is how a close from Ollama's side is noticed
  }

  function forget(socket: Socket): void {
    const drop = drops.get(socket);
    if (!drop) return;
    drops.delete(socket);
    const at = stack.lastIndexOf(socket);
    if (at !== -1) stack.splice(at, 1);
    socket.off("data", drop);
    socket.off("end", drop);
    socket.off("error", drop);
    socket.off("close", drop);
  }

  /** The most recently used idle connection, or undefined when there is none. */
  function take(): Socket | undefined {
    const newest = stack.at(-1);
    if (newest) forget(newest);
    return newest;
  }

  return { give, take, size: () => stack.length };
}
