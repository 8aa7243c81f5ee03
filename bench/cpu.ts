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
 * CPU seconds used so far by a PostgreSQL server: its postmaster, every process it has started that is still
 * running (backends, writers, the WAL writer), and those that have exited (their time is added to the
 * postmaster's children's time when it reaps them, so a backend ending mid-run no longer makes the count fall).
 */
export async function serverCpuSeconds(postmaster: number | null): Promise<number | null> {
  if (!postmaster) return null;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => procStat(pid)));
  return stats.reduce((sum, s) => {
    if (!s) return sum;
    if (s.pid === postmaster) return sum + s.cpuSeconds + s.exitedChildrenSeconds;
    return sum + (s.ppid === postmaster ? s.cpuSeconds : 0);
  }, 0);
}
