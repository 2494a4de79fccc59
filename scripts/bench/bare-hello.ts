// The ceiling for /hello: Node's own http server answering the same body, no
// framework. Prints its port once listening.
import { createServer } from 'node:http';

const body = JSON.stringify({ message: 'ok' });
const server = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
