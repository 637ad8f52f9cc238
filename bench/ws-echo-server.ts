/**
 * Ceiling 1: the barest WebSocket server this machine can run (`ws`, no Socket.IO, no database), echoing every
 * message to its sender. A child process of bench/run.ts; it tells its port over IPC.
 */
import { WebSocketServer } from "ws";

const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
server.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.on("listening", () => {
  const address = server.address();
  if (typeof address === "object" && address) process.send?.({ port: address.port });
});
const stop = () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", () => {});
process.on("disconnect", stop);
