import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { processCpuSeconds, serverCpuSeconds } from '../../bench/cpu.ts';

// A stand-in for a PostgreSQL server: a parent process whose child (a backend) burns CPU and exits.
const PARENT = `
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 400_000);'], { stdio: 'ignore' });
  child.on('exit', () => process.stdout.write('reaped\\n'));
  setInterval(() => undefined, 1000);
`;

test('a server process keeps the CPU time of the children it has reaped', async () => {
  const parent = spawn(process.execPath, ['-e', PARENT], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let output = '';
    parent.stdout.setEncoding('utf8');
    while (!output.includes('reaped')) output += (await once(parent.stdout, 'data'))[0];
    const own = await processCpuSeconds(parent.pid);
    const server = await serverCpuSeconds(parent.pid!);
    assert.ok(own !== null && server !== null);
    // The child spent at least 0.4 s of CPU; none of it is the parent's own time.
    assert.ok(server - own >= 0.3, `server ${server} s, parent alone ${own} s`);
  } finally {
    parent.kill();
  }
});
