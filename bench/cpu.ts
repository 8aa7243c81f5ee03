// CPU time of the processes a benchmark run involves, read from Linux's /proc, so each scenario can say
// where a request's time went: in the service, in PostgreSQL, or in the load generator itself. On this
// kind of machine throughput drifts by half from one minute to the next, and CPU per request shows what a
// change did more steadily than requests a second do. Null wherever /proc is not there to read.
import { readdir, readFile } from 'node:fs/promises';

// Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture it runs on.
const TICKS_PER_SECOND = 100;

interface ProcStat { pid: number; ppid: number; cpuSeconds: number; exitedChildrenSeconds: number }

async function procStat(pid: number | string): Promise<ProcStat | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return null;
  // The command name, in parentheses, may itself hold spaces or parentheses: the fields follow its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid: Number(pid), ppid: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    exitedChildrenSeconds: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
  };
}

/** CPU seconds a process has used so far (all its threads). */
export async function processCpuSeconds(pid: number | undefined): Promise<number | null> {
  return pid ? (await procStat(pid))?.cpuSeconds ?? null : null;
}

/**
 * The postmaster of the PostgreSQL server that `backendPid` (a pg_backend_pid()) belongs to, or null when
 * that backend is not on this machine (a server elsewhere) or not PostgreSQL's.
 */
export async function postmasterOf(backendPid: number): Promise<number | null> {
  const backend = await procStat(backendPid);
  const comm = await readFile(`/proc/${backendPid}/comm`, 'utf8').catch(() => '');
  return backend && comm.startsWith('postgres') ? backend.ppid : null;
}

/**
 * CPU seconds used so far by a process and the processes it started: its own, its children's that are still
 * running, and those that have exited (their time is added to the parent's children's time when it reaps
 * them, so a child ending mid-run does not make the count fall). For PostgreSQL that is the postmaster with
 * its backends, writers and WAL writer; for the service, its first process with its web processes
 * (WEB_WORKERS), which read as no CPU at all while only the first process was counted.
 */
export async function processTreeCpuSeconds(root: number | null | undefined): Promise<number | null> {
  if (!root) return null;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => procStat(pid)));
  return stats.reduce((sum, s) => {
    if (!s) return sum;
    if (s.pid === root) return sum + s.cpuSeconds + s.exitedChildrenSeconds;
    return sum + (s.ppid === root ? s.cpuSeconds : 0);
  }, 0);
}

/** The whole machine's CPU time so far, in ticks: in all, idle (with waiting for disk), and stolen by the host. */
export interface MachineTicks { total: number; idle: number; stolen: number }

/**
 * The first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
 * Guest time is already inside user and nice, so it is not counted twice.
 */
export function parseMachineTicks(procStat: string): MachineTicks | null {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if ([user, nice, system, idle, iowait, irq, softirq].some((v) => !Number.isFinite(v))) return null;
  const stolen = Number.isFinite(steal) ? steal! : 0; // kernels before 2.6.11 had no steal column
  return { total: user! + nice! + system! + idle! + iowait! + irq! + softirq! + stolen, idle: idle! + iowait!, stolen };
}

export async function machineTicks(): Promise<MachineTicks | null> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => null);
  return text ? parseMachineTicks(text) : null;
}

/**
 * Percentages of the machine's CPU time between two readings that sat idle and that the host took for
 * other guests (steal). A virtual machine's host can take a large and changing part of its CPUs; when it
 * does, every figure of the same run falls with it, so a run's figures are read beside these.
 */
export function machineShares(before: MachineTicks | null, after: MachineTicks | null): { idle: number; stolen: number } | null {
  if (!before || !after || after.total <= before.total) return null;
  const total = after.total - before.total;
  return { idle: (100 * (after.idle - before.idle)) / total, stolen: (100 * (after.stolen - before.stolen)) / total };
}
