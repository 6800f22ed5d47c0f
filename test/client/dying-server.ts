// A child process for http2-pool.test.ts: an mTLS HTTP/2 server that SIGKILLs itself once it has
// read its first request, as a node killed mid-request would. Having read everything, its socket
// closes with a FIN rather than a reset: the client's stream just ends, with no answer.
import http2 from 'node:http2';
import { loadNodeCredentials } from '../../core/pki/credentials.js';

const [pkiDir, port] = process.argv.slice(2);
const c = await loadNodeCredentials(pkiDir!, 'n1');
const server = http2.createSecureServer({ ca: c.ca, cert: c.cert, key: c.key, requestCert: true, rejectUnauthorized: true });
server.on('request', (req) => {
  req.resume();
  req.on('end', () => process.kill(process.pid, 'SIGKILL'));
});
server.listen(Number(port), '127.0.0.1', () => process.send!('listening'));
