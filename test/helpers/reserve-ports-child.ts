// A test process that reserves ports and prints them (for ports.test.ts), then holds them a while.
import { reservePorts } from './ports.js';

void reservePorts(Number(process.argv[2])).then((ports) => {
  process.stdout.write(JSON.stringify(ports) + '\n');
  setTimeout(() => process.exit(0), 300);
});
