import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { machineShares, machineTicks, parseMachineTicks, processCpuSeconds, processTreeCpuSeconds } from '../../bench/cpu.ts';

// A stand-in for a PostgreSQL server: a parent process whose child (a backend) burns CPU and exits.
const PARENT = `
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 400_000);'], { stdio: 'ignore' });
  child.on('exit', () => process.stdout.write('reaped\\n'));
  setInterval(() => undefined, 1000);
`;

/** Runs `script` as a parent process and resolves once it has printed `marker`. */
async function startParent(script: string, marker: string) {
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  parent.stdout.setEncoding('utf8');
  while (!output.includes(marker)) output += (await once(parent.stdout, 'data'))[0];
  return parent;
}

test('a server process keeps the CPU time of the children it has reaped', async () => {
  const parent = await startParent(PARENT, 'reaped');
  try {
    const own = await processCpuSeconds(parent.pid);
    const server = await processTreeCpuSeconds(parent.pid);
    assert.ok(own !== null && server !== null);
    // The child spent at least 0.4 s of CPU; none of it is the parent's own time.
    assert.ok(server - own >= 0.3, `server ${server} s, parent alone ${own} s`);
  } finally {
    parent.kill();
  }
});

// A stand-in for the service with a web process: the child burns 0.4 s of CPU, says so, and keeps running, burning
// CPU, until the parent is killed. (Counted in CPU rather than wall time, so a busy machine cannot starve it.)
const PARENT_OF_LIVE_CHILD = `
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 400_000); process.stdout.write("burnt"); for (;;);'], { stdio: ['ignore', 'inherit', 'ignore'] });
  process.on('SIGTERM', () => { child.kill(); process.exit(); });
  setInterval(() => undefined, 1000);
`;

test('a process\'s count includes the CPU time of the children still running', async () => {
  const parent = await startParent(PARENT_OF_LIVE_CHILD, 'burnt');
  try {
    const own = await processCpuSeconds(parent.pid);
    const tree = await processTreeCpuSeconds(parent.pid);
    assert.ok(own !== null && tree !== null);
    // The child has spent at least 0.4 s of CPU and is still running; the parent alone has spent almost nothing.
    assert.ok(tree - own >= 0.3, `tree ${tree} s, parent alone ${own} s`);
  } finally {
    const exited = parent.exitCode === null ? once(parent, 'exit') : null;
    parent.kill();
    await exited;
  }
});

test('the machine line of /proc/stat gives idle and stolen time, guest time not counted twice', () => {
  const text = 'cpu  1000 50 300 600 40 0 10 200 70 0\ncpu0 500 25 150 300 20 0 5 100 35 0\nintr 1 2 3\n';
  assert.deepEqual(parseMachineTicks(text), { total: 2200, idle: 640, stolen: 200 });
  assert.equal(parseMachineTicks('intr 1 2 3\n'), null);
  const shares = machineShares({ total: 2200, idle: 640, stolen: 200 }, { total: 2400, idle: 690, stolen: 260 });
  assert.deepEqual(shares, { idle: 25, stolen: 30 });
  assert.equal(machineShares({ total: 10, idle: 0, stolen: 0 }, { total: 10, idle: 0, stolen: 0 }), null);
});

test('this machine\'s own /proc/stat reads, and its time moves on', async () => {
  const before = await machineTicks();
  assert.ok(before, '/proc/stat has a cpu line');
  const until = Date.now() + 50;
  while (Date.now() < until); // at least a few ticks (1/100 s each) pass
  const shares = machineShares(before, await machineTicks());
  assert.ok(shares, 'the total moved');
  assert.ok(shares.idle >= 0 && shares.idle <= 100 && shares.stolen >= 0 && shares.stolen <= 100, JSON.stringify(shares));
});
